import Foundation
import MybroKernels

/// The element-wise and row-wise operations between matrix products.
/// All work in place or into caller-provided buffers: nothing allocates.
enum VectorKernels {
    /// Layer normalisation of each of `rows` rows of `width` (ε = 1e-5, as Whisper and CTranslate2).
    static func layerNorm(
        _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
        rows: Int, width: Int, weights: LayerNormWeights
    ) {
        weights.gamma.withUnsafeBufferPointer { gamma in
            weights.beta.withUnsafeBufferPointer { beta in
                for row in 0..<rows {
                    let x = input + row * width
                    let y = output + row * width
                    var sum: Float = 0
                    for i in 0..<width { sum += x[i] }
                    let mean = sum / Float(width)
                    var squares: Float = 0
                    for i in 0..<width {
                        let centred = x[i] - mean
                        squares += centred * centred
                    }
                    let scale = 1 / (squares / Float(width) + 1e-5).squareRoot()
                    for i in 0..<width { y[i] = (x[i] - mean) * scale * gamma[i] + beta[i] }
                }
            }
        }
    }

    /// GELU with the error function, as Whisper (PyTorch `nn.GELU()`) and CTranslate2.
    static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        Kernels.gelu(values, count: count)
    }

    /// Softmax of each row in place; `validColumns` limits the row (the rest is left untouched).
    static func softmaxRows(_ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int) {
        Kernels.softmaxRows(values, rows: rows, columns: columns, stride: stride)
    }

    /// The same with libm's expf, for checking the vectorised one.
    static func softmaxRowsReference(_ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int) {
        for row in 0..<rows {
            let x = values + row * stride
            var maximum = -Float.infinity
            for i in 0..<columns where x[i] > maximum { maximum = x[i] }
            var sum: Float = 0
            for i in 0..<columns {
                let e = expf(x[i] - maximum)
                x[i] = e
                sum += e
            }
            let scale = 1 / sum
            for i in 0..<columns { x[i] *= scale }
        }
    }

    /// GELU with libm's erff, for checking the vectorised one.
    static func geluReference(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            let x = values[i]
            values[i] = 0.5 * x * (1 + erff(x * 0.707_106_78))
        }
    }

    /// y += x.
    static func add(_ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] += x[i] }
    }

    /// Copies `bias` into each of `rows` rows, so a following product can accumulate onto it.
    static func broadcast(_ bias: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int, width: Int)
    {
        for row in 0..<rows { (output + row * width).update(from: bias, count: width) }
    }
}

extension LinearWeights {
    /// output[rows×outputs] = input[rows×inputs]·Wᵀ + b, through BLAS.
    func apply(
        _ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
        inputStride: Int? = nil, outputStride: Int? = nil, accumulate: Bool = false
    ) {
        let ldc = outputStride ?? outputs
        if !half.isEmpty {
            precondition(inputStride == nil || inputStride == inputs, "half products take packed rows")
            half.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in
                    Kernels.halfMatrixProduct(
                        matrix: w.baseAddress!, bias: b.baseAddress!, x: input, y: output, rows: outputs,
                        columns: inputs, count: rows, outputStride: ldc, accumulate: accumulate)
                }
            }
            return
        }
        weight.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                if !accumulate {
                    for row in 0..<rows { (output + row * ldc).update(from: b.baseAddress!, count: outputs) }
                } else {
                    for row in 0..<rows { VectorKernels.add(b.baseAddress!, to: output + row * ldc, count: outputs) }
                }
                if rows == 1 {
                    BLAS.multiplyVector(w.baseAddress!, input, output, m: outputs, n: inputs, beta: 1)
                } else {
                    BLAS.multiplyTransposed(
                        input, w.baseAddress!, output, m: rows, n: outputs, k: inputs,
                        lda: inputStride ?? inputs, ldc: ldc, beta: 1)
                }
            }
        }
    }
}
