/// The example requests the paraphrase matcher compares a transcript with: for each kind of
/// request, short phrasings written from what the request means (not taken from any
/// evaluation set or test), so that a request worded in a way the grammar does not know
/// still lands near its kind. Kinds whose intent needs a slot (a branch name, a file, a
/// commit message, a search term) are here too, as decoys: a request near one of them is
/// left to the grammar (none), never read as a slot-free neighbour.
public enum IntentExamples {
    /// What a kind of request becomes (ParaphraseIntents.swift maps it to an intent).
    public enum Kind: String, CaseIterable, Sendable {
        case test, build, lint, format, app
        case gitStatus, gitDiff, gitLog, gitBranch, gitShow, gitPull, gitPush, gitStash, gitStashPop
        case status, history, stop, confirm, deny, undo, code
        /// Decoys: requests that need a slot the grammar fills.
        case gitBlame, gitCommit, gitNewBranch, gitSwitch, filesList, filesShow, filesFind, filesCount, search
        /// Small talk, and writes the grammar deliberately does not make (reset, rebase, squash).
        case none
    }

    public static let all: [(kind: Kind, text: String)] = phrases.flatMap { kind, texts in
        texts.map { (kind, $0) }
    }

    static let phrases: [(Kind, [String])] = [
        (
            .test,
            [
                "run the tests", "start the test suite", "execute the unit tests", "test the project",
                "check whether the tests still pass", "launch the specs", "fire up the tests",
                "let's see if everything passes", "run all the checks in the test folder", "go run the test suite",
                "I want to run my tests", "make sure nothing is broken by testing it", "run the unit tests again",
                "test everything", "rerun the failing tests", "kick the tests off", "do a test run",
                "can you test the code", "verify the code with the tests", "time to run the tests",
            ]
        ),
        (
            .build,
            [
                "build the project", "compile the code", "make a build", "compile everything", "do a debug build",
                "build it", "rebuild the app", "compile the project again", "make a release build",
                "build for production", "compile with optimizations", "produce an optimized binary",
                "see if it compiles", "run the compiler", "build the package", "make sure it builds",
                "do a fresh build", "start a build", "build in release", "create the release binaries",
            ]
        ),
        (
            .lint,
            [
                "run the linter", "lint the code", "check the code style", "look for style problems",
                "run the static analysis", "check for lint warnings", "lint everything", "run swiftlint",
                "find style violations", "run the style checker", "are there any lint errors",
                "check the code for warnings", "do a lint pass", "run lint on the project",
            ]
        ),
        (
            .format,
            [
                "format the code", "run the formatter", "reformat the source files", "tidy up the formatting",
                "fix the indentation", "apply the code style", "pretty print the sources", "format everything",
                "clean up the whitespace", "make the formatting consistent", "auto format the project",
                "reformat my code", "run the code formatter over the files", "fix the code formatting",
            ]
        ),
        (
            .app,
            [
                "run the app", "start the application", "launch the program", "open the app", "start the server",
                "run the program", "boot up the app", "fire up the server", "get the app running",
                "launch it so I can try it", "start it up", "run the service locally", "start the dev server",
                "run the executable", "let me try the app", "spin up the application",
            ]
        ),
        (
            .gitStatus,
            [
                "git status", "what is the state of the repository", "which files have I changed",
                "show me the modified files", "are there uncommitted changes", "what is not committed yet",
                "is my working tree clean", "what files are staged", "show the repo status",
                "anything changed in the repository", "list the changed files", "what's pending in git",
                "do I have local changes", "show untracked files",
            ]
        ),
        (
            .gitDiff,
            [
                "show me the diff", "what did I change", "show the changes in the code", "show what I edited",
                "what are my changes", "let me see the differences", "diff the working copy",
                "what lines have changed", "show my edits", "compare with the last commit",
                "show me what is different", "git diff", "what's changed in the files", "display the code changes",
            ]
        ),
        (
            .gitLog,
            [
                "show the commit history", "show me the log", "list the recent commits", "git log",
                "what are the latest commits", "who committed recently", "show the history of the repository",
                "what has been committed lately", "list the commits", "show recent commit messages",
                "what happened in the repo recently", "show me the last few commits",
            ]
        ),
        (
            .gitBranch,
            [
                "what branch am I on", "which branch is this", "what's the current branch",
                "tell me the branch name", "which branch am I working on", "name of the current branch",
                "am I on main", "show the current branch", "where am I in git", "what branch is checked out",
            ]
        ),
        (
            .gitShow,
            [
                "show the last commit", "what was in the latest commit", "show me the most recent commit",
                "what did the last commit change", "display the newest commit", "show the head commit",
                "details of the last commit", "what is the latest commit about", "git show",
                "open the previous commit",
            ]
        ),
        (
            .gitPull,
            [
                "pull", "git pull", "pull the latest changes", "get the latest code from the server",
                "update from the remote", "fetch and merge upstream", "sync with origin", "download the new commits",
                "bring my branch up to date", "get what the others pushed", "pull from origin",
                "update my local copy", "grab the newest version from the remote", "refresh from upstream",
            ]
        ),
        (
            .gitPush,
            [
                "push", "git push", "push my commits", "upload my changes to the server", "send my work to origin",
                "publish my commits", "push the branch", "push to the remote", "share my commits with the team",
                "sync my commits up", "push it up", "send the changes upstream", "put my commits on github",
            ]
        ),
        (
            .gitStash,
            [
                "stash my changes", "git stash", "put my work aside", "save my changes for later", "stash this",
                "shelve the current changes", "set my edits aside", "tuck away my local changes",
                "clear my working tree but keep the changes", "hide my changes for now",
            ]
        ),
        (
            .gitStashPop,
            [
                "pop the stash", "git stash pop", "bring back my stashed work", "restore the stash",
                "get my shelved changes back", "unstash", "apply the stashed changes", "reapply my stash",
            ]
        ),
        (
            .status,
            [
                "status", "what are you doing", "what's going on", "is it still running", "are you done yet",
                "what's happening right now", "how is it going", "is anything running", "what are you working on",
                "how far along are you", "still busy", "is the job finished", "what is running now",
                "give me an update", "where are we", "progress report", "are you still working on it",
            ]
        ),
        (
            .history,
            [
                "did the tests pass", "how did the last build go", "did it work", "was the build successful",
                "did the last run fail", "how long did the build take", "what was the result of the tests",
                "did everything pass last time", "what happened with the last job", "did the build break",
                "were there any failures", "how did the test run turn out", "did that succeed",
                "what was the outcome", "how long did the tests take",
            ]
        ),
        (
            .stop,
            [
                "stop", "stop it", "cancel", "abort", "halt", "kill it", "stop the build", "cancel that job",
                "never mind", "forget it", "hold on", "wait stop", "stop what you are doing", "quit that",
                "enough", "stop right now", "cancel the tests", "interrupt it", "stop running that", "shut it down",
                "that's enough", "hang on a second",
            ]
        ),
        (
            .confirm,
            [
                "yes", "yeah", "yep", "sure", "okay", "go ahead", "do it", "that's right", "correct", "absolutely",
                "yes please", "sounds good", "go for it", "affirmative", "please do", "exactly",
                "of course", "sure thing", "yes that's what I meant", "fine go ahead", "alright do it", "proceed",
                "makes sense do it", "confirmed",
            ]
        ),
        (
            .deny,
            [
                "no", "nope", "nah", "don't", "no thanks", "don't do that", "not that", "wrong", "no way",
                "absolutely not", "that's not what I meant", "skip it", "no don't", "negative", "cancel no",
                "I don't want that", "not now", "leave it", "no leave it alone", "that's wrong",
                "that is not right", "please don't",
            ]
        ),
        (
            .undo,
            [
                "undo", "undo that", "revert that change", "put it back the way it was", "roll back the last change",
                "take that back", "reverse what you just did", "undo your last edit", "go back to how it was",
                "restore the previous version", "cancel the change you made", "back out that change",
                "undo the last thing", "I didn't want that change", "revert your edit", "get rid of that change",
            ]
        ),
        (
            .code,
            [
                "add a function that parses dates", "fix the crash when the file is empty",
                "write a unit test for the parser", "refactor the networking code", "rename this variable",
                "explain how the cache works", "why does the login fail", "add error handling to the loader",
                "make the button blue", "implement pagination in the list view", "clean up the config module",
                "add logging to the server", "remove the unused imports", "optimize the sort function",
                "document the public functions", "move the helper into its own file", "what does this function do",
                "add a command line flag for verbose output", "change the timeout to thirty seconds",
                "write a readme section about installation", "can you improve the error messages",
                "create a new view for the settings", "split this class into two", "port this script to swift",
                "there's a bug in the date parsing, fix it", "the tests fail because of a null pointer, look into it",
            ]
        ),
        (
            .gitBlame,
            [
                "who wrote this file", "who changed the readme", "blame the makefile", "who last edited the config",
                "who is responsible for this code", "git blame on the parser",
            ]
        ),
        (
            .gitCommit,
            [
                "commit with the message fix typo", "commit my changes", "make a commit saying update docs",
                "commit everything as initial version", "save a commit called cleanup", "commit this work",
            ]
        ),
        (
            .gitNewBranch,
            [
                "create a branch called feature x", "make a new branch named cleanup", "start a new branch for login",
                "branch off as bugfix", "open a fresh branch called experiment",
            ]
        ),
        (
            .gitSwitch,
            [
                "switch to main", "check out the develop branch", "go to the release branch", "change to branch dev",
                "move over to the feature branch",
            ]
        ),
        (
            .filesList,
            [
                "list the files", "what is in the sources folder", "show me the directory", "list the folder contents",
                "what files are in tests", "show the files in docs",
            ]
        ),
        (
            .filesShow,
            [
                "open the readme", "show me the makefile", "print the config file", "display the license",
                "read me the package file", "cat the changelog",
            ]
        ),
        (
            .filesFind,
            [
                "find the file called parser", "where is the config file", "locate the router source",
                "look for a file named session", "which file has the main function",
            ]
        ),
        (
            .filesCount,
            [
                "how many files are there", "count the files in sources", "how many lines in main swift",
                "number of files in the tests folder", "how big is the project in files",
            ]
        ),
        (
            .search,
            [
                "search for timeout", "grep for todo", "find where parse config is used", "search the code for fixme",
                "look for the word cache in the project", "where do we call fetch user",
            ]
        ),
        (
            .none,
            [
                "what's the weather like", "tell me a joke", "hello there", "thanks", "good morning",
                "how are you", "I'm going to get coffee", "that was funny", "let me think", "hmm",
                "who won the game yesterday", "play some music", "order a pizza", "what's your name",
                "reset hard to origin", "rebase onto main", "squash the last three commits",
                "revert the last commit", "delete the remote branch", "force push", "amend the last commit",
                "I was just talking to my colleague", "sorry wrong window", "never seen that before",
                "lunch is at noon", "the meeting moved to three", "my cat is on the keyboard",
            ]
        ),
    ]
}
