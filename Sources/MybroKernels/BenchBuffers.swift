/// The inputs and outputs of one bench size (mybro-kernel bench, mybro-bench's kernel suite), allocated once (64-byte aligned, pages touched)
/// so that no timed run pays for allocation or page faults. Inputs as numpy's timer makes them:
/// x uniform in [−4, 4], y in [0.5, 1.5] (positive, for log and div).
public final class BenchBuffers {
    public let n: Int
    public let rowLength: Int
    public let x: UnsafeMutableBufferPointer<Float>
    public let y: UnsafeMutableBufferPointer<Float>
    public let mask: UnsafeMutableBufferPointer<Float>
    public let out: UnsafeMutableBufferPointer<Float>
    public let quantized: UnsafeMutableBufferPointer<Int8>
    var counts = [UInt64](repeating: 0, count: 256)
    /// Results kept so that no call can be seen as unused.
    public private(set) var sink = 0.0

    public init(n: Int, rowLength: Int) {
        self.n = n
        self.rowLength = rowLength
        x = Self.allocate(n, value: 0)
        y = Self.allocate(n, value: 0)
        mask = Self.allocate(n, value: 0)
        out = Self.allocate(n, value: 0)
        quantized = .allocate(capacity: n)
        quantized.initialize(repeating: 0)
        var generator = BenchGenerator(state: 1234)
        for index in 0..<n {
            x[index] = generator.uniform() * 8 - 4
            y[index] = generator.uniform() + 0.5
            mask[index] = x[index] > 0.3 ? 1 : 0
        }
    }

    public static func allocate(_ count: Int, value: Float) -> UnsafeMutableBufferPointer<Float> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64)
        let buffer = UnsafeMutableBufferPointer(start: raw.bindMemory(to: Float.self, capacity: count), count: count)
        buffer.initialize(repeating: value)
        return buffer
    }

    public func release() {
        for buffer in [x, y, mask, out] { buffer.deallocate() }
        quantized.deallocate()
    }

    public var side: Int { Int(Double(n).squareRoot().rounded()) }
    public var rows: Int { Swift.max(1, n / rowLength) }

    /// The elements a kernel touches at this size (the square for transpose, whole rows for batched).
    public func elements(_ kernel: String) -> Int {
        switch kernel {
        case "transpose": return side * side
        case "repack": return n / 4 * 4
        case "dot", "cosine": return Swift.min(n, rows * rowLength)
        default: return n
        }
    }

    public func run(_ kernel: String) {
        let x = UnsafeBufferPointer(self.x)
        let y = UnsafeBufferPointer(self.y)
        switch kernel {
        case "sum": sink += Kernels.sumDouble(x)
        case "mean": sink += Double(Kernels.mean(x))
        case "min": sink += Double(Kernels.min(x))
        case "max": sink += Double(Kernels.max(x))
        case "l2": sink += Double(Kernels.l2Norm(x))
        case "variance": sink += Double(Kernels.variance(x))
        case "histogram":
            counts.withUnsafeMutableBufferPointer { counts in
                counts.update(repeating: 0)
                Kernels.histogram(x, range: -4...4, into: counts)
            }
        case "exp", "sigmoid", "tanh", "relu", "abs", "neg":
            Kernels.map(UnaryOperation(rawValue: kernel)!, x, into: out)
        case "log": Kernels.map(.log, y, into: out)
        case "add", "sub", "mul", "div": Kernels.map(BinaryOperation(rawValue: kernel)!, x, y, into: out)
        case "scan": Kernels.scan(x, into: out)
        case "compact": sink += Double(Kernels.compact(x, above: 0.3, into: out))
        case "transpose":
            Kernels.transpose(
                UnsafeBufferPointer(rebasing: x[0..<side * side]), rows: side, columns: side, into: out)
        case "repack":
            Kernels.repack(UnsafeBufferPointer(rebasing: x[0..<n / 4 * 4]), channels: 4, to: .planar, into: out)
        case "square_sum": sink += Double(Kernels.squareSum(x))
        case "abs_sum": sink += Double(Kernels.absSum(x))
        case "masked_sum": sink += Double(Kernels.maskedSum(x, mask: UnsafeBufferPointer(mask)))
        case "threshold_count": sink += Double(Kernels.thresholdCount(x, above: 0.3))
        case "quantize": Kernels.quantize(x, scale: Kernels.quantizationScale(x), into: quantized)
        case "dequantize": Kernels.dequantize(UnsafeBufferPointer(quantized), scale: 0.01, into: out)
        case "dot":
            let count = elements(kernel)
            Kernels.dotPairs(
                UnsafeBufferPointer(rebasing: x[0..<count]), UnsafeBufferPointer(rebasing: y[0..<count]),
                rowLength: Swift.min(rowLength, n), into: out)
        case "cosine":
            let count = elements(kernel)
            Kernels.cosine(
                query: UnsafeBufferPointer(rebasing: y[0..<Swift.min(rowLength, n)]),
                matrix: UnsafeBufferPointer(rebasing: x[0..<count]), into: out)
        default: break
        }
    }
}

/// xorshift64*: fast, reproducible bench data.
public struct BenchGenerator {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    /// Uniform in [0, 1), 24 bits.
    public mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 24) }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
}
