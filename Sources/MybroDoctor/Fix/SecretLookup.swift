import Foundation

/// Rewrites `NAME = "secret"` so the value comes from the environment variable NAME, where the
/// language makes that one unambiguous line: Python, JavaScript/TypeScript and shell.
enum SecretLookup {
    struct Replacement {
        let line: String
        let importLine: String?
    }

    static func replacement(line: String, secret: String, file: String) -> Replacement? {
        guard !secret.isEmpty, line.contains(secret) else { return nil }
        let ext = file.split(separator: ".").count > 1 ? String(file.split(separator: ".").last!).lowercased() : ""
        let indent = String(line.prefix { $0 == " " || $0 == "\t" })
        var body = Substring(line.dropFirst(indent.count))
        switch ext {
        case "py":
            guard let (name, value, rest) = assignment(body, operators: ["="]), value == secret, rest.isEmpty else {
                return nil
            }
            return Replacement(
                line: "\(indent)\(name) = os.environ[\"\(envName(name))\"]", importLine: "import os")
        case "js", "mjs", "cjs", "ts", "jsx", "tsx":
            var keyword = ""
            for candidate in ["const ", "let ", "var ", "export const ", "export let "] where body.hasPrefix(candidate)
            {
                keyword = candidate
            }
            body = body.dropFirst(keyword.count)
            guard let (name, value, rest) = assignment(body, operators: ["="]), value == secret,
                rest.isEmpty || rest == ";"
            else { return nil }
            return Replacement(
                line: "\(indent)\(keyword)\(name) = process.env.\(envName(name))\(rest)", importLine: nil)
        case "sh", "bash", "zsh":
            let export = body.hasPrefix("export ") ? "export " : ""
            body = body.dropFirst(export.count)
            guard let equals = body.firstIndex(of: "="), !body[..<equals].contains(" ") else { return nil }
            let name = String(body[..<equals])
            var value = body[body.index(after: equals)...]
            if let first = value.first, first == "\"" || first == "'", value.last == first, value.count >= 2 {
                value = value.dropFirst().dropLast()
            }
            guard value == secret, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
            let variable = envName(name)
            return Replacement(
                line: "\(indent)\(export)\(name)=\"${\(variable):?set \(variable) in the environment}\"",
                importLine: nil)
        default:
            return nil
        }
    }

    /// `name <op> "value"` followed by `rest` (whitespace trimmed).
    static func assignment(_ body: Substring, operators: [String]) -> (String, String, String)? {
        let name = body.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        guard !name.isEmpty else { return nil }
        var rest = body.dropFirst(name.count).drop { $0 == " " }
        guard let op = operators.first(where: { rest.hasPrefix($0) }) else { return nil }
        rest = rest.dropFirst(op.count).drop { $0 == " " }
        guard let quote = rest.first, quote == "\"" || quote == "'" || quote == "`" else { return nil }
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: quote) else { return nil }
        let value = String(rest[..<close])
        let tail = rest[rest.index(after: close)...].trimmingCharacters(in: .whitespaces)
        return (String(name), value, tail)
    }

    static func envName(_ name: String) -> String {
        var result = ""
        var previousLower = false
        for character in name {
            if character.isUppercase && previousLower { result.append("_") }
            result += character.uppercased()
            previousLower = character.isLowercase || character.isNumber
        }
        return result
    }
}
