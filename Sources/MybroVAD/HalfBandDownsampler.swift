/// Halves the sample rate (32→16 and 16→8 kHz) with the detector's own pair of first-order
/// all-pass branches (WebRTC vad_sp.c `Downsampling`; coefficients 0.64 and 0.17 in Q13).
enum HalfBandDownsampler {
    static let upperCoefficient: Int32 = 5243
    static let lowerCoefficient: Int32 = 1392

    /// Writes `count / 2` samples; `state` holds the two branches' 32-bit states.
    @inline(__always)
    static func downsample(
        _ input: UnsafePointer<Int16>, count: Int, output: UnsafeMutablePointer<Int16>,
        state: UnsafeMutablePointer<Int32>
    ) {
        var upperState = state[0]
        var lowerState = state[1]
        for index in 0..<(count >> 1) {
            let even = Int32(input[index << 1])
            let odd = Int32(input[(index << 1) + 1])
            let upper = FixedPoint.int16((upperState >> 1) &+ ((upperCoefficient &* even) >> 14))
            upperState = even &- ((upperCoefficient &* Int32(upper)) >> 12)
            let lower = FixedPoint.int16((lowerState >> 1) &+ ((lowerCoefficient &* odd) >> 14))
            lowerState = odd &- ((lowerCoefficient &* Int32(lower)) >> 12)
            output[index] = FixedPoint.int16(Int32(upper) &+ Int32(lower))
        }
        state[0] = upperState
        state[1] = lowerState
    }
}
