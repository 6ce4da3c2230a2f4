import Foundation
import MybroCore

/// The intent a paraphrase of a kind of request stands for. Only kinds without slots, or whose
/// slot has a safe default, become an action; the others (a branch to switch to, a file to
/// show) are left to the grammar: a guessed slot would run the wrong command.
enum ParaphraseIntents {
    static let backendName = "embedding"

    static func intent(for kind: IntentExamples.Kind, transcript: String, confidence: Double) -> Intent? {
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
        case .gitPull: return make(.run, command: "git pull")
        case .gitPush: return make(.run, command: "git push")
        case .gitStash: return make(.run, command: "git stash")
        case .gitStashPop: return make(.run, command: "git stash pop")
        case .status: return make(.status, task: namedTask(keys))
        case .history: return make(.history, task: namedTask(keys))
        case .stop: return make(.stop)
        case .confirm: return make(.confirm)
        case .deny: return make(.deny)
        case .undo: return make(.undo)
        case .code: return make(.code, prompt: SpokenWords.trimmedPrompt(transcript))
        case .gitBlame, .gitCommit, .gitNewBranch, .gitSwitch, .filesList, .filesShow, .filesFind, .filesCount,
            .search, .none:
            return nil
        }
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
