import CSndFile
import CSoxr
import Foundation
import MybroCore

/// Reads an audio file (WAV, FLAC, Ogg, … anything libsndfile decodes) as 16 kHz mono float
/// samples, a block at a time: channels are averaged and other rates are resampled with
/// libsoxr, so a long recording is streamed from disk rather than loaded whole.
public final class SoundFileSource: SampleSource {
    public let path: String
    public let sampleRate: Int
    public let channels: Int
    /// Frames in the file (at its own rate).
    public let frameCount: Int
    private var file: OpaquePointer?
    private var resampler: soxr_t?
    private var block: [Float]
    private var mono: [Float] = []
    private var resampled: [Float] = []
    private var pending: [Float] = []
    private var finished = false
    private static let blockFrames = 16_384

    public init(path: String) throws {
        self.path = path
        var info = SF_INFO()
        guard FileManager.default.fileExists(atPath: path) else {
            throw MybroError("\(path): no such file", status: .noInput)
        }
        guard let handle = sf_open(path, Int32(SFM_READ), &info) else {
            let reason = String(cString: sf_strerror(nil))
            throw MybroError("\(path): cannot decode audio (\(reason)); give a WAV, FLAC or Ogg file", status: .dataError)
        }
        file = handle
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        frameCount = Int(info.frames)
        guard sampleRate > 0, channels > 0 else {
            sf_close(handle)
            throw MybroError("\(path): the file declares no sample rate or channels", status: .dataError)
        }
        block = [Float](repeating: 0, count: Self.blockFrames * channels)
        if sampleRate != LogMelSpectrogram.sampleRate {
            var error: soxr_error_t?
            var quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
            resampler = soxr_create(Double(sampleRate), Double(LogMelSpectrogram.sampleRate), 1, &error, nil, &quality, nil)
            if resampler == nil {
                sf_close(handle)
                throw MybroError("\(path): cannot resample from \(sampleRate) Hz", status: .software)
            }
        }
    }

    deinit {
        if let file { sf_close(file) }
        if let resampler { soxr_delete(resampler) }
    }

    /// Seconds of audio in the file.
    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    public func read(into buffer: inout [Float], count: Int) throws -> Int {
        while pending.count < count && !finished { try decodeBlock() }
        let take = min(count, pending.count)
        buffer.append(contentsOf: pending[0..<take])
        pending.removeFirst(take)
        return take
    }

    private func decodeBlock() throws {
        let frames = block.withUnsafeMutableBufferPointer {
            Int(sf_readf_float(file, $0.baseAddress!, sf_count_t(Self.blockFrames)))
        }
        if frames < 0 {
            throw MybroError("\(path): read error: \(String(cString: sf_strerror(file)))", status: .ioError)
        }
        mono.removeAll(keepingCapacity: true)
        for frame in 0..<frames {
            var sum: Float = 0
            for channel in 0..<channels { sum += block[frame * channels + channel] }
            mono.append(sum / Float(channels))
        }
        let atEnd = frames == 0
        guard let resampler else {
            pending.append(contentsOf: mono)
            if atEnd { finished = true }
            return
        }
        // Flushing (a nil input) drains the resampler's delay line at the end.
        let capacity = Int(Double(max(frames, 1)) * Double(LogMelSpectrogram.sampleRate) / Double(sampleRate)) + 1024
        if resampled.count < capacity { resampled = [Float](repeating: 0, count: capacity) }
        var produced = 0
        let error: soxr_error_t? = resampled.withUnsafeMutableBufferPointer { out in
            if atEnd {
                return soxr_process(resampler, nil, 0, nil, out.baseAddress!, out.count, &produced)
            }
            return mono.withUnsafeBufferPointer { input in
                soxr_process(resampler, input.baseAddress!, frames, nil, out.baseAddress!, out.count, &produced)
            }
        }
        if let error {
            throw MybroError("\(path): resampling failed: \(String(cString: error))", status: .software)
        }
        pending.append(contentsOf: resampled[0..<produced])
        if atEnd && produced == 0 { finished = true }
    }
}
