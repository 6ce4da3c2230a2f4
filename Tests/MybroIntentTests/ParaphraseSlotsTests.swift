import Foundation
import MybroCore
import Testing

@testable import MybroIntent

/// Slots found by what marks them, for requests the paraphrase matcher placed, and the grammar
/// rules that use the same finders. The workspace is the evaluation's (Tests/Fixtures/intent).
@Suite struct ParaphraseSlotsTests {
    let grammar: RulesGrammar

    init() throws { grammar = RulesGrammar(workspace: try EvaluationFixtures.workspace()) }

    func slot(_ kind: IntentExamples.Kind, _ text: String) -> String? {
        grammar.slotCommand(for: kind, transcript: text)
    }

    @Test func aCommitMessageIsWhatFollowsItsMarker() {
        #expect(
            slot(.gitCommit, "do the commit, the message is handle empty input")
                == "git commit -am 'handle empty input'")
        #expect(
            slot(.gitCommit, "wrap this up as a commit, call it parser cleanup.") == "git commit -am 'parser cleanup'")
        #expect(slot(.gitCommit, "Commit: it's done") == "git commit -am 'it'\\''s done'")
        #expect(slot(.gitCommit, "commit fix typo in readme") == "git commit -am 'fix typo in readme'")
        // "commit" with its object and no message: nothing to commit with
        #expect(slot(.gitCommit, "commit everything please") == nil)
        #expect(slot(.gitCommit, "save my work into the history") == nil)
    }

    @Test func aBranchIsWhatItIsCalledOrWhatStandsBeforeBranch() {
        #expect(
            slot(.gitNewBranch, "start a fresh branch for this, call it retry logic") == "git switch -c retry-logic")
        #expect(slot(.gitNewBranch, "I need somewhere new to work, named cache layer") == "git switch -c cache-layer")
        #expect(slot(.gitSwitch, "hop onto the release candidate branch") == "git switch release-candidate")
        #expect(slot(.gitSwitch, "take me over to develop and then run the tests") == "git switch develop")
        // a sentence, not a name
        #expect(slot(.gitSwitch, "is this the branch") == nil)
        #expect(slot(.gitNewBranch, "make another branch") == nil)
    }

    @Test func aFileIsFoundWhereverItIsNamed() {
        #expect(
            slot(.gitBlame, "I'd like to know the author of each line in deploy.sh") == "git blame scripts/deploy.sh")
        #expect(slot(.filesShow, "let me have a look inside parser dot swift") == "cat Sources/App/Parser.swift")
        #expect(slot(.filesShow, "bring the readme onto the screen") == "cat README.md")
        #expect(slot(.filesShow, "show me the thing we talked about") == nil)
    }

    @Test func aFolderIsFoundOrTheWholeProjectIsMeant() {
        #expect(slot(.filesList, "what lives under sources slash app") == "ls Sources/App")
        #expect(slot(.filesList, "what is in the docs") == "ls docs")
        #expect(slot(.filesList, "what have we got at the top level") == "ls")
        #expect(slot(.filesCount, "how big is the tests folder in files") == "find Tests -type f | wc -l")
        #expect(slot(.filesCount, "how big is this project in files") == "find . -type f | wc -l")
    }

    @Test func aFindKeepsOnlyTheNameLookedFor() {
        #expect(slot(.filesFind, "where did I put that utils file") == "find . -iname '*utils*'")
        #expect(slot(.filesFind, "is there a file with logger in its name") == "find . -iname '*logger*'")
        #expect(slot(.filesFind, "where did the old login screen code go") == nil)
    }

    @Test func aSearchTermFollowsItsMarkerAndAPronounPointsBack() {
        #expect(slot(.search, "comb the codebase for the word deprecated") == "rg -n -i 'deprecated'")
        #expect(
            slot(.search, "where do we reference max retries, let me search the code for that")
                == "rg -n -i 'max[ _-]?retries'")
        #expect(slot(.search, "all places in the code with the text fixme") == "rg -n -i 'fixme'")
        #expect(slot(.search, "look through everything please") == nil)
    }

    @Test(arguments: [
        ("would you mind listing the files in the scripts directory", "ls scripts"),
        ("do you mind running git status", "git status"),
        ("okay let's commit it with the message improve parser errors", "git commit -am 'improve parser errors'"),
        ("please make commit with message refactor config loading", "git commit -am 'refactor config loading'"),
        ("show me who changed every line in the readme", "git blame README.md"),
        ("who's responsible for the parser tests file", "git blame Tests/AppTests/ParserTests.swift"),
        ("hey could you tell me how many files are in the tests folder", "find Tests -type f | wc -l"),
        ("how many files are in the entire project altogether", "find . -type f | wc -l"),
        ("the list of files in the docs folder", "ls docs"),
        ("switch me over to develop", "git switch develop"),
        ("change to the branch called parser cleanup", "git switch parser-cleanup"),
        ("please create new branch with the name cache layer", "git switch -c cache-layer"),
        ("is there a file named cache somewhere in the project", "find . -iname '*cache*'"),
        ("search user name", "rg -n -i 'user[ _-]?name'"),
        ("where does the server call parse config", "rg -n -i 'parse[ _-]?config'"),
    ])
    func theGrammarReadsTheseShapesToo(phrase: String, command: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .run && intent.command == command, "\(phrase) → \(intent.command ?? "nil")")
    }

    @Test func fixingTheLayoutIsFormattingButFixingLintIsCode() {
        #expect(grammar.interpret("fix the formatting").task == .format)
        #expect(grammar.interpret("clean up the indentation and trailing whitespace").task == .format)
        #expect(grammar.interpret("fix the lint errors").action == .code)
        #expect(grammar.interpret("run swiftlint over the whole project").task == .lint)
        #expect(grammar.interpret("run swiftlint over the parser").task == nil)
    }

    @Test func aMessageMarkerAfterANounCommitIsNoCommit() {
        #expect(grammar.interpret("fix the commit message for the parser").action == .code)
        #expect(grammar.interpret("review my last commit message please").command == nil)
    }

    @Test(arguments: [
        ("okay I agree, do it", Intent.Action.confirm), ("yes, this is correct, you can proceed", .confirm),
        ("alright yes let's do that", .confirm), ("sorry no let's not do that", .deny),
        ("no, this is not what I want, don't do it", .deny), ("I'll pass", .deny),
        ("I'd rather you didn't", .deny),
    ])
    func longerAnswers(phrase: String, action: Intent.Action) {
        #expect(grammar.interpret(phrase).action == action, "\(phrase)")
    }

    @Test func aYesThatAlsoSaysNoOrNamesARequestIsNoYes() {
        #expect(grammar.interpret("yes let's not do that").action != .confirm)
        #expect(grammar.interpret("yes but run the linter first").action != .confirm)
        #expect(grammar.interpret("okay I agree, delete the parser").action != .confirm)
    }
}
