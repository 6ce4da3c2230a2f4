import Foundation
import MybroCore

// Project tasks (test, build, lint, format, run the app) and questions about jobs.
extension RulesGrammar {
    /// Words that name a project task, as nouns or verbs.
    static let taskNouns: [(Intent.Task, Set<String>)] = [
        (.test, ["test", "tests", "testing", "tets", "spec", "specs", "unittests", "testsuite"]),
        (.build, ["build", "builds", "building", "compile", "compiles", "compiling", "rebuild", "compilation"]),
        (.lint, ["lint", "linter", "linting", "lints", "linters"]),
        (
            .format,
            [
                "format", "formatter", "formatting", "reformat", "formatted", "prettify", "beautify", "reindent",
                "autoformat",
            ]
        ),
        (.start, ["app", "application", "program", "server", "binary", "executable", "service"]),
    ]

    static func task(named key: String) -> Intent.Task? {
        for (task, names) in taskNouns where names.contains(key) { return task }
        return nil
    }

    /// The task a sentence is about: its first task word (a word a slip away counts too).
    static func mentionedTask(_ keys: [String]) -> Intent.Task? {
        for key in keys {
            if let task = task(named: key) { return task }
        }
        for key in keys where key.count >= 5 {
            for (task, names) in taskNouns where fuzzyContains(names, key) { return task }
        }
        return nil
    }

    static let runVerbs: Set<String> = [
        "run", "rerun", "ran", "ron", "runs", "running", "execute", "start", "launch", "kick", "fire", "do", "gimme",
        "trigger", "try", "give", "redo", "check", "boot", "spin", "open",
    ]
    /// Words a task request may carry besides its verb and task word.
    static let taskFillers: Set<String> = [
        "the", "all", "a", "an", "my", "our", "unit", "again", "now", "whole", "suite", "project", "code", "it", "of",
        "this", "full", "entire", "everything", "files", "sources", "source", "once", "more", "up", "off", "checks",
        "check", "in", "for", "with", "mode", "release", "debug", "production", "optimizations", "optimisations",
        "optimized", "optimised", "on", "errors", "warnings", "quick", "new", "fresh", "clean", "version", "me",
        "and", "see", "if", "there", "are", "any", "style", "whole", "codebase", "base", "repo", "repository",
        "local", "locally", "dev", "development", "real", "quickly", "time", "round", "over", "across", "through",
        "configuration", "config", "run", "against", "turned", "enabled", "switched", "branch", "too", "as", "well",
        "current",
    ]
    /// Words that narrow a test run to part of the code ("only", "every test we have", "the test
    /// cases for the parser module").
    static let testScopeWords: Set<String> = [
        "only", "just", "every", "each", "single", "cases", "case", "module", "modules", "package", "target",
        "we", "have", "that", "those", "these", "related", "relevant",
    ]
    /// What a formatter changes: a request to fix these is a request to format.
    static let layoutWords: Set<String> = [
        "formatting", "format", "indentation", "indent", "indenting", "whitespace", "spacing", "layout",
        "trailing", "spaces", "tabs",
    ]
    /// "make sure the tests pass", "see if the tests pass".
    static let checkLeads: [[String]] = [
        ["make", "sure"], ["check", "that"], ["check", "if"], ["check", "whether"], ["see", "if"],
        ["lets", "see", "if"], ["verify", "that"], ["find", "out", "if"],
    ]
    static let checkTails: Set<String> = ["pass", "passes", "passing", "still", "work", "works", "green", "succeed"]
    /// "make sure I didn't break anything", "check that everything still works after my change":
    /// an outcome only the tests tell.
    static let outcomeWords: Set<String> = [
        "i", "we", "didnt", "did", "not", "havent", "hasnt", "break", "broke", "broken", "anything", "everything",
        "nothing", "still", "works", "work", "working", "passes", "pass", "is", "it", "all", "my", "our", "the",
        "change", "changes", "after", "are", "fine", "ok", "okay", "good", "green", "that", "this", "edit", "edits",
        "stuff", "something", "has", "have",
    ]
    static let outcomeMarks: Set<String> = ["break", "broke", "broken", "passes", "pass", "works", "work", "green"]
    /// Besides the layout words, what a request to tidy the layout may hold.
    static let layoutTidyWords: Set<String> = [
        "up", "and", "braces", "brackets", "newlines", "consistent", "neat", "neater", "tidy", "tidier", "uniform",
        "everywhere", "nice", "nicer", "pretty", "prettier", "look", "clean", "cleaner",
    ]

