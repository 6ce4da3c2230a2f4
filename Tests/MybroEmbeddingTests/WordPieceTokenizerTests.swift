import Testing

@testable import MybroEmbedding

/// A vocabulary small enough to reason about by hand; ids are the positions.
private let vocabulary = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "run", "the", "test", "##s", "un", "##want", "##ed", ",", "!", "-", "hello",
    "world", "cafe", "naive", "a", "##b", "##c", "中", "$",
]

private func tokenizer() throws -> WordPieceTokenizer { try WordPieceTokenizer(tokens: vocabulary) }

private func ids(_ tokens: [String]) -> [Int32] { tokens.map { Int32(vocabulary.firstIndex(of: $0)!) } }

@Suite struct WordPieceTokenizerTests {
    @Test func lowerCasesAndWrapsInClassifierAndSeparator() throws {
        #expect(try tokenizer().encode("Run the Tests") == ids(["[CLS]", "run", "the", "test", "##s", "[SEP]"]))
    }

    @Test func splitsWordsIntoLongestPiecesFirst() throws {
        #expect(try tokenizer().pieces(of: "unwanted") == ids(["un", "##want", "##ed"]))
    }

    @Test func stripsAccentsAfterLowerCasing() throws {
        #expect(WordPieceTokenizer.basicTokens("Café NAÏVE") == ["cafe", "naive"])
        #expect(try tokenizer().encode("Café") == ids(["[CLS]", "cafe", "[SEP]"]))
    }

    @Test func splitsOffEveryPunctuationMarkAsItsOwnToken() throws {
        #expect(WordPieceTokenizer.basicTokens("hello,world!") == ["hello", ",", "world", "!"])
        // BERT counts all non-alphanumeric ASCII as punctuation, "$" and "-" included.
        #expect(WordPieceTokenizer.basicTokens("a-b $5") == ["a", "-", "b", "$", "5"])
        #expect(try tokenizer().encode("hello, world!") == ids(["[CLS]", "hello", ",", "world", "!", "[SEP]"]))
    }

    @Test func aWordThatCannotBeSpelledIsOneUnknown() throws {
        // "abx": "a", "##b", then nothing spells "x": the whole word is [UNK], not a partial spelling.
        #expect(try tokenizer().pieces(of: "abx") == ids(["[UNK]"]))
        #expect(try tokenizer().encode("run zzz") == ids(["[CLS]", "run", "[UNK]", "[SEP]"]))
    }

    @Test func aWordOverAHundredCharactersIsUnknownEvenIfSpellable() throws {
        let long = "a" + String(repeating: "b", count: 100)
        #expect(try tokenizer().pieces(of: String(long.dropLast())) == ids(["a"] + Array(repeating: "##b", count: 99)))
        #expect(try tokenizer().pieces(of: long) == ids(["[UNK]"]))
    }

    @Test func controlCharactersVanishAndWhitespaceSeparates() throws {
        #expect(
            WordPieceTokenizer.basicTokens("run\u{0}\tthe\u{200B}\ntests\u{00A0}now") == ["run", "the", "tests", "now"])
    }

    @Test func chineseCharactersAreSplitOneByOne() throws {
        #expect(WordPieceTokenizer.basicTokens("run中中") == ["run", "中", "中"])
    }

    @Test func longInputIsCutToTheMaximumWithSeparatorKept() throws {
        let encoded = try tokenizer().encode(String(repeating: "run ", count: 50), maxLength: 8)
        #expect(encoded == ids(["[CLS]"] + Array(repeating: "run", count: 6) + ["[SEP]"]))
    }

    @Test func aVocabularyWithoutSpecialTokensIsRejected() {
        #expect(throws: EmbeddingModelError.self) { try WordPieceTokenizer(tokens: ["run", "the"]) }
    }
}
