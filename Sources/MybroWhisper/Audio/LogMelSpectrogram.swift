import CFFTW3
import Foundation

/// Whisper's log-mel front end: 16 kHz audio, 25 ms Hann window (n_fft 400), 10 ms hop (160),
/// centred frames with reflect padding, power spectrum, Slaney mel filters, log10 clamped to
/// 1e-10, floor at (max − 8), then (x + 4) / 4.
///
/// It reproduces faster-whisper's `FeatureExtractor.__call__` (feature_extractor.py, 1.2.1):
/// the audio gets 160 trailing zeros, the last STFT frame is dropped, and the maximum is taken
/// over the frames kept; `frames(forSamples:)` of them are content.
public final class LogMelSpectrogram: @unchecked Sendable {
    public static let sampleRate = 16_000
    public static let fftSize = 400
    public static let hop = 160

    public let bins: Int
    private let filters: [Float]
    private let window: [Float]
    private let plan: fftwf_plan
    private static let planLock = NSLock()

    public init(bins: Int) {
        self.bins = bins
        filters = MelFilterBank.make(bins: bins, fftSize: Self.fftSize, sampleRate: Self.sampleRate)
        window = (0..<Self.fftSize).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(Self.fftSize))) }
        // Planning is not thread-safe in FFTW; executing a plan on new arrays is.
        Self.planLock.lock()
        let input = fftwf_alloc_real(Self.fftSize)!
        let output = fftwf_alloc_complex(Self.fftSize / 2 + 1)!
        plan = fftwf_plan_dft_r2c_1d(Int32(Self.fftSize), input, output, UInt32(FFTW_ESTIMATE))
        fftwf_free(input)
        fftwf_free(output)
        Self.planLock.unlock()
    }

    deinit {
        Self.planLock.lock()
        fftwf_destroy_plan(plan)
        Self.planLock.unlock()
    }

    /// Content frames for `count` samples (one per hop).
    public static func frames(forSamples count: Int) -> Int { count / hop }

    /// The features of `samples`: `[bins × frameCount]` row-major with
    /// `frameCount = samples.count / 160 + 1` (the last is not content).
    public func compute(_ samples: UnsafeBufferPointer<Float>) -> (features: [Float], frameCount: Int) {
        let frameCount = (samples.count + Self.hop) / Self.hop
        var features = logFrames(
            first: 0, count: frameCount, signalLength: samples.count, window: samples, windowStart: 0)
        Self.normalize(&features, maximum: features.max() ?? 0)
        return (features, frameCount)
    }

    /// Frames for a signal of `count` samples, as faster-whisper makes them: 160 zeros are
    /// appended and the last STFT frame dropped, leaving `count / 160 + 1`.
    public static func frameCount(forSignal count: Int) -> Int { (count + hop) / hop }

    /// log10 mel energies (clamped at 1e-10, not yet normalised) of frames
    /// `first ..< first + count` of a signal of `signalLength` samples (nil: longer than
    /// anything read so far), of which `window` holds samples `windowStart ..< windowStart +
    /// window.count`: at least every sample within 200 of those frames' centres. The signal is
    /// extended as faster-whisper does (160 zeros, then reflection at both ends), so frames
    /// computed window by window equal those of the whole signal. `[bins × count]`.
    public func logFrames(
        first: Int, count: Int, signalLength: Int?, window samples: UnsafeBufferPointer<Float>,
        windowStart: Int
    ) -> [Float] {
        let n = Self.fftSize, half = Self.fftSize / 2
        let binsPerFrame = half + 1
        let length = signalLength.map { $0 + Self.hop }  // faster-whisper's padding=160
        func sample(_ index: Int) -> Float {
            // reflect padding (numpy mode "reflect", edge not repeated) of the zero-extended signal
            var i = index
            if let length {
                if length > 1 {
                    let period = 2 * (length - 1)
                    i = ((i % period) + period) % period
                    if i >= length { i = period - i }
                } else {
                    i = 0
                }
                if i >= signalLength! { return 0 }
            } else if i < 0 {
                i = -i
            }
            let local = i - windowStart
            return local >= 0 && local < samples.count ? samples[local] : 0
        }
        var power = [Float](repeating: 0, count: count * binsPerFrame)
        let input = fftwf_alloc_real(n)!
        let output = fftwf_alloc_complex(binsPerFrame)!
        defer {
            fftwf_free(input)
            fftwf_free(output)
        }
        let direct = signalLength ?? Int.max
        window.withUnsafeBufferPointer { window in
            power.withUnsafeMutableBufferPointer { power in
                for frame in 0..<count {
                    let start = (first + frame) * Self.hop - half
                    let local = start - windowStart
                    if start >= 0 && start + n <= direct && local >= 0 && local + n <= samples.count {
                        for i in 0..<n { input[i] = samples[local + i] * window[i] }
                    } else {
                        for i in 0..<n { input[i] = sample(start + i) * window[i] }
                    }
                    fftwf_execute_dft_r2c(plan, input, output)
                    let row = power.baseAddress! + frame * binsPerFrame
                    for k in 0..<binsPerFrame {
                        let re = output[k].0, im = output[k].1
                        row[k] = re * re + im * im
                    }
                }
            }
        }
        var features = [Float](repeating: 0, count: bins * count)
        guard count > 0 else { return features }
        filters.withUnsafeBufferPointer { filters in
            power.withUnsafeBufferPointer { power in
                features.withUnsafeMutableBufferPointer { features in
                    BLAS.multiplyTransposed(
                        filters.baseAddress!, power.baseAddress!, features.baseAddress!,
                        m: bins, n: count, k: binsPerFrame)
                }
            }
        }
        for i in 0..<features.count { features[i] = log10f(max(features[i], 1e-10)) }
        return features
    }

    /// Whisper's normalisation with the signal's largest log-mel value: floor at max − 8,
    /// then (x + 4) / 4.
    public static func normalize(_ features: inout [Float], maximum: Float) {
        let floor = maximum - 8
        for i in 0..<features.count { features[i] = (max(features[i], floor) + 4) / 4 }
    }

    /// The largest log-mel value of everything `source` delivers (faster-whisper takes the
    /// floor from the whole signal), read a block at a time.
    public func maximum<Source: SampleSource>(of source: inout Source) throws -> Float {
        let block = 3000  // frames per step
        var buffer: [Float] = []
        var bufferStart = 0
        var total = 0
        var ended = false
        var nextFrame = 0
        var maximum = -Float.infinity
        while true {
            // frames up to `limit` are complete once samples reach 200 past their centres
            while !ended && bufferStart + buffer.count < (nextFrame + block) * Self.hop + Self.fftSize {
                let got = try source.read(into: &buffer, count: 1 << 16)
                if got == 0 { ended = true }
                total += got
            }
            let available =
                ended ? Self.frameCount(forSignal: total) : (bufferStart + buffer.count - Self.fftSize / 2) / Self.hop
            let count = min(block, available - nextFrame)
            if count <= 0 { break }
            let frames = buffer.withUnsafeBufferPointer {
                logFrames(
                    first: nextFrame, count: count, signalLength: ended ? total : nil, window: $0,
                    windowStart: bufferStart)
            }
            maximum = max(maximum, frames.max() ?? maximum)
            nextFrame += count
            let keep = nextFrame * Self.hop - Self.fftSize
            if keep > bufferStart {
                let drop = min(keep - bufferStart, buffer.count)
                buffer.removeFirst(drop)
                bufferStart += drop
            }
        }
        return maximum
    }
}
