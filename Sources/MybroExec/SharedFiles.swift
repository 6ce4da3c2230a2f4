import CMybroScan
import Foundation
import MybroCore

/// Files of the workspace hard-linked with a name outside it. Landlock and the layers work on
/// paths, so a job may write such a file through its workspace name, and the write lands in the
/// other name too: uv links a virtual environment's files from ~/.cache/uv and pnpm a project's
/// node_modules from its store, and every later install outside any sandbox links the changed
/// file again. The workspace's entries that hold such files are made read-only for the job.
enum SharedFiles {
    /// The most entries one walk reads, as for the repositories' walk.
    static let walkLimit = 2_000_000

    /// The workspace's entries (folders such as `.venv`, or files at its top) under which lies a
    /// file with a hard link outside the workspace.
    static func entriesLinkedOutside(_ workspace: String) -> [String] {
        var length = 0
        var truncated: Int32 = 0
        guard let buffer = mybro_find_shared_files(workspace, walkLimit, &length, &truncated) else { return [] }
        defer { free(buffer) }
        if truncated != 0 {
            Log.shared.warning(
                "\(workspace) has more than \(walkLimit) entries: not all of it was searched for files linked"
                    + " outside it")
        }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
        return bytes.split(separator: 0).map { workspace + "/" + String(decoding: $0, as: UTF8.self) }
    }
}
