import Foundation
import MybroCore
import Testing

@testable import MybroWhisper

@Suite struct VocabularyTests {
    @Test func byteLevelTokensDecodeToUTF8() throws {
        // "Ġ" is the space byte, "Ã©" the two bytes of "é"; "Ã" alone then "©" split a character.
        var tokens = TinyModel.vocabulary
        tokens.replaceSubrange(0..<5, with: ["Ġhello", "Ã©", "Ã", "©", "Ċ"])
        let vocabulary = try Vocabulary(tokens: tokens)
        let base = 0
        #expect(vocabulary.text(of: [base]) == " hello")
        #expect(vocabulary.text(of: [base + 1]) == "é")
        #expect(vocabulary.text(of: [base + 2, base + 3]) == "é")
        #expect(vocabulary.text(of: [base + 4]) == "\n")
        // control and timestamp tokens are not text
        #expect(
            vocabulary.text(of: [vocabulary.special.startOfTranscript, base, vocabulary.special.timestampBegin + 5])
                == " hello")
    }

    @Test func anInvalidSequenceBecomesAReplacementCharacter() throws {
        var tokens = TinyModel.vocabulary
        tokens[0] = "Ã"
        let vocabulary = try Vocabulary(tokens: tokens)
        #expect(vocabulary.text(of: [0]) == "\u{FFFD}")
    }

    @Test func aVocabularyWithoutControlTokensIsRefused() {
        #expect(throws: (any Error).self) { try Vocabulary(tokens: ["a", "b"]) }
    }

    @Test func everyByteHasAPrintableCharacter() {
        let characters = Set(ByteLevelAlphabet.byteToCharacter)
        #expect(characters.count == 256)
        #expect(ByteLevelAlphabet.byteToCharacter[32] == "Ġ")
        #expect(ByteLevelAlphabet.byteToCharacter[10] == "Ċ")
    }
}

@Suite struct BPEEncoderTests {
    @Test func pretokenisationFollowsGPT2sPattern() {
        #expect(
            BPEEncoder.pretokenize("Hello world! It's  42x") == ["Hello", " world", "!", " It", "'s", " ", " 42", "x"])
        #expect(BPEEncoder.pretokenize(" don't\nNew") == [" don", "'t", "\n", "New"])
    }

    @Test func mergesApplyLowestRankFirst() throws {
        var tokens = TinyModel.vocabulary
        tokens.replaceSubrange(0..<3, with: ["ll", "hell", "Ġhello"])
        let vocabulary = try Vocabulary(tokens: tokens + ["he"])
        // "he" is not a text token here (it sits after end-of-text), so "h e" merges only through "hell"
        let encoder = BPEEncoder(merges: ["l l", "h e", "he ll", "Ġ hell", "Ġhell o"], vocabulary: vocabulary)
        let hello = encoder.encode(" hello")
        #expect(hello == [2])
        #expect(vocabulary.text(of: encoder.encode(" hello world")) == " hello world")
    }

    /// Reference ids: the Hugging Face `tokenizers` library on the model's tokenizer.json
    /// (Tests/Fixtures/whisper/bpe-expected.jsonl).
    @Test(.enabled(if: TestPaths.realModel != nil, "the tiny.en model is not installed: run scripts/setup-model.sh"))
    func matchesHuggingFaceTokenizers() throws {
        let directory = try #require(TestPaths.realModel)
        let model = try WhisperModel.load(directory: directory)
        let encoder = try BPEEncoder.load(tokenizerJSON: directory + "/tokenizer.json", vocabulary: model.vocabulary)
        let lines = try String(contentsOfFile: TestPaths.fixtures + "/bpe-expected.jsonl", encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 6)
        for line in lines {
            let object = try #require(try JSONParser.parse(String(line)).objectValue)
            let text = try #require(object["text"]?.stringValue)
            let ids = try #require(object["ids"]?.arrayValue).compactMap(\.intValue)
            #expect(encoder.encode(text) == ids, "\(text)")
            #expect(model.vocabulary.text(of: ids) == text)
        }
    }
}
