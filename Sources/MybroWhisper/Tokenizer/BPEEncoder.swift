import Foundation
import MybroCore

/// Text → token ids with GPT-2's byte-level BPE, as Whisper's tokenizer encodes a prompt:
/// split with GPT-2's pre-tokenisation pattern, map bytes to printable characters, apply the
/// merges (from the model directory's `tokenizer.json`) lowest rank first, look tokens up in
/// the vocabulary.
public struct BPEEncoder: Sendable {
    let ranks: [String: Int]
    let ids: [String: Int]

    public init(merges: [String], vocabulary: Vocabulary) {
        var ranks: [String: Int] = [:]
        for (rank, merge) in merges.enumerated() where ranks[merge] == nil { ranks[merge] = rank }
        self.ranks = ranks
        var ids: [String: Int] = [:]
        for (id, token) in vocabulary.tokens.enumerated() where id < vocabulary.special.endOfText && ids[token] == nil {
            ids[token] = id
        }
        self.ids = ids
    }

    /// Reads the merges of a Hugging Face `tokenizer.json` (strings "a b" or pairs ["a", "b"]).
    public static func load(tokenizerJSON path: String, vocabulary: Vocabulary) throws -> BPEEncoder {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MybroError("cannot read \(path), needed to encode --initial-prompt; run `make setup` again",
                             status: .noInput)
        }
        let value: JSONValue
        do {
            value = try data.withUnsafeBytes { try JSONParser.parse($0.bindMemory(to: UInt8.self)) }
        } catch {
            throw MybroError("\(path) is not valid JSON: \(error)", status: .dataError)
        }
        guard let merges = value.objectValue?["model"]?.objectValue?["merges"]?.arrayValue else {
            throw MybroError("\(path) has no BPE merges (model.merges)", status: .dataError)
        }
        let strings = merges.compactMap { merge -> String? in
            if let text = merge.stringValue { return text }
            if let pair = merge.arrayValue, pair.count == 2, let a = pair[0].stringValue, let b = pair[1].stringValue {
                return a + " " + b
            }
            return nil
        }
        return BPEEncoder(merges: strings, vocabulary: vocabulary)
    }

    public func encode(_ text: String) -> [Int] {
        var result: [Int] = []
        for piece in Self.pretokenize(text) {
            let mapped = Array(piece.utf8).map { String(ByteLevelAlphabet.byteToCharacter[Int($0)]) }
            for token in merge(mapped) {
                if let id = ids[token] {
                    result.append(id)
                } else {
                    // unreachable with a complete vocabulary: fall back to single bytes
                    for scalar in token.unicodeScalars { if let id = ids[String(scalar)] { result.append(id) } }
                }
            }
        }
        return result
    }

    private func merge(_ symbols: [String]) -> [String] {
        var parts = symbols
        while parts.count > 1 {
            var best = Int.max, index = -1
            for i in 0..<(parts.count - 1) {
                if let rank = ranks[parts[i] + " " + parts[i + 1]], rank < best {
                    best = rank
                    index = i
                }
            }
            if index < 0 { break }
            // merge every occurrence of this pair, left to right
            let left = parts[index], right = parts[index + 1]
            var merged: [String] = []
            var i = 0
            while i < parts.count {
                if i < parts.count - 1 && parts[i] == left && parts[i + 1] == right {
                    merged.append(left + right)
                    i += 2
                } else {
                    merged.append(parts[i])
                    i += 1
                }
            }
            parts = merged
        }
        return parts
    }

    /// GPT-2's pattern: 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
    static func pretokenize(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        let n = scalars.count
        func kind(_ s: Unicode.Scalar) -> Int {
            if s.properties.isWhitespace { return 0 }
            switch s.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return 1
            case .decimalNumber, .letterNumber, .otherNumber: return 2
            default: return 3
            }
        }
        var pieces: [String] = []
        func piece(_ from: Int, _ to: Int) {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[from..<to])
            pieces.append(String(view))
        }
        let contractions = ["s", "t", "re", "ve", "m", "ll", "d"].map { Array($0.unicodeScalars) }
        var i = 0
        scanning: while i < n {
            if scalars[i] == "'" {
                for suffix in contractions {
                    let end = i + 1 + suffix.count
                    if end <= n && Array(scalars[(i + 1)..<end]) == suffix {
                        piece(i, end)
                        i = end
                        continue scanning
                    }
                }
            }
            var body = i
            if scalars[i] == " " && i + 1 < n && kind(scalars[i + 1]) != 0 { body = i + 1 }
            let k = kind(scalars[body])
            if k != 0 {
                var end = body + 1
                while end < n && kind(scalars[end]) == k { end += 1 }
                piece(i, end)
                i = end
                continue
            }
            // whitespace, leaving the last one to a following word (\s+(?!\S))
            var end = i
            while end < n && kind(scalars[end]) == 0 { end += 1 }
            if end < n && end - i > 1 { end -= 1 }
            piece(i, end)
            i = end
        }
        return pieces
    }
}
