import COpenBLAS
import Foundation
import MybroCore

/// Sentence embeddings as sentence-transformers computes them for all-MiniLM-L6-v2: WordPiece
/// ids, the BERT encoder, the mean of the last hidden states over the tokens, L2-normalised
/// (its modules.json: Transformer, Pooling with pooling_mode_mean_tokens, Normalize).
/// Paraphrases land near each other, so the cosine of two embeddings (their dot product)
/// says how alike two requests are.
public struct SentenceEmbedder: Sendable {
    public let tokenizer: WordPieceTokenizer
    public let encoder: BertEncoder
    /// sentence-transformers cuts sentences to 256 tokens for this model (sentence_bert_config.json).
    public var maxTokens = 256
    /// What identifies the weights (the CHECKSUMS line of model.safetensors, else its size and
    /// modification time): cached embeddings made with other weights are not reused.
    public let fingerprint: String

    public var dimension: Int { encoder.configuration.hiddenSize }

    public init(tokenizer: WordPieceTokenizer, encoder: BertEncoder, fingerprint: String) {
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.fingerprint = fingerprint
    }

    /// Loads config.json, vocab.txt and model.safetensors from `directory`.
    public init(directory: String) throws {
        let configuration = try BertConfiguration(file: directory + "/config.json")
        let tokenizer = try WordPieceTokenizer(vocabularyFile: directory + "/vocab.txt")
        guard tokenizer.vocabulary.count <= configuration.vocabularySize else {
            throw EmbeddingModelError.malformed("vocab.txt has more tokens than the model's vocab_size")
        }
        let weightsPath = directory + "/model.safetensors"
        let encoder = try BertEncoder(configuration: configuration, tensors: try SafeTensorsFile(path: weightsPath))
        self.init(tokenizer: tokenizer, encoder: encoder, fingerprint: Self.fingerprint(directory: directory))
        // Sentences are a few tokens: OpenBLAS's thread pool costs more to wake than it saves.
        openblas_set_num_threads(1)
    }

    /// The unit-length embedding of `text`.
    public func embed(_ text: String) -> [Float] {
        let ids = tokenizer.encode(text, maxLength: min(maxTokens, encoder.configuration.maxPositions))
        let states = encoder.hiddenStates(ids: ids)
        let width = dimension
        let rows = states.count / width
        var mean = [Float](repeating: 0, count: width)
        for row in 0..<rows {
            for column in 0..<width { mean[column] += states[row * width + column] }
        }
        var norm: Float = 0
        for column in 0..<width {
            mean[column] /= Float(max(rows, 1))
            norm += mean[column] * mean[column]
        }
        // sentence-transformers' Normalize divides by max(norm, 1e-12).
        let scale = 1 / max(norm.squareRoot(), 1e-12)
        return mean.map { $0 * scale }
    }

    /// The cosine of two unit-length embeddings.
    public static func similarity(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "embeddings of different sizes")
        var sum: Float = 0
        for index in 0..<a.count { sum += a[index] * b[index] }
        return sum
    }

    static func fingerprint(directory: String) -> String {
        if let checksums = try? String(contentsOfFile: directory + "/CHECKSUMS", encoding: .utf8),
            let line = checksums.split(separator: "\n").first(where: { $0.hasSuffix(" model.safetensors") })
        {
            return String(line)
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/model.safetensors")
        let size = (attributes?[.size] as? Int) ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "size \(size) modified \(Int(modified))"
    }
}
