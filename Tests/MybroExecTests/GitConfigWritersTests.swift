import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroExec

/// What a job of git's own config writers may leave in the repository's config: benign settings
/// only, judged by an allow-list; anything else puts the whole config back.
@Suite struct GitConfigWritersTests {
    func repository(in folder: String) throws -> String {
        let made = try shell("cd \(shellQuoted(folder)) && git init -q repo")
        try #require(made.status == 0, "\(made.stderr)")
        return folder + "/repo"
    }

    func afterJob(_ repository: String, _ command: String) throws -> [String] {
        let files = GitControlFiles.record(
            gitDirectory: repository + "/.git", workspace: repository, configIsTheJobs: true)
        let job = try shell("cd \(shellQuoted(repository)) && \(command)")
        try #require(job.status == 0, "\(job.stderr)")
        return files.restore()
    }

    @Test func benignSettingsStay() throws {
        try withTemporaryDirectory { folder in
            let repository = try repository(in: folder)
            let changed = try afterJob(
                repository,
                "git config user.name 'A B' && git remote add origin https://example.com/r.git"
                    + " && git config branch.main.remote origin && git config pull.rebase true")
            #expect(changed.isEmpty, "\(changed)")
            let kept = try shell("git -C \(shellQuoted(repository)) config user.name")
            #expect(kept.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "A B")
        }
    }

    /// A key on no list (git grows new ones), a code-running one, and a remote that leads into
    /// the workspace: each puts the config back whole.
    @Test(arguments: [
        "git config gc.reflogexpire never", "git config core.pager 'sh -c evil'",
        "git remote add local ./other", "git config --add user.name x && git config alias.st '!sh -c evil'",
        // A subsection holding `=` is no benign two-part key (diff."renames=y".textconv).
        "git config 'diff.renames=y.textconv' 'sh -c evil'",
        // The remote a branch or a push goes to, as a path, and a URL that is a path in disguise.
        "git config branch.main.remote /tmp/evil.git", "git config remote.pushdefault ./evil.git",
        "git remote add origin /proc/self/root/tmp/evil.git",
    ])
    func anythingElsePutsTheConfigBack(command: String) throws {
        try withTemporaryDirectory { folder in
            let repository = try repository(in: folder)
            let before = try String(contentsOfFile: repository + "/.git/config", encoding: .utf8)
            let changed = try afterJob(repository, command)
            #expect(changed == [".git/config"], "\(changed)")
            #expect(try String(contentsOfFile: repository + "/.git/config", encoding: .utf8) == before)
        }
    }
}
