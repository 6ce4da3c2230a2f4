import Foundation
import MybroCore
import Testing

@testable import MybroIntent

/// Stop 30's shapes of asking, each in phrasings of its own (not those of the sets scored): a
/// request asked as leave, a progress question built around the job, what a job said, words
/// said to someone else, a mode kept in a guessed build, the request's own verb deciding its
/// direction, paths written as typed, names asked for by what they hold, where to search left
/// out of the search, messages marked with a modal or kept by another verb, reasons said
/// without a pause.
@Suite struct AskingShapesTests {
    let grammar: RulesGrammar

    init() throws { grammar = RulesGrammar(workspace: try EvaluationFixtures.workspace()) }

    @Test(arguments: [
        ("Is it alright if I lint the code now?", Intent.Task.lint),
        ("May I build it, the parser changed.", .build),
        ("Would it be okay to start the app?", .start),
    ])
    func leaveAskedIsTheRequest(phrase: String, task: Intent.Task) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .run && intent.task == task, "\(phrase): \(intent)")
    }

    @Test(arguments: [
        "Is that build you kicked off still running?", "How long till the tests are done?",
        "Are you still at it with the lint job?", "What's happening with the thing you started?",
    ])
    func progressQuestions(phrase: String) {
        #expect(grammar.interpret(phrase).action == .status, "\(phrase)")
    }

    @Test(arguments: [
        "What did the formatter report last time?", "Previous test results?",
        "Which commands did you run earlier today?",
    ])
    func whatAJobSaid(phrase: String) {
        #expect(grammar.interpret(phrase).action == .history, "\(phrase)")
    }

    @Test func wordsToSomeoneElseAreNoRequest() {
        #expect(grammar.interpret("Hi Maria, can you run the tests on your laptop?").action == .none)
        #expect(grammar.interpret("Hey there, run the tests.").task == .test)
    }

    @Test func aGuessedBuildKeepsItsMode() {
        let intent = grammar.interpret("Do a production build.")
        #expect(intent.task == .build && intent.mode == .release, "\(intent)")
    }

    @Test func theRequestsOwnVerbDecidesTheDirection() {
        #expect(
            ParaphraseIntents.direction(
                ["stash", "it", "and", "bring", "it", "back", "later"], away: ParaphraseIntents.stashWords,
                back: ParaphraseIntents.unstashWords) == .away)
        #expect(
            ParaphraseIntents.direction(
                ["bring", "down", "what", "they", "pushed"], away: ParaphraseIntents.pushWords,
                back: ParaphraseIntents.pullWords) == .back)
    }

    @Test(arguments: [
        ("How many files does Tests/AppTests hold?", "find Tests/AppTests -type f | wc -l"),
        ("Show me docs/guide.md.", "cat docs/guide.md"),
        ("Which files have parser in their names?", "find . -iname '*parser*'"),
        ("Any file whose name contains deploy?", "find . -iname '*deploy*'"),
        ("Find every mention of retry budget across the code base.", "rg -n -i 'retry[ _-]?budget'"),
        ("Which files reference session token?", "rg -n -i 'session[ _-]?token'"),
        ("Commit it, the message would be tidy imports.", "git commit -am 'tidy imports'"),
        ("Save where I am with a note saying halfway through parser.", "git commit -am 'halfway through parser'"),
        ("Commit with bump version, commit it please.", "git commit -am 'bump version'"),
        ("Open the readme so I can check the wording.", "cat README.md"),
    ])
    func slotsWhereverTheyAreSaid(phrase: String, command: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.command == command, "\(phrase): \(intent.command ?? "nil") \(intent.action)")
    }
}

/// Stop 31: a list or count request's folder is the one workspace folder it names anywhere
/// (before the request, after it in another clause, as a path said without slashes, nested in
/// another), and words that name no folder of the workspace are not made into one.
@Suite struct FolderNamedAnywhereTests {
    let grammar: RulesGrammar

    init() throws { grammar = RulesGrammar(workspace: try EvaluationFixtures.workspace()) }

