import Foundation
import MybroAudio
import MybroCore

/// An audio file as 16 kHz mono samples for the transcriber, a block at a time, through
/// MybroAudio's decoder (libsndfile: WAV, FLAC, Ogg, MP3…; downmixed and resampled with
/// libsoxr), so a long recording is streamed from disk rather than loaded whole.
public final class SoundFileSource: SampleSource {
    public let path: String
    private let decoder: AudioFileDecoder
    private var pending: [Float] = []
    private var finished = false

    /// Throws status 66 for a missing file, 65 for one that is not decodable audio.
    public init(path: String) throws {
        self.path = path
        decoder = try AudioFileDecoder(path: path, outputRate: LogMelSpectrogram.sampleRate)
    }

    /// Seconds of audio in the file (0 when unknown, e.g. a pipe).
    public var duration: Double { decoder.info.duration ?? 0 }

    public func read(into buffer: inout [Float], count: Int) throws -> Int {
        while pending.count < count && !finished {
            guard let block = try decoder.nextBlock() else {
                finished = true
                break
            }
            pending.append(contentsOf: block.map { Float($0) / 32768 })
        }
        let take = min(count, pending.count)
        buffer.append(contentsOf: pending[0..<take])
        pending.removeFirst(take)
        return take
    }
}