    /// "run the tests", "build in release mode", "format the code", "start the app".
    static func projectTask(_ keys: [String]) -> (task: Intent.Task, mode: Intent.Mode?)? {
        // "fix the formatting", "clean up the indentation": what the formatter does, whoever asks
        if let first = keys.first,
            [
                "fix", "tidy", "clean", "correct", "repair", "sort", "make", "normalize", "normalise", "straighten",
                "align",
            ]
            .contains(first),
            keys.contains(where: { layoutWords.contains($0) }),
            keys.dropFirst().allSatisfy({
                layoutWords.contains($0) || taskFillers.contains($0) || layoutTidyWords.contains($0)
            })
        {
            return (.format, nil)
        }
        if let lead = checkLeads.first(where: { keys.starts(with: $0) }) ?? (keys.first == "check" ? ["check"] : nil),
            keys.count > lead.count,
            keys.dropFirst(lead.count).allSatisfy(outcomeWords.contains),
            keys.dropFirst(lead.count).contains(where: outcomeMarks.contains)
        {
            return (.test, nil)
        }
        var rest = keys[...]
        var checking = false
        if let lead = checkLeads.first(where: { rest.starts(with: $0) }) {
            rest = rest.dropFirst(lead.count)
            checking = true
        }
        var verbTask: Intent.Task?
        var startVerb = false
        var runVerb = false
        if let first = rest.first {
            if let task = task(named: first) {
                verbTask = task
                rest = rest.dropFirst()
            } else if first == "make", rest.count == 1 || rest.contains("build") {
                verbTask = .build
                rest = rest.dropFirst()
            } else if runVerbs.contains(first) || (first.count >= 4 && fuzzyContains(runVerbs, first)) {
                startVerb = ["start", "launch", "fire", "boot", "spin"].contains(first)
                // ("open the parser tests file" shows a file)
                runVerb = !startVerb && first != "open"
                rest = rest.dropFirst()
            } else if !checking && rest.count > 1 {
                // A request that names no verb first ("release build", "debug build please") still counts.
                if !rest.contains(where: { task(named: $0) != nil }) { return nil }
            }
        }
        var nounTask: Intent.Task?
        // "run only the parser tests", "run every test we have", "run the tests for the parser
        // module": a run of the tests with a part of the code named is still that run.
        var scopeWords = 0
        for key in rest {
            if let task = task(named: key) {
                if nounTask == nil || nounTask == .start { nounTask = task }
                continue
            }
            if taskFillers.contains(key) || (checking && checkTails.contains(key)) { continue }
            if runVerb, testScopeWords.contains(key) { continue }
            if runVerb, scopeWords < 2, key.count >= 3,
                !["file", "files", "folder", "directory", "dir", "script", "scripts"].contains(key)
            {
                scopeWords += 1
                continue
            }
            return nil
        }
        if scopeWords > 0, nounTask != .test || verbTask != nil { return nil }
        // "start it up", "fire it up": the app.
        // "run it locally", "run the program": the app, as a run of nothing else
        let runsTheApp =
            runVerb && keys.first == "run" && !rest.isEmpty
            && rest.allSatisfy({ ["it", "locally", "the", "program", "thing", "binary", "executable"].contains($0) })
            && rest.contains(where: { ["locally", "program", "binary", "executable"].contains($0) })
        let chosen = verbTask ?? nounTask ?? (startVerb && rest.count <= 2 || runsTheApp ? .start : nil)
        guard var task = chosen else { return nil }
        if verbTask == nil, nounTask == .start, rest.contains("build") { task = .build }
        // "build the app" builds it; "test the app" tests it.
        let mode: Intent.Mode?
        if keys.contains(where: {
            ["release", "production", "optimizations", "optimisations", "optimized", "optimised"].contains($0)
        }) {
            mode = .release
        } else if keys.contains("debug") {
            mode = .debug
        } else {
            mode = nil
        }
        return (task, task == .build || task == .start || task == .test ? mode : nil)
    }

