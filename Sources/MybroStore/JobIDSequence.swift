import Foundation
import MybroCore

/// Job ids without the database: a small file beside it (`history.sqlite.seq`) holds the next
/// id as decimal text and is advanced under `flock`, held for a read and a write only. Two
/// `mybro-exec` processes sharing one history get distinct ids, at once, even while another
/// process holds the database locked.
///
/// Not fsynced: should the file ever fall behind (a crash, a restored backup), the history
/// raises it above its largest id when it is next opened (`raise(above:)`), and a job whose id
/// turns out taken is written under a new one (`JobHistory.write`): ids may skip, rows are never
/// shared.
public struct JobIDSequence: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Takes the next id, at least `floor`. `initial` gives the first id when the file is new
    /// (or unreadable): the history's largest id + 1, or nil where that cannot be read now (then
    /// 1, raised later by `raise(above:)`).
    public func next(atLeast floor: Int64 = 1, initial: () -> Int64?) throws -> Int64 {
        try locked { stored in
            let id = max(stored ?? initial() ?? 1, floor, 1)
            return (id, id + 1)
        }
    }

    /// Makes sure the next id is above `largest` (the history's largest id).
    public func raise(above largest: Int64) throws {
        try locked { stored in ((), max(stored ?? 1, largest + 1)) }
    }

    /// The next id the file would give (nil: no file yet).
    public func peek() -> Int64? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int64(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Runs `body` with the stored next id under an exclusive lock and stores what it returns.
    private func locked<T>(_ body: (Int64?) throws -> (T, Int64)) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw MybroError("cannot open \(path): \(Self.reason())", status: .ioError) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw MybroError("cannot lock \(path): \(Self.reason())", status: .ioError) }
        }
        defer { flock(fd, LOCK_UN) }
        var buffer = [UInt8](repeating: 0, count: 32)
        var count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        while count < 0 && errno == EINTR {
            count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        }
        let text = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
        let stored = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0 > 0 ? $0 : nil }
        let (result, next) = try body(stored)
        let bytes = Array("\(next)\n".utf8)
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) }
        guard written == bytes.count, ftruncate(fd, off_t(bytes.count)) == 0 else {
            throw MybroError("cannot write \(path): \(Self.reason())", status: .ioError)
        }
        return result
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
