import CMybroKernels
import COpenBLAS
import Foundation

/// A BERT encoder's weights and its forward pass for one sentence, every product through
/// OpenBLAS. It reproduces Hugging Face's BertModel (modeling_bert.py) in inference: post-norm
/// layers, exact (erf) GELU, no dropout. The weights never change after loading, so one
/// encoder serves any number of threads; each call has its own scratch memory.
public struct BertEncoder: Sendable {
    struct Layer: Sendable {
        /// Query, key and value stacked into one [3·hidden × hidden] matrix: one product instead of three.
        var qkvWeight: [Float]
        var qkvBias: [Float]
        var attentionOutputWeight: [Float]
        var attentionOutputBias: [Float]
        var attentionNormWeight: [Float]
        var attentionNormBias: [Float]
        var intermediateWeight: [Float]
        var intermediateBias: [Float]
        var outputWeight: [Float]
        var outputBias: [Float]
        var outputNormWeight: [Float]
        var outputNormBias: [Float]
    }

    public let configuration: BertConfiguration
    let wordEmbeddings: [Float]
    let positionEmbeddings: [Float]
    /// Only segment 0 is used: a single sentence has no second segment.
    let tokenTypeEmbedding: [Float]
    let embeddingNormWeight: [Float]
    let embeddingNormBias: [Float]
    let layers: [Layer]