    // MARK: status and history questions

    static let statusPhrases: [[String]] = [
        ["status"], ["what", "is", "the", "status"], ["whats", "the", "status"], ["status", "report"],
        ["status", "update"],
        ["what", "is", "happening"], ["whats", "happening"], ["what", "are", "you", "doing"], ["what", "you", "doing"],
        ["how", "is", "it", "going"], ["hows", "it", "going"], ["what", "is", "going", "on"], ["whats", "going", "on"],
        ["what", "is", "running"], ["whats", "running"], ["progress"], ["where", "are", "we"],
        ["how", "far", "along"], ["how", "much", "longer"], ["how", "long", "will", "it", "take"],
        ["what", "are", "you", "working", "on"], ["any", "progress"], ["are", "we", "there", "yet"],
        ["where", "are", "we", "at"], ["where", "are", "you", "at"], ["what", "step", "are", "you", "on"],
        ["whats", "the", "holdup"], ["what", "is", "the", "holdup"], ["where", "are", "you", "up", "to"],
    ]
    static let stateWords: Set<String> = [
        "running", "done", "finished", "working", "over", "complete", "completed", "ready", "busy", "going", "up",
        "doing", "happening", "coming", "along", "progressing",
    ]
    static let questionFillers: Set<String> = [
        "it", "the", "you", "still", "yet", "now", "right", "that", "this", "job", "anything", "something", "we",
        "there", "is", "are", "a", "my", "current", "thing", "claude", "of", "so", "far", "last", "run", "all",
        "task", "command", "what", "whats", "how", "hows", "on", "with",
    ]
    static let gitScopeWords: Set<String> = ["repo", "repository", "git", "tree", "branch", "get"]

