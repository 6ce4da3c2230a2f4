/// One Gaussian's density in fixed point (WebRTC vad_gmm.c): (1/s)·exp(-(x-m)²/(2s²)) in Q20,
/// with x the feature (Q4), m the mean and s the standard deviation (both Q7).
enum GaussianProbability {
    /// Exponents at or above this (Q10) give a probability of zero.
    static let exponentLimit: Int32 = 22005
    /// log2(e) in Q12.
    static let log2e: Int32 = 5909

    /// Returns the density (Q20) and writes `delta` = (x-m)/s² (Q11), used by the model updates.
    @inline(__always)
    static func density(of feature: Int16, mean: Int16, std: Int16, delta: UnsafeMutablePointer<Int16>) -> Int32 {
        // 1/s in Q10, rounded: (1 in Q17 + s/2) / s.
        let inverseStd = FixedPoint.int16(FixedPoint.divide(131072 &+ Int32(std >> 1), by: std))
        let inverseStdQ8 = Int32(inverseStd >> 2)
        let inverseVariance = FixedPoint.int16((inverseStdQ8 &* inverseStdQ8) >> 2)  // Q14
        let featureQ7 = FixedPoint.int16(Int32(feature) << 3)
        let distance = FixedPoint.int16(Int32(featureQ7) &- Int32(mean))  // Q7
        let scaledDistance = FixedPoint.int16((Int32(inverseVariance) &* Int32(distance)) >> 10)
        delta.pointee = scaledDistance
        // (x-m)²/(2s²) in Q10.
        let exponent = (Int32(scaledDistance) &* Int32(distance)) >> 9

        var expValue: Int32 = 0
        if exponent < exponentLimit {
            // exp(-y) = 2^(-log2(e)·y): a Q10 mantissa 1.f shifted right by the integer part.
            let power = FixedPoint.int16(0 &- ((log2e &* exponent) >> 12))
            let mantissa = Int32(0x0400 | (power & 0x03FF))
            let shift = Int32((~power) >> 10) &+ 1
            // x86 masks a shift count to five bits; the reference relies on that when a
            // wrapped `delta` makes the exponent negative.
            expValue = Int32(FixedPoint.int16(mantissa >> (shift & 31)))
        }
        return Int32(inverseStd) &* expValue
    }
}
