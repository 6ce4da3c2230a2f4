/// Integer helpers with the exact semantics of WebRTC's signal-processing library (SPL),
/// which the detector's bit-exactness depends on. Arithmetic wraps like the reference's
/// two's-complement C on x86-64 instead of trapping.
enum FixedPoint {
    /// Left shifts that normalise `value` to 31 significant bits (SPL `NormW32`); 0 for 0.
    @inline(__always)
    static func normW32(_ value: Int32) -> Int32 {
        if value == 0 { return 0 }
        let magnitude = value < 0 ? ~value : value
        return Int32(magnitude.leadingZeroBitCount - 1)
    }

    /// Left shifts that put the top bit of `value` at bit 31 (SPL `NormU32`); 0 for 0.
    @inline(__always)
    static func normU32(_ value: UInt32) -> Int32 {
        value == 0 ? 0 : Int32(value.leadingZeroBitCount)
    }

    /// Number of bits needed to hold `value` (SPL `GetSizeInBits`).
    @inline(__always)
    static func sizeInBits(_ value: UInt32) -> Int32 {
        Int32(32 - value.leadingZeroBitCount)
    }

    /// 32-by-16-bit division truncating toward zero; a zero divisor gives Int32.max (SPL `DivW32W16`).
    @inline(__always)
    static func divide(_ numerator: Int32, by denominator: Int16) -> Int32 {
        if denominator == 0 { return Int32.max }
        return numerator.dividedReportingOverflow(by: Int32(denominator)).partialValue
    }

    /// Truncates to 16 bits, as a C assignment to `int16_t` does.
    @inline(__always)
    static func int16(_ value: Int32) -> Int16 {
        Int16(truncatingIfNeeded: value)
    }

    /// Energy of `count` samples with the right shift that keeps the sum in 32 bits
    /// (SPL `Energy` with `GetScalingSquare`). Returns the energy and the shift applied.
    @inline(__always)
    static func energy(_ samples: UnsafePointer<Int16>, count: Int) -> (energy: Int32, shift: Int32) {
        // The largest magnitude as the reference computes it: -(-32768) wraps back to -32768
        // in 16 bits, so a full-scale negative sample never raises the maximum.
        var largest: Int16 = -1
        for index in 0..<count {
            let sample = samples[index]
            let magnitude = sample > 0 ? sample : Int16(truncatingIfNeeded: 0 &- Int32(sample))
            if magnitude > largest { largest = magnitude }
        }
        var shift: Int32 = 0
        if largest != 0 {
            let bits = sizeInBits(UInt32(count))
            let headroom = normW32(Int32(largest) &* Int32(largest))
            shift = headroom > bits ? 0 : bits - headroom
        }
        var sum: Int32 = 0
        for index in 0..<count {
            let sample = Int32(samples[index])
            sum = sum &+ ((sample &* sample) >> shift)
        }
        return (sum, shift)
    }
}
