import Foundation
import MybroCore

/// Follows a file like `tail -F`: reads it from the start, then waits for more; survives the
/// file being truncated (reads again from its start), replaced or rotated (finishes the old
/// file, then opens the new one at that name), and not existing yet (waits for it).
final class FileFollower {
    let path: String
    let pollInterval: useconds_t
    private var splitter: LineSplitter

    init(path: String, maximumLineBytes: Int, pollInterval: useconds_t = 10_000) {
        self.path = path
        self.pollInterval = pollInterval
        self.splitter = LineSplitter(maximumLineBytes: maximumLineBytes)
    }

    /// Follows until a stop signal; `emit` gets each complete line.
    func run(_ emit: (LineSplitter.Piece) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var fd: Int32 = -1
        var openedInode: ino_t = 0
        var offset = 0
        while !Signals.stopRequested {
            if fd < 0 {
                fd = open(path, O_RDONLY | O_CLOEXEC)
                if fd < 0 {
                    usleep(pollInterval * 5)
                    continue
                }
                var info = stat()
                fstat(fd, &info)
                openedInode = info.st_ino
                offset = 0
            }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                offset += count
                splitter.feed(buffer[0..<count], emit)
                continue
            }
            if count < 0 && errno == EINTR { continue }
            // At the end: has the file been truncated, or replaced by another one?
            var named = stat()
            if stat(path, &named) != 0 || named.st_ino != openedInode {
                splitter.finish(emit)
                close(fd)
                fd = -1
                continue
            }
            if Int(named.st_size) < offset {
                splitter.finish(emit)
                lseek(fd, 0, SEEK_SET)
                offset = 0
                continue
            }
            usleep(pollInterval)
        }
        if fd >= 0 { close(fd) }
    }
}
