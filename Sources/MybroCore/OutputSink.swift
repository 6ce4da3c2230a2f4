import Foundation

/// Unbuffered, whole-write output to a descriptor (stdout by default).
///
/// Each record is one `write` of its full line, so records are never interleaved or held
/// back; threads may share one sink. A closed downstream pipe surfaces as `DownstreamClosed`,
/// which commands turn into a quiet exit with status 0.
public final class OutputSink: @unchecked Sendable {
    public static let standardOutput = OutputSink(fd: 1)

    public let fd: Int32
    private let lock = NSLock()

    public init(fd: Int32) { self.fd = fd }

    /// Creates (or truncates) the file at `path` for output; "-" is standard output.
    public static func create(path: String) throws -> OutputSink {
        if path == "-" { return .standardOutput }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw MybroError("cannot create \(path): \(String(cString: strerror(errno)))", status: .ioError)
        }
        return OutputSink(fd: fd)
    }

    public func write(record: Record) throws {
        try write(line: record.serialized())
    }

    /// Writes one line of text and its newline.
    public func write(line: String) throws {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        try bytes.withUnsafeBytes { try write(bytes: $0) }
    }

    public func write(bytes: UnsafeRawBufferPointer) throws {
        lock.lock()
        defer { lock.unlock() }
        let code = SystemIO.writeAll(fd, bytes)
        if code == EPIPE { throw DownstreamClosed() }
        if code != 0 { throw MybroError("cannot write output: \(SystemIO.describe(code))", status: .ioError) }
    }

    public func write(samples: UnsafeBufferPointer<Int16>) throws {
        // Canonical PCM is little-endian, as is every platform Swift on Linux runs on.
        try write(bytes: UnsafeRawBufferPointer(samples))
    }

    public func write(samples: [Int16]) throws {
        try samples.withUnsafeBufferPointer { try write(samples: $0) }
    }
}