    @Test(arguments: [
        ("How many files are there in docs? Just wondering.", "find docs -type f | wc -l"),
        ("In the scripts folder, how many files are there?", "find scripts -type f | wc -l"),
        ("Count the files in sources app.", "find Sources/App -type f | wc -l"),
        ("How many files do we have overall, in total?", "find . -type f | wc -l"),
        ("List the AppTests folder under Tests.", "ls Tests/AppTests"),
        ("What's in the docs folder? I want to find the guide.", "ls docs"),
        ("Count how many files we have in all of it.", "find . -type f | wc -l"),
    ])
    func theFolderIsTheOneNamed(phrase: String, command: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .run && intent.command == command, "\(phrase): \(intent)")
    }

    @Test func namesThatNestAreTheDeepestAndUnrelatedOnesAreNone() {
        #expect(grammar.folderNamedAnywhere(SpokenWords("the App folder in Sources")) == "Sources/App")
        #expect(grammar.folderNamedAnywhere(SpokenWords("docs and scripts")) == nil)
        #expect(grammar.folderSlot(["we", "have", "total"]) == nil)
        #expect(grammar.folderSlot(["vendor", "folder"]) == "vendor")
        #expect(RulesGrammar().folderSlot(["third", "party"]) == "third-party")
    }
}

/// Stop 31's shapes, each in phrasings of its own: places asked for by what they say, files
/// asked for by what their names match, the workspace itself listed, a branch one is put on,
/// pulling down or in, updating from a remote, what others pushed coming back, stashing for a
/// while or somewhere safe, who last changed a file, what differs since the last commit, an
/// outcome only the tests tell, layout made tidy, tools named for their task.
@Suite struct StopThirtyOneShapesTests {
    let grammar: RulesGrammar

    init() throws { grammar = RulesGrammar(workspace: try EvaluationFixtures.workspace()) }

