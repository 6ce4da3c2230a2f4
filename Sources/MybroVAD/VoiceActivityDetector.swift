/// WebRTC's voice activity detector, reimplemented in Swift with the reference's integer
/// arithmetic, so its decisions are identical to `WebRtcVad_Process` frame for frame.
///
/// Frames of 10, 20 or 30 ms at 8, 16, 32 or 48 kHz; higher rates are brought to 8 kHz first.
/// One instance follows one stream (it adapts to the stream's noise); it is not thread-safe.
/// Processing a frame allocates nothing.
public final class VoiceActivityDetector {
    public static let supportedSampleRates = [8000, 16000, 32000, 48000]
    public static let supportedFrameDurations = [10, 20, 30]

    public let sampleRate: Int
    /// Changing the mode keeps what the detector has learned, as `WebRtcVad_set_mode` does.
    public var mode: VADMode {
        didSet { thresholds = mode.thresholds }
    }

    /// Whether the last frame was called speech only by the hangover (the frame itself scored
    /// as noise). A segmenter can end speech where the evidence ended.
    public private(set) var lastDecisionWasHangover = false

    private let state = DetectorState()
    private var thresholds: VADMode.Thresholds

    public init(sampleRate: Int, mode: VADMode = .quality) throws(VADError) {
        guard VoiceActivityDetector.supportedSampleRates.contains(sampleRate) else {
            throw .unsupportedSampleRate(sampleRate)
        }
        self.sampleRate = sampleRate
        self.mode = mode
        self.thresholds = mode.thresholds
    }

    /// Whether `frameLength` samples at `sampleRate` make a frame the detector accepts.
    public static func isValid(sampleRate: Int, frameLength: Int) -> Bool {
        supportedSampleRates.contains(sampleRate)
            && supportedFrameDurations.contains { sampleRate / 1000 * $0 == frameLength }
    }

    /// Forgets everything learned from the stream (`WebRtcVad_Init`), keeping the mode.
    public func reset() {
        state.reset()
    }

    /// Classifies one frame: true for speech.
    public func isSpeech(_ frame: UnsafeBufferPointer<Int16>) throws(VADError) -> Bool {
        guard let base = frame.baseAddress,
            VoiceActivityDetector.isValid(sampleRate: sampleRate, frameLength: frame.count)
        else {
            throw .invalidFrameLength(frame.count, sampleRate: sampleRate)
        }
        return classify(base, count: frame.count)
    }

    public func isSpeech(_ frame: [Int16]) throws(VADError) -> Bool {
        try frame.withUnsafeBufferPointer { (buffer) throws(VADError) -> Bool in try isSpeech(buffer) }
    }

    private func classify(_ frame: UnsafePointer<Int16>, count: Int) -> Bool {
        switch sampleRate {
        case 8000:
            return classifyNarrowband(frame, count: count)
        case 16000:
            HalfBandDownsampler.downsample(
                frame, count: count, output: state.narrowband,
                state: state.downsamplerStates)
            return classifyNarrowband(state.narrowband, count: count / 2)
        case 32000:
            HalfBandDownsampler.downsample(
                frame, count: count, output: state.wideband,
                state: state.downsamplerStates + 2)
            HalfBandDownsampler.downsample(
                state.wideband, count: count / 2, output: state.narrowband,
                state: state.downsamplerStates)
            return classifyNarrowband(state.narrowband, count: count / 4)
        default:
            // The reference resamples the frame's FIRST 10 ms once per 10 ms of the frame
            // (its source pointer never advances), so 20 and 30 ms frames at 48 kHz are judged
            // on repeated copies of their first 10 ms. Reproduced for identical decisions.
            for block in 0..<(count / 480) {
                Resampler48kTo8k.resample(frame, output: state.narrowband + block * 80, state: state)
            }
            return classifyNarrowband(state.narrowband, count: count / 6)
        }
    }

    /// The 8 kHz detector: features, hypothesis test, model adaptation, hangover.
    private func classifyNarrowband(_ frame: UnsafePointer<Int16>, count: Int) -> Bool {
        let totalEnergy = SubbandFilterBank.computeFeatures(state, input: frame, count: count)
        let lengthIndex = count == 80 ? 0 : (count == 160 ? 1 : 2)
        let t = thresholds
        let bandThreshold =
            lengthIndex == 0 ? t.bandThreshold.0 : (lengthIndex == 1 ? t.bandThreshold.1 : t.bandThreshold.2)
        let totalThreshold =
            lengthIndex == 0 ? t.totalThreshold.0 : (lengthIndex == 1 ? t.totalThreshold.1 : t.totalThreshold.2)
        let shortHangover =
            lengthIndex == 0 ? t.shortHangover.0 : (lengthIndex == 1 ? t.shortHangover.1 : t.shortHangover.2)
        let longHangover =
            lengthIndex == 0 ? t.longHangover.0 : (lengthIndex == 1 ? t.longHangover.1 : t.longHangover.2)

        var speech = false
        if totalEnergy > GaussianModelTables.minimumEnergy {
            speech = LikelihoodRatioTest.isSpeech(state, bandThreshold: bandThreshold, totalThreshold: totalThreshold)
            ModelAdaptation.update(state, frameIsSpeech: speech)
            state.analysedFrames &+= 1
        }

        // Hangover: keep calling frames speech for a while after speech stops, longer after
        // a long run of speech.
        lastDecisionWasHangover = false
        if !speech {
            if state.hangover > 0 {
                lastDecisionWasHangover = true
                speech = true
                state.hangover -= 1
            }
            state.speechRun = 0
        } else {
            state.speechRun += 1
            if state.speechRun > GaussianModelTables.maxSpeechFrames {
                state.speechRun = GaussianModelTables.maxSpeechFrames
                state.hangover = longHangover
            } else {
                state.hangover = shortHangover
            }
        }
        return speech
    }
}

/// Why the detector refused a configuration or a frame.
public enum VADError: Error, Equatable, CustomStringConvertible, Sendable {
    case unsupportedSampleRate(Int)
    case invalidFrameLength(Int, sampleRate: Int)

    public var description: String {
        switch self {
        case .unsupportedSampleRate(let rate):
            return "the detector does not support \(rate) Hz; use 8000, 16000, 32000 or 48000 Hz"
        case .invalidFrameLength(let count, let rate):
            return "a frame of \(count) samples at \(rate) Hz is not 10, 20 or 30 ms"
        }
    }
}
