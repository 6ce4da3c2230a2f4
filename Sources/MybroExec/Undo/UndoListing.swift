import Foundation
import MybroCore

/// `mybro-exec --undo-list`: the workspace's snapshots, newest first, one per line:
/// `JOB<TAB>DATE<TAB>STATE<TAB>DESCRIPTION`, STATE being undoable, undone or
/// `unavailable: REASON`.
public enum UndoListing {
    public static func write(_ snapshots: WorkspaceSnapshots, to output: OutputSink) throws {
        let entries: [SnapshotEntry]
        do {
            entries = try snapshots.entries()
        } catch {
            throw MybroError(
                "cannot read the undo snapshots in \(snapshots.repository): \(error)", status: .unavailable)
        }
        for line in lines(entries) { try output.write(line: line) }
    }

    public static func lines(_ entries: [SnapshotEntry]) -> [String] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return entries.map { entry in
            var state: String
            switch entry.state {
            case .undoable: state = "undoable"
            case .undone: state = "undone"
            case .unavailable(let reason): state = "unavailable: " + reason
            }
            if !entry.skipped.isEmpty { state += " (\(entry.skipped.count) large file(s) not kept)" }
            return "\(entry.job)\t\(formatter.string(from: entry.date))\t\(state)\t\(entry.description)"
        }
    }
}
