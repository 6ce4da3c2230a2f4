import Foundation
import MybroCore
import MybroEmbedding

/// The example requests' embeddings on disk, so that only the first run with a model pays for
/// embedding them. The file's name carries a hash of the model's fingerprint and of every
/// example, so a new model or a changed example never reads stale vectors; the file itself
/// is raw little-endian float32, checked against the expected size.
struct ExampleEmbeddingCache {
    let path: String
    let expectedCount: Int
    let dimension: Int

    init(directory: String, embedder: SentenceEmbedder, examples: [(kind: IntentExamples.Kind, text: String)]) {
        dimension = embedder.dimension
        var hasher = FNV1a()
        hasher.add(embedder.fingerprint)
        for example in examples { hasher.add(example.kind.rawValue + "\t" + example.text + "\n") }
        path = directory + "/intent-examples-" + String(hasher.value, radix: 16) + ".f32"
        expectedCount = examples.count * embedder.dimension
    }

    func load() -> [Float]? {
        guard let data = FileManager.default.contents(atPath: path), data.count == expectedCount * 4 else {
            return nil
        }
        var vectors = [Float](repeating: 0, count: expectedCount)
        vectors.withUnsafeMutableBytes { destination in data.withUnsafeBytes { destination.copyMemory(from: $0) } }
        // Every vector was normalised: a file of the right size with flipped bytes shows as a
        // vector off unit length (or not finite), and is embedded again instead of trusted.
        guard dimension > 0, Self.rowsAreUnitLength(vectors, dimension: dimension) else { return nil }
        return vectors
    }

    static func rowsAreUnitLength(_ vectors: [Float], dimension: Int) -> Bool {
        stride(from: 0, to: vectors.count, by: dimension).allSatisfy { start in
            var sum: Float = 0
            for value in vectors[start..<start + dimension] { sum += value * value }
            return sum.isFinite && abs(sum - 1) < 1e-3
        }
    }

    /// Best effort: a read-only cache directory only costs the next run the same seconds.
    func save(_ vectors: [Float]) {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".\(getpid()).partial"
        let data = vectors.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        // rename(2) is atomic: a concurrent reader sees the old file or the whole new one.
        if rename(temporary, path) != 0 { unlink(temporary) }
    }
}

/// 64-bit FNV-1a: a stable hash (Swift's Hasher is seeded per process).
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
    }
}
