import Foundation
import MybroCore

/// Where converted samples go: headerless PCM or a WAV stream.
public protocol PCMWriter: AnyObject {
    func write(_ samples: UnsafeBufferPointer<Int16>) throws
    /// Completes the output (a WAV's sizes are fixed up here when possible).
    func finish() throws
}

/// Headerless signed 16-bit little-endian PCM, the toolkit's canonical stream.
public final class RawPCMWriter: PCMWriter {
    public let sink: OutputSink
    public init(sink: OutputSink) { self.sink = sink }
    public func write(_ samples: UnsafeBufferPointer<Int16>) throws {
        if !samples.isEmpty { try sink.write(samples: samples) }
    }
    public func finish() throws {}
}

/// A 16-bit PCM WAV written as it streams.
///
/// The header goes out first with the "length unknown" sizes (0xFFFFFFFF, which readers such
/// as sox and mybro's own stream reader take as "read to the end"). When the output is a
/// regular file that can be rewritten in place, `finish` writes the real sizes into it, so
/// the file is an ordinary WAV; on a pipe the streaming header stays.
public final class WAVStreamWriter: PCMWriter {
    public let sink: OutputSink
    public let sampleRate: Int
    public let channels: Int
    /// Where the header starts in a seekable output, nil on a pipe.
    private let headerOffset: off_t?
    private var dataBytes = 0

    public init(sink: OutputSink, sampleRate: Int, channels: Int = 1) throws {
        self.sink = sink
        self.sampleRate = sampleRate
        self.channels = channels
        headerOffset = WAVStreamWriter.rewritableOffset(of: sink.fd)
        let header = WAVHeader.make(sampleRate: sampleRate, channels: channels, dataBytes: nil)
        try header.withUnsafeBytes { try sink.write(bytes: $0) }
    }

    public func write(_ samples: UnsafeBufferPointer<Int16>) throws {
        guard !samples.isEmpty else { return }
        try sink.write(samples: samples)
        dataBytes += samples.count * 2
    }

    public func finish() throws {
        guard let headerOffset else { return }
        // Past 4 GiB the sizes do not fit: the streaming values stay, as for a pipe.
        guard dataBytes <= Int(UInt32.max) - 36 else { return }
        let data = UInt32(dataBytes)
        if dataBytes & 1 == 1 {
            // A RIFF chunk of odd size is followed by a pad byte (samples are 2 bytes: not reached).
            try [UInt8(0)].withUnsafeBytes { try sink.write(bytes: $0) }
        }
        try patch(data + 36, at: headerOffset + 4)
        try patch(data, at: headerOffset + 40)
    }

    private func patch(_ value: UInt32, at offset: off_t) throws {
        var little = value.littleEndian
        let written = withUnsafeBytes(of: &little) { pwrite(sink.fd, $0.baseAddress, 4, offset) }
        if written != 4 {
            throw MybroError(
                "cannot fix up the WAV header sizes: \(String(cString: strerror(errno)))", status: .ioError)
        }
    }

    /// The current offset of a regular file opened without O_APPEND (where pwrite lands
    /// where asked), else nil.
    static func rewritableOffset(of fd: Int32) -> off_t? {
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, flags & O_APPEND == 0 else { return nil }
        let offset = lseek(fd, 0, SEEK_CUR)
        return offset >= 0 ? offset : nil
    }
}
