import Foundation
import MybroCore

/// The decoding metadata of a CTranslate2 Whisper directory's `config.json`.
public struct ModelConfig: Sendable {
    /// Tokens whose logits are −∞ at every step (OpenAI's `suppress_tokens`).
    public var suppressTokens: [Int]
    /// Tokens suppressed at the first sampled step only ("suppress blank": space and end-of-text).
    public var suppressAtBegin: [Int]
    /// Language token ids, for multilingual models.
    public var languageTokens: [Int]

    public init(suppressTokens: [Int], suppressAtBegin: [Int], languageTokens: [Int]) {
        self.suppressTokens = suppressTokens
        self.suppressAtBegin = suppressAtBegin
        self.languageTokens = languageTokens
    }

    public static func load(path: String) throws -> ModelConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MybroError("cannot read \(path); run `make setup` to reinstall the model", status: .noInput)
        }
        let value: JSONValue
        do {
            value = try data.withUnsafeBytes { try JSONParser.parse($0.bindMemory(to: UInt8.self)) }
        } catch {
            throw MybroError("\(path) is not valid JSON: \(error)", status: .dataError)
        }
        guard let object = value.objectValue else {
            throw MybroError("\(path) is not a JSON object", status: .dataError)
        }
        func integers(_ key: String) throws -> [Int] {
            guard let field = object[key] else { return [] }
            guard let array = field.arrayValue else {
                throw MybroError("\(path): \"\(key)\" is not an array of token ids", status: .dataError)
            }
            return try array.map {
                guard let id = $0.intValue, id >= 0 else {
                    throw MybroError("\(path): \"\(key)\" holds a value that is not a token id", status: .dataError)
                }
                return id
            }
        }
        return ModelConfig(suppressTokens: try integers("suppress_ids"),
                           suppressAtBegin: try integers("suppress_ids_begin"),
                           languageTokens: try integers("lang_ids"))
    }
}
