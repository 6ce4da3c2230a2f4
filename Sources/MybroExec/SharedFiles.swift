import CMybroScan
import Foundation
import MybroCore

/// Files of the workspace hard-linked with a name outside it. Landlock and the layers work on
/// paths, so a job may write such a file through its workspace name, and the write lands in the
/// other name too: uv links a virtual environment's files from ~/.cache/uv and pnpm a project's
/// node_modules from its store, and every later install outside any sandbox links the changed
/// file again. The workspace's entries that hold such files are made read-only for the job.
enum SharedFiles {
    /// The workspace's entries (folders such as `.venv`, or files at its top) under which lies a
    /// file with a hard link outside the workspace, or a folder too deep to walk. Throws where the
    /// walk could not finish or such an entry cannot be named (not UTF-8): the job would run with
    /// a write path into a cache left open.
    static func entriesLinkedOutside(
        _ workspace: String, limit: Int = GitControlFiles.walkLimit
    ) throws -> [String] {
        var length = 0
        var truncated: Int32 = 0
        guard let buffer = mybro_find_shared_files(workspace, limit, &length, &truncated) else { return [] }
        defer { free(buffer) }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
        var entries: [String] = []
        for name in bytes.split(separator: 0) {
            let text = String(decoding: name, as: UTF8.self)
            guard Array(text.utf8) == Array(name) else {
                throw MybroError(
                    "\(workspace) holds an entry whose name is not UTF-8 with files hard-linked outside the"
                        + " workspace: rename it, so jobs can be kept from writing through it", status: .noPermission)
            }
            entries.append(workspace + "/" + text)
        }
        if truncated == 2 {
            throw MybroError(
                "\(workspace) has more than \(limit) entries: it could not all be searched for files hard-linked"
                    + " outside it; run mybro-exec in a smaller folder", status: .noPermission)
        }
        return entries
    }
}
