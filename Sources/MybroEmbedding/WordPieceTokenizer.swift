import Foundation

/// BERT's uncased WordPiece tokenizer, as all-MiniLM-L6-v2 was trained with it: the basic
/// tokenizer (clean, lower-case, strip accents, split off punctuation and CJK characters),
/// then greedy longest-match-first pieces with the "##" prefix for a word's continuations.
/// Token ids must match training exactly, so every rule here follows BERT's reference
/// tokenizer (google-research/bert tokenization.py), not a simplification of it.
public struct WordPieceTokenizer: Sendable {
    public let vocabulary: [String: Int32]
    public let unknownID: Int32
    public let classifierID: Int32
    public let separatorID: Int32
    /// BERT gives up on longer words (they become one [UNK]): they are noise, not language.
    public static let maxCharactersPerWord = 100

    /// `tokens`: the vocabulary in id order (vocab.txt, one token a line).
    public init(tokens: [String]) throws {
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() where vocabulary[token] == nil {
            vocabulary[token] = Int32(index)
        }
        guard let unknown = vocabulary["[UNK]"], let classifier = vocabulary["[CLS]"],
            let separator = vocabulary["[SEP]"]
        else { throw EmbeddingModelError.malformed("the vocabulary lacks [UNK], [CLS] or [SEP]") }
        self.vocabulary = vocabulary
        self.unknownID = unknown
        self.classifierID = classifier
        self.separatorID = separator
    }

    /// Reads vocab.txt (one token a line, the line number is the id).
    public init(vocabularyFile path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw EmbeddingModelError.missing(path)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        try self.init(tokens: lines)
    }

    /// The ids the model reads: [CLS], the pieces, [SEP]; at most `maxLength` in all
    /// (the pieces are cut, as sentence-transformers truncates to max_seq_length).
    public func encode(_ text: String, maxLength: Int = 256) -> [Int32] {
        var ids: [Int32] = [classifierID]
        for word in Self.basicTokens(text) {
            ids += pieces(of: word)
            if ids.count >= maxLength - 1 { break }
        }
        if ids.count > maxLength - 1 { ids.removeLast(ids.count - (maxLength - 1)) }
        ids.append(separatorID)
        return ids
    }

    /// The WordPiece ids of one basic token; one [UNK] when it cannot be spelled with the vocabulary.
    public func pieces(of word: String) -> [Int32] {
        let characters = Array(word.unicodeScalars)
        if characters.count > Self.maxCharactersPerWord { return [unknownID] }
        var result: [Int32] = []
        var start = 0
        while start < characters.count {
            var end = characters.count
            var found: Int32?
            while start < end {
                var candidate = String(String.UnicodeScalarView(characters[start..<end]))
                if start > 0 { candidate = "##" + candidate }
                if let id = vocabulary[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else { return [unknownID] }
            result.append(found)
            start = end
        }
        return result
    }

    /// The basic tokenizer: words and single punctuation marks, lower-cased, without accents.
    public static func basicTokens(_ text: String) -> [String] {
        var spaced = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0 || value == 0xFFFD || isControl(scalar) { continue }
            if isWhitespace(scalar) {
                spaced.append(" ")
            } else if isCJK(value) {
                spaced.append(" ")
                spaced.append(scalar)
                spaced.append(" ")
            } else {
                spaced.append(scalar)
            }
        }
        var tokens: [String] = []
        for word in String(spaced).split(separator: " ") {
            // Lower-case, then decompose and drop the combining marks: "Héllo" → "hello".
            let folded = word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars.filter {
                $0.properties.generalCategory != .nonspacingMark
            }
            var current = String.UnicodeScalarView()
            for scalar in folded {
                if isPunctuation(scalar) {
                    if !current.isEmpty { tokens.append(String(current)) }
                    current = String.UnicodeScalarView()
                    tokens.append(String(scalar))
                } else {
                    current.append(scalar)
                }
            }
            if !current.isEmpty { tokens.append(String(current)) }
        }
        return tokens
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if [" ", "\t", "\n", "\r"].contains(scalar) { return true }
        return scalar.properties.generalCategory == .spaceSeparator
    }

    /// Tab, newline and carriage return count as whitespace, not control (as in BERT).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if ["\t", "\n", "\r"].contains(scalar) { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate, .unassigned: return true
        default: return false
        }
    }

    /// BERT counts every non-alphanumeric ASCII character ("$", "^", "`") as punctuation, besides Unicode's P*.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
            || (123...126).contains(value)
        {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// The CJK Unified Ideograph blocks, which BERT splits into single characters.
    static func isCJK(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x20000...0x2A6DF).contains(value)
            || (0x2A700...0x2B73F).contains(value) || (0x2B740...0x2B81F).contains(value)
            || (0x2B820...0x2CEAF).contains(value) || (0xF900...0xFAFF).contains(value)
            || (0x2F800...0x2FA1F).contains(value)
    }
}
