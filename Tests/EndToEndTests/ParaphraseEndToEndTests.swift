import Foundation
import MybroEmbedding
import MybroTestSupport
import Testing

/// mybro-intent's rules backend in a pipeline, with and without the sentence-embedding model:
/// a paraphrase the grammar alone reads as a coding request (it starts like one) becomes the
/// test task once the model is installed; --no-embedding gives the grammar's reading back.
@Suite(
    .enabled(
        if: EmbeddingModelDirectory.isInstalled(EmbeddingModelDirectory.resolve(option: nil)),
        "all-MiniLM-L6-v2 is not installed: run scripts/setup-embedding-model.sh (make setup)"))
struct ParaphraseEndToEndTests {
    static let paraphrase = "could you take the test suite out for a drive"

    func intents(_ options: String, cache: String) throws -> [[String: Any]] {
        let result = try shell(
            "echo \(shellQuoted(Self.paraphrase)) | mybro-intent --backend rules --no-none-reply \(options)",
            environment: ["XDG_CACHE_HOME": cache])
        #expect(result.status == 0, "\(result.stderr)")
        return try result.stdoutLines.compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["type"] as? String == "intent" }
    }

    @Test func aParaphraseTheGrammarMissesIsUnderstood() throws {
        try withTemporaryDirectory("mybro-paraphrase") { cache in
            let grammarAlone = try intents("--no-embedding --ask-below 0", cache: cache)
            #expect(grammarAlone.count == 1 && grammarAlone.first?["action"] as? String == "code")
            let withModel = try intents("--ask-below 0", cache: cache)
            #expect(withModel.count == 1)
            #expect(withModel.first?["action"] as? String == "run" && withModel.first?["task"] as? String == "test")
            #expect(withModel.first?["backend"] as? String == "embedding")
            // The first run saved the examples' embeddings; the second reads them back.
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: cache + "/mybro").contains {
                    $0.hasPrefix("intent-examples-")
                })
        }
    }

}

/// Without a model the rules backend is the grammar alone: one warning when a model was named.
@Suite struct ParaphraseWithoutModelTests {
    @Test func aModelThatIsNotThereLeavesTheGrammarWithOneWarning() throws {
        try withTemporaryDirectory("mybro-paraphrase") { cache in
            let result = try shell(
                "echo \(shellQuoted(ParaphraseEndToEndTests.paraphrase)) | mybro-intent --backend rules --ask-below 0 "
                    + "--no-none-reply "
                    + "--embedding-model \(shellQuoted(cache + "/absent"))")
            #expect(result.status == 0)
            #expect(result.stderrLines.count == 1 && result.stderr.contains("warning"), "\(result.stderr)")
            #expect(result.stdoutText.contains(#""action":"code""#))
        }
    }
}
