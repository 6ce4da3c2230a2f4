import Foundation
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
        fast.withUnsafeMutableBufferPointer { VectorKernels.softmaxRows($0.baseAddress!, rows: 3, columns: columns, stride: columns) }
        reference.withUnsafeMutableBufferPointer {
            VectorKernels.softmaxRowsReference($0.baseAddress!, rows: 3, columns: columns, stride: columns)
        }
        let worst = zip(fast, reference).map { abs($0 - $1) / max($1, 1e-30) }.filter { _ in true }
        #expect(zip(fast, reference).allSatisfy { abs($0 - $1) <= 1e-6 * max(abs($1), 1e-6) + 1e-12 }, "\(worst.max() ?? 0)")
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
}
