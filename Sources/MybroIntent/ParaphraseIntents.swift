import Foundation
import MybroCore

/// The intent a paraphrase of a kind of request stands for. Kinds without slots, or whose slot
/// has a safe default, become their action at once; a kind with a slot (a branch to switch to,
/// a file to show) becomes its command only when the slot is marked in the request
/// (ParaphraseSlots.swift): a guessed slot would run the wrong command.
enum ParaphraseIntents {
    static let backendName = "embedding"

    static func intent(
        for kind: IntentExamples.Kind, transcript: String, confidence: Double, grammar: RulesGrammar
    ) -> Intent? {
        let keys = SpokenWords(transcript).keys
        func make(
            _ action: Intent.Action, command: String? = nil, task: Intent.Task? = nil, mode: Intent.Mode? = nil,
            prompt: String? = nil
        ) -> Intent {
            Intent(
                action: action, prompt: prompt, command: command, task: task, mode: mode, confidence: confidence,
                backend: backendName, transcript: transcript)
        }
        switch kind {
        case .test: return make(.run, task: .test)
        case .build: return make(.run, task: .build, mode: buildMode(keys))
        case .lint: return make(.run, task: .lint)
        case .format: return make(.run, task: .format)
        case .app: return make(.run, task: .start)
        case .gitStatus: return make(.run, command: "git status")
        case .gitDiff: return make(.run, command: "git diff")
        // The grammar's own default when no count is said ("show me the log").
        case .gitLog: return make(.run, command: "git log -10")
        case .gitBranch: return make(.run, command: "git branch --show-current")
        case .gitShow: return make(.run, command: "git show")
        case .gitPull, .gitPush:
            let way = direction(keys, away: pushWords, back: pullWords) ?? (kind == .gitPull ? .back : .away)
            return make(.run, command: way == .back ? "git pull" : "git push")
        case .gitStash, .gitStashPop:
            let way = direction(keys, away: stashWords, back: unstashWords) ?? (kind == .gitStashPop ? .back : .away)
            return make(.run, command: way == .back ? "git stash pop" : "git stash")
        case .status: return make(.status, task: namedTask(keys))
        case .history: return make(.history, task: namedTask(keys))
        case .stop: return make(.stop)
        case .confirm: return make(.confirm)
        case .deny: return make(.deny)
        case .undo: return make(.undo)
        case .code: return make(.code, prompt: SpokenWords.trimmedPrompt(transcript))
        case .gitBlame, .gitCommit, .gitNewBranch, .gitSwitch, .filesList, .filesShow, .filesFind, .filesCount,
            .search:
            return grammar.slotCommand(for: kind, transcript: transcript).map { make(.run, command: $0) }
        case .none:
            return nil
        }
    }

    /// Push and pull, stash and stash pop, are one request in opposite directions, and their
    /// sentences embed close together ("syncing down the newest commits" lands near push): the
    /// words that say which way the work goes decide between them, the matcher only when none do.
    enum Direction { case away, back }
    static let pushWords: Set<String> = ["push", "pushed", "pushing", "upload", "send", "publish", "ship", "up"]
    static let pullWords: Set<String> = [
        "pull", "pulling", "download", "fetch", "down", "from", "latest", "newest", "merged", "incoming", "bring",
    ]
    static let stashWords: Set<String> = [
        "shelve", "save", "aside", "away", "put", "hide", "park", "stow", "shove", "stick", "tuck", "stash",
    ]
    static let unstashWords: Set<String> = [
        "back", "restore", "pop", "apply", "unstash", "stashed", "reapply", "retrieve", "unshelve", "shelved",
        "saved", "parked",
    ]

    static func direction(_ keys: [String], away: Set<String>, back: Set<String>) -> Direction? {
        // "whatever my teammates pushed": what others pushed comes back, the way a pull goes
        let others: Set<String> = [
            "whatever", "what", "they", "someone", "somebody", "others", "team", "teammates", "everyone", "colleagues",
        ]
        if back.contains("pull"), let pushed = keys.firstIndex(of: "pushed"),
            keys[..<pushed].contains(where: others.contains)
        {
            return direction(
                keys.enumerated().map { $0.offset == pushed ? "pull" : $0.element }, away: away, back: back)
        }
        // "bring my copy up to date": "up to date" is catching up, the way a pull goes.
        var keys = keys
        if let start = (0..<max(keys.count - 2, 0)).first(where: { Array(keys[$0..<$0 + 3]) == ["up", "to", "date"] }),
            back.contains("pull")
        {
            keys.replaceSubrange(start..<start + 3, with: ["pull"])
        }
        // The request's own verb comes first; a clause after it ("… and come back to it later",
        // "bring in whatever my teammates pushed") says something else.
        if let first = keys.first(where: { away.contains($0) || back.contains($0) }),
            away.contains(first) != back.contains(first)
        {
            let clause = keys.prefix { !["whatever", "what", "which", "that", "and", "so", "then"].contains($0) }
            if clause.contains(first) { return away.contains(first) ? .away : .back }
        }
        let awayCount = keys.filter(away.contains).count
        let backCount = keys.filter(back.contains).count
        return awayCount == backCount ? nil : (awayCount > backCount ? .away : .back)
    }

    /// The build mode a request names ("an optimized build" → release); nil when it names none.
    static func buildMode(_ keys: [String]) -> Intent.Mode? {
        if keys.contains(where: { ["release", "production", "optimized", "optimised", "optimizations"].contains($0) }) {
            return .release
        }
        return keys.contains("debug") ? .debug : nil
    }

    /// The task a status or history question is about ("did the tests pass" → test), if it names one.
    static func namedTask(_ keys: [String]) -> Intent.Task? {
        for key in keys {
            switch key {
            case "test", "tests", "testing", "suite", "specs": return .test
            case "build", "builds", "compile", "compiled", "compiling", "compilation": return .build
            case "lint", "linter", "linting": return .lint
            case "format", "formatter", "formatting": return .format
            default: continue
            }
        }
        return nil
    }
}
