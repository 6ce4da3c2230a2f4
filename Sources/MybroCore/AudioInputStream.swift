import Foundation

/// Reads the canonical audio stream from a descriptor, accepting a WAV stream too.
///
/// A WAV is recognised by its RIFF header and must already be 16 kHz mono 16-bit PCM;
/// other WAVs, and containers such as FLAC or Ogg, are refused with a message that names
/// `mybro-capture` as the converter. An odd trailing byte is reported, not crashed on.
public final class AudioInputStream {
    public let fd: Int32
    public let strict: Bool
    /// Whether the stream began with a WAV header.
    public private(set) var isWAV = false

    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var atEnd = false
    private var started = false
    private var bytesConsumed = 0
    /// Bytes left in a WAV data chunk of known size (nil: to the end of the stream).
    private var dataRemaining: Int?

    public init(fd: Int32 = 0, strict: Bool) {
        self.fd = fd
        self.strict = strict
    }

    /// Fills `samples` from the stream; returns how many were read (0 at the end).
    /// Returns fewer than asked only at the end of the stream or after a stop signal.
    public func read(into samples: UnsafeMutableBufferPointer<Int16>) throws -> Int {
        if !started { try start() }
        var filled = 0
        let wanted = samples.count * 2
        let raw = UnsafeMutableRawBufferPointer(samples)
        while filled < wanted {
            if pendingStart < pending.count {
                var take = min(wanted - filled, pending.count - pendingStart)
                if let remaining = dataRemaining { take = min(take, remaining) }
                if take == 0 { break }
                pending.withUnsafeBytes { source in
                    raw.baseAddress!.advanced(by: filled).copyMemory(
                        from: source.baseAddress!.advanced(by: pendingStart), byteCount: take)
                }
                pendingStart += take
                filled += take
                bytesConsumed += take
                if dataRemaining != nil { dataRemaining! -= take }
                continue
            }
            if atEnd || dataRemaining == 0 { break }
            if try !fill(atLeast: 1) { break }
        }
        if filled % 2 == 1 {
            // Only possible at the end: a truncated last sample.
            filled -= 1
            let message = "byte \(bytesConsumed - 1): input ends in the middle of a 16-bit sample (odd byte count)"
            if strict { throw MybroError(message + " (stopping: --strict)", status: .dataError) }
            Log.shared.warning(message + "; the stray byte is dropped")
        }
        return filled / 2
    }

    /// Reads the whole rest of the stream.
    public func readAll() throws -> [Int16] {
        var all: [Int16] = []
        var chunk = [Int16](repeating: 0, count: 16_000)
        while true {
            let n = try chunk.withUnsafeMutableBufferPointer { try read(into: $0) }
            if n == 0 { break }
            all.append(contentsOf: chunk[0..<n])
        }
        return all
    }

    // MARK: - Header detection

