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

    /// A speaker who corrects themselves means the correction: alone when it is a whole request,
    /// else in place of the last words before it.
    @Test(arguments: [
        ("Run the linter, no wait, format the code.", "format"),
        ("Build it, sorry, I mean test it.", "test"),
        ("Show me the last two, no, four commits.", "git log -4"),
        ("Push my work, actually, pull first.", "git pull"),
    ])
    func aCorrectionReplacesWhatItCorrects(spoken: String, expected: String) {
        let intent = grammar.interpret(spoken)
        #expect(intent.command == expected || intent.task?.rawValue == expected, "\(spoken) -> \(intent)")
        #expect(intent.transcript == spoken)
    }

    @Test func anAnswerIsNoCorrection() {
        #expect(grammar.interpret("No, don't do that.").action == .deny)
    }

    /// A clause that gives the reason after the request, or sets the scene before it, asks for
    /// nothing itself.
    @Test(arguments: [
        ("Stash my changes, I have to look at another branch.", "git stash"),
        ("Stop the tests, it's taking forever.", "stop"),
        ("Before I push, run the linter.", "lint"),
        ("To make sure it still works, build it.", "build"),
        ("I need a clean slate, stash everything.", "git stash"),
    ])
    func reasonsAndSceneSettingAskForNothing(spoken: String, expected: String) {
        let intent = grammar.interpret(spoken)
        let got = intent.command ?? intent.task?.rawValue ?? intent.action.rawValue
        #expect(got == expected, "\(spoken) -> \(intent)")
    }

    @Test func politenessAndWhomItIsSaidToAreNoPartOfTheRequest() {
        #expect(grammar.interpret("Kindly run the linter, mate.").task == .lint)
        #expect(grammar.interpret("Search the code for timeout, mate.").command == "rg -n -i 'timeout'")
        #expect(grammar.interpret("Okay, kindly proceed.").action == .confirm)
    }

    @Test(arguments: ["Sure, why not.", "Give it a go.", "Righto.", "Carry on.", "By all means."])
    func idiomsOfYes(spoken: String) {
        #expect(grammar.interpret(spoken).action == .confirm, "\(spoken)")
    }

    @Test(arguments: ["Yeah nah, leave it.", "Don't bother.", "Hold off.", "No thanks."])
    func idiomsOfNo(spoken: String) {
        #expect(grammar.interpret(spoken).action == .deny, "\(spoken)")
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
