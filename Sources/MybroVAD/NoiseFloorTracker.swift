import Foundation

/// Estimates the stream's noise floor as a low percentile of recent frame energies, so the
/// segmenter can tell a frame that is no louder than the background from one that stands out.
///
/// WebRTC's detector, at low SNR or in babble, keeps calling noise speech for seconds; the gaps
/// between sentences are then still at the noise floor, which this tracker sees.
struct NoiseFloorTracker {
    /// Histogram resolution and range of frame levels in dB (of mean square, re 1 LSB²).
    static let binsPerDecibel = 2.0
    static let binCount = 200
    let percentile: Double
    private var histogram: [Int32]
    private var history: [Int16]
    private var next = 0
    private var filled = 0

    /// Tracks the last `frames` frames.
    init(frames: Int, percentile: Double = 0.1) {
        self.percentile = percentile
        histogram = [Int32](repeating: 0, count: NoiseFloorTracker.binCount)
        history = [Int16](repeating: 0, count: max(1, frames))
    }

    static func level(meanSquare: Double) -> Double {
        10 * log10(meanSquare + 1)
    }

    /// Adds a frame's level and returns the floor (in dB) over the frames tracked.
    mutating func add(level: Double) -> Double {
        let bin = Int16(
            max(
                0,
                min(Double(NoiseFloorTracker.binCount - 1), (level * NoiseFloorTracker.binsPerDecibel).rounded(.down))))
        if filled == history.count {
            histogram[Int(history[next])] -= 1
        } else {
            filled += 1
        }
        history[next] = bin
        histogram[Int(bin)] += 1
        next = (next + 1) % history.count
        let wanted = Int32(max(1, (Double(filled) * percentile).rounded(.up)))
        var seen: Int32 = 0
        for index in 0..<NoiseFloorTracker.binCount {
            seen += histogram[index]
            if seen >= wanted { return (Double(index) + 0.5) / NoiseFloorTracker.binsPerDecibel }
        }
        return 0
    }
}
