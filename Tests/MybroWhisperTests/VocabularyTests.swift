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
        #expect(vocabulary.text(of: [vocabulary.special.startOfTranscript, base, vocabulary.special.timestampBegin + 5]) == " hello")
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
