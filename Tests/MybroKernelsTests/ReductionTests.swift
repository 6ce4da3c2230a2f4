import Foundation
import MybroKernels
import Testing

/// Reductions against float64 references on random data and special values.
@Suite("Reductions")
struct ReductionTests {
    static func referenceSum(_ x: [Float]) -> Double { x.reduce(0.0) { $0 + Double($1) } }

    @Test("sum, mean and the fused sums match float64 within an ulp plus ε/2·Σ|x|", arguments: TestData.sizes)
    func sums(count: Int) {
        let x = TestData.uniform(count, -1...1, seed: UInt64(count))
        let mask = TestData.uniform(count, -1...1, seed: UInt64(count) + 7).map { $0 > 0 ? Float(1) : 0 }
        let tolerance = { (reference: Double, magnitude: Double) in
            // An ulp of the result plus ε/2 of Σ|x| (cancellation): a bound that does not grow with n,
            // where a naive float sum's bound is n·ε·Σ|x|.
            Double(Float(reference).magnitude.ulp) + magnitude * 0x1p-24
        }
        let magnitude = x.reduce(0.0) { $0 + Double(abs($1)) }
        let sum = Self.referenceSum(x)
        #expect(abs(Double(Kernels.sum(x)) - sum) <= tolerance(sum, magnitude))
        if count > 0 {
            #expect(
                abs(Double(Kernels.mean(x)) - sum / Double(count))
                    <= tolerance(sum / Double(count), magnitude / Double(count)))
        }
        let squares = x.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(Double(Kernels.squareSum(x)) - squares) <= tolerance(squares, squares))
        #expect(abs(Double(Kernels.l2Norm(x)) - squares.squareRoot()) <= tolerance(squares.squareRoot(), 0))
        #expect(abs(Double(Kernels.absSum(x)) - magnitude) <= tolerance(magnitude, magnitude))
        let masked = zip(x, mask).reduce(0.0) { $0 + ($1.1 != 0 ? Double($1.0) : 0) }
        #expect(abs(Double(Kernels.maskedSum(x, mask: mask)) - masked) <= tolerance(masked, magnitude))
        #expect(Kernels.thresholdCount(x, above: 0.25) == x.filter { $0 > 0.25 }.count)
    }

    @Test("a long sum of positive values stays within an ulp where a naive float sum drifts")
    func longSumIsAccurate() {
        let x = TestData.uniform(10_000_000, 0...1, seed: 11)
        let reference = Self.referenceSum(x)
        var naive: Float = 0
        for value in x { naive += value }
        let error = TestData.ulps(Kernels.sum(x), reference)
        #expect(error <= 1)
        #expect(TestData.ulps(naive, reference) > 20 * max(error, 1))
    }

    @Test("variance of data far from zero keeps its digits (two-pass blocks, Chan's merge)", arguments: TestData.sizes)
    func variance(count: Int) {
        let x = TestData.uniform(count, 999...1001, seed: UInt64(count) + 3)
        guard count > 0 else {
            #expect(Kernels.variance(x).isNaN)
            return
        }
        let mean = Self.referenceSum(x) / Double(count)
        let reference = x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(count)
        let result = Double(Kernels.variance(x))
        #expect(abs(result - reference) <= max(4 * Double(Float(reference).ulp), 1e-6 * reference + 1e-9))
    }

    @Test("min and max are exact and NaN-propagating; empty gives NaN", arguments: TestData.sizes)
    func extremes(count: Int) {
        let x = TestData.wide(count, exponents: -40...38, seed: UInt64(count) + 5)
        if count == 0 {
            #expect(Kernels.min(x).isNaN && Kernels.max(x).isNaN)
            return
        }
        #expect(Kernels.min(x) == x.min()!)
        #expect(Kernels.max(x) == x.max()!)
        var withNaN = x
        withNaN[count / 2] = .nan
        #expect(Kernels.min(withNaN).isNaN && Kernels.max(withNaN).isNaN)
        var withInfinity = x
        withInfinity[count - 1] = -.infinity
        #expect(Kernels.min(withInfinity) == -.infinity)
    }

    @Test("special values: infinities and NaN spread through sums as in numpy")
    func specialSums() {
        #expect(Kernels.sum([1, .infinity, 2]) == .infinity)
        #expect(Kernels.sum([1, .infinity, -.infinity]).isNaN)
        #expect(Kernels.sum([1, .nan, 2]).isNaN)
        #expect(Kernels.sum([]) == 0)
        #expect(Kernels.mean([]).isNaN)
        let denormals = [Float](repeating: .leastNonzeroMagnitude, count: 1000)
        #expect(Kernels.sum(denormals) == 1000 * .leastNonzeroMagnitude)
        #expect(Kernels.max([-0.0, 5e-45, -1e-45]) == 5e-45)
    }

    /// numpy.histogram's bins by an independent rule: the last edge ≤ x (edges in float64).
    static func referenceHistogram(_ x: [Float], bins: Int, range: ClosedRange<Double>) -> [UInt64] {
        var counts = [UInt64](repeating: 0, count: bins)
        let width = (range.upperBound - range.lowerBound) / Double(bins)
        for value in x {
            let v = Double(value)
            guard v >= range.lowerBound && v <= range.upperBound else { continue }
            var low = 0
            var high = bins - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if range.lowerBound + Double(middle) * width <= v { low = middle } else { high = middle - 1 }
            }
            counts[low] += 1
        }
        return counts
    }

    @Test("histogram equals numpy's binning rule, edges and NaN included", arguments: [1, 7, 64, 1000])
    func histogram(bins: Int) {
        var x = TestData.uniform(100_003, -1.2...1.2, seed: UInt64(bins))
        x += [-1, 1, .nan, .infinity, -.infinity, 0.5, -0.5]
        // Values exactly on inner edges.
        x += (0...bins).map { Float(-1 + 2 * Double($0) / Double(bins)) }
        #expect(
            Kernels.histogram(x, bins: bins, range: -1...1) == Self.referenceHistogram(x, bins: bins, range: -1...1))
    }

    @Test("16-bit square sums are exact, full-scale samples included")
    func levelMeter() {
        var generator = SeededGenerator(seed: 9)
        var samples = (0..<100_001).map { _ in Int16.random(in: .min ... .max, using: &generator) }
        samples += [.min, .min, .max]
        let reference = samples.reduce(Int64(0)) { $0 + Int64($1) * Int64($1) }
        #expect(samples.withUnsafeBufferPointer { Kernels.squareSum($0) } == reference)
        #expect(Kernels.squareSum(samples.span) == reference)
    }
}
