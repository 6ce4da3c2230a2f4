/// The detector's aggressiveness: higher modes call fewer frames speech.
public enum VADMode: Int, CaseIterable, Sendable, CustomStringConvertible {
    case quality = 0
    case lowBitrate = 1
    case aggressive = 2
    case veryAggressive = 3

    public var description: String {
        switch self {
        case .quality: return "quality"
        case .lowBitrate: return "low bitrate"
        case .aggressive: return "aggressive"
        case .veryAggressive: return "very aggressive"
        }
    }

    /// Decision thresholds and hangover lengths, indexed by frame length (10, 20, 30 ms).
    /// Values from WebRTC's vad_core.c (`kOverHangMax1Q` … `kGlobalThresholdVAG`).
    struct Thresholds {
        /// Hangover frames after a short speech run.
        var shortHangover: (Int16, Int16, Int16)
        /// Hangover frames after a run of more than six speech frames.
        var longHangover: (Int16, Int16, Int16)
        /// A single band's log-likelihood ratio (times 4) above this means speech.
        var bandThreshold: (Int16, Int16, Int16)
        /// The spectrally weighted sum of the ratios at or above this means speech.
        var totalThreshold: (Int16, Int16, Int16)
    }

    var thresholds: Thresholds {
        switch self {
        case .quality:
            return Thresholds(
                shortHangover: (8, 4, 3), longHangover: (14, 7, 5),
                bandThreshold: (24, 21, 24), totalThreshold: (57, 48, 57))
        case .lowBitrate:
            return Thresholds(
                shortHangover: (8, 4, 3), longHangover: (14, 7, 5),
                bandThreshold: (37, 32, 37), totalThreshold: (100, 80, 100))
        case .aggressive:
            return Thresholds(
                shortHangover: (6, 3, 2), longHangover: (9, 5, 3),
                bandThreshold: (82, 78, 82), totalThreshold: (285, 260, 285))
        case .veryAggressive:
            return Thresholds(
                shortHangover: (6, 3, 2), longHangover: (9, 5, 3),
                bandThreshold: (94, 94, 94), totalThreshold: (1100, 1050, 1100))
        }
    }
}
