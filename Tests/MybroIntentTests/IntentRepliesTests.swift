import Foundation
import MybroCore
import Testing

@testable import MybroIntent

@Suite struct IntentRepliesTests {
    func replies(interval: TimeInterval = 10, on: Bool = true) -> IntentReplies {
        IntentReplies(replyToNone: on, noneReplyInterval: interval, askBelow: 0.5, askTimeout: 30)
    }
    let grammar = RulesGrammar()

    @Test func noneGetsAThrottledSpokenReply() {
        var replies = replies()
        let none = grammar.interpret("banana phone")
        let first = replies.records(for: none, now: 100)
        #expect(first.map(\.type) == [RecordType.say, RecordType.intent])
        #expect(first[0]["text"]?.stringValue == "I didn't catch that: banana phone")
        #expect(replies.records(for: none, now: 105).map(\.type) == [RecordType.intent])
        #expect(replies.records(for: none, now: 111).map(\.type) == [RecordType.say, RecordType.intent])
    }

    @Test func noneRepliesCanBeSwitchedOff() {
        var replies = replies(on: false)
        #expect(replies.records(for: grammar.interpret("banana phone"), now: 1).map(\.type) == [RecordType.intent])
    }

    @Test func aLowConfidenceGuessIsAskedAboutAndAYesSendsIt() throws {
        var replies = replies()
        let guess = grammar.interpret("the tests thing")
        #expect(guess.confidence < 0.5)
        let asked = replies.records(for: guess, now: 0)
        #expect(asked.map(\.type) == [RecordType.say, RecordType.intent])
        #expect(asked[0]["text"]?.stringValue == "Did you mean run the tests? Say yes or no.")
        #expect(asked[1]["action"]?.stringValue == "ask")
        let answered = replies.answer(grammar.interpret("yes"), now: 2)
        let settled = try #require(answered)
        #expect(settled.count == 1)
        #expect(settled[0]["action"]?.stringValue == "run")
        #expect(settled[0]["task"]?.stringValue == "test")
        #expect(replies.answer(grammar.interpret("yes"), now: 3) == nil)
    }

    @Test func aNoDropsTheGuessAndSomethingElseIsReadAsUsual() throws {
        var replies = replies()
        _ = replies.records(for: grammar.interpret("the build thing"), now: 0)
        let answered = replies.answer(grammar.interpret("no"), now: 1)
        let settled = try #require(answered)
        #expect(settled.last?["action"]?.stringValue == "deny")
        _ = replies.records(for: grammar.interpret("the build thing"), now: 0)
        #expect(replies.answer(grammar.interpret("git status"), now: 1) == nil)
        #expect(replies.pending == nil)
        _ = replies.records(for: grammar.interpret("the build thing"), now: 0)
        #expect(replies.answer(grammar.interpret("yes"), now: 31) == nil)
    }

    @Test func slotsComeOutAsTheIssueAsks() {
        #expect(grammar.interpret("show me the last five commits").command == "git log -5")
        #expect(grammar.interpret("create a branch called login fix").command == "git switch -c login-fix")
        #expect(grammar.interpret("what changed since yesterday").command == "git log --since=yesterday")
        let release = grammar.interpret("build the project in release mode")
        #expect(release.task == .build && release.mode == .release)
        #expect(grammar.interpret("what is the status of the build").action == .status)
        #expect(grammar.interpret("did the tests pass").action == .history)
        #expect(grammar.interpret("no, do not do that").action == .deny)
        let workspace = WorkspaceNames(paths: ["Sources/", "README.md"])
        let inWorkspace = RulesGrammar(workspace: workspace)
        #expect(inWorkspace.interpret("list the files in the sources folder").command == "ls Sources")
        #expect(inWorkspace.interpret("open the readme file").command == "cat README.md")
        #expect(
            inWorkspace.interpret("search the project for the function parse config").command
                == "rg -n -i 'parse[ _-]?config'")
    }
}
