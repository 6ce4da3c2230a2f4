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
        let n = Self.fftSize, half = Self.fftSize / 2
        let length = samples.count + Self.hop  // faster-whisper's padding=160
        let frameCount = length / Self.hop     // 1 + (length + 2·half − n)/hop, minus the dropped last frame
        let binsPerFrame = half + 1
        func sample(_ index: Int) -> Float {
            // reflect padding (numpy mode "reflect", edge not repeated) of the zero-extended signal
            var i = index
            if length > 1 {
                let period = 2 * (length - 1)
                i = ((i % period) + period) % period
                if i >= length { i = period - i }
            } else {
                i = 0
            }
            return i < samples.count ? samples[i] : 0
        }
        var power = [Float](repeating: 0, count: frameCount * binsPerFrame)
        let input = fftwf_alloc_real(n)!
        let output = fftwf_alloc_complex(binsPerFrame)!
        defer {
            fftwf_free(input)
            fftwf_free(output)
        }
        window.withUnsafeBufferPointer { window in
            power.withUnsafeMutableBufferPointer { power in
                for frame in 0..<frameCount {
                    let start = frame * Self.hop - half
                    if start >= 0 && start + n <= samples.count {
                        for i in 0..<n { input[i] = samples[start + i] * window[i] }
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
        var features = [Float](repeating: 0, count: bins * frameCount)
        guard frameCount > 0 else { return (features, 0) }
        filters.withUnsafeBufferPointer { filters in
            power.withUnsafeBufferPointer { power in
                features.withUnsafeMutableBufferPointer { features in
                    BLAS.multiplyTransposed(filters.baseAddress!, power.baseAddress!, features.baseAddress!,
                                            m: bins, n: frameCount, k: binsPerFrame)
                }
            }
        }
        var maximum = -Float.infinity
        for i in 0..<features.count {
            let value = log10f(max(features[i], 1e-10))
            features[i] = value
            if value > maximum { maximum = value }
        }
        let floor = maximum - 8
        for i in 0..<features.count { features[i] = (max(features[i], floor) + 4) / 4 }
        return (features, frameCount)
    }
}
