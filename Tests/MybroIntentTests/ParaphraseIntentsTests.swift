import MybroCore
import Testing

@testable import MybroIntent

@Suite struct ParaphraseIntentsTests {
    func intent(_ kind: IntentExamples.Kind, _ transcript: String) -> Intent? {
        ParaphraseIntents.intent(for: kind, transcript: transcript, confidence: 0.7, grammar: RulesGrammar())
    }

    @Test func aBuildNamesItsModeOnlyWhenSaid() {
        #expect(intent(.build, "produce an optimized binary")?.mode == .release)
        #expect(intent(.build, "a quick debug build please")?.mode == .debug)
        #expect(intent(.build, "get it compiled")?.mode == nil)
        #expect(intent(.build, "get it compiled")?.task == .build)
    }

    @Test func aStatusOrHistoryQuestionKeepsTheTaskItNames() {
        #expect(intent(.history, "were the specs green last time")?.task == .test)
        #expect(intent(.history, "did it work")?.task == nil)
        #expect(intent(.status, "is the compilation still going")?.task == .build)
    }

    @Test(arguments: [
        IntentExamples.Kind.gitBlame, .gitCommit, .gitNewBranch, .gitSwitch, .filesShow, .filesFind, .search, .none,
    ])
    func kindsWhoseSlotIsNotSaidGiveNoIntent(_ kind: IntentExamples.Kind) {
        #expect(intent(kind, "whatever was said") == nil)
    }

    @Test func listingAndCountingWithoutAFolderMeanTheWholeProject() {
        #expect(intent(.filesList, "whatever was said")?.command == "ls")
        #expect(intent(.filesCount, "whatever was said")?.command == "find . -type f | wc -l")
    }

    @Test func theWordsThatSayWhichWayDecideBetweenOppositeRequests() {
        #expect(intent(.gitPush, "syncing down the newest commits from origin")?.command == "git pull")
        #expect(intent(.gitPull, "ready to send it up")?.command == "git push")
        #expect(intent(.gitPull, "sync with the others")?.command == "git pull")
        #expect(intent(.gitStash, "bring back the changes I stashed earlier")?.command == "git stash pop")
        #expect(intent(.gitStashPop, "shelve these for a moment, put them aside")?.command == "git stash")
        #expect(intent(.gitStashPop, "the shelf thing")?.command == "git stash pop")
    }

    @Test func aCodingRequestKeepsItsWordsAsThePrompt() {
        let code = intent(.code, "give the parser a proper error type")
        #expect(code?.action == .code && code?.prompt == "give the parser a proper error type")
        #expect(code?.backend == ParaphraseIntents.backendName && code?.confidence == 0.7)
    }

    @Test func gitKindsBecomeTheGrammarsOwnCommands() {
        #expect(intent(.gitLog, "what happened lately")?.command == "git log -10")
        #expect(intent(.gitStashPop, "give me my shelved work back")?.command == "git stash pop")
        #expect(intent(.gitPush, "ship my commits")?.command == "git push")
    }
}