    /// Status ("is it still running", "what is the status of the build") and history ("did the
    /// tests pass", "how long did the last build take") questions.
    static func question(_ keys: [String]) -> (action: Intent.Action, confidence: Double, task: Intent.Task?)? {
        guard let first = keys.first else { return nil }
        if keys.contains(where: { gitScopeWords.contains($0) }) { return nil }
        if matchesAny(keys, statusPhrases) { return (.status, 0.9, nil) }
        // ("any update on the build" asks for news: the noun, not the verb)
        if keys.contains(where: { codingVerbs.contains($0) && $0 != "make" && $0 != "clean" }) && first != "did"
            && !containsAny(keys, [["any", "update"], ["an", "update", "on"]])
        {
            return nil
        }
        let task = mentionedTask(keys)
        // History: about a job that ended.
        let pastLeads: Set<String> = ["did", "were", "was", "has", "have", "had", "didnt", "wasnt", "werent"]
        let outcomeWords: Set<String> = [
            "pass", "passed", "fail", "failed", "succeed", "succeeded", "work", "worked", "break", "broke",
            "green", "red", "ok", "okay", "go", "went", "take", "took", "result", "results", "outcome", "complain",
            "error", "errors", "finish", "finished", "successful", "happened", "happen", "long", "last",
            "compile", "compiled", "clean", "clear",
        ]
        let history = (task, 0.85)
        // "has the lint job finished yet", "is the build done yet", "has it finished": a job that
        // may still run, asked about now
        if ["has", "have", "is", "are"].contains(first), keys.last == "yet" || keys.count <= 3, keys.count <= 8,
            keys.contains(where: { ["finished", "done", "complete", "completed", "ended", "over"].contains($0) })
        {
            return (.status, 0.85, task)
        }
        // "did you watch the game last night" is not about a job: "last" and "go" count only with a task
        let weakOutcomes: Set<String> = [
            "last", "go", "went", "take", "took", "happen", "happened", "long", "clean", "clear",
        ]
        if pastLeads.contains(first), keys.count <= 9,
            keys.contains(where: { outcomeWords.contains($0) && (task != nil || !weakOutcomes.contains($0)) })
        {
            return (.history, history.1, task)
        }
        if keys.starts(with: ["how", "many"]), task == .test, keys.count <= 9,
            keys.contains(where: { ["failed", "passed", "failing", "broke", "broken", "errored"].contains($0) })
        {
            return (.history, 0.8, task)
        }
        // "which tests failed", "which lint checks complained": what an ended job reported
        if first == "which", task != nil, keys.count <= 6,
            keys.contains(where: { ["failed", "broke", "passed", "errored", "complained", "flagged"].contains($0) })
        {
            return (.history, 0.85, task)
        }
        // "why did the build fail", "why were the tests red": the cause of an outcome is in what
        // the job said
        if first == "why", keys.count >= 3, keys.count <= 9, pastLeads.contains(keys[1]),
            keys.contains(where: {
                ["fail", "failed", "break", "broke", "error", "errored", "crash", "crashed", "red", "stop", "stopped"]
                    .contains($0)
            })
        {
            return (.history, 0.85, task)
        }
        // "was lint clean", "were the tests all green": an outcome said with an adjective, of a task
        if ["was", "were"].contains(first), task != nil, keys.count <= 7,
            keys.contains(where: { ["clean", "fine", "good", "happy", "ok", "okay", "green", "red"].contains($0) })
        {
            return (.history, 0.85, task)
        }
        // "what was the error", "what were the failures": what an ended job left
        if keys.starts(with: ["what", "was", "the"]) || keys.starts(with: ["what", "were", "the"]), keys.count <= 6,
            keys.contains(where: {
                ["error", "errors", "failure", "failures", "problem", "problems", "warning", "warnings"].contains($0)
            })
        {
            return (.history, 0.8, task)
        }
        if keys.starts(with: ["how", "long", "did"]) || keys.starts(with: ["how", "long", "was"])
            || keys.starts(with: ["how", "did"]) || keys.starts(with: ["howd"]) || keys.starts(with: ["when", "did"])
            || keys.starts(with: ["what", "happened"]) || keys.starts(with: ["whats", "happened"])
        {
            if keys.count <= 9 { return (.history, 0.85, task) }
        }
        if ["what", "whats", "tell", "give", "show", "report", "remind"].contains(first),
            keys.contains("result") || keys.contains("results")
                || keys.contains("outcome"), keys.count <= 9
        {
            return (.history, 0.8, task)
        }
        // Status: what happens now.
        if matchesAny(keys, statusPhrases) { return (.status, 0.9, nil) }
        if keys.contains("status"), keys.count <= 8,
            keys.allSatisfy({
                questionFillers.contains($0) || $0 == "status" || Self.task(named: $0) != nil
                    || ["give", "me", "report", "tell"].contains($0)
            })
        {
            return (.status, 0.85, task)
        }
        if ["is", "are", "hows", "how"].contains(first), keys.count <= 8,
            keys.contains(where: { stateWords.contains($0) }),
            keys.allSatisfy({ questionFillers.contains($0) || stateWords.contains($0) || Self.task(named: $0) != nil })
        {
            return (.status, 0.85, task)
        }
        if ["is", "are"].contains(first), keys.count <= 4, keys.contains("anything") { return (.status, 0.8, nil) }
        // "what did the lint say before", "last build result", "what did you run before that":
        // what a job that ended said or was
        // (not "what does the license say": a file's words, in the present, of no job)
        if keys.count <= 10, ["what", "whats", "last", "previous", "the", "remind"].contains(first),
            task != nil || !(keys.starts(with: ["what", "does"]) || keys.starts(with: ["what", "do"])),
            keys.contains(where: {
                [
                    "say", "said", "report", "reported", "result", "results", "outcome", "complain", "complained",
                    "flag", "flagged", "warn", "warned", "moan", "whine",
                ].contains($0)
            })
                || (keys.contains("did") && keys.contains(where: { ["before", "earlier", "previously"].contains($0) }))
        {
            return (.history, 0.8, task)
        }
        if keys.count <= 10, keys.contains("you"),
            keys.contains(where: { ["ran", "executed", "did", "started"].contains($0) }),
            keys.contains(where: { ["before", "earlier", "previously", "today", "yesterday", "already"].contains($0) })
        {
            return (.history, 0.8, task)
        }
        // "is the thing you started still going", "how much longer until it's done": the
        // running job's progress, however the question is built around it
        let requestVerbs: Set<String> = [
            "stash", "commit", "push", "pull", "show", "list", "make", "find", "search", "open", "create", "switch",
            "add", "put", "save", "fix", "stop", "cancel", "undo", "revert", "delete", "remove", "write", "move",
        ]
        // ("give me an update on the task" asks for news too)
        if keys.count <= 14, !pastLeads.contains(first), !requestVerbs.contains(first),
            !runVerbs.contains(first) || keys.starts(with: ["give", "me"]),
            Self.task(named: first) == nil, containsAny(keys, progressPhrases)
        {
            // "still building?": the progress of the task it names
            return (.status, 0.85, task)
        }
        return nil
    }

