import Foundation
import MybroCore

/// The id → token table (CTranslate2's `vocabulary.txt`: line i is token i) and the
/// special tokens Whisper's decoding needs, found by name.
public struct Vocabulary: Sendable {
    public let tokens: [String]
    /// Each token's bytes after undoing GPT-2's byte-to-printable-character mapping.
    let tokenBytes: [[UInt8]]
    public let special: SpecialTokens

    public init(tokens: [String]) throws {
        self.tokens = tokens
        var index: [String: Int] = [:]
        for (id, token) in tokens.enumerated() where token.hasPrefix("<|") { index[token] = id }
        special = try SpecialTokens(index: index, count: tokens.count)
        let decoding = ByteLevelAlphabet.characterToByte
        tokenBytes = tokens.map { token in
            var bytes: [UInt8] = []
            for scalar in token.unicodeScalars {
                if let byte = decoding[scalar] { bytes.append(byte) } else { bytes.append(contentsOf: Array(String(scalar).utf8)) }
            }
            return bytes
        }
    }

    public static func load(path: String) throws -> Vocabulary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MybroError("cannot read \(path); run `make setup` to reinstall the model", status: .noInput)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw MybroError("\(path) is not UTF-8 text", status: .dataError)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        do {
            return try Vocabulary(tokens: lines)
        } catch let error as MybroError {
            throw MybroError("\(path): \(error.message)", status: error.status)
        }
    }

    /// The text of a token sequence: text tokens (below end-of-text) as UTF-8, with invalid
    /// sequences replaced by U+FFFD, as Whisper's tokenizer decodes.
    public func text(of ids: [Int]) -> String {
        var bytes: [UInt8] = []
        for id in ids where id >= 0 && id < special.endOfText { bytes.append(contentsOf: tokenBytes[id]) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Ids of Whisper's control tokens in a given vocabulary.
public struct SpecialTokens: Sendable {
    public let endOfText: Int
    public let startOfTranscript: Int
    public let translate: Int
    public let transcribe: Int
    public let startOfPrevious: Int
    public let noSpeech: Int
    public let noTimestamps: Int
    public let timestampBegin: Int
    /// Language codes ("en", "de", …) to their token ids.
    public let languages: [String: Int]

    init(index: [String: Int], count: Int) throws {
        func find(_ names: String...) throws -> Int {
            for name in names { if let id = index[name] { return id } }
            throw MybroError("the vocabulary has no \(names[0]) token; is it a Whisper vocabulary?", status: .dataError)
        }
        endOfText = try find("<|endoftext|>")
        startOfTranscript = try find("<|startoftranscript|>")
        translate = try find("<|translate|>")
        transcribe = try find("<|transcribe|>")
        startOfPrevious = try find("<|startofprev|>")
        noSpeech = try find("<|nospeech|>", "<|nocaptions|>")
        noTimestamps = try find("<|notimestamps|>")
        timestampBegin = noTimestamps + 1
        var languages: [String: Int] = [:]
        for id in (startOfTranscript + 1)..<translate {
            if let name = index.first(where: { $0.value == id })?.key {
                languages[String(name.dropFirst(2).dropLast(2))] = id
            }
        }
        self.languages = languages
    }

    public func isTimestamp(_ id: Int) -> Bool { id >= timestampBegin }
}

/// GPT-2's byte-level alphabet: every byte as a printable character (printable Latin-1
/// bytes stand for themselves; the others are shifted to U+0100 onwards, in byte order).
enum ByteLevelAlphabet {
    static let byteToCharacter: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var shifted: UInt32 = 256
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                table[byte] = Unicode.Scalar(shifted)!
                shifted += 1
            }
        }
        return table
    }()

    static let characterToByte: [Unicode.Scalar: UInt8] = {
        var map: [Unicode.Scalar: UInt8] = [:]
        for (byte, scalar) in byteToCharacter.enumerated() { map[scalar] = UInt8(byte) }
        return map
    }()
}
