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

/// Canonical audio to a file or standard output: headerless PCM, or a WAV stream.
public func makeAudioFileSink(path: String, wav: Bool) throws -> AudioSink {
    let output = try OutputSink.create(path: path)
    if wav { return try WAVStreamWriter(sink: output, sampleRate: CanonicalAudio.sampleRate) }
    return RawPCMWriter(sink: output)
}