    static let progressPhrases: [[String]] = [
        ["still", "going"], ["still", "running"], ["still", "working"], ["still", "busy"], ["still", "at", "it"],
        ["done", "yet"], ["finished", "yet"], ["how", "much", "longer"], ["how", "long", "until"],
        ["how", "long", "till"], ["how", "long", "left"], ["time", "left"], ["any", "progress"],
        ["where", "are", "you", "at"], ["what", "are", "you", "doing"], ["what", "are", "you", "up", "to"],
        ["whats", "happening", "with"], ["what", "is", "happening", "with"], ["in", "progress"],
        ["how", "is", "it", "coming"], ["hows", "it", "coming"], ["how", "far", "along"], ["any", "update"],
        ["any", "updates"], ["what", "youre", "running"], ["what", "you", "are", "running"], ["an", "update", "on"],
        ["you", "stuck"], ["still", "chugging"], ["are", "you", "doing", "something"], ["still", "building"],
        ["still", "testing"], ["still", "compiling"], ["still", "linting"], ["still", "installing"],
    ]

    /// Whether one of the phrases occurs in `keys`, anywhere, word for word.
    static func containsAny(_ keys: [String], _ phrases: [[String]]) -> Bool {
        phrases.contains { phrase in
            phrase.count <= keys.count
                && (0...(keys.count - phrase.count)).contains { Array(keys[$0..<($0 + phrase.count)]) == phrase }
        }
    }

    // MARK: near misses

    static let codeNouns: Set<String> = [
        "bug", "bugs", "crash", "crashes", "crashed", "broken", "error", "errors", "exception", "function", "method",
        "class", "module", "page", "endpoint", "api", "parser", "variable", "code", "test", "tests", "file",
    ]

    /// A longer sentence about code that names no request ("the login page crashes when …"):
    /// probably work for Claude, worth asking about first.
    static func looksLikeCodeTask(_ keys: [String]) -> Bool {
        keys.count >= 5 && keys.contains { codeNouns.contains($0) }
    }

    /// A transcript that names a task but does not parse ("the tests thing"): a guess to ask
    /// about, with a confidence under the threshold at which `mybro-intent` asks back.
    static func nearMiss(_ keys: [String]) -> (task: Intent.Task, confidence: Double)? {
        guard keys.count <= 5, let task = mentionedTask(keys) else { return nil }
        return (task, 0.4)
    }
}
