import Foundation
import MybroCore

/// The offline grammar: a small set of spoken phrases, tolerant of the noise a speech
/// recogniser adds (fillers, politeness, plurals, one-letter slips in longer words).
///
/// The phrase list is documented in mybro-intent(1); keep the two in step.
public struct RulesGrammar: Sendable {
    public static let backendName = "rules"

    public init() {}

    /// The intent for one transcript; `none` with confidence 0 when nothing matches.
    public func interpret(_ transcript: String, now: Date = Date()) -> Intent {
        let words = SpokenWords(transcript).strippingFillers()
        func intent(
            _ action: Intent.Action, _ confidence: Double, prompt: String? = nil, command: String? = nil,
            task: Intent.Task? = nil, text: String? = nil, job: Int? = nil
        ) -> Intent {
            Intent(
                action: action, prompt: prompt, command: command, task: task, text: text, job: job,
                confidence: confidence, backend: Self.backendName, transcript: transcript)
        }
        let keys = words.keys
        if keys.isEmpty { return intent(.none, 0) }

        if let match = Self.control(keys) { return intent(match.action, match.confidence) }
        if let undo = Self.undoRequest(keys) { return intent(.undo, 0.9, job: undo.job) }
        if let prompt = Self.claudeRequest(words) { return intent(.code, 0.9, prompt: prompt) }
        if let task = Self.projectTask(keys) { return intent(.run, 0.9, task: task) }
        if let command = Self.knownCommand(keys) { return intent(.run, 0.85, command: command) }
        if let answer = Self.clockAnswer(keys, now: now) { return intent(.answer, 0.9, text: answer) }
        if Self.isQuestionAboutCode(keys) { return intent(.code, 0.6, prompt: words.original(from: 0)) }
        if let command = Self.explicitRun(words) { return intent(.run, 0.6, command: command) }
        if Self.isCodingRequest(keys) { return intent(.code, 0.5, prompt: words.original(from: 0)) }
        return intent(.none, 0)
    }

    // MARK: stop, confirm, deny, status

    static let stopWords: Set<String> = ["stop", "cancel", "abort", "halt", "kill", "quit", "enough", "wait"]
    static let stopPhrases: [[String]] = [
        ["never", "mind"], ["nevermind"], ["forget", "it"], ["shut", "up"], ["be", "quiet"], ["quiet"],
        ["hold", "on"], ["hang", "on"], ["stop", "stop"],
    ]
    static let confirmPhrases: [[String]] = [
        ["yes"], ["yeah"], ["yep"], ["yup"], ["yes", "please"], ["sure"], ["ok"], ["okay"], ["do", "it"],
        ["go", "ahead"], ["go", "for", "it"], ["confirm"], ["confirmed"], ["correct"], ["affirmative"],
        ["yes", "do", "it"], ["yes", "go", "ahead"], ["that", "is", "right"], ["thats", "right"],
        ["sounds", "good"], ["run", "it"], ["approved"], ["approve"], ["absolutely"], ["of", "course"],
    ]
    static let denyPhrases: [[String]] = [
        ["no"], ["nope"], ["nah"], ["no", "thanks"], ["no", "thank", "you"], ["dont"], ["do", "not"],
        ["dont", "do", "it"], ["do", "not", "do", "it"], ["dont", "run", "it"], ["do", "not", "run", "it"],
        ["deny"], ["denied"], ["negative"], ["no", "way"], ["skip", "it"], ["skip"], ["reject"],
    ]
    static let statusPhrases: [[String]] = [
        ["status"], ["what", "is", "the", "status"], ["whats", "the", "status"], ["status", "report"],
        ["what", "is", "happening"], ["whats", "happening"], ["what", "are", "you", "doing"],
        ["how", "is", "it", "going"], ["hows", "it", "going"], ["are", "you", "done"], ["is", "it", "done"],
        ["is", "it", "finished"], ["are", "you", "finished"], ["what", "is", "running"], ["whats", "running"],
        ["progress"], ["where", "are", "we"], ["how", "far", "along"],
    ]

    static func control(_ keys: [String]) -> (action: Intent.Action, confidence: Double)? {
        if let first = keys.first, keys.count <= 4, stopWords.contains(first) || fuzzyContains(stopWords, first) {
            return (.stop, keys.count == 1 ? 0.95 : 0.85)
        }
        if matchesAny(keys, stopPhrases) { return (.stop, 0.9) }
        if matchesAny(keys, denyPhrases)
            || (keys.count > 1 && ["no", "nope", "nah"].contains(keys[0])
                && matchesAny(Array(keys.dropFirst()), denyPhrases))
        {
            return (.deny, 0.9)
        }
        if matchesAny(keys, confirmPhrases)
            || (keys.count > 1 && ["yes", "yeah", "yep", "sure", "ok", "okay"].contains(keys[0])
                && matchesAny(Array(keys.dropFirst()), confirmPhrases))
        {
            return (.confirm, 0.9)
        }
        if matchesAny(keys, statusPhrases) { return (.status, 0.9) }
        if keys.count <= 6, keys.contains("status"), !gitNames.contains(keys[0]) { return (.status, 0.75) }
        return nil
    }

