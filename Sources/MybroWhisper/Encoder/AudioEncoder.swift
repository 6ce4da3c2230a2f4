/// Whisper's audio encoder: two convolutions (the second with stride 2) with GELU, fixed
/// sinusoidal positions, pre-norm transformer blocks, and a final layer norm.
///
/// Convolutions run as one matrix product each over an im2col copy of their input, and
/// every other product goes to BLAS too.
public final class AudioEncoder: @unchecked Sendable {
    let weights: WhisperWeights

    public init(weights: WhisperWeights) { self.weights = weights }

    /// Encodes `windowFrames` mel frames (even, at most 2 × audio context) taken from
    /// `features` (`[bins × featureStride]`), of which the first `contentFrames` are used and
    /// the rest are zeros, as faster-whisper pads. Returns `[windowFrames/2 × d]`.
    public func encode(features: UnsafePointer<Float>, featureStride: Int, contentFrames: Int,
                       windowFrames: Int) -> [Float] {
        let a = weights.architecture
        let d = a.modelWidth, bins = a.melBins
        let frames = windowFrames, positions = windowFrames / 2
        let usable = min(contentFrames, frames)

        // conv1 (kernel 3, padding 1): cols[t][c·3 + k] = x[c][t + k − 1]
        var columns = [Float](repeating: 0, count: frames * bins * 3)
        columns.withUnsafeMutableBufferPointer { cols in
            for channel in 0..<bins {
                let row = features + channel * featureStride
                for k in 0..<3 {
                    let offset = k - 1
                    for t in max(0, -offset)..<min(frames, usable - offset) {
                        cols[t * bins * 3 + channel * 3 + k] = row[t + offset]
                    }
                }
            }
        }
        var hidden1 = [Float](repeating: 0, count: frames * d)
        columns.withUnsafeBufferPointer { cols in
            hidden1.withUnsafeMutableBufferPointer { out in
                weights.conv1.apply(cols.baseAddress!, rows: frames, into: out.baseAddress!)
                VectorKernels.gelu(out.baseAddress!, count: out.count)
            }
        }
        // conv2 (kernel 3, stride 2, padding 1): cols[t][c·3 + k] = h[2t + k − 1][c]
        columns = [Float](repeating: 0, count: positions * d * 3)
        columns.withUnsafeMutableBufferPointer { cols in
            hidden1.withUnsafeBufferPointer { h in
                for t in 0..<positions {
                    for k in 0..<3 {
                        let source = 2 * t + k - 1
                        guard source >= 0 && source < frames else { continue }
                        let from = h.baseAddress! + source * d
                        let to = cols.baseAddress! + t * d * 3 + k
                        for channel in 0..<d { to[channel * 3] = from[channel] }
                    }
                }
            }
        }
        var hidden = [Float](repeating: 0, count: positions * d)
        columns.withUnsafeBufferPointer { cols in
            hidden.withUnsafeMutableBufferPointer { out in
                weights.conv2.apply(cols.baseAddress!, rows: positions, into: out.baseAddress!)
                VectorKernels.gelu(out.baseAddress!, count: out.count)
                weights.encoderPositions.withUnsafeBufferPointer { p in
                    VectorKernels.add(p.baseAddress!, to: out.baseAddress!, count: positions * d)
                }
            }
        }
        columns = []
        hidden1 = []

        var workspace = EncoderWorkspace(positions: positions, architecture: a)
        hidden.withUnsafeMutableBufferPointer { h in
            for layer in weights.encoderLayers {
                workspace.block(layer, hidden: h.baseAddress!, positions: positions, architecture: a)
            }
            workspace.normed.withUnsafeMutableBufferPointer { n in
                VectorKernels.layerNorm(h.baseAddress!, n.baseAddress!, rows: positions, width: d, weights: weights.encoderNorm)
                h.baseAddress!.update(from: n.baseAddress!, count: positions * d)
            }
        }
        return hidden
    }
}

/// Scratch buffers of one encoder pass, allocated once per pass.
struct EncoderWorkspace {
    var normed: [Float]
    var qkv: [Float]
    var attention: [Float]
    var scores: [Float]
    var feedForward: [Float]

    init(positions: Int, architecture a: WhisperArchitecture) {
        normed = [Float](repeating: 0, count: positions * a.modelWidth)
        qkv = [Float](repeating: 0, count: positions * a.modelWidth * 3)
        attention = [Float](repeating: 0, count: positions * a.modelWidth)
        scores = [Float](repeating: 0, count: positions * positions)
        feedForward = [Float](repeating: 0, count: positions * a.feedForwardWidth)
    }

    mutating func block(_ layer: TransformerLayerWeights, hidden: UnsafeMutablePointer<Float>, positions: Int,
                        architecture a: WhisperArchitecture) {
        let d = a.modelWidth, headWidth = a.headWidth
        let scale = 1 / Float(headWidth).squareRoot()
        normed.withUnsafeMutableBufferPointer { normed in
            qkv.withUnsafeMutableBufferPointer { qkv in
                attention.withUnsafeMutableBufferPointer { attention in
                    scores.withUnsafeMutableBufferPointer { scores in
                        VectorKernels.layerNorm(hidden, normed.baseAddress!, rows: positions, width: d, weights: layer.attentionNorm)
                        layer.attentionQKV.apply(normed.baseAddress!, rows: positions, into: qkv.baseAddress!)
                        for head in 0..<a.heads {
                            let q = qkv.baseAddress! + head * headWidth
                            let k = q + d
                            let v = q + 2 * d
                            BLAS.multiplyTransposed(q, k, scores.baseAddress!, m: positions, n: positions, k: headWidth,
                                                    lda: 3 * d, ldb: 3 * d, alpha: scale)
                            VectorKernels.softmaxRows(scores.baseAddress!, rows: positions, columns: positions, stride: positions)
                            BLAS.multiply(scores.baseAddress!, v, attention.baseAddress! + head * headWidth,
                                          m: positions, n: headWidth, k: positions, ldb: 3 * d, ldc: d)
                        }
                        layer.attentionOut.apply(attention.baseAddress!, rows: positions, into: hidden, accumulate: true)
                    }
                }
            }
            feedForward.withUnsafeMutableBufferPointer { ff in
                VectorKernels.layerNorm(hidden, normed.baseAddress!, rows: positions, width: d, weights: layer.feedForwardNorm)
                layer.feedForwardIn.apply(normed.baseAddress!, rows: positions, into: ff.baseAddress!)
                VectorKernels.gelu(ff.baseAddress!, count: positions * a.feedForwardWidth)
                layer.feedForwardOut.apply(ff.baseAddress!, rows: positions, into: hidden, accumulate: true)
            }
        }
    }
}