    private func start() throws {
        started = true
        _ = try fill(atLeast: 12)
        let head = Array(pending[pendingStart..<min(pending.count, pendingStart + 12)])
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WAVE".utf8) {
            isWAV = true
            pendingStart += 12
            bytesConsumed += 12
            try parseWAVChunks()
            return
        }
        if let container = AudioInputStream.recognise(head) {
            throw MybroError(
                "input is \(container), not \(CanonicalAudio.description); convert it with `mybro-capture --input FILE`",
                status: .dataError)
        }
    }

    /// Names a container or a text stream that is certainly not raw PCM.
    static func recognise(_ head: [UInt8]) -> String? {
        func starts(_ text: String) -> Bool { head.starts(with: Array(text.utf8)) }
        if starts("RIFF") { return "a RIFF file that is not WAVE" }
        if starts("RF64") { return "an RF64 (64-bit WAV) file" }
        if starts("fLaC") { return "FLAC" }
        if starts("OggS") { return "an Ogg stream (Vorbis/Opus/FLAC)" }
        // Raw PCM may start with any two bytes, so an MP3 is recognised by its ID3 tag only.
        if starts("ID3") && head.count >= 5 && (2...4).contains(head[3]) && head[4] == 0 { return "MP3" }
        if starts("FORM") { return "AIFF" }
        if starts("{\"type\"") { return "JSON Lines records" }
        return nil
    }

    private func parseWAVChunks() throws {
        var sawFormat = false
        while true {
            guard try fill(atLeast: 8) else { throw truncatedHeader() }
            let id = String(decoding: pending[pendingStart..<pendingStart + 4], as: UTF8.self)
            let size = Int(littleEndian32(at: pendingStart + 4))
            pendingStart += 8
            bytesConsumed += 8
            if id == "data" {
                guard sawFormat else {
                    throw MybroError("WAV input has its data before its format chunk", status: .dataError)
                }
                // Streaming writers put 0 or 0xFFFFFFFF here: read to the end of the stream then.
                dataRemaining = (size == 0 || UInt32(truncatingIfNeeded: size) == WAVHeader.unknownSize) ? nil : size
                return
            }
            let padded = size + (size & 1)
            guard try fill(atLeast: min(padded, 1 << 20)) else { throw truncatedHeader() }
            if id == "fmt " {
                guard size >= 16 else { throw MybroError("WAV input has a short format chunk", status: .dataError) }
                try checkFormat(at: pendingStart, size: size)
                sawFormat = true
            }
            try skip(padded)
        }
    }

    private func checkFormat(at offset: Int, size: Int) throws {
        var format = Int(littleEndian16(at: offset))
        let channels = Int(littleEndian16(at: offset + 2))
        let rate = Int(littleEndian32(at: offset + 4))
        let bits = Int(littleEndian16(at: offset + 14))
        if format == 0xFFFE && size >= 40 { format = Int(littleEndian16(at: offset + 24)) }  // WAVE_FORMAT_EXTENSIBLE
        let kind = format == 1 ? "\(bits)-bit PCM" : (format == 3 ? "\(bits)-bit float" : "format \(format)")
        if format != 1 || bits != 16 || channels != 1 || rate != CanonicalAudio.sampleRate {
            throw MybroError(
                "input is a WAV of \(rate) Hz, \(channels) channel\(channels == 1 ? "" : "s"), \(kind); "
                    + "mybro reads \(CanonicalAudio.description): convert it with `mybro-capture --input FILE`",
                status: .dataError)
        }
    }

    private func truncatedHeader() -> MybroError {
        MybroError("WAV input ends inside its header", status: .dataError)
    }

    private func skip(_ count: Int) throws {
        var left = count
        while left > 0 {
            if pendingStart == pending.count, try !fill(atLeast: 1) { throw truncatedHeader() }
            let take = min(left, pending.count - pendingStart)
            pendingStart += take
            bytesConsumed += take
            left -= take
        }
    }

    private func littleEndian16(at offset: Int) -> UInt16 {
        UInt16(pending[offset]) | UInt16(pending[offset + 1]) << 8
    }

    private func littleEndian32(at offset: Int) -> UInt32 {
        UInt32(littleEndian16(at: offset)) | UInt32(littleEndian16(at: offset + 2)) << 16
    }

    // MARK: - Buffering

    /// Makes at least `count` unread bytes available; false when the stream ends first
    /// (or a stop was requested).
    private func fill(atLeast count: Int) throws -> Bool {
        if pendingStart > 0 && pendingStart >= pending.count / 2 {
            pending.removeSubrange(0..<pendingStart)
            pendingStart = 0
        }
        while pending.count - pendingStart < count {
            if atEnd { return false }
            guard Signals.waitUntilReadable(fd) else {
                atEnd = true
                return false
            }
            let chunk = max(1 << 15, count)
            let old = pending.count
            pending.append(contentsOf: repeatElement(0, count: chunk))
            let result = pending.withUnsafeMutableBytes {
                SystemIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[old...]), interruptible: true)
            }
            switch result {
            case .bytes(let n):
                pending.removeSubrange((old + n)...)
            case .end:
                pending.removeSubrange(old...)
                atEnd = true
            case .stopped:
                pending.removeSubrange(old...)
                atEnd = true
                return false
            case .failed(let code):
                pending.removeSubrange(old...)
                throw MybroError("cannot read audio input: \(SystemIO.describe(code))", status: .ioError)
            }
        }
        return true
    }
}
