import CMybroKernels

/// The Whisper decoder's and encoder's kernels (softmax, GELU, half floats): the same C functions
/// Whisper called directly before, so its results stay bit for bit what they were.
extension Kernels {
    /// Softmax of each of `rows` rows of `columns` values in place (rows `stride` apart).
    public static func softmaxRows(_ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int) {
        mybro_softmax_rows(values, rows, columns, stride)
    }
    /// GELU with the error function, in place.
    public static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int) { mybro_gelu(values, count) }
    /// Half floats to float.
    public static func halfToFloat(
        _ source: UnsafePointer<UInt16>, _ destination: UnsafeMutablePointer<Float>, count: Int
    ) {
        mybro_half_to_float(source, destination, count)
    }
    /// y[i][r] = bias[r] + Σ_k matrix[r][k]·x[i][k] with `matrix` in half floats (see mybro_half.h).
    public static func halfMatrixProduct(
        matrix: UnsafePointer<UInt16>, bias: UnsafePointer<Float>?, x: UnsafePointer<Float>,
        y: UnsafeMutablePointer<Float>, rows: Int, columns: Int, count: Int, outputStride: Int, accumulate: Bool
    ) {
        mybro_half_gemm(matrix, bias, x, y, rows, columns, count, outputStride, accumulate ? 1 : 0)
    }
    /// Whether the half-float products use AVX2/F16C/FMA.
    public static var halfAccelerated: Bool { mybro_half_accelerated() != 0 }
}
