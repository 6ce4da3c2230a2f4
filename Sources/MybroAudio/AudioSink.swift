import Foundation
import MybroCore

/// Where canonical audio (16 kHz mono s16le) goes: a sound card, a file or a pipe.
public protocol AudioSink: AnyObject {
    func write(_ samples: UnsafeBufferPointer<Int16>) throws
    /// Throws away audio accepted but not yet heard, so an interrupted reply stops at once.
    func discardPending()
    /// Lets queued audio finish (or fixes up a file header) and releases the sink.
    func finish() throws
}

/// Canonical PCM, or a WAV stream, written to a descriptor.
///
/// A WAV goes out with "unknown length" sizes first; when the descriptor is a regular file
/// the sizes are patched at the end so every reader sees an exact header.
public final class PCMStreamSink: AudioSink {
    private let output: OutputSink
    private let wav: Bool
    private let closeWhenDone: Bool
    private var dataBytes = 0

    public init(fd: Int32, wav: Bool, closeWhenDone: Bool = false) throws {
        self.output = OutputSink(fd: fd)
        self.wav = wav
        self.closeWhenDone = closeWhenDone
        if wav {
            let header = WAVHeader.make(sampleRate: CanonicalAudio.sampleRate, channels: 1, dataBytes: nil)
            try header.withUnsafeBytes { try output.write(bytes: $0) }
        }
    }

    /// Opens (creating or truncating) a file for the stream.
    public convenience init(path: String, wav: Bool) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw MybroError("cannot create \(path): \(String(cString: strerror(errno)))", status: .ioError)
        }
        try self.init(fd: fd, wav: wav, closeWhenDone: true)
    }

    public func write(_ samples: UnsafeBufferPointer<Int16>) throws {
        try output.write(samples: samples)
        dataBytes += samples.count * 2
    }

    public func discardPending() {}

    public func finish() throws {
        defer { if closeWhenDone { close(output.fd) } }
        guard wav else { return }
        var info = stat()
        guard fstat(output.fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        let header = WAVHeader.make(sampleRate: CanonicalAudio.sampleRate, channels: 1, dataBytes: dataBytes)
        // The header sits at offset 0 of the data we wrote; a file opened for append cannot be patched.
        let written = header.withUnsafeBytes { pwrite(output.fd, $0.baseAddress!, $0.count, 0) }
        if written != header.count {
            Log.shared.warning("could not fix up the WAV header sizes: \(String(cString: strerror(errno)))")
        }
    }
}
