import Foundation
import MybroCore

/// The stream formats `mybro-kernel` reads and writes.
enum StreamFormat: String, CaseIterable {
    /// float32 little-endian, headerless.
    case binary
    /// JSON Lines: one array of numbers per line.
    case json
}

/// Reads float values in pieces from float32 LE, canonical PCM (s16 at 16 kHz, WAV accepted) or
/// JSON Lines arrays. A piece is a read's worth of binary data or one JSON line, so maps keep
/// JSON lines as lines. Bad input is one warning per problem (or, with --strict, an error 65).
final class FloatReader {
    enum Source {
        case binary(Int32)
        case pcm(AudioInputStream)
        case json(LineReader)
    }

    let source: Source
    let strict: Bool
    let name: String
    /// Values per binary read.
    static let pieceValues = 1 << 16
    private var bytes = [UInt8](repeating: 0, count: FloatReader.pieceValues * 4)
    private var carried = 0
    private var samples = [Int16](repeating: 0, count: FloatReader.pieceValues)
    private var bytesRead = 0
    /// Values queued by `read(exactly:)` beyond what was asked.
    private var queue: [Float] = []
    private var queueStart = 0

    init(fd: Int32, format: StreamFormat, pcm: Bool, strict: Bool, name: String = "input") {
        if pcm {
            source = .pcm(AudioInputStream(fd: fd, strict: strict))
        } else if format == .json {
            source = .json(LineReader(fd: fd))
        } else {
            source = .binary(fd)
        }
        self.strict = strict
        self.name = name
    }

    /// Opens a file (for --other and --query) in the same format as stdin.
    static func open(path: String, format: StreamFormat, pcm: Bool, strict: Bool, option: String) throws -> FloatReader
    {
        let fd = path == "-" ? 0 : Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw MybroError("\(option) \(path): \(String(cString: strerror(errno)))", status: .noInput)
        }
        return FloatReader(fd: fd, format: format, pcm: pcm, strict: strict, name: "\(option) \(path)")
    }

    /// The next piece of values, or nil at the end of the stream.
    func next() throws -> [Float]? {
        if queueStart < queue.count {
            let rest = Array(queue[queueStart...])
            queue.removeAll()
            queueStart = 0
            return rest
        }
        switch source {
        case .binary(let fd): return try nextBinary(fd)
        case .pcm(let stream): return try nextPCM(stream)
        case .json(let lines): return try nextJSON(lines)
        }
    }

    /// Exactly `count` values (fewer only at the end of the stream), across pieces.
    func read(exactly count: Int) throws -> [Float] {
        var values: [Float] = []
        values.reserveCapacity(count)
        while values.count < count {
            if queueStart == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueStart = 0
                guard let piece = try next() else { break }
                queue = piece
            }
            let take = min(count - values.count, queue.count - queueStart)
            values += queue[queueStart..<queueStart + take]
            queueStart += take
        }
        return values
    }

    private func nextBinary(_ fd: Int32) throws -> [Float]? {
        var filled = carried
        while filled < 4 {
            let result = bytes.withUnsafeMutableBytes { raw in
                SystemIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]), interruptible: true)
            }
            switch result {
            case .bytes(let n):
                filled += n
                bytesRead += n
            case .end, .stopped:
                if filled > 0 {
                    try problem(
                        "\(name) ends with \(filled) stray byte\(filled == 1 ? "" : "s") after byte \(bytesRead - filled) "
                            + "(not a whole float32); dropped")
                }
                carried = 0
                return nil
            case .failed(let code):
                throw MybroError("reading \(name): \(SystemIO.describe(code))", status: .ioError)
            }
        }
        let whole = filled / 4 * 4
        let values = [Float](unsafeUninitializedCapacity: whole / 4) { buffer, count in
            bytes.withUnsafeBytes { raw in
                for index in 0..<whole / 4 {
                    buffer[index] = Float(
                        bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
                }
            }
            count = whole / 4
        }
        carried = filled - whole
        for index in 0..<carried { bytes[index] = bytes[whole + index] }
        return values
    }

    private func nextPCM(_ stream: AudioInputStream) throws -> [Float]? {
        let n = try samples.withUnsafeMutableBufferPointer { try stream.read(into: $0) }
        if n == 0 { return nil }
        return samples[0..<n].map { Float($0) / 32768 }
    }

    private func nextJSON(_ lines: LineReader) throws -> [Float]? {
        while let line = try lines.next() {
            switch line {
            case .tooLong(let number, let count):
                try problem("\(name) line \(number): \(count) bytes is longer than the line limit; skipped")
            case .line(let text, let number):
                if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                if let values = try parse(text, line: number) { return values }
            }
        }
        return nil
    }

    private func parse(_ text: ArraySlice<UInt8>, line: Int) throws -> [Float]? {
        let parsed: JSONValue
        do {
            parsed = try text.withUnsafeBufferPointer { try JSONParser.parse($0) }
        } catch {
            try problem("\(name) line \(line): not JSON (\(error)); JSON has no NaN or Infinity; skipped")
            return nil
        }
        guard let array = parsed.arrayValue else {
            try problem("\(name) line \(line): expected an array of numbers; skipped")
            return nil
        }
        var values: [Float] = []
        values.reserveCapacity(array.count)
        for (index, element) in array.enumerated() {
            guard let number = element.doubleValue else {
                try problem("\(name) line \(line): element \(index) is not a number; line skipped")
                return nil
            }
            let value = Float(number)
            guard value.isFinite || !number.isFinite else {
                try problem(
                    "\(name) line \(line): element \(index) (\(number)) is beyond float32's range; line skipped")
                return nil
            }
            values.append(value)
        }
        return values
    }

    private func problem(_ message: String) throws {
        if strict { throw MybroError(message + " (stopping: --strict)", status: .dataError) }
        Log.shared.warning(message)
    }
}
