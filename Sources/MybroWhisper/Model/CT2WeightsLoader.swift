import MybroCore

/// Builds `WhisperWeights` from a CTranslate2 WhisperSpec model.bin, after checking that
/// every tensor the architecture needs is there with the right shape and a float type
/// (float32, float16, bfloat16, or int8 with its `weight_scale`).
enum CT2WeightsLoader {
    static func load(_ file: CT2ModelFile) throws -> WhisperWeights {
        if file.specName != "WhisperSpec" {
            throw corrupt(file, "it holds a \(file.specName), not a WhisperSpec (a Whisper model)")
        }
        let architecture = try inferArchitecture(file)
        for (name, shape) in architecture.ct2Tensors() {
            guard let variable = file.variable(name) else { throw corrupt(file, "tensor \(name) is missing") }
            guard variable.shape == shape else {
                throw corrupt(file, "tensor \(name) has shape \(describe(variable.shape)), expected \(describe(shape))")
            }
            switch variable.dataType {
            case .float32, .float16, .bfloat16: break
            case .int8:
                let scaleName = name.replacingOccurrences(of: "/weight", with: "/weight_scale")
                guard name.hasSuffix("/weight"), let scale = file.variable(scaleName),
                      scale.elementCount == shape[0] || scale.elementCount == 1,
                      scale.dataType == .float32 || scale.dataType == .float16
                else { throw corrupt(file, "int8 tensor \(name) has no matching float weight_scale") }
            default:
                throw corrupt(file, "tensor \(name) is \(variable.dataType.name), expected a float type")
            }
        }
        for (name, expected) in [("encoder/num_heads", architecture.heads), ("decoder/num_heads", architecture.heads)] {
            if let stored = file.integerScalar(name), stored != expected {
                throw corrupt(file, "\(name) is \(stored) but the decoder says \(expected)")
            }
        }
        if let activation = file.integerScalar("decoder/activation"), activation != 3 {
            throw corrupt(file, "decoder/activation is \(activation); Whisper uses GELU (3)")
        }

        func tensor(_ name: String) -> [Float] {
            let variable = file.variable(name)!
            var scales: [Float]?
            if variable.dataType == .int8, let scale = file.variable(name.replacingOccurrences(
                of: "/weight", with: "/weight_scale")) {
                let values = file.floats(scale)
                scales = values.count == 1 ? [Float](repeating: values[0], count: variable.shape[0]) : values
            }
            defer { file.release(variable) }
            return file.floats(variable, rowScales: scales)
        }
        func norm(_ prefix: String) -> LayerNormWeights {
            LayerNormWeights(gamma: tensor(prefix + "/gamma"), beta: tensor(prefix + "/beta"))
        }
        func linear(_ prefix: String, keepHalf: Bool = false) -> LinearWeights {
            let variable = file.variable(prefix + "/weight")!
            let shape = variable.shape
            if keepHalf && variable.dataType == .float16 {
                defer { file.release(variable) }
                return LinearWeights(weight: [], half: file.halves(variable), bias: tensor(prefix + "/bias"),
                                     outputs: shape[0], inputs: shape.dropFirst().reduce(1, *))
            }
            return LinearWeights(weight: tensor(prefix + "/weight"), bias: tensor(prefix + "/bias"),
                                 outputs: shape[0], inputs: shape.dropFirst().reduce(1, *))
        }
        // Decoder layers (cross = true) keep float16 weights for their per-token products,
        // except the cross-attention key/value projection, which runs once over the whole
        // encoder output as one large BLAS product.
        func layer(_ prefix: String, cross: Bool) -> TransformerLayerWeights {
            TransformerLayerWeights(
                attentionNorm: norm(prefix + "/self_attention/layer_norm"),
                attentionQKV: linear(prefix + "/self_attention/linear_0", keepHalf: cross),
                attentionOut: linear(prefix + "/self_attention/linear_1", keepHalf: cross),
                cross: cross ? CrossAttentionWeights(
                    norm: norm(prefix + "/attention/layer_norm"),
                    query: linear(prefix + "/attention/linear_0", keepHalf: true),
                    keyValue: linear(prefix + "/attention/linear_1"),
                    out: linear(prefix + "/attention/linear_2", keepHalf: true)) : nil,
                feedForwardNorm: norm(prefix + "/ffn/layer_norm"),
                feedForwardIn: linear(prefix + "/ffn/linear_0", keepHalf: cross),
                feedForwardOut: linear(prefix + "/ffn/linear_1", keepHalf: cross))
        }
        let embeddings = file.variable("decoder/embeddings/weight")!
        let embeddingsAreHalf = embeddings.dataType == .float16
        return WhisperWeights(
            architecture: architecture,
            conv1: linear("encoder/conv1"),
            conv2: linear("encoder/conv2"),
            encoderPositions: tensor("encoder/position_encodings/encodings"),
            encoderLayers: (0..<architecture.encoderLayers).map { layer("encoder/layer_\($0)", cross: false) },
            encoderNorm: norm("encoder/layer_norm"),
            tokenEmbeddings: embeddingsAreHalf ? [] : tensor("decoder/embeddings/weight"),
            tokenEmbeddingsHalf: embeddingsAreHalf ? { defer { file.release(embeddings) }; return file.halves(embeddings) }() : [],
            decoderPositions: tensor("decoder/position_encodings/encodings"),
            decoderLayers: (0..<architecture.decoderLayers).map { layer("decoder/layer_\($0)", cross: true) },
            decoderNorm: norm("decoder/layer_norm"))
    }

    /// Reads the dimensions off the tensors that define them.
    static func inferArchitecture(_ file: CT2ModelFile) throws -> WhisperArchitecture {
        func shape(_ name: String, rank: Int) throws -> [Int] {
            guard let variable = file.variable(name) else { throw corrupt(file, "tensor \(name) is missing") }
            guard variable.shape.count == rank, !variable.shape.contains(0) else {
                throw corrupt(file, "tensor \(name) has shape \(describe(variable.shape)), expected rank \(rank)")
            }
            return variable.shape
        }
        let conv1 = try shape("encoder/conv1/weight", rank: 3)
        let embeddings = try shape("decoder/embeddings/weight", rank: 2)
        let audioPositions = try shape("encoder/position_encodings/encodings", rank: 2)
        let textPositions = try shape("decoder/position_encodings/encodings", rank: 2)
        let feedForward = try shape("encoder/layer_0/ffn/linear_0/weight", rank: 2)
        func countLayers(_ prefix: String) -> Int {
            var count = 0
            while file.variable("\(prefix)/layer_\(count)/ffn/linear_0/weight") != nil { count += 1 }
            return count
        }
        let width = conv1[0]
        let heads = file.integerScalar("encoder/num_heads") ?? max(1, width / 64)
        guard heads > 0, width % heads == 0 else {
            throw corrupt(file, "\(heads) attention heads do not divide the model width \(width)")
        }
        let decoderLayers = countLayers("decoder")
        guard decoderLayers > 0 else { throw corrupt(file, "it has no decoder layers") }
        return WhisperArchitecture(
            melBins: conv1[1], audioContext: audioPositions[0], modelWidth: width, heads: heads,
            encoderLayers: countLayers("encoder"), decoderLayers: decoderLayers, textContext: textPositions[0],
            vocabularySize: embeddings[0], feedForwardWidth: feedForward[0])
    }

    static func describe(_ shape: [Int]) -> String {
        shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "×")
    }

    static func corrupt(_ file: CT2ModelFile, _ detail: String) -> MybroError {
        MybroError("model file \(file.path) is not a usable Whisper model: \(detail)", status: .dataError)
    }
}
