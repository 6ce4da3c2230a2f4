import Foundation
import MybroKernels
import Testing

@testable import MybroWhisper

@Suite struct KernelTests {
    static func values(_ count: Int, scale: Float, seed: UInt64) -> [Float] {
        var generator = SplitMix(state: seed)
        return (0..<count).map { _ in Float(generator.nextUnit() * 2 - 1) * scale }
    }

    @Test(arguments: [1, 7, 8, 33, 1500])
    func vectorisedSoftmaxMatchesLibm(columns: Int) {
        var fast = Self.values(3 * columns, scale: 30, seed: UInt64(columns))
        var reference = fast
        fast.withUnsafeMutableBufferPointer {
            VectorKernels.softmaxRows($0.baseAddress!, rows: 3, columns: columns, stride: columns)
        }
        reference.withUnsafeMutableBufferPointer {
            VectorKernels.softmaxRowsReference($0.baseAddress!, rows: 3, columns: columns, stride: columns)
        }
        let worst = zip(fast, reference).map { abs($0 - $1) / max($1, 1e-30) }.filter { _ in true }
        #expect(
            zip(fast, reference).allSatisfy { abs($0 - $1) <= 1e-6 * max(abs($1), 1e-6) + 1e-12 }, "\(worst.max() ?? 0)"
        )
    }

    @Test func vectorisedGELUMatchesLibm() {
        var fast = Self.values(4099, scale: 8, seed: 3) + [0, -0.0, 1e-8, -12, 12]
        var reference = fast
        fast.withUnsafeMutableBufferPointer { VectorKernels.gelu($0.baseAddress!, count: $0.count) }
        reference.withUnsafeMutableBufferPointer { VectorKernels.geluReference($0.baseAddress!, count: $0.count) }
        // A&S 7.1.26 is within 1.5e-7 of erf; GELU scales that by |x|/2
        for (x, (a, b)) in zip(Self.values(4099, scale: 8, seed: 3) + [0, -0.0, 1e-8, -12, 12], zip(fast, reference)) {
            #expect(abs(a - b) <= 2e-7 * max(1, abs(x)) + 1e-6 * abs(b), "x \(x): \(a) vs \(b)")
        }
    }

    /// Half floats that are exact in float (any float16 value is), for the product's inputs.
    static func halves(_ count: Int, seed: UInt64) -> [UInt16] {
        var generator = SplitMix(state: seed)
        // sign, an exponent of 2^-4 … 2^1, any mantissa: ordinary weights' range
        return (0..<count).map { _ in
            let bits = generator.next()
            return UInt16(
                truncatingIfNeeded: (bits & 0x8000) | ((11 + (bits >> 16) % 6) << 10) | ((bits >> 24) & 0x3FF))
        }
    }

    /// Sampling's lanes share one product: each lane's result must be what it gets in any other
    /// batch of two or more inputs, and at any first row (the output projection splits the
    /// vocabulary between threads at rows that depend on their number): the blocked rows ×
    /// inputs path and its remainders keep one summation order. A single input takes the
    /// streaming path, which sums in another order. And close to a double-precision reference.
    @Test(arguments: [
        (rows: 7, columns: 384), (rows: 64, columns: 40), (rows: 5, columns: 1536), (rows: 3, columns: 9),
    ])
    func halfProductDoesNotDependOnItsBatch(rows: Int, columns: Int) {
        let matrix = Self.halves(rows * columns, seed: UInt64(rows * columns))
        let bias = Self.values(rows, scale: 1, seed: 5)
        let inputs = Self.values(6 * columns, scale: 2, seed: 9)
        func product(_ first: Int, _ count: Int, firstRow: Int = 0, accumulate: Bool = false) -> [Float] {
            let used = rows - firstRow
            var y = [Float](repeating: accumulate ? 0.5 : .nan, count: count * used)
            matrix.withUnsafeBufferPointer { m in
                inputs.withUnsafeBufferPointer { x in
                    bias.withUnsafeBufferPointer { b in
                        Kernels.halfMatrixProduct(
                            matrix: m.baseAddress! + firstRow * columns, bias: b.baseAddress! + firstRow,
                            x: x.baseAddress! + first * columns, y: &y, rows: used, columns: columns, count: count,
                            outputStride: used, accumulate: accumulate)
                    }
                }
            }
            return y
        }
        let all = product(0, 6)
        // from the second row on: each row pairs with its other neighbour
        let shifted = product(0, 6, firstRow: 1)
        let moved = (0..<6).flatMap { i in (1..<rows).filter { shifted[i * (rows - 1) + $0 - 1] != all[i * rows + $0] }
        }
        #expect(moved.isEmpty, "\(moved.count) products differ when the rows start one later")
        for (first, count) in [(0, 2), (1, 3), (3, 3), (2, 4), (1, 5)] {
            let differing = zip(product(first, count), all[(first * rows)..<((first + count) * rows)]).filter {
                $0 != $1
            }
            #expect(differing.isEmpty, "inputs \(first)..<\(first + count): \(differing.count) products differ")
        }
        #expect(product(0, 6, accumulate: true) == all.map { $0 + 0.5 })
        for i in 0..<6 {
            for r in 0..<rows {
                var reference = Double(bias[r])
                for k in 0..<columns {
                    reference +=
                        Double(Float(Float16(bitPattern: matrix[r * columns + k]))) * Double(inputs[i * columns + k])
                }
                #expect(abs(Double(all[i * rows + r]) - reference) <= 1e-5 * Double(columns), "input \(i), row \(r)")
            }
        }
    }
}
