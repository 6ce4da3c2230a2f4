import Foundation
import MybroCore
import Testing

@testable import MybroIntent

@Suite struct RulesGrammarTests {
    let grammar = RulesGrammar()

    @Test(arguments: [
        ("run the tests", Intent.Task.test), ("run the test", .test), ("run tests please", .test),
        ("Um, could you run the tests?", .test), ("test it", .test), ("rerun the unit tests again", .test),
        ("build", .build), ("compile it", .build), ("run the build", .build), ("run the linter", .lint),
        ("lint the code", .lint), ("run the tets", .test),
    ])
    func projectTasks(phrase: String, task: Intent.Task) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .run, "\(phrase)")
        #expect(intent.task == task, "\(phrase)")
        #expect(intent.command == nil)
    }

    @Test(arguments: [
        ("stop", Intent.Action.stop), ("Stop!", .stop), ("cancel that", .stop), ("never mind", .stop),
        ("nevermind.", .stop), ("stop it please", .stop), ("yes", .confirm), ("Yeah, go ahead.", .confirm),
        ("do it", .confirm), ("no", .deny), ("No, don't.", .deny), ("nope", .deny),
        ("what's the status", .status), ("What's the status?", .status), ("are you done", .status),
        ("hello there", .none), ("", .none),
    ])
    func controlWords(phrase: String, action: Intent.Action) {
        #expect(grammar.interpret(phrase).action == action, "\(phrase)")
    }

    @Test(arguments: [
        "undo that", "undo", "undo the last change", "undo the last job", "put it back", "revert that",
        "take that back", "roll that back", "revert the last change", "Undo that, please.", "Um, undo it.",
        "roll back", "Put it back!",
    ])
    func undoPhrases(phrase: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .undo, "\(phrase)")
        #expect(intent.job == nil, "\(phrase)")
        #expect(intent.confidence >= 0.9)
        #expect(intent.record["action"]?.stringValue == "undo")
    }

    @Test func undoCanNameAJob() {
        #expect(grammar.interpret("undo job 12").job == 12)
        #expect(grammar.interpret("revert job number 7").job == 7)
        #expect(grammar.interpret("undo job 12").action == .undo)
    }

    @Test func undoRecordsCarryTheJob() throws {
        let record = Record(type: RecordType.intent, ["action": "undo", "job": 12])
        let intent = try Intent.parse(record).get()
        #expect(intent.action == .undo)
        #expect(intent.job == 12)
        #expect(intent.record["job"]?.intValue == 12)
        #expect(try Intent.parse(Record(type: RecordType.intent, ["action": "undo"])).get().job == nil)
        for bad: JSONValue in [-1, 0, 1.5, "twelve"] {
            let parsed = Intent.parse(Record(type: RecordType.intent, ["action": "undo", "job": bad]))
            #expect((try? parsed.get()) == nil, "\(bad)")
        }
    }

    @Test(arguments: ["revert the commit in main.swift", "undo the rename in the parser", "put the tests back in"])
    func undoWordsInLongerRequestsAreNotUndo(phrase: String) {
        #expect(grammar.interpret(phrase).action != .undo, "\(phrase)")
    }

    @Test func claudeRequestsKeepTheWordsAsHeard() {
        let intent = grammar.interpret("Ask Claude to fix the bug in Sources/main.swift.")
        #expect(intent.action == .code)
        #expect(intent.prompt == "fix the bug in Sources/main.swift.")
        #expect(grammar.interpret("hey clawed, add a README").prompt == "add a README")
        #expect(grammar.interpret("tell Claude to rename foo to bar").prompt == "rename foo to bar")
        #expect(grammar.interpret("tell me what this function does").action == .code)
    }

    @Test func commands() {
        #expect(grammar.interpret("git status").command == "git status")
        #expect(grammar.interpret("get status").command == "git status")
        #expect(grammar.interpret("show me the diff").command == "git diff")
        #expect(grammar.interpret("run rm -rf /").command == "rm -rf /")
        #expect(grammar.interpret("run make install").command == "make install")
    }

    @Test func clock() {
        let intent = grammar.interpret("what time is it", now: Date(timeIntervalSince1970: 0))
        #expect(intent.action == .answer)
        #expect(intent.text?.hasPrefix("It is ") == true)
    }

    @Test func recordsFollowTheSchema() throws {
        let record = grammar.interpret("run the tests").record
        #expect(
            record.serialized()
                == #"{"type":"intent","action":"run","task":"test","confidence":0.9,"backend":"rules","transcript":"run the tests"}"#
        )
        #expect(try Intent.parse(record).get() == grammar.interpret("run the tests"))
    }
}

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy()

    @Test func statuses() {
        for status in [408, 409, 429, 500, 502, 503, 504, 529] {
            #expect(policy.shouldRetry(status: status, shouldRetryHeader: nil, errorCode: nil), "\(status)")
        }
        for status in [400, 401, 403, 404, 413] {
            #expect(!policy.shouldRetry(status: status, shouldRetryHeader: nil, errorCode: nil), "\(status)")
        }
        #expect(policy.shouldRetry(status: nil, shouldRetryHeader: nil, errorCode: nil))
        #expect(!policy.shouldRetry(status: 429, shouldRetryHeader: nil, errorCode: "enforced_spend_limit_reached"))
        #expect(!policy.shouldRetry(status: 500, shouldRetryHeader: "false", errorCode: nil))
        #expect(policy.shouldRetry(status: 400, shouldRetryHeader: "true", errorCode: nil))
    }

    @Test func delays() {
        #expect(policy.delay(retriesTaken: 0, retryAfterMilliseconds: nil, retryAfter: "2.5", random: 0.5) == 2.5)
        #expect(policy.delay(retriesTaken: 0, retryAfterMilliseconds: "1500", retryAfter: "9", random: 0) == 1.5)
        #expect(policy.delay(retriesTaken: 0, retryAfterMilliseconds: nil, retryAfter: "120", random: 0) == 0.5)
        #expect(policy.delay(retriesTaken: 2, retryAfterMilliseconds: nil, retryAfter: nil, random: 0) == 2)
        #expect(policy.delay(retriesTaken: 9, retryAfterMilliseconds: nil, retryAfter: nil, random: 1) == 6)
    }
}

