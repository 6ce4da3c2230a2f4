import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroExec

/// Repositories a job makes or changes inside the workspace, in every shape git accepts, and
/// the unfinished rebases it leaves: nothing in them may run code at the user's next git.
@Suite struct NestedRepositoriesTests {
    func run(_ command: String, in folder: String) throws {
        let result = try shell("cd \(shellQuoted(folder)) && \(command)")
        try #require(result.status == 0, "\(command): \(result.stderr)")
    }

    /// The code-running key as the user's own git would read it in `folder` (empty: none).
    func userReads(_ key: String, in folder: String) throws -> String {
        try shell("cd \(shellQuoted(folder)) && git config --get \(key)").stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func repository(in folder: String) throws -> String {
        try run("git init -q repo", in: folder)
        return folder + "/repo"
    }

    /// A folder filled with HEAD, objects and a config is a repository to git (no `.git`
    /// anywhere); so is the workspace itself, where it is a folder inside the top repository.
    @Test func aFolderMadeIntoABareRepositoryLosesItsFsmonitor() throws {
        try withTemporaryDirectory { folder in
            let top = try repository(in: folder)
            try FileManager.default.createDirectory(atPath: top + "/pkg", withIntermediateDirectories: true)
            for workspace in [top, top + "/pkg"] {
                let files = GitControlFiles.record(
                    gitDirectory: top + "/.git", workspace: workspace, configIsTheJobs: false)
                let planted = workspace == top ? top + "/src" : workspace
                try FileManager.default.createDirectory(atPath: planted, withIntermediateDirectories: true)
                try run(
                    "mkdir -p objects refs && echo 'ref: refs/heads/main' > HEAD"
                        + " && printf '[core]\\n\\tbare = false\\n\\tworktree = .\\n\\tfsmonitor = touch x\\n' > config",
                    in: planted)
                #expect(try userReads("core.fsmonitor", in: planted) == "touch x", "the plant is no repository")
                let changed = files.restore()
                #expect(try userReads("core.fsmonitor", in: planted) == "", "\(workspace): \(changed)")
            }
        }
    }

    /// A workspace in no repository: the one a job makes there keeps no hook and no fsmonitor,
    /// and git's own samples stay.
    @Test func aRepositoryMadeWhereThereWasNoneKeepsNothingThatRuns() throws {
        try withTemporaryDirectory { folder in
            let workspace = folder + "/plain"
            try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
            let files = GitControlFiles.record(gitDirectory: nil, workspace: workspace, configIsTheJobs: false)
            try run(
                "git init -q . && git config core.fsmonitor 'touch x'"
                    + " && printf '#!/bin/sh\\ntouch y\\n' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit",
                in: workspace)
            try run("git config user.name Ada && git remote add origin https://example.com/r.git", in: workspace)
            let changed = files.restore()
            #expect(try userReads("core.fsmonitor", in: workspace) == "", "\(changed)")
            #expect(!FileManager.default.fileExists(atPath: workspace + "/.git/hooks/pre-commit"), "\(changed)")
            #expect(FileManager.default.fileExists(atPath: workspace + "/.git/hooks.mybro-saved/pre-commit"))
            // It is still a repository, with its benign settings.
            #expect(try userReads("user.name", in: workspace) == "Ada", "\(changed)")
            #expect(try userReads("remote.origin.url", in: workspace) == "https://example.com/r.git")
            #expect(try shell("cd \(shellQuoted(workspace)) && git status --short").status == 0)
        }
    }

    /// husky 9 points core.hooksPath at `.husky/_`, whose scripts run `.husky/HOOK`.
    @Test func huskyNinesHooksOneFolderUpArePutBack() throws {
        try withTemporaryDirectory { folder in
            let top = try repository(in: folder)
            try run(
                "mkdir -p .husky/_ && printf '#!/bin/sh\\n' > .husky/_/h && git config core.hooksPath .husky/_",
                in: top)
            let files = GitControlFiles.record(gitDirectory: top + "/.git", workspace: top, configIsTheJobs: false)
            try run("printf 'touch x\\n' > .husky/post-checkout", in: top)
            let changed = files.restore()
            #expect(!FileManager.default.fileExists(atPath: top + "/.husky/post-checkout"), "\(changed)")
            #expect(FileManager.default.fileExists(atPath: top + "/.husky/_/h"))
        }
    }

    /// The eleventh review's shapes: a nested repository's `.git` retargeted, a decoy `.git`
    /// in a folder that is a bare repository itself, a link to a repository outside the
    /// workspace, a new submodule repository in .git/modules, a hook that is a link to a script
    /// in the workspace, and an `exec` line in a nested repository's unfinished rebase.
    @Test func whatTheEleventhReviewPlantedRunsNothing() throws {
        try withTemporaryDirectory { folder in
            let top = try repository(in: folder)
            try run(
                "git init -q sub && git init -q Old && mkdir -p Old/.git/rebase-merge tools"
                    + " && printf 'pick 1111111 one\\n' > Old/.git/rebase-merge/git-rebase-todo"
                    + " && printf 'mine\\n' > tools/pre-commit && ln -s ../../tools/pre-commit .git/hooks/pre-commit",
                in: top)
            try run("mkdir -p outside && git init -q outside/evil", in: folder)
            let files = GitControlFiles.record(gitDirectory: top + "/.git", workspace: top, configIsTheJobs: false)
            try run(
                "cp -r sub/.git .git/evil && rm -rf sub/.git && echo 'gitdir: ../.git/evil' > sub/.git"
                    + " && mkdir -p lib/objects lib/refs lib/.git && echo 'ref: refs/heads/main' > lib/HEAD"
                    + " && echo 'ref: refs/heads/main' > lib/.git/HEAD"
                    + " && printf '[core]\\n\\tbare = false\\n\\tworktree = .\\n\\tfsmonitor = touch x\\n' > lib/config"
                    + " && ln -s \(shellQuoted(folder))/outside/evil tools/evil"
                    + " && git init -q --bare .git/modules/x"
                    + " && printf 'evil\\n' > tools/pre-commit"
                    + " && printf 'exec touch y\\n' >> Old/.git/rebase-merge/git-rebase-todo",
                in: top)
            let changed = files.restore()
            #expect(!FileManager.default.fileExists(atPath: top + "/sub/.git"), "\(changed)")
            #expect(try userReads("core.fsmonitor", in: top + "/lib") == "", "\(changed)")
            #expect(!FileManager.default.fileExists(atPath: top + "/tools/evil"), "\(changed)")
            #expect(!FileManager.default.fileExists(atPath: top + "/.git/modules/x"), "\(changed)")
            #expect(try String(contentsOfFile: top + "/tools/pre-commit", encoding: .utf8) == "mine\n", "\(changed)")
            let todo = try String(contentsOfFile: top + "/Old/.git/rebase-merge/git-rebase-todo", encoding: .utf8)
            #expect(todo.contains("# put back by mybro-exec: exec touch y"), "\(changed)")
        }
    }

    /// The twelfth review's shapes: a linked-worktree workspace's `.git` file pointed at a
    /// repository outside, a remote key whose text holds ".url=", a link to a folder inside a
    /// repository outside, a tool-output repository whose commondir lies outside.
    @Test func whatTheTwelfthReviewPlantedRunsNothing() throws {
        try withTemporaryDirectory { folder in
            let main = try repository(in: folder)
            try run("git -c user.name=a -c user.email=a@b commit -q --allow-empty -m x", in: main)
            try run("git worktree add -q \(shellQuoted(folder))/ws", in: main)
            let workspace = folder + "/ws"
            let pointer = try String(contentsOfFile: workspace + "/.git", encoding: .utf8)
            try run("mkdir -p outside/e/sub && git init -q outside/e && git init -q outside/c", in: folder)
            let gitDirectory = try #require(
                try shell("git -C \(shellQuoted(workspace)) rev-parse --absolute-git-dir").stdoutText
                    .split(separator: "\n").first.map(String.init))
            let files = GitControlFiles.record(
                gitDirectory: gitDirectory, workspace: workspace, configIsTheJobs: false)
            try run(
                "git init -q vendor/dep && git -C vendor/dep config remote.origin.url https://example.com/r.git"
                    + " && git -C vendor/dep config remote.origin.uploadpack 'touch x #.url='"
                    + " && ln -s \(shellQuoted(folder))/outside/e/sub tools"
                    + " && mkdir -p vendor/x/.git && cp -r \(shellQuoted(folder))/outside/c/.git/HEAD vendor/x/.git/"
                    + " && echo \(shellQuoted(folder))/outside/c/.git > vendor/x/.git/commondir"
                    + " && echo 'gitdir: \(folder)/outside/e/.git' > .git",
                in: workspace)
            let changed = files.restore()
            #expect(try String(contentsOfFile: workspace + "/.git", encoding: .utf8) == pointer, "\(changed)")
            #expect(try userReads("remote.origin.uploadpack", in: workspace + "/vendor/dep") == "", "\(changed)")
            #expect(
                try userReads("remote.origin.url", in: workspace + "/vendor/dep") == "https://example.com/r.git")
            #expect(!FileManager.default.fileExists(atPath: workspace + "/tools"), "\(changed)")
            #expect(!FileManager.default.fileExists(atPath: workspace + "/vendor/x/.git"), "\(changed)")
        }
    }

    /// A submodule repository made in a nested repository's `.git/modules` goes aside; the one
    /// it had stays.
    @Test func aNestedRepositorysNewSubmoduleRepositoryGoesAside() throws {
        try withTemporaryDirectory { folder in
            let top = try repository(in: folder)
            try run("git init -q Old && git init -q --bare Old/.git/modules/mine", in: top)
            let files = GitControlFiles.record(gitDirectory: top + "/.git", workspace: top, configIsTheJobs: false)
            try run("git init -q --bare Old/.git/modules/evil", in: top)
            let changed = files.restore()
            #expect(!FileManager.default.fileExists(atPath: top + "/Old/.git/modules/evil"), "\(changed)")
            #expect(FileManager.default.fileExists(atPath: top + "/Old/.git/modules/mine/HEAD"), "\(changed)")
        }
    }

    /// A record from an older mybro-exec lacks the newer fields: "not known", so nothing is set
    /// aside on their account (the user's submodule repository stays).
    @Test func anOlderRecordSetsNothingAsideItDidNotKnow() throws {
        try withTemporaryDirectory { folder in
            let top = try repository(in: folder)
            try run("git init -q --bare .git/modules/sub && git init -q \(shellQuoted(folder))/other", in: top)
            try run("ln -s \(shellQuoted(folder))/other lib", in: top)
            let files = GitControlFiles.record(gitDirectory: top + "/.git", workspace: top, configIsTheJobs: false)
            var object = try #require(
                try JSONSerialization.jsonObject(with: JSONEncoder().encode(files)) as? [String: Any])
            for key in ["modulesBefore", "nestedLinksBefore", "nestedGitFolders", "nestedHookLinks", "headBefore"] {
                object[key] = nil
            }
            let older = try JSONDecoder().decode(
                GitControlFiles.self, from: JSONSerialization.data(withJSONObject: object))
            let changed = older.restore()
            #expect(FileManager.default.fileExists(atPath: top + "/.git/modules/sub/HEAD"), "\(changed)")
            #expect(FileManager.default.fileExists(atPath: top + "/lib"), "\(changed)")
        }
    }

    /// What SwiftPM fetches while a job builds (bare mirrors in `.build/repositories`, checkouts
    /// cloned from them in `.build/checkouts`) keeps working; only what runs code goes.
    @Test func repositoriesAToolFetchedKeepWorking() throws {
        try withTemporaryDirectory { folder in
            let top = try repository(in: folder)
            let files = GitControlFiles.record(gitDirectory: top + "/.git", workspace: top, configIsTheJobs: false)
            try run(
                "git init -q --bare .build/repositories/dep && git clone -q .build/repositories/dep .build/checkouts/dep"
                    + " 2>/dev/null && git -C .build/checkouts/dep config core.fsmonitor 'touch x'"
                    + " && printf '#!/bin/sh\\n' > .build/checkouts/dep/.git/hooks/post-checkout",
                in: top)
            let changed = files.restore()
            let checkout = top + "/.build/checkouts/dep"
            #expect(FileManager.default.fileExists(atPath: checkout + "/.git/HEAD"), "\(changed)")
            #expect(FileManager.default.fileExists(atPath: top + "/.build/repositories/dep/HEAD"), "\(changed)")
            #expect(try userReads("remote.origin.url", in: checkout).hasSuffix(".build/repositories/dep"))
            #expect(try userReads("core.fsmonitor", in: checkout) == "", "\(changed)")
            #expect(!FileManager.default.fileExists(atPath: checkout + "/.git/hooks/post-checkout"), "\(changed)")
        }
    }

    /// A tracked hook the job committed: the working file is put back, and so is its index
    /// entry, so the user's `git checkout -- .husky/pre-commit` brings back theirs.
    @Test func aHookTheJobCommittedIsNotCheckedOutAgain() throws {
        try withTemporaryDirectory { folder in
            let top = try repository(in: folder)
            try run(
                "mkdir -p .husky/_ && printf 'mine\\n' > .husky/pre-commit && printf '#!/bin/sh\\n' > .husky/_/h"
                    + " && git config core.hooksPath .husky/_ && git add .husky"
                    + " && git -c user.name=a -c user.email=a@b commit -q -m husky",
                in: top)
            let files = GitControlFiles.record(gitDirectory: top + "/.git", workspace: top, configIsTheJobs: false)
            try run(
                "printf 'evil\\n' > .husky/pre-commit && git add .husky/pre-commit"
                    + " && git -c user.name=a -c user.email=a@b commit -q --no-verify -m lint",
                in: top)
            let changed = files.restore()
            #expect(changed.contains { $0.contains("committed by the job") }, "\(changed)")
            try run("git checkout -- .husky/pre-commit", in: top)
            #expect(try String(contentsOfFile: top + "/.husky/pre-commit", encoding: .utf8) == "mine\n")
        }
    }

    /// A FIFO as a nested repository's config, or included by one, would stall every later
    /// job's check (and the user's git): removed, or the config set aside, at once.
    @Test func aConfigGitWouldBlockOnIsRemovedWithoutWaiting() throws {
        try withTemporaryDirectory { folder in
            let top = try repository(in: folder)
            let files = GitControlFiles.record(gitDirectory: top + "/.git", workspace: top, configIsTheJobs: false)
            try run(
                "mkdir -p n1/.git/objects n1/.git/refs && echo 'ref: refs/heads/main' > n1/.git/HEAD"
                    + " && mkfifo n1/.git/config && git init -q n2 && mkfifo n2/fifo"
                    + " && git -C n2 config include.path ../fifo",
                in: top)
            let started = Date()
            let changed = files.restore()
            #expect(Date().timeIntervalSince(started) < 4, "\(changed)")
            #expect(!FileManager.default.fileExists(atPath: top + "/n1/.git/config"), "\(changed)")
            #expect(!FileManager.default.fileExists(atPath: top + "/n1/.git/config.mybro-saved"), "\(changed)")
            // Both new: disabled besides, the set-aside config kept in the folder set aside.
            #expect(
                FileManager.default.fileExists(atPath: top + "/n2/.git.mybro-saved/config.mybro-saved"), "\(changed)")
            #expect(!FileManager.default.fileExists(atPath: top + "/n2/.git"), "\(changed)")
        }
    }

    /// Repositories where the old walk did not look or could not name: under build output and
    /// dependencies, in a folder whose name is not UTF-8 (reached by git status through a
    /// gitlink), and one whose git directory lies elsewhere in .git (its hooks).
    @Test func repositoriesInEveryFolderAreFound() throws {
        try withTemporaryDirectory { folder in
            let top = try repository(in: folder)
            let files = GitControlFiles.record(gitDirectory: top + "/.git", workspace: top, configIsTheJobs: false)
            try run(
                "for d in build node_modules/pkg \"$(printf 'lib\\377')\"; do mkdir -p \"$d\" && git init -q \"$d\""
                    + " && git -C \"$d\" config core.fsmonitor 'touch x'; done"
                    + " && mkdir p && git -C p init -q --separate-git-dir=../.git/gd ."
                    + " && printf '#!/bin/sh\\ntouch y\\n' > .git/gd/hooks/post-index-change",
                in: top)
            let changed = files.restore()
            for nested in ["build", "node_modules/pkg"] {
                #expect(try userReads("core.fsmonitor", in: top + "/" + nested) == "", "\(nested): \(changed)")
            }
            let undecodable = try shell(
                "cd \(shellQuoted(top)) && cd \"$(printf 'lib\\377')\" && git config --get core.fsmonitor;"
                    + " ls .git | grep -c mybro-saved")
            #expect(undecodable.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "2", "\(changed)")
            // A new repository whose git directory lies elsewhere: its `.git` file goes aside.
            #expect(!FileManager.default.fileExists(atPath: top + "/p/.git"), "\(changed)")
        }
    }

    /// A line glued to another with a carriage return is a line of its own to git; a merge
    /// strategy names a program git runs at `--continue`.
    @Test func anUnfinishedRebaseRunsNothingTheJobAdded() throws {
        try withTemporaryDirectory { folder in
            let top = try repository(in: folder)
            try FileManager.default.createDirectory(
                atPath: top + "/.git/rebase-merge", withIntermediateDirectories: true)
            let todo = top + "/.git/rebase-merge/git-rebase-todo"
            try "pick 1111111 one\n".write(toFile: todo, atomically: false, encoding: .utf8)
            let files = GitControlFiles.record(gitDirectory: top + "/.git", workspace: top, configIsTheJobs: false)
            try "pick 1111111 one\r\nexec touch /tmp/pwned\n".write(toFile: todo, atomically: false, encoding: .utf8)
            try "x/../e.sh\n".write(toFile: top + "/.git/rebase-merge/strategy", atomically: false, encoding: .utf8)
            let changed = files.restore()
            let lines = try String(contentsOfFile: todo, encoding: .utf8)
            #expect(lines.contains("# put back by mybro-exec: exec touch /tmp/pwned"), "\(changed): \(lines)")
            #expect(!FileManager.default.fileExists(atPath: top + "/.git/rebase-merge/strategy"), "\(changed)")
        }
    }

    /// The tenth review's shapes: a new repository's hooks behind a link, an include under a
    /// subsection whose case matters, a new worktree's config, a repository deeper than any
    /// walk limit, and a thousand empty `.git` files that are no repositories.
    @Test func whatTheTenthReviewPlantedRunsNothing() throws {
        try withTemporaryDirectory { folder in
            let top = try repository(in: folder)
            try run("git -c user.name=a -c user.email=a@b commit -q --allow-empty -m x", in: top)
            try run(
                "git init -q Old && git -C Old -c user.name=a -c user.email=a@b commit -q --allow-empty -m x", in: top)
            try run("git config extensions.worktreeConfig true", in: top)
            let files = GitControlFiles.record(gitDirectory: top + "/.git", workspace: top, configIsTheJobs: false)
            let deep = (0..<40).map { _ in "d" }.joined(separator: "/")
            try run(
                "git init -q sub && mkdir -p tools/h && printf '#!/bin/sh\\ntouch x\\n' > tools/h/post-index-change"
                    + " && rm -rf sub/.git/hooks && ln -s ../../tools/h sub/.git/hooks"
                    + " && printf '[core]\\n\\tfsmonitor = touch y\\n' > Old/.git/inc"
                    + " && git -C Old config 'includeIf.gitdir:**/Old/.path' inc"
                    + " && git worktree add -q wt && git -C wt config --worktree core.fsmonitor 'touch z'"
                    + " && mkdir -p \(deep) && git init -q \(deep)/r && git -C \(deep)/r config core.fsmonitor 'touch w'"
                    + " && for i in $(seq 1 300); do mkdir -p n/$i && : > n/$i/.git; done",
                in: top)
            let started = Date()
            let changed = files.restore()
            #expect(Date().timeIntervalSince(started) < 10, "\(changed)")
            #expect(!FileManager.default.fileExists(atPath: top + "/sub/.git"), "a new repository stays: \(changed)")
            #expect(try userReads("core.fsmonitor", in: top + "/Old") == "", "\(changed)")
            #expect(try userReads("core.fsmonitor", in: top + "/wt") == "", "\(changed)")
            #expect(try userReads("core.fsmonitor", in: top + "/" + deep + "/r") == "", "\(changed)")
            #expect(!changed.contains { $0.contains("/n/") }, "empty .git files taken for repositories")
        }
    }

    /// An interactive rebase left unfinished with an `exec` line: commented out, the rest kept.
    @Test func anExecLineAJobAddedToAnUnfinishedRebaseIsCommentedOut() throws {
        try withTemporaryDirectory { folder in
            let top = try repository(in: folder)
            try FileManager.default.createDirectory(
                atPath: top + "/.git/rebase-merge", withIntermediateDirectories: true)
            let todo = top + "/.git/rebase-merge/git-rebase-todo"
            try "pick 1111111 one\nexec make test\n".write(toFile: todo, atomically: false, encoding: .utf8)
            let files = GitControlFiles.record(gitDirectory: top + "/.git", workspace: top, configIsTheJobs: false)
            try "pick 1111111 one\nexec make test\n  x touch /tmp/pwned\npick 2222222 two\n".write(
                toFile: todo, atomically: false, encoding: .utf8)
            let changed = files.restore()
            let lines = try String(contentsOfFile: todo, encoding: .utf8)
            let expected =
                "pick 1111111 one\nexec make test\n# put back by mybro-exec:   x touch /tmp/pwned\npick 2222222 two\n"
            #expect(lines == expected, "\(changed)")
        }
    }
}
