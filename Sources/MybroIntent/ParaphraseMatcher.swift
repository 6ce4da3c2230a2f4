import Foundation
import MybroCore
import MybroEmbedding

/// Finds the kind of request a transcript is closest to, by the cosine of its sentence
/// embedding with the embeddings of the example requests (IntentExamples.swift).
/// Immutable once made, so one matcher serves every thread.
public struct ParaphraseMatcher: Sendable {
    public struct Match: Sendable, Equatable {
        public var kind: IntentExamples.Kind
        /// The cosine with the closest example of that kind (−1…1).
        public var similarity: Float
        /// The best cosine among the other kinds: a close second means the request is ambiguous.
        public var runnerUp: Float
    }

    public let embedder: SentenceEmbedder
    let kinds: [IntentExamples.Kind]
    /// The examples' embeddings, one row of `embedder.dimension` floats each.
    let vectors: [Float]

    /// Embeds the examples, or reads them from `cacheDirectory` when an earlier run with the
    /// same model and the same examples saved them (embedding ~500 sentences costs seconds).
    public init(
        embedder: SentenceEmbedder, examples: [(kind: IntentExamples.Kind, text: String)] = IntentExamples.all,
        cacheDirectory: String? = nil
    ) {
        self.embedder = embedder
        self.kinds = examples.map(\.kind)
        let cache = cacheDirectory.map { ExampleEmbeddingCache(directory: $0, embedder: embedder, examples: examples) }
        if let cached = cache?.load() {
            vectors = cached
            return
        }
        var vectors: [Float] = []
        vectors.reserveCapacity(examples.count * embedder.dimension)
        for example in examples { vectors += embedder.embed(example.text) }
        self.vectors = vectors
        cache?.save(vectors)
    }

    /// The closest kind; nil for a transcript without words.
    public func nearest(_ transcript: String) -> Match? {
        guard transcript.contains(where: { $0.isLetter || $0.isNumber }), !kinds.isEmpty else { return nil }
        let query = embedder.embed(transcript)
        let width = embedder.dimension
        var best: [IntentExamples.Kind: Float] = [:]
        query.withUnsafeBufferPointer { q in
            vectors.withUnsafeBufferPointer { v in
                for (row, kind) in kinds.enumerated() {
                    var dot: Float = 0
                    let start = row * width
                    for column in 0..<width { dot += q[column] * v[start + column] }
                    if dot > best[kind, default: -2] { best[kind] = dot }
                }
            }
        }
        let ranked = best.sorted { $0.value > $1.value }
        guard let first = ranked.first else { return nil }
        return Match(kind: first.key, similarity: first.value, runnerUp: ranked.dropFirst().first?.value ?? -1)
    }
}
