import Foundation
import MybroTestSupport
import Testing

@testable import MybroEmbedding

/// Expected embeddings: one sentence each, its token ids and its embedding as a numpy
/// reference computed it (see the fixtures' own notes).
private struct ExpectedEmbedding: Decodable {
    var text: String
    var ids: [Int32]
    var embedding: [Float]
}

private let fixtures = BuiltCommands.packageRoot + "/Tests/Fixtures/embedding"

private func expectations(_ name: String) throws -> [ExpectedEmbedding] {
    try JSONDecoder().decode(
        [ExpectedEmbedding].self, from: Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name)))
}

/// The real model when `scripts/setup-embedding-model.sh` has installed it, else nil.
private let installedModel: String? = {
    let path = EmbeddingModelDirectory.resolve(option: nil)
    return EmbeddingModelDirectory.isInstalled(path) ? path : nil
}()

@Suite struct TinyModelTests {
    /// A random-weight BERT of the same layout (Tests/Fixtures/embedding/make_tiny_model.py)
    /// against its float64 numpy forward pass: loading, attention, GELU, norms and pooling,
    /// on every machine.
    @Test func embeddingsMatchTheNumpyReference() throws {
        let embedder = try SentenceEmbedder(directory: fixtures + "/tiny")
        for expected in try expectations("tiny-expected.json") {
            #expect(embedder.tokenizer.encode(expected.text) == expected.ids, "\(expected.text)")
            let embedding = embedder.embed(expected.text)
            try #require(embedding.count == expected.embedding.count)
            for (got, want) in zip(embedding, expected.embedding) {
                #expect(abs(got - want) < 1e-5, "\(expected.text): \(got) vs \(want)")
            }
        }
    }

    @Test func embeddingsHaveUnitLength() throws {
        let embedding = try SentenceEmbedder(directory: fixtures + "/tiny").embed("please run the build")
        let norm = embedding.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)
    }

    @Test func aMissingModelSaysWhichFile() throws {
        let empty = try temporaryDirectory("mybro-embedding-tests")
        #expect(throws: EmbeddingModelError.missing(empty + "/config.json")) {
            try SentenceEmbedder(directory: empty)
        }
    }

    @Test func aTruncatedWeightsFileIsMalformedNotACrash() throws {
        let directory = try temporaryDirectory("mybro-embedding-tests")
        for name in ["config.json", "vocab.txt"] {
            try FileManager.default.copyItem(atPath: fixtures + "/tiny/" + name, toPath: directory + "/" + name)
        }
        let weights = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/tiny/model.safetensors"))
        try weights.prefix(weights.count / 2).write(to: URL(fileURLWithPath: directory + "/model.safetensors"))
        #expect {
            try SentenceEmbedder(directory: directory)
        } throws: { error in
            guard case EmbeddingModelError.malformed = error else { return false }
            return true
        }
    }
}

@Suite(
    .enabled(
        if: installedModel != nil,
        "all-MiniLM-L6-v2 is not installed: run scripts/setup-embedding-model.sh (make setup)"))
struct MiniLMTests {
    /// Reference: a float64 numpy forward pass over the same safetensors weights, with the ids
    /// of Hugging Face's `tokenizers` (BertNormalizer, BertPreTokenizer, WordPiece) for the
    /// model's tokenizer.json.
    @Test func embeddingsMatchTheReference() throws {
        let embedder = try SentenceEmbedder(directory: try #require(installedModel))
        for expected in try expectations("minilm-expected.json") {
            #expect(embedder.tokenizer.encode(expected.text) == expected.ids, "\(expected.text)")
            let embedding = embedder.embed(expected.text)
            let cosine = SentenceEmbedder.similarity(embedding, expected.embedding)
            #expect(cosine > 0.9999, "\(expected.text): cosine \(cosine)")
            for (got, want) in zip(embedding.prefix(8), expected.embedding.prefix(8)) {
                #expect(abs(got - want) < 2e-4, "\(expected.text): \(got) vs \(want)")
            }
        }
    }

    @Test func paraphrasesAreCloserThanUnrelatedRequests() throws {
        let embedder = try SentenceEmbedder(directory: try #require(installedModel))
        let tests = embedder.embed("run the tests")
        let paraphrase = embedder.embed("kick off the test suite")
        let unrelated = embedder.embed("push my commits to the server")
        #expect(SentenceEmbedder.similarity(tests, paraphrase) > SentenceEmbedder.similarity(tests, unrelated) + 0.2)
    }
}