/// Requests said with other verbs than the grammar's own phrases, and what those verbs must not become.
@Suite struct RulesGrammarParaphraseTests {
    let grammar = RulesGrammar()

    @Test(arguments: [
        "revert the last thing you did", "take back the last change", "undo your previous edit",
        "undo the last thing you did", "back out that change", "reverse the last change",
        "take back what you just did",
    ])
    func undoObjectsInAnyOrder(phrase: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .undo, "\(phrase)")
        #expect(intent.job == nil, "\(phrase)")
    }

    @Test(arguments: [
        ("put my changes in the stash", "git stash"), ("save my work to the stash", "git stash"),
        ("shelve my changes", "git stash"), ("set my changes aside", "git stash"),
        ("bring back my stashed changes", "git stash pop"), ("apply the stash and drop it", "git stash pop"),
        ("get my stash back", "git stash pop"), ("take my changes out of the stash", "git stash pop"),
        ("send my commits to origin", "git push"), ("upload my changes to github", "git push"),
        ("publish my commits", "git push"), ("go to the branch login fix", "git switch login-fix"),
        ("jump to the branch develop", "git switch develop"),
    ])
    func gitWritesInOtherWords(phrase: String, command: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .run, "\(phrase)")
        #expect(intent.command == command, "\(phrase): \(intent.command ?? "nil")")
    }

    /// The same verbs without git's objects stay what they were: no git write on a guess.
    @Test(arguments: [
        "send it", "send the email to bob", "publish the blog post", "put the changes on the main branch",
        "save my work", "bring back the old logo", "squash the last three commits", "drop the last commit",
        "undo the rename in the parser",
        "revert the last commit", "go to the parser",
    ])
    func otherVerbsWithoutGitObjectsAreNotGitWrites(phrase: String) {
        let intent = grammar.interpret(phrase)
        let command = intent.command ?? ""
        #expect(
            !command.hasPrefix("git stash") && command != "git push" && !command.hasPrefix("git switch"),
            "\(phrase): \(command)")
        // a write this grammar does not make is never turned into a read of the same commits
        #expect(!command.hasPrefix("git log") && !command.hasPrefix("git show"), "\(phrase): \(command)")
        if phrase != "undo the rename in the parser" && phrase != "revert the last commit" {
            #expect(intent.action != .undo, "\(phrase)")
        }
    }

    @Test(arguments: ["are you still working on it", "are you still busy with it"])
    func statusQuestionsWithPrepositions(phrase: String) {
        #expect(grammar.interpret(phrase).action == .status, "\(phrase)")
    }

    // MARK: indirect requests ("i need to see …", "can we …") and other shapes

    @Test(arguments: [
        ("i need to see my uncommitted changes", "git diff"), ("let's look at the readme", "cat README.md"),
        ("can we check whether the tests pass", nil),
        ("i need the number of files under sources", "find Sources -type f | wc -l"),
        ("can you tell me the name of the branch i'm on", "git branch --show-current"),
        ("who wrote each line of the parser file", "git blame Sources/App/Parser.swift"),
        ("show me the blame for the makefile", "git blame Makefile"),
        ("blame the deploy script", "git blame scripts/deploy.sh"),
        ("commit all and call it wip", "git commit -am 'wip'"),
        ("could you create and switch to a branch named add metrics", "git switch -c add-metrics"),
        ("can you switch over to feature login", "git switch feature-login"),
        ("i need to be on main", "git switch main"),
        ("sync with upstream by pulling", "git pull"), ("i need my commits pushed", "git push"),
        ("let's unstash the changes", "git stash pop"), ("list everything under tests", "ls Tests"),
        ("pull up the server file", "cat Sources/App/Server.swift"),
        ("find files matching cache", "find . -iname '*cache*'"),
        ("how many files are there in total", "find . -type f | wc -l"),
        ("what changed since the last commit", "git diff"), ("show me head", "git show HEAD"),
    ])
    func indirectAndOtherShapes(phrase: String, command: String?) throws {
        let workspace = WorkspaceNames(paths: [
            "Sources/", "Sources/App/", "Sources/App/Parser.swift", "Sources/App/Server.swift", "Tests/",
            "scripts/", "scripts/deploy.sh", "README.md", "Makefile",
        ])
        let intent = RulesGrammar(workspace: workspace).interpret(phrase)
        #expect(intent.action == .run, "\(phrase)")
        if let command {
            #expect(intent.command == command, "\(phrase): \(intent.command ?? "nil")")
        } else {
            #expect(intent.task == .test, "\(phrase)")
        }
    }

    @Test(arguments: [
        ("run swift test", Intent.Task.test), ("run swiftlint", .lint), ("swift format", .format),
        ("run the formatter over the sources", .format), ("i need the linter run on the sources", .lint),
        ("build with optimizations turned on", .build),
    ])
    func tasksByTheirToolsOrWithAScope(phrase: String, task: Intent.Task) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .run && intent.task == task && intent.command == nil, "\(phrase)")
    }

    /// "run the …" never becomes a program called "the".
    @Test func runWithAnArticleIsNeverALiteralCommand() {
        for phrase in ["run the tests with coverage", "run the thing from yesterday", "run a quick check on it"] {
            #expect(grammar.interpret(phrase).command == nil, "\(phrase)")
        }
    }

    /// Yes must be said: a filler and a weak word ("uh huh, right") does not approve a write.
    @Test(arguments: [
        ("that's right, go for it", Intent.Action.confirm), ("okay sure", .confirm), ("uh huh yes", .confirm),
        ("uh huh right", .none), ("uh huh", .none), ("i'd rather not", .deny), ("i don't think so", .deny),
        ("stop stop stop", .stop), ("terminate the current task", .stop), ("status update please", .status),
        ("are you still working on it", .status), ("what's the weather like today", .none),
        ("tell me a joke", .none), ("did you watch the game last night", .none), ("how many tests failed", .history),
        ("tell me what this function does", .code), ("put it back the way it was", .undo),
    ])
    func answersAndSmallTalk(phrase: String, action: Intent.Action) {
        #expect(grammar.interpret(phrase).action == action, "\(phrase): \(grammar.interpret(phrase).action)")
    }
}
