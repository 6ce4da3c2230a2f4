/// The hyper-parameters of a Whisper model, read off its tensor shapes.
public struct WhisperArchitecture: Sendable, Equatable {
    public var melBins: Int
    public var audioContext: Int
    public var modelWidth: Int
    public var heads: Int
    public var encoderLayers: Int
    public var decoderLayers: Int
    public var textContext: Int
    public var vocabularySize: Int
    public var feedForwardWidth: Int

    public init(melBins: Int, audioContext: Int, modelWidth: Int, heads: Int, encoderLayers: Int,
                decoderLayers: Int, textContext: Int, vocabularySize: Int, feedForwardWidth: Int) {
        self.melBins = melBins
        self.audioContext = audioContext
        self.modelWidth = modelWidth
        self.heads = heads
        self.encoderLayers = encoderLayers
        self.decoderLayers = decoderLayers
        self.textContext = textContext
        self.vocabularySize = vocabularySize
        self.feedForwardWidth = feedForwardWidth
    }

    public var headWidth: Int { modelWidth / heads }
    /// English-only checkpoints have 51,864 tokens; multilingual ones 51,865 or more.
    public var isMultilingual: Bool { vocabularySize >= 51_865 }
    /// Mel frames per 30 s window: two per encoder position (conv2 has stride 2).
    public var melFrames: Int { audioContext * 2 }

    /// Every tensor a CTranslate2 WhisperSpec must hold, with its shape (`[out, in]` for
    /// linear weights, `[out, in, kernel]` for convolutions), in CTranslate2's names.
    public func ct2Tensors() -> [(name: String, shape: [Int])] {
        let d = modelWidth
        var list: [(String, [Int])] = [
            ("encoder/conv1/weight", [d, melBins, 3]), ("encoder/conv1/bias", [d]),
            ("encoder/conv2/weight", [d, d, 3]), ("encoder/conv2/bias", [d]),
            ("encoder/position_encodings/encodings", [audioContext, d]),
            ("encoder/layer_norm/gamma", [d]), ("encoder/layer_norm/beta", [d]),
            ("decoder/embeddings/weight", [vocabularySize, d]),
            ("decoder/position_encodings/encodings", [textContext, d]),
            ("decoder/layer_norm/gamma", [d]), ("decoder/layer_norm/beta", [d]),
        ]
        func norm(_ prefix: String) { list += [(prefix + "/gamma", [d]), (prefix + "/beta", [d])] }
        func linear(_ prefix: String, _ outputs: Int, _ inputs: Int) {
            list += [(prefix + "/weight", [outputs, inputs]), (prefix + "/bias", [outputs])]
        }
        func block(_ prefix: String) {
            norm(prefix + "/self_attention/layer_norm")
            linear(prefix + "/self_attention/linear_0", 3 * d, d)
            linear(prefix + "/self_attention/linear_1", d, d)
            norm(prefix + "/ffn/layer_norm")
            linear(prefix + "/ffn/linear_0", feedForwardWidth, d)
            linear(prefix + "/ffn/linear_1", d, feedForwardWidth)
        }
        for layer in 0..<encoderLayers { block("encoder/layer_\(layer)") }
        for layer in 0..<decoderLayers {
            let prefix = "decoder/layer_\(layer)"
            block(prefix)
            norm(prefix + "/attention/layer_norm")
            linear(prefix + "/attention/linear_0", d, d)
            linear(prefix + "/attention/linear_1", 2 * d, d)
            linear(prefix + "/attention/linear_2", d, d)
        }
        return list
    }
}
