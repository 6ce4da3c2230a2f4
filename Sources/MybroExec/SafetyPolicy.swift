import Foundation
import MybroCore

/// What the safety policy decides about a command or a Claude Code prompt.
public enum PolicyVerdict: Equatable, Sendable {
    /// Runs at once.
    case allow
    /// Waits for a spoken yes.
    case confirm(reason: String)
    /// Never runs.
    case deny(reason: String)
}

/// The safety policy: a misheard word must never destroy anything.
///
/// A policy file has one rule per line, `VERB REGEX`, where VERB is
///   `deny`            a command matching REGEX never runs;
///   `confirm`         a command matching REGEX waits for a spoken yes, even if allowed;
///   `allow`           a command matching REGEX runs at once;
///   `confirm-prompt`  a Claude Code prompt matching REGEX waits for a spoken yes.
/// `#` starts a comment line. REGEX is an ICU regular expression, matched anywhere (anchor it
/// with ^ and $). Deny is checked on the whole command and on each part of a chain
/// (`;`, `&&`, `||`, `|`, `&`, newlines); a command runs at once only when every part is
/// allowed and it has no command substitution or file redirection; everything else waits for
/// a yes.
public struct SafetyPolicy: Sendable {
    struct Rule: @unchecked Sendable {
        var pattern: NSRegularExpression
        var source: String
        var line: Int
        func matches(_ text: String) -> Bool {
            pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }

    var deny: [Rule] = []
    var confirm: [Rule] = []
    var allow: [Rule] = []
    var confirmPrompt: [Rule] = []

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public init(text: String) throws(ParseError) {
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                throw ParseError(
                    line: number, reason: "expected \"VERB REGEX\" (verbs: deny, confirm, allow, confirm-prompt)")
            }
            let verb = String(line[..<space])
            let source = line[space...].trimmingCharacters(in: .whitespaces)
            let pattern: NSRegularExpression
            do {
                pattern = try NSRegularExpression(pattern: source)
            } catch {
                throw ParseError(line: number, reason: "invalid regular expression \(source)")
            }
            let rule = Rule(pattern: pattern, source: source, line: number)
            switch verb {
            case "deny": deny.append(rule)
            case "confirm": confirm.append(rule)
            case "allow": allow.append(rule)
            case "confirm-prompt": confirmPrompt.append(rule)
            default:
                throw ParseError(
                    line: number, reason: "unknown verb \"\(verb)\" (verbs: deny, confirm, allow, confirm-prompt)")
            }
        }
    }

    /// Reads a policy file; the error names the file, the line and the fix.
    public static func load(path: String) throws -> SafetyPolicy {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw MybroError("cannot read the policy file \(path): check the path", status: .noInput)
        }
        do {
            return try SafetyPolicy(text: text)
        } catch {
            throw MybroError("policy file \(path): \(error)", status: .configuration)
        }
    }

    public static let shipped: SafetyPolicy = {
        do {
            return try SafetyPolicy(text: defaultText)
        } catch {
            fatalError("the shipped safety policy does not parse: \(error)")
        }
    }()

    /// The verdict for a shell command.
    public func evaluate(command: String) -> PolicyVerdict {
        let parts = ShellCommandParts.split(command)
        for text in [command] + parts.segments {
            if let rule = deny.first(where: { $0.matches(text) }) {
                return .deny(reason: "it matches the deny rule on line \(rule.line) (\(rule.source))")
            }
        }
        for text in [command] + parts.segments {
            if let rule = confirm.first(where: { $0.matches(text) }) {
                return .confirm(reason: "it matches the confirm rule on line \(rule.line)")
            }
        }
        if let construct = parts.riskyConstruct {
            return .confirm(reason: "it uses \(construct)")
        }
        if parts.segments.isEmpty { return .confirm(reason: "it is empty") }
        for segment in parts.segments {
            // `2>&1` and `>/dev/null` change nothing that matters: judge the command without them.
            let bare = segment.replacingOccurrences(
                of: #"\s*\d*>\s*(&\d|/dev/null)"#, with: "", options: .regularExpression)
            if !allow.contains(where: { $0.matches(bare) }) {
                return .confirm(reason: "\"\(segment)\" is not on the allow list")
            }
        }
        return .allow
    }

    /// The verdict for a task handed to Claude Code (it can edit files and run tools).
    public func evaluate(prompt: String) -> PolicyVerdict {
        if let rule = confirmPrompt.first(where: { $0.matches(prompt) }) {
            return .confirm(reason: "it matches the confirm-prompt rule on line \(rule.line)")
        }
        return .allow
    }
}

/// A shell command cut at its chaining operators, outside quotes, and what makes it unsafe to
/// judge by its words alone.
struct ShellCommandParts {
    var segments: [String]
    var riskyConstruct: String?

    static func split(_ command: String) -> ShellCommandParts {
        var segments: [String] = []
        var current = ""
        var risky: String?
        var quote: Character?
        let characters = Array(command)
        var index = 0
        func flush() {
            let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { segments.append(trimmed) }
            current = ""
        }
        while index < characters.count {
            let character = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            if let open = quote {
                if character == open { quote = nil }
                if open == "\"" && (character == "`" || (character == "$" && next == "(")) {
                    risky = risky ?? "command substitution"
                }
                current.append(character)
                index += 1
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                current.append(character)
            case "`":
                risky = risky ?? "command substitution"
                current.append(character)
            case "$" where next == "(":
                risky = risky ?? "command substitution"
                current.append(character)
            case ";", "\n", "|", "&":
                if character == "&", index > 0, characters[index - 1] == ">" {
                    current.append(character)  // 2>&1
                } else if character == "&", next == ">" {
                    risky = risky ?? "output redirection"
                    current.append(character)
                } else {
                    flush()
                    if (character == "|" || character == "&") && next == character { index += 1 }
                }
            case ">":
                if !Self.isHarmlessRedirection(characters, at: index) { risky = risky ?? "output redirection" }
                current.append(character)
            case "<" where next == "(":
                risky = risky ?? "process substitution"
                current.append(character)
            default:
                current.append(character)
            }
            index += 1
        }
        flush()
        return ShellCommandParts(segments: segments, riskyConstruct: risky)
    }

    /// `2>&1`, `>/dev/null` and `2>/dev/null` write nowhere that matters.
    static func isHarmlessRedirection(_ characters: [Character], at index: Int) -> Bool {
        let rest = String(characters[(index + 1)...]).drop { $0 == " " }
        return rest.hasPrefix("&1") || rest.hasPrefix("&2") || rest.hasPrefix("/dev/null")
    }
}
