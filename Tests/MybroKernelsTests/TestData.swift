import Foundation

/// Reproducible pseudo-random data (SplitMix64), so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum TestData {
    static func uniform(_ count: Int, _ range: ClosedRange<Float>, seed: UInt64 = 1) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float.random(in: range, using: &generator) }
    }

    /// Values spread over many binades of both signs (log-uniform magnitudes).
    static func wide(_ count: Int, exponents: ClosedRange<Float>, seed: UInt64 = 2) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let magnitude = Float(pow(10, Double(Float.random(in: exponents, using: &generator))))
            return Bool.random(using: &generator) ? magnitude : -magnitude
        }
    }

    /// Distance of `value` from the float64 `reference` in units in the last place of the float
    /// nearest the reference (the spacing at the smallest denormal below the normal range).
    static func ulps(_ value: Float, _ reference: Double) -> Double {
        if value.isNaN && reference.isNaN { return 0 }
        if value.isInfinite || reference.isInfinite {
            return Double(value) == reference ? 0 : .infinity
        }
        var nearest = Float(reference)
        if nearest.isInfinite {
            nearest = nearest.sign == .minus ? -.greatestFiniteMagnitude : .greatestFiniteMagnitude
        }
        return abs(Double(value) - reference) / Double(nearest.magnitude.ulp)
    }

    /// Sizes that cover empty, sub-vector, every tail length and the thread cut-over.
    static let sizes = [0, 1, 3, 7, 15, 16, 17, 31, 33, 100, 1000, 4097, 65_537, 300_001]
}
