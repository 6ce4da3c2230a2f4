import Foundation
import MybroCore

/// How a watched git control file stands against the moment a job ended, for a mybro-exec that
/// replays the put-back record of one that was killed (PendingPutBack): what changed after
/// the last of the job's processes was gone was not the job's doing, and the user's own later
/// work (a hook they installed, a config they edited) must not be undone or lost.
///
/// Only the inode's change time cannot be set by a job; but a later chmod or chown by the user
/// would also move it past the end, and would then launder a hook the job planted. So a
/// change counts as the user's only when the content itself was written after the end: the
/// modification time is past it too and within `sameWrite` of the change time (a write sets
/// both at once; a job that sets a future modification time cannot know when the user's next
/// chmod comes), and the file has a single name (a hard link to a workspace file the user
/// edits later would make the job's hook look like the user's).
struct LaterChange {
    /// Changed (content or metadata) after the job ended.
    let changedAfter: Bool
    /// Its content written after the job ended, as the user's doing would be.
    let byUser: Bool
    let path: String

    /// The bytes of a path put back although it changed after the end go beside it, under a
    /// name git and hook managers never read.
    static let savedSuffix = ".mybro-saved"
    static let sameWrite = 2.0

    init(_ path: String, after ended: timespec) {
        self.path = path
        var info = stat()
        guard lstat(path, &info) == 0 else {
            (changedAfter, byUser) = (false, false)
            return
        }
        let end = Self.seconds(ended)
        let changed = Self.seconds(info.st_ctim)
        let modified = Self.seconds(info.st_mtim)
        changedAfter = changed > end
        byUser =
            changedAfter && info.st_mode & S_IFMT == S_IFREG && info.st_nlink == 1 && modified > end
            && abs(changed - modified) <= Self.sameWrite
    }

    /// Saves the path's present bytes beside it (a regular file only, never through a link);
    /// false where there was nothing to save or it could not be done.
    func save() -> Bool {
        let source = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard source >= 0 else { return false }
        defer { close(source) }
        var info = stat()
        guard fstat(source, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
            let data = try? FileHandle(fileDescriptor: source, closeOnDealloc: false).readToEnd()
        else { return false }
        let target = path + Self.savedSuffix
        unlink(target)
        let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return data.withUnsafeBytes { SystemIO.writeAll(descriptor, $0) } == 0
    }

    private static func seconds(_ time: timespec) -> Double {
        Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
