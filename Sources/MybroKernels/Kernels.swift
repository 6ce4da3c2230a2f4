import CMybroKernels

/// The instruction-set path the CPU kernels run on.
public enum KernelPath: Int32, CaseIterable, Sendable, CustomStringConvertible {
    /// SSE2 on x86-64, NEON on arm64: every CPU of the architecture has it.
    case baseline = 0
    case avx2 = 1
    case avx512 = 2

    public var description: String { String(cString: mybro_k_path_name(rawValue)) }
}

/// mybro's float32 kernels on the CPU, over buffers, spans and arrays.
///
/// Reductions return `Float` rounded from a double-precision total (the sums are blocked: float
/// lanes inside short blocks, double across them). Length mismatches are programming errors
/// (preconditions). Large inputs are split over threads above `threadCutover` elements.
public enum Kernels {
    /// The path in use; `use(_:)` forces one (tests, benchmarks).
    public static var path: KernelPath { KernelPath(rawValue: mybro_k_path()) ?? .baseline }
    /// The fastest path this CPU supports.
    public static var bestPath: KernelPath { KernelPath(rawValue: mybro_k_best_path()) ?? .baseline }
    /// Switches to `path`; false when this CPU lacks it.
    @discardableResult public static func use(_ path: KernelPath) -> Bool { mybro_k_set_path(path.rawValue) == 0 }

    /// Threads used for inputs of at least `threadCutover` elements.
    public static var threads: Int {
        get { Int(mybro_k_threads()) }
        set { mybro_k_set_threads(Int32(clamping: newValue)) }
    }
    public static var threadCutover: Int {
        get { Int(mybro_k_thread_cutover()) }
        set { mybro_k_set_thread_cutover(Swift.max(0, newValue)) }
    }
    /// How many threads the calling thread's last kernel ran on (tests, diagnostics).
    public static var threadsOfLastCall: Int { Int(mybro_k_last_parts()) }

    // MARK: - Reductions

    public static func sum(_ x: UnsafeBufferPointer<Float>) -> Float { Float(sumDouble(x)) }
    /// The sum before its rounding to float (for streams that combine windows).
    public static func sumDouble(_ x: UnsafeBufferPointer<Float>) -> Double { mybro_k_sum(x.baseAddress, x.count) }
    /// NaN for an empty input.
    public static func mean(_ x: UnsafeBufferPointer<Float>) -> Float {
        x.isEmpty ? .nan : Float(mybro_k_sum(x.baseAddress, x.count) / Double(x.count))
    }
    /// The smallest value; NaN when any value is NaN (as numpy) or the input is empty.
    public static func min(_ x: UnsafeBufferPointer<Float>) -> Float { mybro_k_min(x.baseAddress, x.count) }
    public static func max(_ x: UnsafeBufferPointer<Float>) -> Float { mybro_k_max(x.baseAddress, x.count) }
    /// √(Σ x²).
    public static func l2Norm(_ x: UnsafeBufferPointer<Float>) -> Float {
        Float(mybro_k_square_sum(x.baseAddress, x.count).squareRoot())
    }
    /// Population variance (numpy's `var`, ddof 0); NaN for an empty input.
    public static func variance(_ x: UnsafeBufferPointer<Float>) -> Float {
        let moments = self.moments(x)
        return Float(moments.m2 / Double(x.count))
    }
    /// Mean and sum of squared deviations (combine windows with `Moments.merged`).
    public static func moments(_ x: UnsafeBufferPointer<Float>) -> Moments {
        var mean = 0.0
        var m2 = 0.0
        mybro_k_moments(x.baseAddress, x.count, &mean, &m2)
        return Moments(count: x.count, mean: x.isEmpty ? 0 : mean, m2: x.isEmpty ? 0 : m2)
    }
    /// Adds to `counts` the values in `range` in `counts.count` equal bins, as numpy.histogram.
    public static func histogram(
        _ x: UnsafeBufferPointer<Float>, range: ClosedRange<Double>, into counts: UnsafeMutableBufferPointer<UInt64>
    ) {
        precondition(range.lowerBound < range.upperBound, "a histogram range needs low < high")
        mybro_k_histogram(x.baseAddress, x.count, range.lowerBound, range.upperBound, counts.count, counts.baseAddress)
    }
    public static func squareSum(_ x: UnsafeBufferPointer<Float>) -> Float { Float(squareSumDouble(x)) }
    public static func squareSumDouble(_ x: UnsafeBufferPointer<Float>) -> Double {
        mybro_k_square_sum(x.baseAddress, x.count)
    }
    public static func absSum(_ x: UnsafeBufferPointer<Float>) -> Float {
        Float(mybro_k_abs_sum(x.baseAddress, x.count))
    }
    /// Σ x[i] where mask[i] ≠ 0 (NaN in the mask counts as set).
    public static func maskedSum(_ x: UnsafeBufferPointer<Float>, mask: UnsafeBufferPointer<Float>) -> Float {
        precondition(x.count == mask.count, "a mask needs one value per element")
        return Float(mybro_k_masked_sum(x.baseAddress, mask.baseAddress, x.count))
    }
    /// How many values are above `threshold`.
    public static func thresholdCount(_ x: UnsafeBufferPointer<Float>, above threshold: Float) -> Int {
        mybro_k_threshold_count(x.baseAddress, x.count, threshold)
    }
    /// Σ x² of 16-bit samples, exact (the audio level meters).
    public static func squareSum(_ samples: UnsafeBufferPointer<Int16>) -> Int64 {
        mybro_k_i16_square_sum(samples.baseAddress, samples.count)
    }

