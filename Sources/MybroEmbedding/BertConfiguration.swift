import Foundation

/// The sizes of a BERT encoder, from the model's config.json (Hugging Face's BertConfig names).
public struct BertConfiguration: Sendable, Equatable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layers: Int
    public var heads: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var typeVocabularySize: Int
    public var layerNormEpsilon: Float

    public var headSize: Int { hiddenSize / heads }

    public init(
        vocabularySize: Int, hiddenSize: Int, layers: Int, heads: Int, intermediateSize: Int, maxPositions: Int,
        typeVocabularySize: Int, layerNormEpsilon: Float
    ) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.heads = heads
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
    }

    public init(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw EmbeddingModelError.missing(path) }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw EmbeddingModelError.malformed("\(path) is not a JSON object")
        }
        func integer(_ key: String) throws -> Int {
            guard let value = json[key] as? Int, value > 0 else {
                throw EmbeddingModelError.malformed("\(path) has no positive \"\(key)\"")
            }
            return value
        }
        if let activation = json["hidden_act"] as? String, activation != "gelu" {
            throw EmbeddingModelError.malformed("\(path): activation \(activation) is not gelu")
        }
        self.init(
            vocabularySize: try integer("vocab_size"), hiddenSize: try integer("hidden_size"),
            layers: try integer("num_hidden_layers"), heads: try integer("num_attention_heads"),
            intermediateSize: try integer("intermediate_size"), maxPositions: try integer("max_position_embeddings"),
            typeVocabularySize: try integer("type_vocab_size"),
            layerNormEpsilon: Float((json["layer_norm_eps"] as? Double) ?? 1e-12))
        guard hiddenSize % heads == 0 else {
            throw EmbeddingModelError.malformed(
                "\(path): hidden size \(hiddenSize) is not a multiple of \(heads) heads")
        }
    }
}