    /// Loads the tensors of a Hugging Face BertModel checkpoint (names with or without "bert.").
    init(configuration c: BertConfiguration, tensors: SafeTensorsFile) throws {
        let prefix = tensors.entries["embeddings.word_embeddings.weight"] == nil ? "bert." : ""
        func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
            try tensors.floats(prefix + name, shape: shape)
        }
        let h = c.hiddenSize
        configuration = c
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [c.vocabularySize, h])
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [c.maxPositions, h])
        tokenTypeEmbedding = Array(
            try tensor("embeddings.token_type_embeddings.weight", [c.typeVocabularySize, h])[0..<h])
        embeddingNormWeight = try tensor("embeddings.LayerNorm.weight", [h])
        embeddingNormBias = try tensor("embeddings.LayerNorm.bias", [h])
        layers = try (0..<c.layers).map { index in
            let p = "encoder.layer.\(index)."
            return Layer(
                qkvWeight: try tensor(p + "attention.self.query.weight", [h, h])
                    + tensor(p + "attention.self.key.weight", [h, h])
                    + tensor(p + "attention.self.value.weight", [h, h]),
                qkvBias: try tensor(p + "attention.self.query.bias", [h]) + tensor(p + "attention.self.key.bias", [h])
                    + tensor(p + "attention.self.value.bias", [h]),
                attentionOutputWeight: try tensor(p + "attention.output.dense.weight", [h, h]),
                attentionOutputBias: try tensor(p + "attention.output.dense.bias", [h]),
                attentionNormWeight: try tensor(p + "attention.output.LayerNorm.weight", [h]),
                attentionNormBias: try tensor(p + "attention.output.LayerNorm.bias", [h]),
                intermediateWeight: try tensor(p + "intermediate.dense.weight", [c.intermediateSize, h]),
                intermediateBias: try tensor(p + "intermediate.dense.bias", [c.intermediateSize]),
                outputWeight: try tensor(p + "output.dense.weight", [h, c.intermediateSize]),
                outputBias: try tensor(p + "output.dense.bias", [h]),
                outputNormWeight: try tensor(p + "output.LayerNorm.weight", [h]),
                outputNormBias: try tensor(p + "output.LayerNorm.bias", [h]))
        }
    }

    /// The last layer's hidden states of one sentence, [tokens × hidden] row-major.
    /// One unpadded sentence attends to all of its tokens, so the attention mask is all ones
    /// and is left out; ids beyond the position table are cut off.
    public func hiddenStates(ids inputIDs: [Int32]) -> [Float] {
        let c = configuration
        let ids = inputIDs.prefix(c.maxPositions).map { Int($0) < c.vocabularySize && $0 >= 0 ? Int($0) : 0 }
        let n = ids.count
        let h = c.hiddenSize
        guard n > 0 else { return [] }
        var x = [Float](repeating: 0, count: n * h)
        for (row, id) in ids.enumerated() {
            for column in 0..<h {
                x[row * h + column] =
                    wordEmbeddings[id * h + column] + positionEmbeddings[row * h + column] + tokenTypeEmbedding[column]
            }
        }
        Self.layerNorm(&x, rows: n, width: h, weight: embeddingNormWeight, bias: embeddingNormBias, c.layerNormEpsilon)

        var qkv = [Float](repeating: 0, count: n * 3 * h)
        var scores = [Float](repeating: 0, count: n * n)
        var context = [Float](repeating: 0, count: n * h)
        var projected = [Float](repeating: 0, count: n * h)
        var intermediate = [Float](repeating: 0, count: n * c.intermediateSize)
        let scale = 1 / Float(c.headSize).squareRoot()
        for layer in layers {
            Self.linear(x, layer.qkvWeight, layer.qkvBias, into: &qkv, rows: n, inputs: h, outputs: 3 * h)
            qkv.withUnsafeBufferPointer { qkvBuffer in
                scores.withUnsafeMutableBufferPointer { scoreBuffer in
                    context.withUnsafeMutableBufferPointer { contextBuffer in
                        let base = qkvBuffer.baseAddress!
                        for head in 0..<c.heads {
                            let offset = head * c.headSize
                            // scores = Q_head · K_headᵀ / √d, rows of Q and K strided by 3·hidden
                            cblas_sgemm(
                                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(c.headSize), scale,
                                base + offset, Int32(3 * h), base + h + offset, Int32(3 * h), 0,
                                scoreBuffer.baseAddress!, Int32(n))
                            Self.softmaxRows(scoreBuffer.baseAddress!, rows: n, width: n)
                            // context_head = softmax(scores) · V_head, written into its columns
                            cblas_sgemm(
                                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(c.headSize), Int32(n), 1,
                                scoreBuffer.baseAddress!, Int32(n), base + 2 * h + offset, Int32(3 * h), 0,
                                contextBuffer.baseAddress! + offset, Int32(h))
                        }
                    }
                }
            }
            Self.linear(
                context, layer.attentionOutputWeight, layer.attentionOutputBias, into: &projected, rows: n, inputs: h,
                outputs: h)
            Self.addInPlace(&x, projected)
            Self.layerNorm(
                &x, rows: n, width: h, weight: layer.attentionNormWeight, bias: layer.attentionNormBias,
                c.layerNormEpsilon)
            Self.linear(
                x, layer.intermediateWeight, layer.intermediateBias, into: &intermediate, rows: n, inputs: h,
                outputs: c.intermediateSize)
            Self.gelu(&intermediate)
            Self.linear(
                intermediate, layer.outputWeight, layer.outputBias, into: &projected, rows: n,
                inputs: c.intermediateSize, outputs: h)
            Self.addInPlace(&x, projected)
            Self.layerNorm(
                &x, rows: n, width: h, weight: layer.outputNormWeight, bias: layer.outputNormBias, c.layerNormEpsilon)
        }
        return x
    }

    /// output[rows × outputs] = input[rows × inputs] · weightᵀ + bias (a torch Linear layer).
    static func linear(
        _ input: [Float], _ weight: [Float], _ bias: [Float], into output: inout [Float], rows: Int, inputs: Int,
        outputs: Int
    ) {
        output.withUnsafeMutableBufferPointer { out in
            for row in 0..<rows {
                for column in 0..<outputs { out[row * outputs + column] = bias[column] }
            }
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs), 1, input,
                Int32(inputs), weight, Int32(inputs), 1, out.baseAddress!, Int32(outputs))
        }
    }

    static func addInPlace(_ x: inout [Float], _ y: [Float]) {
        x.withUnsafeMutableBufferPointer { a in
            y.withUnsafeBufferPointer { b in
                for index in 0..<a.count { a[index] += b[index] }
            }
        }
    }

    static func layerNorm(
        _ x: inout [Float], rows: Int, width: Int, weight: [Float], bias: [Float], _ epsilon: Float
    ) {
        x.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows {
                let start = row * width
                var mean: Float = 0
                for index in start..<start + width { mean += values[index] }
                mean /= Float(width)
                var variance: Float = 0
                for index in start..<start + width {
                    let d = values[index] - mean
                    variance += d * d
                }
                let inverse = 1 / (variance / Float(width) + epsilon).squareRoot()
                for column in 0..<width {
                    values[start + column] = (values[start + column] - mean) * inverse * weight[column] + bias[column]
                }
            }
        }
    }

    /// Row-wise softmax through the project's vectorised kernel (the same one Whisper's encoder uses).
    static func softmaxRows(_ values: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        mybro_softmax_rows(values, rows, width, width)
    }

    /// BERT's "gelu": x·Φ(x) with the exact normal CDF, not the tanh approximation; the
    /// project's vectorised kernel (erf within 1.5e-7) instead of a scalar erff call for each
    /// of the 6 × tokens × 1536 intermediate values.
    static func gelu(_ x: inout [Float]) {
        x.withUnsafeMutableBufferPointer { mybro_gelu($0.baseAddress!, $0.count) }
    }
}
