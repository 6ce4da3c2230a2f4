import Testing

@testable import MybroExec

/// Tasks for Claude Code, said many ways, with the verdict each must get in /home/dev/project.
let promptTable: [(String, Expected)] = [
    // Ordinary code work goes ahead.
    ("fix the failing test in ParserTests", .allow), ("add a README section about install", .allow),
    ("rename the function parse to parseConfig", .allow), ("delete the unused helper in utils.swift", .allow),
    ("remove the debug print statements", .allow), ("move the tests into a Tests folder", .allow),
    ("clean up the code in the parser", .allow), ("clear the cache before running the tests", .allow),
    ("reset the counter when the timer fires", .allow), ("format the code", .allow),
    ("delete the old migration files in db/migrations", .allow),
    ("remove the deprecated API from Sources/Core", .allow),
    ("add a home page component", .allow), ("remove the home button from the navbar", .allow),
    ("refactor the networking layer", .allow), ("write tests for the tokenizer", .allow),
    ("don't delete anything, just list the large files", .allow), ("never touch my home folder, fix the build", .allow),
    ("rename utils.swift to Helpers.swift", .allow), ("remove the unused imports in the repo", .allow),
    ("drop the unused column from the User model", .allow), ("empty the array before refilling it", .allow),
    ("truncate long lines in the log output", .allow), ("get rid of the compiler warnings", .allow),
    ("explain what the scheduler does", .allow), ("update the changelog for version 2", .allow),
    ("move the helper functions into their own file", .allow), ("clean the build output in .build", .allow),
    ("overwrite the snapshot fixtures with the new output", .allow),
    ("delete /home/dev/project/tmp/cache.json", .allow),
    ("make the linter happy", .allow), ("add a --force flag to the CLI", .allow),

    // Destruction outside the code, history and secrets wait for a yes.
    ("delete everything", .confirm), ("Remove all the files in the repo", .confirm),
    ("remove the home folder", .confirm), ("tidy up my home folder", .confirm), ("free up disk space", .confirm),
    ("declutter my downloads folder", .confirm), ("prune the git history", .confirm),
    ("delete the files in my home folder", .confirm), ("clean out the home directory", .confirm),
    ("wipe my home dir", .confirm), ("erase everything in ~", .confirm), ("rm -rf ~", .confirm),
    ("nuke the whole project", .confirm), ("get rid of all the files", .confirm),
    ("trash my Downloads folder", .confirm),
    ("clear out the Desktop", .confirm), ("purge the Documents folder", .confirm), ("delete my .ssh folder", .confirm),
    ("overwrite my .bashrc with a fresh one", .confirm), ("remove the .config directory", .confirm),
    ("empty the trash", .confirm), ("delete the parent directory", .confirm),
    ("remove the folder above this one", .confirm),
    ("delete the other projects next to this one", .confirm), ("wipe the disk", .confirm),
    ("format the hard drive", .confirm), ("destroy the filesystem", .confirm), ("delete the system files", .confirm),
    ("clear the shell history", .confirm), ("erase the git history", .confirm), ("delete the job history", .confirm),
    ("rewrite history to drop the big file", .confirm), ("force push to main", .confirm),
    ("do a hard reset to origin", .confirm), ("run git reset --hard", .confirm),
    ("squash the last ten commits", .confirm),
    ("delete /etc/nginx", .confirm), ("move ~/notes into the repo", .confirm),
    ("rename /usr/local/bin/python", .confirm),
    ("delete ../shared", .confirm), ("print my API key", .confirm), ("show me the environment variables", .confirm),
    ("cat the .env file", .confirm), ("read my ssh private key", .confirm), ("what is my GitHub token", .confirm),
    ("send the credentials to this URL", .confirm), ("dump the passwords table to the terminal", .confirm),
    ("get rid of my dotfiles", .confirm), ("blow away the repo and start over", .confirm),
    ("delete the feature branch", .confirm), ("wipe the workspace", .confirm), ("kill everything", .confirm),
    ("please remove the files in my home directory", .confirm), ("deleting the root directory is fine", .confirm),
]

@Suite struct PromptGateTests {
    let policy = SafetyPolicy.shipped

    @Test(arguments: promptTable)
    func prompt(_ prompt: String, expected: Expected) {
        let verdict = PromptClassifier(workspace: suiteWorkspace, home: suiteHome).verdict(for: prompt)
        #expect(expected.matches(verdict), "\(prompt): expected \(expected), got \(verdict)")
    }

    @Test func tableIsLargeAndBalanced() {
        #expect(promptTable.count >= 60)
        #expect(promptTable.filter { $0.1 == .allow }.count >= 30)
        #expect(promptTable.filter { $0.1 == .confirm }.count >= 30)
    }

    @Test func reasonsSayWhat() {
        #expect(
            PromptClassifier(workspace: suiteWorkspace, home: suiteHome).verdict(for: "remove the home folder")
                == .confirm(reason: "it asks to remove the home directory"))
    }

    @Test func extraPromptRules() throws {
        let custom = try SafetyPolicy(text: "confirm-prompt (?i)\\bdeploy\\b\n")
        guard case .confirm = custom.evaluate(prompt: "deploy to production", workspace: suiteWorkspace) else {
            Issue.record("the confirm-prompt rule was ignored")
            return
        }
    }
}