    // MARK: - Maps

    /// y = f(x) element by element; y may be x's memory.
    public static func map(
        _ operation: UnaryOperation, _ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(y.count >= x.count, "the output is shorter than the input")
        mybro_k_unary(operation.code, x.baseAddress, y.baseAddress, x.count)
    }
    /// y = a ∘ b element by element.
    public static func map(
        _ operation: BinaryOperation, _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
        into y: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(a.count == b.count && y.count >= a.count, "binary operands and output need equal lengths")
        mybro_k_binary(operation.code, a.baseAddress, b.baseAddress, y.baseAddress, a.count)
    }
    /// y = a ∘ scalar element by element.
    public static func map(
        _ operation: BinaryOperation, _ a: UnsafeBufferPointer<Float>, scalar: Float,
        into y: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(y.count >= a.count, "the output is shorter than the input")
        mybro_k_binary_scalar(operation.code, a.baseAddress, scalar, y.baseAddress, a.count)
    }

    // MARK: - Transforms

    /// Running sum (inclusive, or exclusive: each output is the sum before its element), from
    /// `carry`; returns the carry for the next piece of a stream.
    @discardableResult
    public static func scan(
        _ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, exclusive: Bool = false,
        carry: Double = 0
    ) -> Double {
        precondition(y.count >= x.count, "the output is shorter than the input")
        return mybro_k_scan(x.baseAddress, y.baseAddress, x.count, exclusive ? 1 : 0, carry)
    }
    /// Writes the values whose mask is not 0 to the front of y; returns how many.
    public static func compact(
        _ x: UnsafeBufferPointer<Float>, mask: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>
    ) -> Int {
        precondition(x.count == mask.count && y.count >= x.count, "compact needs a mask and room for every value")
        return mybro_k_compact_mask(x.baseAddress, mask.baseAddress, y.baseAddress, x.count)
    }
    /// Writes the values above `threshold` to the front of y; returns how many.
    public static func compact(
        _ x: UnsafeBufferPointer<Float>, above threshold: Float, into y: UnsafeMutableBufferPointer<Float>
    ) -> Int {
        precondition(y.count >= x.count, "compact needs room for every value")
        return mybro_k_compact_above(x.baseAddress, threshold, y.baseAddress, x.count)
    }
    /// y (columns × rows) = xᵀ for x of rows × columns, both row-major.
    public static func transpose(
        _ x: UnsafeBufferPointer<Float>, rows: Int, columns: Int, into y: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(rows >= 0 && columns >= 0 && x.count == rows * columns && y.count >= x.count)
        mybro_k_transpose(x.baseAddress, y.baseAddress, rows, columns)
    }
    /// Changes the layout of `channels` channels: interleaved (frame by frame, AoS) to planar
    /// (channel by channel, SoA) or back.
    public static func repack(
        _ x: UnsafeBufferPointer<Float>, channels: Int, to layout: Layout, into y: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(channels > 0 && x.count % channels == 0, "repack needs whole frames")
        let frames = x.count / channels
        switch layout {
        case .planar: transpose(x, rows: frames, columns: channels, into: y)
        case .interleaved: transpose(x, rows: channels, columns: frames, into: y)
        }
    }

    // MARK: - Quantization

    /// The symmetric scale: the largest finite |x| / 127 (0 when there is none).
    public static func quantizationScale(_ x: UnsafeBufferPointer<Float>) -> Float {
        mybro_k_quantize_scale(x.baseAddress, x.count)
    }
    /// q = clamp(rint(x / scale), −127, 127); NaN → 0.
    public static func quantize(_ x: UnsafeBufferPointer<Float>, scale: Float, into q: UnsafeMutableBufferPointer<Int8>)
    {
        precondition(q.count >= x.count, "the output is shorter than the input")
        mybro_k_quantize(x.baseAddress, q.baseAddress, x.count, scale)
    }
    /// y = q · scale.
    public static func dequantize(
        _ q: UnsafeBufferPointer<Int8>, scale: Float, into y: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(y.count >= q.count, "the output is shorter than the input")
        mybro_k_dequantize(q.baseAddress, y.baseAddress, q.count, scale)
    }

    // MARK: - Batched

