import Foundation
import MybroCore
import MybroEmbedding
import MybroTestSupport
import Testing

@testable import MybroIntent

/// The grammar-then-paraphrase order and the threshold, with the tiny random-weight model of
/// Tests/Fixtures/embedding (its vocabulary: run, the, test, ##s, stop, build, please, ",", "!"):
/// its embeddings mean nothing, but a sentence that is one of the examples has cosine 1.
@Suite struct OfflineIntentReaderTests {
    static let tinyModel = BuiltCommands.packageRoot + "/Tests/Fixtures/embedding/tiny"
    /// Words the grammar reads as nothing, spelled with the tiny vocabulary.
    static let unknownToGrammar = "the"

    func reader(
        _ examples: [(kind: IntentExamples.Kind, text: String)], threshold: Double = 0.9
    ) throws -> OfflineIntentReader {
        let matcher = ParaphraseMatcher(embedder: try SentenceEmbedder(directory: Self.tinyModel), examples: examples)
        return OfflineIntentReader(grammar: RulesGrammar(), matcher: matcher, threshold: threshold)
    }

    @Test func theGrammarIsAskedFirst() throws {
        #expect(RulesGrammar().interpret(Self.unknownToGrammar).action == .none)
        // Every example says stop; the grammar's reading of a request it knows wins anyway.
        let intent = try reader([(.stop, "run the tests"), (.stop, Self.unknownToGrammar)]).interpret("run the tests")
        #expect(intent.action == .run && intent.task == .test && intent.backend == RulesGrammar.backendName)
    }

    @Test func whatTheGrammarMissesGoesToTheClosestExample() throws {
        let intent = try reader([(.test, Self.unknownToGrammar), (.stop, "please stop!")])
            .interpret(Self.unknownToGrammar)
        #expect(intent.action == .run && intent.task == .test)
        #expect(intent.backend == ParaphraseIntents.backendName)
        #expect(intent.confidence > 0.99)
    }

    @Test func aKindThatNeedsASlotStaysNone() throws {
        let intent = try reader([(.gitSwitch, Self.unknownToGrammar), (.test, "please stop!")])
            .interpret(Self.unknownToGrammar)
        #expect(intent.action == .none && intent.backend == RulesGrammar.backendName)
    }

    /// Under the threshold by more than the weak band: nothing. Within the band, with no other
    /// kind near: a reading so unsure the loop asks about it first. Within the band with another
    /// kind as near: nothing.
    @Test func aMatchBelowTheThresholdStaysNoneOrIsAskedAbout() throws {
        let examples: [(kind: IntentExamples.Kind, text: String)] = [(.test, "build")]
        let matcher = ParaphraseMatcher(embedder: try SentenceEmbedder(directory: Self.tinyModel), examples: examples)
        let cosine = Double(try #require(matcher.nearest(Self.unknownToGrammar)).similarity)
        let band = OfflineIntentReader.weakBand
        #expect(try reader(examples, threshold: cosine + band + 0.001).interpret(Self.unknownToGrammar).action == .none)
        let weak = try reader(examples, threshold: cosine + band / 2).interpret(Self.unknownToGrammar)
        #expect(weak.action == .run && weak.confidence < 0.3, "\(weak)")
        let sure = try reader(examples, threshold: cosine - 0.001).interpret(Self.unknownToGrammar)
        #expect(sure.action == .run && sure.confidence >= 0.3)
        let twoNear: [(kind: IntentExamples.Kind, text: String)] = [(.test, "build"), (.lint, "build")]
        #expect(try reader(twoNear, threshold: cosine + band / 2).interpret(Self.unknownToGrammar).action == .none)
    }

    @Test func aWeakMatchIsAskedAboutAndACloseOneActedOn() {
        let reader = OfflineIntentReader(grammar: RulesGrammar(), threshold: 0.55)
        #expect(reader.confidence(0.55) == 0.3)
        #expect(reader.confidence(1) == 1)
        // the default --ask-below is 0.5: a cosine a little over the threshold asks first
        #expect(reader.confidence(0.62) < IntentFilterConfiguration.defaultAskBelow)
        #expect(reader.confidence(0.75) > IntentFilterConfiguration.defaultAskBelow)
    }

    @Test func theExampleEmbeddingsAreCachedAndReadBack() throws {
        try withTemporaryDirectory { cache in
            let embedder = try SentenceEmbedder(directory: Self.tinyModel)
            let examples: [(kind: IntentExamples.Kind, text: String)] = [(.test, "run the tests"), (.stop, "stop")]
            let first = ParaphraseMatcher(embedder: embedder, examples: examples, cacheDirectory: cache)
            let files = try FileManager.default.contentsOfDirectory(atPath: cache)
            #expect(files.count == 1 && files[0].hasPrefix("intent-examples-"))
            let second = ParaphraseMatcher(embedder: embedder, examples: examples, cacheDirectory: cache)
            #expect(second.vectors == first.vectors)
            // Other examples: another file, never the stale vectors.
            _ = ParaphraseMatcher(embedder: embedder, examples: [(.build, "build")], cacheDirectory: cache)
            #expect(try FileManager.default.contentsOfDirectory(atPath: cache).count == 2)
        }
    }

    @Test func everyExampleKindHasEnoughExamples() {
        for kind in IntentExamples.Kind.allCases {
            let count = IntentExamples.all.filter { $0.kind == kind }.count
            #expect(count >= 5, "\(kind) has \(count) examples")
        }
    }
}