    // MARK: undo

    static let undoVerbs: [[String]] = [["undo"], ["revert"], ["roll", "back"], ["rollback"], ["reverse"]]
    static let undoObjects: [[String]] = [
        [], ["that"], ["it"], ["this"], ["that", "change"], ["the", "change"], ["the", "changes"],
        ["the", "last", "change"], ["the", "last", "changes"], ["last", "change"], ["that", "last", "change"],
        ["the", "last", "job"], ["last", "job"], ["the", "last", "command"], ["the", "last", "one"],
        ["what", "you", "did"], ["what", "you", "just", "did"],
    ]
    /// "put it back", "take that back", "roll that back".
    static let undoSplitVerbs: [(String, String)] = [("put", "back"), ("take", "back"), ("roll", "back")]
    static let undoSplitObjects: [[String]] = [
        ["that"], ["it"], ["this"], ["that", "change"], ["the", "last", "change"],
    ]

    static let undoPhrases: [[String]] = {
        var phrases = undoVerbs.flatMap { verb in undoObjects.map { verb + $0 } }
        for (verb, particle) in undoSplitVerbs {
            phrases += undoSplitObjects.map { [verb] + $0 + [particle] }
        }
        phrases += [["put", "it", "all", "back"], ["put", "everything", "back"], ["undo", "the", "last", "thing"]]
        return phrases
    }()

    struct UndoRequest {
        /// The job named ("undo job 12"); nil: the last one.
        var job: Int?
    }

    /// An undo request: "undo that", "revert the last change", "put it back", "undo job 12".
    static func undoRequest(_ keys: [String]) -> UndoRequest? {
        if matchesAny(keys, undoPhrases) { return UndoRequest(job: nil) }
        // "undo job 12", "revert job number 12"
        var rest = keys[...]
        if let verb = undoVerbs.first(where: { Array(rest.prefix($0.count)) == $0 }) {
            rest = rest.dropFirst(verb.count)
            if rest.first == "job" { rest = rest.dropFirst() }
            if rest.first == "number" { rest = rest.dropFirst() }
            if rest.count == 1, let job = Int(rest[rest.startIndex]), job > 0 { return UndoRequest(job: job) }
        }
        return nil
    }

    // MARK: "ask Claude to …"

    /// Ways a recogniser spells "Claude".
    static let claudeNames: Set<String> = ["claude", "claud", "clawed", "cloud", "clod", "clyde", "claudes"]
    static let claudeLeads: [[String]] = [
        ["ask", "*", "to"], ["ask", "*"], ["tell", "*", "to"], ["tell", "*"], ["have", "*"], ["get", "*", "to"],
        ["hey", "*"], ["ok", "*"], ["okay", "*"], ["*", "please"], ["*", "can", "you"], ["*", "could", "you"], ["*"],
    ]

    static func claudeRequest(_ words: SpokenWords) -> String? {
        let keys = words.keys
        for lead in claudeLeads where lead.count < keys.count {
            var matched = true
            for (index, word) in lead.enumerated() {
                let key = keys[index]
                if word == "*" ? !claudeNames.contains(key) : key != word {
                    matched = false
                    break
                }
            }
            if matched {
                let prompt = SpokenWords.trimmedPrompt(words.original(from: lead.count))
                return prompt.isEmpty ? nil : prompt
            }
        }
        return nil
    }

    // MARK: tests, build, lint

    static let runVerbs: Set<String> = [
        "run", "rerun", "ran", "ron", "runs", "running", "execute", "start", "launch", "do", "try",
    ]
    static let fillerObjects: Set<String> = [
        "the", "all", "a", "my", "our", "unit", "again", "now", "whole", "suite",
        "project", "code", "it", "of", "this", "full", "entire",
    ]
    static let taskWords: [(Intent.Task, Set<String>)] = [
        (.test, ["test", "tests", "testing", "spec", "specs", "checks", "check"]),
        (.build, ["build", "builds", "building", "compile", "compiler", "compiling", "make"]),
        (.lint, ["lint", "linter", "linting", "lints", "linters", "format", "formatter"]),
    ]

