import Foundation
import MybroCore
import Testing

@testable import MybroIntent

/// Requests wrapped in context, and the shapes speakers of other languages give them.
@Suite struct ChattyRequestTests {
    let grammar: RulesGrammar

    init() throws { grammar = RulesGrammar(workspace: try EvaluationFixtures.workspace()) }

    @Test func theRequestIsFoundInTheClauseThatMakesIt() {
        let test = grammar.interpret("Okay so I think I fixed the bug, could you maybe run the tests to check?")
        #expect(test.action == .run && test.task == .test)
        #expect(test.transcript == "Okay so I think I fixed the bug, could you maybe run the tests to check?")
        let commit = grammar.interpret(
            "Alright, I think this is good, can you commit everything with the message handle empty input?")
        #expect(commit.command == "git commit -am 'handle empty input'")
        #expect(grammar.interpret("Oh wait, hold on, stop that, I ran the wrong thing.").action == .stop)
    }

    @Test func aYesIsNeverTakenFromAClause() {
        #expect(grammar.interpret("Yes, but I still have to think about it.").action != .confirm)
        #expect(grammar.interpret("Sure, whatever you think is best for the weekend.").action != .confirm)
    }

    @Test func dotsInNamesAndCommasInNumbersDoNotSplit() {
        #expect(RulesGrammar.clauses(of: "show me parser.swift, please.") == ["show me parser.swift", "please"])
        #expect(RulesGrammar.clauses(of: "the last 1,000 lines") == ["the last 1,000 lines"])
        #expect(grammar.interpret("Show me parser.swift.").command == "cat Sources/App/Parser.swift")
    }

    @Test(arguments: [
        ("Please you show me the content of the deploy script.", "cat scripts/deploy.sh"),
        ("I want see the readme.", "cat README.md"),
        ("Can you make push of the branch?", "git push"),
        ("Can you make a pull from the origin?", "git pull"),
        ("Check in with message add config loading.", "git commit -am 'add config loading'"),
        (
            "Could you make a commit? The message should be clean up deploy script.",
            "git commit -am 'clean up deploy script'"
        ),
        ("Can you do new branch, the name is fix deploy?", "git switch -c fix-deploy"),
        ("I want make a branch new called server tests.", "git switch -c server-tests"),
        ("I want go on the branch dark mode.", "git switch dark-mode"),
        ("What's in docs?", "ls docs"),
        ("Usages of handle request.", "rg -n -i 'handle[ _-]?request'"),
        ("Where is used the function load settings in the code?", "rg -n -i 'load[ _-]?settings'"),
        ("Locate anything named config.", "find . -iname '*config*'"),
    ])
    func shapesOfOtherLanguages(phrase: String, command: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.command == command, "\(phrase) → \(intent.command ?? intent.action.rawValue)")
    }

    @Test(arguments: [
        ("What's in the, hmm, the scripts directory?", "ls scripts"),
        ("Could you list what's in the sources folder, cheers.", "ls Sources"),
        ("Make a new branch named, uh, dark mode.", "git switch -c dark-mode"),
        ("I was wondering if you could switch to the hotfix branch.", "git switch hotfix"),
        ("Would it be possible to stash my changes?", "git stash"),
        ("How many files have we got in the tests folder, roughly?", "find Tests -type f | wc -l"),
    ])
    func hesitationsAndPolitenessAreNoPartOfTheRequest(phrase: String, command: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.command == command, "\(phrase) → \(intent.command ?? intent.action.rawValue)")
    }

    @Test func aWordSaidTwiceStaysTwiceWhenItMeansSomething() {
        #expect(SpokenWords("stop stop").withoutHesitations().keys == ["stop", "stop"])
        #expect(SpokenWords("the, uh, the server").withoutHesitations().keys == ["the", "server"])
        #expect(SpokenWords("um").withoutHesitations().keys == ["um"])
    }

    @Test func makingTheFormattingIsFormatting() {
        #expect(grammar.interpret("Can you make the formatting of the files?").task == .format)
        // "make the tests pass" is work on the code, not a test run
        #expect(grammar.interpret("make the tests pass").action == .code)
    }

    @Test(arguments: [
        ("Not now, I don't want.", Intent.Action.deny), ("Is not correct, don't do.", .deny),
        ("Hmm, no, actually I'd rather you didn't do that.", .deny),
        ("Oh, wait, no, that's not what I meant, don't do it.", .deny), ("Is correct, continue.", .confirm),
    ])
    func shortAnswersInOtherShapes(phrase: String, action: Intent.Action) {
        #expect(grammar.interpret(phrase).action == action, "\(phrase)")
    }
}
