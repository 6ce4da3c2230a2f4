import Foundation
import MybroCore

/// Jobs that could not be written to the history before a `mybro-exec` ended, one JSON object
/// (a `JobEntry`) a line, in a file of mode 600 beside the database (`history.sqlite.spill`).
/// They are replayed into the database the next time a history is opened.
///
/// Appends take an exclusive `flock`, end with `fsync`, and first finish a line that a crash
/// cut off, so a torn write damages only its own line; replay skips damaged lines. Entries are
/// whole job states written as upserts by key, so replaying one twice does no harm.
public struct HistorySpill: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Appends `entries` and syncs them to disk.
    public func append(_ entries: [JobEntry]) throws {
        guard !entries.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        var bytes: [UInt8] = []
        for entry in entries {
            bytes += try encoder.encode(entry)
            bytes.append(0x0A)
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("open") }
        defer { close(fd) }
        _ = fchmod(fd, 0o600)
        try lock(fd)
        defer { flock(fd, LOCK_UN) }
        // A line cut off by a crash gets its end, so that our first line stays whole.
        var stats = stat()
        if fstat(fd, &stats) == 0, stats.st_size > 0, lastByte(fd: fd, size: stats.st_size) != 0x0A {
            bytes.insert(0x0A, at: 0)
        }
        try writeAll(fd, bytes)
        guard fsync(fd) == 0 else { throw failure("sync") }
    }

    /// What a replay found.
    public struct Replay: Sendable {
        public var entries = 0
        /// Lines that were not a whole job (a write cut off by a crash), skipped.
        public var damaged = 0
    }

    /// Hands the spilled jobs, in order, to `apply` (which writes them to the database), then
    /// empties the file. If `apply` throws, the file is kept for the next try.
    public func replay(_ apply: ([JobEntry]) throws -> Void) throws -> Replay {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return Replay() }
            throw failure("open")
        }
        defer { close(fd) }
        try lock(fd)
        defer { flock(fd, LOCK_UN) }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("read")
            }
            if count == 0 { break }
            data += chunk[..<count]
        }
        guard !data.isEmpty else { return Replay() }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        var replay = Replay()
        var entries: [JobEntry] = []
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if let entry = try? decoder.decode(JobEntry.self, from: Data(line)) {
                entries.append(entry)
            } else {
                replay.damaged += 1
            }
        }
        try apply(entries)
        replay.entries = entries.count
        guard ftruncate(fd, 0) == 0, fsync(fd) == 0 else { throw failure("empty") }
        return replay
    }

    private func lock(_ fd: Int32) throws {
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw failure("lock") }
        }
    }

    private func lastByte(fd: Int32, size: off_t) -> UInt8? {
        var byte: UInt8 = 0
        return pread(fd, &byte, 1, size - 1) == 1 ? byte : nil
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw failure("write")
                }
                offset += count
            }
        }
    }

    private func failure(_ what: String) -> MybroError {
        MybroError(
            "cannot \(what) the history spill file \(path): \(String(cString: strerror(errno)))", status: .ioError)
    }
}
