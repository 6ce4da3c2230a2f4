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