    @Test(arguments: [
        ("Show me all the lines that say retry limit.", "rg -n -i 'retry[ _-]?limit'"),
        ("List each spot that references the cache.", "rg -n -i 'cache'"),
        ("Ripgrep for timeout.", "rg -n -i 'timeout'"),
        ("Look up file names for config.", "find . -iname '*config*'"),
        ("Are there files matching parser?", "find . -iname '*parser*'"),
        ("Locate the dockerfile.", "find . -iname '*dockerfile*'"),
        ("What is in here?", "ls"),
        ("Show me the top level of the project.", "ls"),
        ("Put me on the staging branch.", "git switch staging"),
        ("Back to master.", "git switch master"),
        ("Pull in the latest from the others, please.", "git pull"),
        ("Refresh my branch with origin.", "git pull"),
        ("Park my changes for a bit.", "git stash"),
        ("Put this stuff somewhere safe for now.", "git stash"),
        ("Who last touched the makefile?", "git blame Makefile"),
        ("Tell me who had written the readme.", "git blame README.md"),
        ("What differs since my last commit?", "git diff"),
    ])
    func commands(phrase: String, command: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .run && intent.command == command, "\(phrase): \(intent)")
    }

    @Test(arguments: [
        ("Make sure nothing is broken.", Intent.Task.test), ("Check it all still works after the edit.", .test),
        ("Beautify the sources.", .format), ("Make the spacing uniform.", .format),
        ("Do the prettier thing.", .format), ("Run clippy.", .lint), ("Run jest.", .test),
    ])
    func tasks(phrase: String, task: Intent.Task) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .run && intent.task == task, "\(phrase): \(intent)")
    }

    /// A reason or a time said without a pause after the request ("so the …", "before the …",
    /// "while I …") asks for nothing itself.
    @Test(arguments: [
        ("Push my branch before the demo starts.", "git push"),
        ("Stash my changes so nobody sees the mess.", "git stash"),
        ("Show me the diff while I get a coffee.", "git diff"),
    ])
    func aReasonWithoutAPauseAsksForNothing(phrase: String, command: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .run && intent.command == command, "\(phrase): \(intent)")
    }

    @Test(arguments: [
        ("Yes, that's what I asked for.", Intent.Action.confirm), ("Computer, confirmed.", .confirm),
        ("Assistant, give me the status of the job.", .status), ("Any update on the lint?", .status),
        ("Report the results of the last build.", .history), ("Remind me what the tests said earlier.", .history),
    ])
    func answersAndQuestions(phrase: String, action: Intent.Action) {
        #expect(grammar.interpret(phrase).action == action, "\(phrase): \(grammar.interpret(phrase))")
    }

    /// The speaker's own plans and opinions ask for nothing, and surely so: the paraphrase
    /// matcher leaves them be. A request beside them still counts.
    @Test func remarksAreSurelyNothing() {
        for phrase in [
            "I'll read the changelog myself tomorrow.", "Okay, I'll check the diff after the meeting.",
            "I think the parser is fine as it is.", "I guess the build was slow because of the cache.",
        ] {
            let intent = grammar.interpret(phrase)
            #expect(
                intent.action == .none && intent.confidence == RulesGrammar.remarkConfidence, "\(phrase): \(intent)")
        }
        #expect(grammar.interpret("I'll check it later, run the build now.").task == .build)
        // a request, not a remark (which is `none` at the remark's confidence)
        #expect(grammar.interpret("I think we should run the tests.").task == .test)
        #expect(
            grammar.interpret("I think the build is broken, can you check?").confidence != RulesGrammar.remarkConfidence
        )
    }

    /// A new branch's name: after "with name", "set up", "one new", "let me branch off as"; it
    /// ends where a purpose or another request begins.
    @Test(arguments: [
        ("Make another branch with name cache warmup.", "git switch -c cache-warmup"),
        ("Set up a branch called api docs for the writers.", "git switch -c api-docs"),
        ("Let me branch off as retry budget.", "git switch -c retry-budget"),
        ("Create a branch named back to basics.", "git switch -c back-to-basics"),
    ])
    func newBranchNames(phrase: String, command: String) {
        #expect(grammar.interpret(phrase).command == command, "\(phrase): \(grammar.interpret(phrase))")
    }

    @Test(arguments: [
        ("The log, past fifteen.", "git log -15"), ("Show the latest commit history please.", "git log -10"),
        ("Show me the commit before that.", "git show HEAD~1"),
    ])
    func logsAndCounts(phrase: String, command: String) {
        #expect(grammar.interpret(phrase).command == command, "\(phrase): \(grammar.interpret(phrase))")
        // commits made before are no one commit before another
        #expect(grammar.interpret("Which commits did the others make before?").command != "git show HEAD~1")
    }

    @Test(arguments: [
        ("Give me an update on the lint job.", Intent.Action.status), ("Hello? Are you stuck?", .status),
        ("Very well, go on.", .confirm), ("I think so, yeah, apply it.", .confirm), ("Big no.", .deny),
        ("Ctrl C.", .stop),
    ])
    func moreAnswers(phrase: String, action: Intent.Action) {
        #expect(grammar.interpret(phrase).action == action, "\(phrase): \(grammar.interpret(phrase))")
    }

    /// A hold-word before talk of something else stops nothing; alone, or with a stop, it stops.
    @Test func aHoldWordBeforeOtherTalkStopsNothing() {
        #expect(grammar.interpret("Hang on, the coffee machine is beeping again.").action != .stop)
        #expect(grammar.interpret("Wait, what was that meeting about?").action != .stop)
        #expect(grammar.interpret("Hold on!").action == .stop)
        #expect(grammar.interpret("Wait, cancel the tests.").action == .stop)
    }

    @Test(arguments: [
        ("Set it back the way it was.", Intent.Action.undo), ("Go back to how they were.", .undo),
        ("Wrap the parser in a cache.", .code), ("Gimme a lint run.", .run),
    ])
    func undoCodeAndContractions(phrase: String, action: Intent.Action) {
        #expect(grammar.interpret(phrase).action == action, "\(phrase): \(grammar.interpret(phrase))")
    }

    @Test(arguments: [
        ("What is the number of files in scripts?", "find scripts -type f | wc -l"),
        ("Search the code for every mention of cache key.", "rg -n -i 'cache[ _-]?key'"),
        ("Pull the newest from GitLab.", "git pull"), ("Send my work up to the shared repo.", "git push"),
    ])
    func moreCommands(phrase: String, command: String) {
        #expect(grammar.interpret(phrase).command == command, "\(phrase): \(grammar.interpret(phrase))")
    }

    @Test func whatOthersPushedComesBack() {
        let keys = SpokenWords("grab whatever the team pushed last night").keys
        let way = ParaphraseIntents.direction(
            keys, away: ParaphraseIntents.pushWords, back: ParaphraseIntents.pullWords)
        #expect(way == .back)
        #expect(
            ParaphraseIntents.direction(
                SpokenWords("get my commits pushed").keys, away: ParaphraseIntents.pushWords,
                back: ParaphraseIntents.pullWords) == .away)
    }

    @Test(arguments: ["Pull up the readme.", "Pull out a helper from the parser.", "Pull request for the login fix."])
    func pullingUpOrOutIsNoPull(phrase: String) {
        #expect(grammar.interpret(phrase).command != "git pull", "\(phrase)")
    }
}

