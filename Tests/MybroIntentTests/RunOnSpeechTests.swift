import Foundation
import MybroCore
import Testing

@testable import MybroIntent

/// Speech as a tired or hurried speaker runs it on: requests after context with no pause, a
/// correction in mid-sentence, plain statements that ask for nothing, words the recogniser split
/// in two.
@Suite struct RunOnSpeechTests {
    let grammar: RulesGrammar

    init() throws { grammar = RulesGrammar(workspace: try EvaluationFixtures.workspace()) }

    func reading(_ spoken: String) -> String {
        let intent = grammar.interpret(spoken)
        if let command = intent.command { return command }
        if let task = intent.task {
            return intent.action == .run
                ? task.rawValue + (intent.mode.map { " " + $0.rawValue } ?? "")
                : intent.action.rawValue + " " + task.rawValue
        }
        return intent.action.rawValue + (intent.job.map { " \($0)" } ?? "")
    }

    /// The request after context said without a pause, or before a tail that only says what
    /// for; a correction without a pause; several clauses of scene before the request.
    @Test(arguments: [
        ("I rewrote the lexer last night so can you run the tests", "test"),
        ("I merged something on the other machine so pull first", "git pull"),
        ("run the build no actually the linter", "lint"),
        ("I'm not sure the manifest is right so kick off a build and let's see", "build"),
        ("ok so, before I break anything, let me make a new branch called cache fix", "git switch -c cache-fix"),
    ])
    func theRequestIsFoundWithoutPauses(spoken: String, expected: String) {
        #expect(reading(spoken) == expected, "\(spoken)")
    }

    /// A statement that asks nothing is surely nothing: no paraphrase is matched to it.
    @Test(arguments: [
        "this function is a mess honestly", "someone renamed the repo again", "I swear it worked on friday",
        "I'm not sure the manifest is right",
    ])
    func aStatementAsksForNothing(spoken: String) {
        let intent = grammar.interpret(spoken)
        #expect(intent.action == .none && intent.confidence >= RulesGrammar.remarkConfidence, "\(spoken) -> \(intent)")
    }

    /// One word heard as two, "get" for git, how long a switch is for, and other shapes.
    @Test(arguments: [
        ("do a re lease build", "build release"), ("what does the make file say", "cat Makefile"),
        ("get diff", "git diff"), ("show the change log", "cat CHANGELOG.md"),
        ("switch to develop for a sec", "git switch develop"), ("undo job seven", "undo 7"),
        ("take back the last change you made to the server", "undo"), ("did it compile", "history build"),
        ("did the lint come back clean", "history lint"), ("was lint clean", "history lint"),
        ("okay sure why not", "confirm"), ("what changed in the config file", "git diff Sources/App/Config.swift"),
        ("diff the server against what's committed", "git diff Sources/App/Server.swift"),
        ("what's different from main", "git diff main"), ("am i on main or develop", "git branch --show-current"),
        ("commit everything and say fix the flaky test", "git commit -am 'fix the flaky test'"),
        ("save a commit called tidy imports", "git commit -am 'tidy imports'"), ("swift run", "start"),
        ("run swift format on the sources", "format"),
        ("I'd like a new branch, call it retry logic", "git switch -c retry-logic"),
        ("what do I have in my stash", "git stash list"),
        ("commits from the past week", "git log --since='1 week ago'"),
        ("what does the license say", "cat LICENSE"), ("make a release build and then push", "build release"),
        ("how many test files are there", "find Tests -type f | wc -l"),
        ("how many lines of code in the whole project", "git ls-files | xargs wc -l"),
        ("how many lines of code is the parser", "wc -l Sources/App/Parser.swift"),
        ("I wonder if the refactor broke anything run the tests", "test"),
        ("the guide still mentions the old flag, update it to the new one", "code"),
        // Said the second way: a commit by its hash, dates said loosely, the stash asked about,
        // the diff against a branch, a search by its verb, undo by another verb.
        ("what did commit 3fa9c1 do", "git show 3fa9c1"),
        ("what went in over the last two days", "git log --since='2 days ago'"),
        ("show me last month's commits", "git log --since='1 month ago'"),
        ("anything stashed at the moment", "git stash list"),
        ("how does my branch differ from master", "git diff master"),
        ("where do we reference max retries", "rg -n -i 'max[ _-]?retries'"),
        ("hunt for the word deprecated", "rg -n -i 'deprecated'"), ("back out job three", "undo 3"),
        ("scrap the last change you made", "undo"), ("jump back to the previous branch", "git switch -"),
        ("open the package manifest", "cat Package.swift"),
        ("check it in as drop the old flag", "git commit -am 'drop the old flag'"),
        ("put this in a commit saying bump the version", "git commit -am 'bump the version'"),
        ("make sure it still compiles", "build"), ("autoformat everything", "format"),
    ])
    func shapes(spoken: String, expected: String) {
        #expect(reading(spoken) == expected, "\(spoken)")
    }

    /// Flags said aloud, as a user who knows the tools says them.
    @Test(arguments: [
        ("git log dash five", "git log -5"), ("git log dash n three", "git log -3"),
        ("git diff dash dash staged", "git diff --staged"),
        ("git commit dash a m fix typo", "git commit -am 'fix typo'"),
        ("swift build dash c release", "build release"), ("cargo build dash dash release", "build release"),
        ("git switch dash c feature x", "git switch -c feature-x"),
        ("git checkout dash b fix login", "git switch -c fix-login"),
        ("swift test dash dash filter parser tests", "test"),
    ])
    func flagsSaidAloud(spoken: String, expected: String) {
        #expect(reading(spoken) == expected, "\(spoken)")
    }

    /// A yes or a no given grudgingly, in passing, or as a judgement; a job asked about now.
    @Test(arguments: [
        ("I guess so", "confirm"), ("okay fine", "confirm"), ("roger that", "confirm"), ("be my guest", "confirm"),
        ("sure, run them", "confirm"), ("bad idea", "deny"), ("I changed my mind", "deny"), ("hell no", "deny"),
        ("ok halt, i changed my mind", "stop"), ("has it finished", "status"), ("where are we at", "status"),
        ("has the lint job finished yet", "status"),
    ])
    func answersAndQuestionsOfTheMoment(spoken: String, expected: String) {
        #expect(grammar.interpret(spoken).action.rawValue == expected, "\(spoken)")
    }

    /// What the new shapes must not take: a change to the build script is work for Claude, and
    /// what a job said is still history.
    @Test func neighboursKeepTheirReadings() {
        #expect(grammar.interpret("make the build script faster").action == .code)
        #expect(reading("what did the lint say") == "history lint")
        #expect(reading("get the status of the build") != "git status")
    }
}
