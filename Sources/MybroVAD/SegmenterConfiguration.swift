/// How the segmenter turns frame decisions into utterances. Durations in milliseconds.
public struct SegmenterConfiguration: Sendable, Equatable {
    public var sampleRate = 16000
    /// Length of one detector frame: 10, 20 or 30 ms.
    public var frameMilliseconds = 30
    /// Speech starts when at least `startRatio` of the frames in the last `windowMilliseconds`
    /// are voiced.
    public var windowMilliseconds = 300
    public var startRatio = 0.9
    /// Speech ends when at least `endRatio` of the last `silenceMilliseconds` is unvoiced.
    public var silenceMilliseconds = 500
    public var endRatio = 1.0
    /// A pause inside speech this long (shorter than `silenceMilliseconds`) is reported: a
    /// `pause` event when the silence reaches it and, at half of it, the speech so far, so that a
    /// later stage can transcribe it and end the turn early if the words are a complete request
    /// (semantic endpointing). 0 reports no pauses.
    public var pauseMilliseconds = 200
    /// The speech so far is also reported every this many milliseconds of speech (for partial
    /// transcripts); 0 only at pauses.
    public var partialMilliseconds = 0
    /// Audio kept before and after the speech in each utterance.
    public var padMilliseconds = 200
    /// Speech shorter than this is dropped as noise (and gets no `speech_start`).
    public var minimumMilliseconds = 250
    /// Longer speech is split at its quietest frame.
    public var maximumMilliseconds = 30000
    /// Speech ends after the last frame the detector heard speech in, not after its hangover.
    public var endAtEvidence = true
    /// A frame less than this many dB above the noise floor (the 10th percentile of the levels
    /// of the last `floorWindowMilliseconds`) is not evidence that speech goes on, and speech
    /// starts only if `floorStartShare` of the start window stands out from the floor; nil
    /// turns both checks off. In heavy noise WebRTC's detector calls the gaps between
    /// sentences speech; their level still shows them (measured in notes/vad.md).
    public var floorMarginDecibels: Double? = 1.5
    public var floorWindowMilliseconds = 10000
    /// With the floor check on, speech starts only if this share of the start window stands out.
    public var floorStartShare = 0.5

    public init() {}

    public var frameLength: Int { sampleRate / 1000 * frameMilliseconds }
    var windowFrames: Int { max(1, windowMilliseconds / frameMilliseconds) }
    var silenceFrames: Int { max(1, (silenceMilliseconds + frameMilliseconds - 1) / frameMilliseconds) }
    var minimumFrames: Int { max(1, (minimumMilliseconds + frameMilliseconds - 1) / frameMilliseconds) }
    var maximumFrames: Int { max(2, maximumMilliseconds / frameMilliseconds) }
    var padSamples: Int { sampleRate / 1000 * padMilliseconds }
    /// Frames of silence that make a pause (0: none reported), and after which the speech so far
    /// is reported (half the pause, rounded up).
    var pauseFrames: Int {
        guard pauseMilliseconds > 0 else { return 0 }
        return max(1, (pauseMilliseconds + frameMilliseconds - 1) / frameMilliseconds)
    }
    var snapshotFrames: Int {
        guard pauseMilliseconds > 0 else { return 0 }
        return max(1, (pauseMilliseconds / 2 + frameMilliseconds - 1) / frameMilliseconds)
    }
    var partialFrames: Int {
        partialMilliseconds > 0 ? max(1, (partialMilliseconds + frameMilliseconds - 1) / frameMilliseconds) : 0
    }

    /// The longest durations accepted, so that no sample count derived from them can overflow
    /// or ask for an absurd buffer.
    public static let longestWindowMilliseconds = 10_000
    public static let longestSilenceMilliseconds = 60_000
    public static let longestPadMilliseconds = 10_000
    public static let longestUtteranceMilliseconds = 600_000

    /// Describes the first setting that cannot work, or nil when all can.
    public func problem() -> String? {
        if windowMilliseconds > Self.longestWindowMilliseconds || silenceMilliseconds > Self.longestSilenceMilliseconds
            || padMilliseconds > Self.longestPadMilliseconds || minimumMilliseconds > Self.longestUtteranceMilliseconds
            || maximumMilliseconds > Self.longestUtteranceMilliseconds
            || pauseMilliseconds > Self.longestSilenceMilliseconds
            || partialMilliseconds > Self.longestUtteranceMilliseconds
        {
            return "a duration is too long (window 10 s, silence 60 s, padding 10 s, utterance 600 s at most)"
        }
        if !(floorMarginDecibels ?? 0).isFinite { return "the floor margin must be a finite number of dB" }
        if !VoiceActivityDetector.isValid(sampleRate: sampleRate, frameLength: frameLength) {
            return "the frame must be 10, 20 or 30 ms at 8000, 16000, 32000 or 48000 Hz"
        }
        if windowMilliseconds < frameMilliseconds { return "the start window must be at least one frame long" }
        if !(startRatio > 0 && startRatio <= 1) { return "the start ratio must be above 0 and at most 1" }
        if silenceMilliseconds < frameMilliseconds { return "the end silence must be at least one frame long" }
        if !(endRatio > 0 && endRatio <= 1) { return "the end ratio must be above 0 and at most 1" }
        if padMilliseconds < 0 { return "the padding cannot be negative" }
        if pauseMilliseconds < 0 || partialMilliseconds < 0 {
            return "the pause and partial periods cannot be negative"
        }
        if minimumMilliseconds < 0 { return "the minimum length cannot be negative" }
        if maximumMilliseconds < 2 * windowMilliseconds || maximumMilliseconds <= minimumMilliseconds {
            return "the maximum length must exceed the minimum length and be at least twice the start window"
        }
        return nil
    }
}

/// One stretch of speech with its padded audio. Times are seconds of stream time and
/// delimit `samples` exactly.
public struct Utterance: Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var sampleRate: Int
    public var samples: [Int16]
}

/// What the segmenter reports, in stream order, as soon as it is decided.
public enum SegmenterEvent: Sendable, Equatable {
    case speechStart(time: Double)
    /// The speech so far (from its padded start to now), while it goes on: at half a pause and
    /// every `partialMilliseconds`.
    case speechSoFar(Utterance)
    /// Speech paused for `silence` seconds (less than the end silence): `start` is the padded
    /// start of the speech (its utterance's `t0`), `voicedEnd` the end of its last voiced frame.
    case pause(start: Double, voicedEnd: Double, silence: Double)
    case utterance(Utterance)
    case speechEnd(time: Double)
}
