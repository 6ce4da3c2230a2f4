/// Tracks, per band, the 16 smallest feature values of the last 100 analysed frames and returns
/// a smoothed median of the smallest five (WebRTC vad_sp.c `FindMinimum`): the long-term
/// noise floor the noise model is pulled toward.
enum MinimumTracker {
    static let capacity = 16
    static let maximumAge: Int16 = 100
    /// Smoothing factors of the median, Q15: 0.2 going down, 0.99 going up.
    static let smoothingDown: Int32 = 6553
    static let smoothingUp: Int32 = 32439

    @inline(__always)
    static func update(_ state: DetectorState, feature: Int16, band: Int) -> Int16 {
        let ages = state.minimumAges + band * capacity
        let values = state.minimumValues + band * capacity

        // Age every entry; drop one that reaches the maximum age, shifting the larger ones
        // down. As in the reference, the entry shifted into a dropped slot skips this round's
        // ageing.
        var index = 0
        while index < capacity {
            if ages[index] != maximumAge {
                ages[index] = ages[index] &+ 1
            } else {
                var slot = index
                while slot < capacity - 1 {
                    values[slot] = values[slot + 1]
                    ages[slot] = ages[slot + 1]
                    slot += 1
                }
                ages[capacity - 1] = 101
                values[capacity - 1] = 10000
            }
            index += 1
        }

        // Insert the new value in order if it is among the 16 smallest.
        var position = -1
        for candidate in 0..<capacity where feature < values[candidate] {
            position = candidate
            break
        }
        if position >= 0 {
            var slot = capacity - 1
            while slot > position {
                values[slot] = values[slot - 1]
                ages[slot] = ages[slot - 1]
                slot -= 1
            }
            values[position] = feature
            ages[position] = 1
        }

        var median: Int16 = 1600
        if state.analysedFrames > 2 {
            median = values[2]
        } else if state.analysedFrames > 0 {
            median = values[0]
        }

        var alpha: Int32 = 0
        if state.analysedFrames > 0 {
            alpha = median < state.smoothedMinimum[band] ? smoothingDown : smoothingUp
        }
        var smoothed = (alpha &+ 1) &* Int32(state.smoothedMinimum[band])
        smoothed = smoothed &+ (32767 &- alpha) &* Int32(median)
        smoothed = smoothed &+ 16384
        state.smoothedMinimum[band] = FixedPoint.int16(smoothed >> 15)
        return state.smoothedMinimum[band]
    }
}
