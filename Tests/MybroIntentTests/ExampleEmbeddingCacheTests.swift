import Foundation
import Testing

@testable import MybroIntent

/// A cached example embedding is trusted only as unit vectors: flipped bytes in a file of the
/// right size show as a row off unit length, or not finite.
@Suite struct ExampleEmbeddingCacheTests {
    @Test func onlyUnitVectorsAreTrusted() {
        let dimension = 4
        let good: [Float] = [1, 0, 0, 0, 0.5, 0.5, 0.5, 0.5]
        #expect(ExampleEmbeddingCache.rowsAreUnitLength(good, dimension: dimension))
        var flipped = good
        flipped[5] = Float(bitPattern: good[5].bitPattern ^ 0x0040_0000)
        #expect(!ExampleEmbeddingCache.rowsAreUnitLength(flipped, dimension: dimension))
        var notFinite = good
        notFinite[0] = .nan
        #expect(!ExampleEmbeddingCache.rowsAreUnitLength(notFinite, dimension: dimension))
    }
}