    /// y[r] = a[r]·b[r] for the rows (of `rowLength`) of a and b.
    public static func dotPairs(
        _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, rowLength: Int,
        into y: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(rowLength > 0 && a.count == b.count && a.count % rowLength == 0, "dot needs whole, equal rows")
        precondition(y.count >= a.count / rowLength, "the output needs one value per row")
        mybro_k_dot_pairs(a.baseAddress, b.baseAddress, y.baseAddress, a.count / rowLength, rowLength)
    }
    /// y[r] = cosine similarity of `query` and row r of `matrix` (rows of query.count); NaN where a norm is 0.
    public static func cosine(
        query: UnsafeBufferPointer<Float>, matrix: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(!query.isEmpty && matrix.count % query.count == 0, "cosine needs whole rows of the query's length")
        precondition(y.count >= matrix.count / query.count, "the output needs one value per row")
        mybro_k_cosine(query.baseAddress, matrix.baseAddress, y.baseAddress, matrix.count / query.count, query.count)
    }
    /// y[r·q + j] = cosine similarity of row r of `matrix` with row j of `queries`, for q queries
    /// of `rowLength` values each: many queries at once, the products through OpenBLAS's sgemm
    /// where it can be opened (`cosinesUseBLAS`). NaN where a norm is 0.
    public static func cosines(
        queries: UnsafeBufferPointer<Float>, rowLength: Int, matrix: UnsafeBufferPointer<Float>,
        into y: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(rowLength > 0 && !queries.isEmpty, "cosines need a query")
        precondition(
            queries.count % rowLength == 0 && matrix.count % rowLength == 0, "cosines need whole rows of rowLength")
        let count = queries.count / rowLength, rows = matrix.count / rowLength
        precondition(y.count >= rows * count, "the output needs one value per row and query")
        if rows == 0 { return }
        let status = mybro_k_cosines(queries.baseAddress, count, matrix.baseAddress, rows, rowLength, y.baseAddress)
        precondition(status == 0, "out of memory for \(count) query norms")
    }
    /// Whether `cosines` multiplies through BLAS (a CBLAS library could be opened); `use` switches
    /// that off or back on, for tests of the row-by-row path.
    @discardableResult
    public static func cosinesUseBLAS(_ use: Bool? = nil) -> Bool {
        mybro_k_cosines_use_blas(use.map { $0 ? 1 : 0 } ?? -1) != 0
    }

    /// STREAM's triad a = b + s·c, the bandwidth anchor.
    public static func triad(
        _ a: UnsafeMutableBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, _ c: UnsafeBufferPointer<Float>,
        scalar: Float
    ) {
        precondition(a.count == b.count && b.count == c.count)
        mybro_k_triad(a.baseAddress, b.baseAddress, c.baseAddress, scalar, a.count)
    }
}

/// Element-wise functions of one operand.
public enum UnaryOperation: String, CaseIterable, Sendable {
    case exp, log, sigmoid, tanh, relu, abs, neg, copy

    var code: Int32 {
        switch self {
        case .exp: Int32(MYBRO_UNARY_EXP)
        case .log: Int32(MYBRO_UNARY_LOG)
        case .sigmoid: Int32(MYBRO_UNARY_SIGMOID)
        case .tanh: Int32(MYBRO_UNARY_TANH)
        case .relu: Int32(MYBRO_UNARY_RELU)
        case .abs: Int32(MYBRO_UNARY_ABS)
        case .neg: Int32(MYBRO_UNARY_NEG)
        case .copy: Int32(MYBRO_UNARY_COPY)
        }
    }
}

/// Element-wise functions of two operands.
public enum BinaryOperation: String, CaseIterable, Sendable {
    case add, sub, mul, div

    var code: Int32 {
        switch self {
        case .add: Int32(MYBRO_BINARY_ADD)
        case .sub: Int32(MYBRO_BINARY_SUB)
        case .mul: Int32(MYBRO_BINARY_MUL)
        case .div: Int32(MYBRO_BINARY_DIV)
        }
    }
}

/// Channel layouts for `Kernels.repack`.
public enum Layout: String, CaseIterable, Sendable {
    /// Frame by frame: L R L R … (array of structures).
    case interleaved
    /// Channel by channel: L L … R R … (structure of arrays).
    case planar
}

/// Count, mean and sum of squared deviations of a stream of values, mergeable across windows.
public struct Moments: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var m2: Double

    public init(count: Int = 0, mean: Double = 0, m2: Double = 0) {
        self.count = count
        self.mean = mean
        self.m2 = m2
    }

    /// Population variance; NaN when empty.
    public var variance: Double { count == 0 ? .nan : m2 / Double(count) }

    /// The moments of both streams together (Chan, Golub and LeVeque).
    public func merged(with other: Moments) -> Moments {
        if count == 0 { return other }
        if other.count == 0 { return self }
        let total = Double(count + other.count)
        let delta = other.mean - mean
        return Moments(
            count: count + other.count, mean: mean + delta * Double(other.count) / total,
            m2: m2 + other.m2 + delta * delta * Double(count) * Double(other.count) / total)
    }
}