/// Stop 32: a search scoped to a folder the workspace has, diffs and logs of one file or
/// against a branch, commits counted back from HEAD, git's own flags (pull --rebase, push
/// --tags, stash list), types of files by their names, and questions about ended jobs.
@Suite struct StopThirtyTwoShapesTests {
    let grammar: RulesGrammar

    init() throws { grammar = RulesGrammar(workspace: try EvaluationFixtures.workspace()) }

    @Test(arguments: [
        ("Grep the tests for fixture.", "rg -n -i 'fixture' Tests"),
        ("Search for deploy in the scripts folder.", "rg -n -i 'deploy' scripts"),
        ("Search the universe for meaning.", "rg -n -i 'meaning'"),
        ("Diff the makefile.", "git diff Makefile"),
        ("Show me the dif for the parser.", "git diff Sources/App/Parser.swift"),
        ("What's different between my branch and develop?", "git diff develop"),
        ("Show what I have not staged.", "git diff"),
        ("Show the commit history of the readme.", "git log README.md"),
        ("Show me head tilde three.", "git show HEAD~3"),
        ("Give me the commit three before head.", "git show HEAD~3"),
        ("What did the previous commit change?", "git show"),
        ("Anything new merged since monday?", "git log --since=monday"),
        ("Pull and rebase on top.", "git pull --rebase"),
        ("Push the new tags.", "git push --tags"),
        ("Show me what's in the stash.", "git stash list"),
        ("Locate every python file.", "find . -name '*.py'"),
        ("Show me the changes to the makefile.", "git diff Makefile"),
        ("What's different from develop?", "git diff develop"),
        ("Show the commit three back.", "git show HEAD~3"),
        ("What was in the last commit?", "git show"),
        ("Show the commits since three days ago.", "git log --since='3 days ago'"),
        ("Are there any markdown files in here?", "find . -name '*.md'"),
    ])
    func commands(phrase: String, command: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .run && intent.command == command, "\(phrase): \(intent)")
    }

    /// A recogniser's near-misses for git's words are read as meant; "read me" is the readme only
    /// after an article ("read me the diff" asks for the diff).
    @Test(arguments: [
        ("Comet with message tidy up the logs.", "git commit -am 'tidy up the logs'"),
        ("Show the read me.", "cat README.md"),
        ("Read me the diff.", "git diff"),
        ("Switch to the dev brunch.", "git switch dev"),
    ])
    func nearMissesOfGitsWords(phrase: String, command: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .run && intent.command == command, "\(phrase): \(intent)")
    }

    /// A request said in the negative is a no, never the request (the paraphrase matcher took
    /// "don't push that yet" for a push); "don't forget to …" still asks for it.
    @Test func aNegatedRequestIsANo() {
        for phrase in [
            "No, don't push that yet.", "Do not run the tests.", "Please don't commit anything.",
            "Never deploy on a Friday.", "Not yet, hold off on that.", "Nah, don't stash it.",
        ] {
            #expect(grammar.interpret(phrase).action == .deny, "\(phrase): \(grammar.interpret(phrase))")
        }
        #expect(grammar.interpret("Don't forget to run the tests.").action != .deny)
        #expect(grammar.interpret("Why don't you run the tests?").action != .deny)
    }

    /// "Commit the fix to the parser" is a commit, not the parser's history.
    @Test func aCommitRequestIsNoLog() {
        #expect(grammar.interpret("Commit the fix to the parser.").command?.hasPrefix("git log") != true)
    }

    @Test(arguments: [
        ("Why did the tests break?", Intent.Action.history, Intent.Task?.some(.test)),
        ("Were the tests all green?", .history, .test),
        ("What were the warnings?", .history, nil),
        ("What did the formatter moan about?", .history, .format),
        ("Howd the build go?", .history, .build),
        ("Still testing?", .status, .test),
        ("Is the build done yet?", .status, .build), ("Which lint checks complained?", .history, .lint),
    ])
    func questions(phrase: String, action: Intent.Action, task: Intent.Task?) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == action && intent.task == task, "\(phrase): \(intent)")
    }
}
