import Foundation
import MybroCore

/// Where canonical audio (16 kHz mono s16le) goes to be heard: a sound card, a file or a pipe.
public protocol AudioSink: PCMWriter {
    /// Throws away audio accepted but not yet heard, so an interrupted reply stops at once.
    func discardPending()
}

/// Files and pipes hold nothing back: what was written is already out.
extension RawPCMWriter: AudioSink {
    public func discardPending() {}
}

extension WAVStreamWriter: AudioSink {
    public func discardPending() {}
}

extension OutputSink {
    /// Creates (or truncates) the file at `path` for output; "-" is standard output.
    public static func create(path: String) throws -> OutputSink {
        if path == "-" { return .standardOutput }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw MybroError("cannot create \(path): \(String(cString: strerror(errno)))", status: .ioError)
        }
        return OutputSink(fd: fd)
    }
}

/// Canonical audio to a file or standard output: headerless PCM, or a WAV stream.
public func makeAudioFileSink(path: String, wav: Bool) throws -> AudioSink {
    let output = try OutputSink.create(path: path)
    if wav { return try WAVStreamWriter(sink: output, sampleRate: CanonicalAudio.sampleRate) }
    return RawPCMWriter(sink: output)
}
