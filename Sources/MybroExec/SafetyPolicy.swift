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
/// A command is parsed as sh would parse it (quotes, chains, pipes, redirections, substitutions,
/// wrappers such as `sudo`, `env`, `xargs`, `sh -c`), and every simple command in it is judged by
/// its tool, subcommand and flags against the rules of a policy file (see `defaultText` for the
/// format). The strictest verdict of the parts is the verdict of the whole.
public struct SafetyPolicy: Sendable {
    let rules: PolicyRules

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public init(text: String) throws(ParseError) {
        rules = try PolicyRules(text: text)
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

    /// The sandbox settings for shell jobs (`sandbox` and `secret-env` lines).
    public var sandbox: SandboxSettings { rules.sandbox }

    /// Whether an environment variable is a secret that shell jobs must not see.
    public func isSecretVariable(_ name: String) -> Bool { rules.sandbox.isSecretVariable(name) }

    /// The verdict for a shell command run in `workspace`.
    public func evaluate(command: String, workspace: String) -> PolicyVerdict {
        judge(command: command, workspace: workspace, home: Self.home).verdict
    }

    /// Whether every part of the command is known to change no file (no undo snapshot needed).
    public func isReadOnly(command: String, workspace: String) -> Bool {
        let judgement = judge(command: command, workspace: workspace, home: Self.home)
        if case .deny = judgement.verdict { return false }
        return judgement.readOnly
    }

    /// The longest command judged: the kernel takes no longer single argument (MAX_ARG_STRLEN
    /// is 128 KiB) and no spoken request comes near it.
    public static let maximumCommandBytes = 64 << 10
    /// The most simple commands in one line: judging costs about a millisecond each, and a stop
    /// or SIGTERM waits for the judge.
    public static let maximumSimpleCommands = 256
    /// How a refusal for size begins: it says why, where a rule's refusal names the deny list.
    public static let tooLongToJudge = "too long to judge: "
    /// How a refusal for a control character begins: a NUL ends the command where the shell
    /// reads it, not where the judge does, and other control characters are no spoken request.
    public static let controlCharacter = "it holds a control character: "

    func judge(command: String, workspace: String, home: String) -> Judgement {
        guard !command.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return Judgement(verdict: .confirm(reason: "it is empty"), readOnly: false)
        }
        if let control = command.unicodeScalars.first(where: {
            ($0.value < 0x20 && $0 != "\t" && $0 != "\n") || $0.value == 0x7F
        }) {
            return Judgement(
                verdict: .deny(reason: Self.controlCharacter + String(format: "U+%04X", control.value)), readOnly: false
            )
        }
        guard command.utf8.count <= Self.maximumCommandBytes else {
            return Judgement(
                verdict: .deny(
                    reason: Self.tooLongToJudge
                        + "it is \(command.utf8.count) bytes long (at most \(Self.maximumCommandBytes))"),
                readOnly: false)
        }
        var judge = CommandJudge(rules: rules, workspace: workspace, home: home)
        do {
            let script = try ShellParser.parse(command, home: home, workspace: judge.workspace)
            let count = script.simpleCommandCount
            guard count <= Self.maximumSimpleCommands else {
                return Judgement(
                    verdict: .deny(
                        reason: Self.tooLongToJudge
                            + "it holds \(count) commands (at most \(Self.maximumSimpleCommands) in one line)"),
                    readOnly: false)
            }
            judge.judge(script)
        } catch {
            return Judgement(verdict: .confirm(reason: "I can't parse it (\(error.reason))"), readOnly: false)
        }
        return judge.judgement
    }

    /// The verdict for a task handed to Claude Code (it can edit files and run tools) in `workspace`.
    public func evaluate(prompt: String, workspace: String) -> PolicyVerdict {
        for rule in rules.promptPatterns
        where rule.pattern.firstMatch(in: prompt, range: NSRange(prompt.startIndex..., in: prompt)) != nil {
            return .confirm(reason: "it matches the confirm-prompt rule on line \(rule.line)")
        }
        return PromptClassifier(workspace: workspace, home: Self.home).verdict(for: prompt)
    }

    static var home: String {
        ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }
}