    static func projectTask(_ keys: [String]) -> Intent.Task? {
        var rest = keys[...]
        if let first = rest.first, runVerbs.contains(first) || fuzzyContains(runVerbs, first) {
            rest = rest.dropFirst()
        }
        let content = rest.filter { !fillerObjects.contains($0) }
        guard content.count == 1 || (content.count == 2 && content[1] == "it") else { return nil }
        for (task, names) in taskWords where names.contains(content[0]) || fuzzyContains(names, content[0]) {
            return task
        }
        return nil
    }

    // MARK: well-known read-only commands

    static let gitNames: Set<String> = ["git", "get", "gets", "gitt"]
    static func knownCommand(_ keys: [String]) -> String? {
        var rest = keys[...]
        if let first = rest.first, runVerbs.contains(first) || first == "show" {
            rest = rest.dropFirst()
        }
        if rest.first == "me" { rest = rest.dropFirst() }
        let content = Array(rest.filter { $0 != "the" })
        if content.count == 2, gitNames.contains(content[0]) {
            switch content[1] {
            case "status": return "git status"
            case "diff", "difference", "differences": return "git diff"
            case "log", "history": return "git log --oneline -20"
            default: return nil
            }
        }
        switch content {
        case ["diff"], ["changes"], ["what", "changed"], ["what", "did", "you", "change"]: return "git diff"
        case ["list", "files"], ["list", "of", "files"], ["files"], ["ls"]: return "ls"
        case ["current", "directory"], ["where", "am", "i"]: return "pwd"
        default: return nil
        }
    }

    // MARK: "tell me …"

    static func clockAnswer(_ keys: [String], now: Date) -> String? {
        let asksTime =
            keys == ["what", "time", "is", "it"] || keys == ["tell", "me", "the", "time"]
            || keys == ["whats", "the", "time"] || keys == ["what", "is", "the", "time"]
        let asksDate =
            keys == ["what", "day", "is", "it"] || keys == ["tell", "me", "the", "date"]
            || keys == ["whats", "the", "date"] || keys == ["what", "is", "the", "date"]
            || keys == ["what", "is", "todays", "date"]
        guard asksTime || asksDate else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = asksTime ? "h:mm a" : "EEEE, MMMM d"
        return asksTime ? "It is \(formatter.string(from: now))." : "Today is \(formatter.string(from: now))."
    }

    static let questionLeads: [[String]] = [
        ["tell", "me"], ["explain"], ["what", "does"], ["how", "does"], ["why", "does"], ["why", "is"],
        ["where", "is"], ["what", "is"], ["whats"], ["how", "do", "i"], ["can", "you", "explain"], ["describe"],
    ]

    static func isQuestionAboutCode(_ keys: [String]) -> Bool {
        questionLeads.contains { lead in keys.count > lead.count && Array(keys.prefix(lead.count)) == lead }
    }

    // MARK: "run …" and coding requests

    static func explicitRun(_ words: SpokenWords) -> String? {
        guard let first = words.keys.first, ["run", "execute"].contains(first), words.keys.count >= 2 else {
            return nil
        }
        let command = SpokenWords.trimmedPrompt(words.original(from: 1))
        return command.isEmpty ? nil : command
    }

    static let codingVerbs: Set<String> = [
        "fix", "add", "write", "create", "implement", "refactor", "rename", "update", "change", "remove", "delete",
        "make", "move", "replace", "document", "optimize", "optimise", "clean", "improve", "generate", "convert",
        "port", "debug", "review", "commit", "edit", "split", "extract", "install", "upgrade", "migrate",
    ]

    static func isCodingRequest(_ keys: [String]) -> Bool {
        guard let first = keys.first, keys.count >= 2 else { return false }
        return codingVerbs.contains(first)
    }

    // MARK: matching helpers

    static func matchesAny(_ keys: [String], _ phrases: [[String]]) -> Bool {
        phrases.contains { phrase in
            phrase.count == keys.count && zip(phrase, keys).allSatisfy { expected, heard in similar(expected, heard) }
        }
    }

    /// Equal, or one edit apart when the word is long enough for a slip to be unambiguous.
    static func similar(_ expected: String, _ heard: String) -> Bool {
        if expected == heard { return true }
        guard expected.count >= 5, heard.count >= 4 else { return false }
        return EditDistance.atMostOne(expected, heard)
    }

    static func fuzzyContains(_ words: Set<String>, _ heard: String) -> Bool {
        words.contains { similar($0, heard) }
    }
}

enum EditDistance {
    /// True when `a` and `b` differ by at most one insertion, deletion or substitution.
    static func atMostOne(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > 1 { return false }
        var i = 0, j = 0, edits = 0
        while i < x.count && j < y.count {
            if x[i] == y[j] {
                i += 1
                j += 1
                continue
            }
            edits += 1
            if edits > 1 { return false }
            if x.count > y.count {
                i += 1
            } else if y.count > x.count {
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        return edits + (x.count - i) + (y.count - j) <= 1
    }
}
