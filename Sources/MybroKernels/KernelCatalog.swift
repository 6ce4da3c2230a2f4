/// What each kernel is: its family, how many stream operands it takes, and the nominal work
/// per element that `mybro-kernel list` prints and `bench` turns into GB/s and GFLOP/s.
public struct KernelInfo: Sendable, Equatable {
    public enum Family: String, Sendable, CaseIterable {
        case reduction, map, transform, fused, quantization, batched
    }

    public let name: String
    public let family: Family
    /// Input streams: 1, or 2 for a second operand (`--other`, `--scalar`, `--query`).
    public let arity: Int
    /// Floating-point operations per input element (transcendental functions count as one).
    public let flopsPerElement: Double
    /// Bytes read and written per input element (not counting a write-allocate read).
    public let bytesPerElement: Double
    public let summary: String
}

public enum KernelCatalog {
    public static let all: [KernelInfo] = [
        KernelInfo(
            name: "sum", family: .reduction, arity: 1, flopsPerElement: 1, bytesPerElement: 4,
            summary: "Σx (float lanes per block, double across blocks)"),
        KernelInfo(
            name: "mean", family: .reduction, arity: 1, flopsPerElement: 1, bytesPerElement: 4,
            summary: "Σx / n"),
        KernelInfo(
            name: "min", family: .reduction, arity: 1, flopsPerElement: 1, bytesPerElement: 4,
            summary: "smallest value (NaN if any is NaN)"),
        KernelInfo(
            name: "max", family: .reduction, arity: 1, flopsPerElement: 1, bytesPerElement: 4,
            summary: "largest value (NaN if any is NaN)"),
        KernelInfo(
            name: "l2", family: .reduction, arity: 1, flopsPerElement: 2, bytesPerElement: 4,
            summary: "√Σx², the L2 norm"),
        KernelInfo(
            name: "variance", family: .reduction, arity: 1, flopsPerElement: 4, bytesPerElement: 4,
            summary: "population variance (two-pass blocks merged by Chan's formula)"),
        KernelInfo(
            name: "histogram", family: .reduction, arity: 1, flopsPerElement: 2, bytesPerElement: 4,
            summary: "counts in --bins equal bins over --range, as numpy.histogram"),
        KernelInfo(name: "exp", family: .map, arity: 1, flopsPerElement: 1, bytesPerElement: 8, summary: "eˣ"),
        KernelInfo(name: "log", family: .map, arity: 1, flopsPerElement: 1, bytesPerElement: 8, summary: "ln x"),
        KernelInfo(
            name: "sigmoid", family: .map, arity: 1, flopsPerElement: 1, bytesPerElement: 8,
            summary: "1 / (1 + e⁻ˣ)"),
        KernelInfo(name: "tanh", family: .map, arity: 1, flopsPerElement: 1, bytesPerElement: 8, summary: "tanh x"),
        KernelInfo(
            name: "add", family: .map, arity: 2, flopsPerElement: 1, bytesPerElement: 12,
            summary: "x + y (--other FILE or --scalar X)"),
        KernelInfo(name: "sub", family: .map, arity: 2, flopsPerElement: 1, bytesPerElement: 12, summary: "x − y"),
        KernelInfo(name: "mul", family: .map, arity: 2, flopsPerElement: 1, bytesPerElement: 12, summary: "x · y"),
        KernelInfo(name: "div", family: .map, arity: 2, flopsPerElement: 1, bytesPerElement: 12, summary: "x / y"),
        KernelInfo(
            name: "relu", family: .map, arity: 1, flopsPerElement: 1, bytesPerElement: 8,
            summary: "max(x, 0), NaN kept"),
        KernelInfo(name: "abs", family: .map, arity: 1, flopsPerElement: 1, bytesPerElement: 8, summary: "|x|"),
        KernelInfo(name: "neg", family: .map, arity: 1, flopsPerElement: 1, bytesPerElement: 8, summary: "−x"),
        KernelInfo(
            name: "scan", family: .transform, arity: 1, flopsPerElement: 1, bytesPerElement: 8,
            summary: "running sum, inclusive or --exclusive (carried in double)"),
        KernelInfo(
            name: "compact", family: .transform, arity: 2, flopsPerElement: 1, bytesPerElement: 8,
            summary: "the values whose --other mask is not 0, or that are --above X"),
        KernelInfo(
            name: "transpose", family: .transform, arity: 1, flopsPerElement: 0, bytesPerElement: 8,
            summary: "--rows × --columns matrices, transposed"),
        KernelInfo(
            name: "repack", family: .transform, arity: 1, flopsPerElement: 0, bytesPerElement: 8,
            summary: "--channels interleaved (AoS) ↔ planar (SoA), --to planar|interleaved"),
        KernelInfo(
            name: "square_sum", family: .fused, arity: 1, flopsPerElement: 2, bytesPerElement: 4,
            summary: "Σx² (map_reduce_square_sum)"),
        KernelInfo(name: "abs_sum", family: .fused, arity: 1, flopsPerElement: 2, bytesPerElement: 4, summary: "Σ|x|"),
        KernelInfo(
            name: "masked_sum", family: .fused, arity: 2, flopsPerElement: 2, bytesPerElement: 8,
            summary: "Σx where the --other mask is not 0"),
        KernelInfo(
            name: "threshold_count", family: .fused, arity: 1, flopsPerElement: 1, bytesPerElement: 4,
            summary: "how many values are --above X"),
        KernelInfo(
            name: "quantize", family: .quantization, arity: 1, flopsPerElement: 2, bytesPerElement: 5,
            summary: "f32 → i8 with a symmetric scale per tensor or per --window row"),
        KernelInfo(
            name: "dequantize", family: .quantization, arity: 1, flopsPerElement: 1, bytesPerElement: 5,
            summary: "i8 → f32 (quantize's output back)"),
        KernelInfo(
            name: "dot", family: .batched, arity: 2, flopsPerElement: 2, bytesPerElement: 8,
            summary: "dot product of each --length row of stdin with the same row of --other"),
        KernelInfo(
            name: "cosine", family: .batched, arity: 2, flopsPerElement: 4, bytesPerElement: 4,
            summary: "cosine similarity of --query against each row of stdin"),
    ]

    public static func named(_ name: String) -> KernelInfo? { all.first { $0.name == name } }
}
