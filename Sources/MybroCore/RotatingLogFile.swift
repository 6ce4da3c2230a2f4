import Foundation

/// A JSON Lines log file shared by every stage of a pipeline, rotated by size.
///
/// Several processes append to the same file, so each append takes an exclusive `flock`,
/// rotates (`log` → `log.1` → … → `log.N`) when the file has grown past `maxBytes`, and
/// writes its line with `O_APPEND` while holding the lock.
public final class RotatingLogFile {
    public let path: String
    public let maxBytes: Int
    public let keep: Int

    public init(path: String, maxBytes: Int, keep: Int) {
        self.path = path
        self.maxBytes = maxBytes
        self.keep = keep
    }

    public func append(_ line: String) {
        guard let fd = openLocked() else { return }
        var current = fd
        var info = stat()
        if fstat(current, &info) == 0, Int(info.st_size) + line.utf8.count > maxBytes, info.st_size > 0 {
            rotate()
            flock(current, LOCK_UN)
            close(current)
            guard let fresh = openLocked() else { return }
            current = fresh
        }
        writeAll(fd: current, line)
        flock(current, LOCK_UN)
        close(current)
    }

    /// Opens the file and locks it, retrying when another process rotated it away meanwhile
    /// (the locked descriptor must still be the file at `path`).
    private func openLocked() -> Int32? {
        for _ in 0..<4 {
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return nil }
            flock(fd, LOCK_EX)
            var opened = stat()
            var named = stat()
            if fstat(fd, &opened) == 0, stat(path, &named) == 0, opened.st_ino == named.st_ino,
                opened.st_dev == named.st_dev
            {
                return fd
            }
            flock(fd, LOCK_UN)
            close(fd)
        }
        return nil
    }

    private func rotate() {
        unlink("\(path).\(keep)")
        if keep > 1 {
            for index in stride(from: keep - 1, through: 1, by: -1) {
                rename("\(path).\(index)", "\(path).\(index + 1)")
            }
        }
        rename(path, "\(path).1")
    }
}
