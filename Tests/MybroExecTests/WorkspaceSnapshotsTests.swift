import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroExec

/// Undo's snapshots and restores, driven directly (the end-to-end tests run them through mybro-exec).
@Suite struct WorkspaceSnapshotsTests {
    /// A workspace and an undo directory, both temporary.
    final class Fixture {
        let root: TemporaryDirectory
        let workspace: String
        let snapshots: WorkspaceSnapshots

        init(limits: SnapshotLimits = SnapshotLimits()) throws {
            root = try TemporaryDirectory(label: "mybro-undo")
            workspace = root.path("ws")
            try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
            snapshots = WorkspaceSnapshots(workspace: workspace, undoDirectory: root.path("undo"), limits: limits)
        }

        deinit { root.remove() }

        func path(_ name: String) -> String { workspace + "/" + name }

        func write(_ name: String, _ text: String, mode: mode_t = 0o644) throws {
            let full = path(name)
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: false, encoding: .utf8)
            chmod(full, mode)
        }

        func read(_ name: String) -> String? { try? String(contentsOfFile: path(name), encoding: .utf8) }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

        func mode(_ name: String) -> mode_t {
            var info = stat()
            return lstat(path(name), &info) == 0 ? info.st_mode & 0o7777 : 0
        }

        /// Runs a shell script in the workspace (the "job"), with the user's own environment.
        @discardableResult
        func sh(_ script: String) throws -> String {
            let result = try shell("cd \(shellQuoted(workspace)) && " + script)
            #expect(result.status == 0, "\(script): \(result.stderr)")
            return result.stdoutText
        }

        /// What a user would look at to see that their repository was left alone.
        func gitState() throws -> String {
            try sh(
                "git rev-parse HEAD; git status --porcelain --untracked-files=all; git stash list;"
                    + " git for-each-ref; git branch -a; git ls-files -s | git hash-object --stdin")
        }

        func snapshot(_ job: Int64, _ description: String = "the job") throws {
            let result = snapshots.snapshot(job: job, description: description)
            guard case .saved = result else {
                Issue.record("snapshot of job \(job): \(result)")
                return
            }
        }
    }

    static let gitUser = "git -c user.name=T -c user.email=t@example.com"

    func makeGitRepository(_ fixture: Fixture) throws {
        try fixture.write("README.md", "# readme\n")
        try fixture.write("src/main.c", "int main(void) { return 0; }\n")
        try fixture.write("notes.txt", "notes\n")
        try fixture.sh(
            "git init -q -b main && git add -A && \(Self.gitUser) commit -qm one && git branch feature"
                + " && echo stashed >> README.md && \(Self.gitUser) stash -q && echo staged > staged.txt"
                + " && git add staged.txt && echo untracked > untracked.txt")
    }

    /// The job: modifies, deletes, creates (in a new directory) and changes a mode.
    func runJob(_ fixture: Fixture) throws {
        try fixture.sh(
            "printf 'changed\\n' > notes.txt && rm src/main.c && mkdir -p gen/deep && printf 'x' > gen/deep/out.bin"
                + " && chmod 755 README.md && printf '\\000\\001\\377' > blob.bin")
    }

    @Test func undoInAGitWorkspaceRestoresExactlyAndLeavesTheUsersRepositoryAlone() throws {
        let fixture = try Fixture()
        try makeGitRepository(fixture)
        try fixture.write("private.txt", "secret\n", mode: 0o600)
        let before = try fixture.gitState()
        try fixture.snapshot(1, "the job")
        try runJob(fixture)
        try fixture.write("private.txt", "changed secret\n", mode: 0o600)

        let outcome = fixture.snapshots.undo()
        #expect(outcome.status == .undone)
        #expect(outcome.job == 1)
        #expect(outcome.restored == ["README.md", "notes.txt", "private.txt", "src/main.c"])
        #expect(outcome.removed == ["blob.bin", "gen/deep/out.bin"])
        #expect(outcome.sentence == "Undid job 1, the job: restored 4 files and removed 2.")
        #expect(outcome.exitStatus == 0)
        #expect(fixture.read("notes.txt") == "notes\n")
        #expect(fixture.read("src/main.c") == "int main(void) { return 0; }\n")
        #expect(fixture.mode("README.md") == 0o644)
        #expect(fixture.mode("private.txt") == 0o600)
        #expect(fixture.read("private.txt") == "secret\n")
        #expect(!fixture.exists("gen"))
        #expect(!fixture.exists("blob.bin"))
        #expect(try fixture.gitState() == before)
    }

    /// A name that is not UTF-8 would match no pathspec: the undo stops before it touches
    /// anything, rather than remove the job's new files and then fail to restore the rest.
    @Test func anUndoThatCannotNameAFileChangesNothing() throws {
        let fixture = try Fixture()
        try fixture.write("notes.txt", "notes\n")
        try fixture.sh("printf 'one' > \"$(printf 'data-\\377')\"")
        try fixture.snapshot(1, "the job")
        try fixture.sh("printf 'two' > \"$(printf 'data-\\377')\" && rm notes.txt && echo new > added.txt")
        let outcome = fixture.snapshots.undo()
        #expect(outcome.status != .undone, "\(outcome)")
        #expect(outcome.sentence.contains("not UTF-8"), "\(outcome.sentence)")
        #expect(fixture.exists("added.txt"), "nothing removed")
        #expect(!fixture.exists("notes.txt"), "nothing restored either")
    }

    /// A path git names from the workspace but too long whole: nothing is touched either.
    @Test func anUndoThatCannotNameALongPathChangesNothing() throws {
        let fixture = try Fixture()
        try fixture.write("notes.txt", "notes\n")
        try fixture.snapshot(1, "the job")
        // Under PATH_MAX from the workspace, over it whole.
        let segment = String(repeating: "d", count: 200)
        let length = 4096 - fixture.workspace.utf8.count + 10
        var deep = segment
        while deep.utf8.count + 201 <= length { deep += "/" + segment }
        if deep.utf8.count < length { deep += "/" + String(repeating: "e", count: length - deep.utf8.count - 1) }
        try fixture.sh(
            "rm notes.txt && echo new > added.txt && python3 -c 'import os; os.makedirs(\"\(deep)\");"
                + " open(\"\(deep)/f\", \"w\").write(\"x\")'")
        let outcome = fixture.snapshots.undo()
        #expect(outcome.status != .undone, "\(outcome)")
        #expect(outcome.sentence.contains("too long"), "\(outcome.sentence.prefix(200))")
        #expect(outcome.sentence.utf8.count < 400)
        #expect(fixture.exists("added.txt"), "nothing removed")
        try fixture.sh("rm -rf \(segment)")
    }

    @Test func undoInAPlainDirectory() throws {
        let fixture = try Fixture()
        try fixture.write("notes.txt", "notes\n")
        try fixture.write("run.sh", "echo hi\n", mode: 0o755)
        try fixture.write("src/main.c", "int main(void) { return 0; }\n")
        try fixture.write("README.md", "# readme\n")
        try fixture.snapshot(7, "rm notes.txt")
        try runJob(fixture)
        try fixture.sh("chmod 644 run.sh && rm -r src && printf 'dir became file' > src")

        let outcome = fixture.snapshots.undo()
        #expect(outcome.status == .undone)
        #expect(outcome.restored == ["README.md", "notes.txt", "run.sh", "src/main.c"])
        #expect(outcome.removed == ["blob.bin", "gen/deep/out.bin", "src"])
        #expect(fixture.read("src/main.c") == "int main(void) { return 0; }\n")
        #expect(fixture.mode("run.sh") == 0o755)
        #expect(fixture.mode("README.md") == 0o644)
        #expect(!fixture.exists(".git"))
        #expect(try fixture.sh("ls -A") == "README.md\nnotes.txt\nrun.sh\nsrc\n")
        #expect(outcome.record["type"]?.stringValue == "undo")
        #expect(outcome.record["removed"]?.arrayValue?.count == 3)
    }

    @Test func twoUndosGoBackTwoJobsThenNothingIsLeft() throws {
        let fixture = try Fixture()
        try fixture.write("a.txt", "0\n")
        try fixture.snapshot(1, "first")
        try fixture.write("a.txt", "1\n")
        try fixture.snapshot(2, "second")
        try fixture.write("a.txt", "2\n")
        try fixture.write("b.txt", "new\n")

        let first = fixture.snapshots.undo()
        #expect(first.job == 2)
        #expect(first.sentence == "Undid job 2, second: restored 1 file and removed 1.")
        #expect(fixture.read("a.txt") == "1\n")
        #expect(!fixture.exists("b.txt"))
        let second = fixture.snapshots.undo()
        #expect(second.job == 1)
        #expect(second.sentence == "Undid job 1, first: restored 1 file.")
        #expect(fixture.read("a.txt") == "0\n")
        let third = fixture.snapshots.undo()
        #expect(third.status == .nothing)
        #expect(third.sentence == "There is nothing to undo.")
        #expect(third.exitStatus == 1)
        let states = try fixture.snapshots.entries().map(\.state)
        #expect(states == [.undone, .undone])
    }

    @Test func undoingAnOlderJobTakesTheLaterOnesWithItAndSaysSo() throws {
        let fixture = try Fixture()
        try fixture.write("a.txt", "0\n")
        try fixture.snapshot(3, "first")
        try fixture.write("a.txt", "1\n")
        try fixture.snapshot(4, "second")
        try fixture.write("a.txt", "2\n")
        try fixture.snapshot(5, "third")
        try fixture.write("c.txt", "3\n")

        let outcome = fixture.snapshots.undo(job: 3)
        #expect(outcome.later == [4, 5])
        #expect(outcome.sentence == "Undid job 3, first, and the 2 jobs after it: restored 1 file and removed 1.")
        #expect(fixture.read("a.txt") == "0\n")
        #expect(fixture.snapshots.undo().status == .nothing)
        #expect(fixture.snapshots.undo(job: 4).sentence == "Job 4 is already undone.")
        #expect(fixture.snapshots.undo(job: 99).sentence == "I have nothing to undo for job 99.")
    }

    @Test func aJobThatChangedNothingSaysSo() throws {
        let fixture = try Fixture()
        try fixture.write("a.txt", "0\n")
        try fixture.snapshot(12, "ls")
        let outcome = fixture.snapshots.undo()
        #expect(outcome.status == .unchanged)
        #expect(outcome.sentence == "Job 12 changed nothing to undo.")
        #expect(outcome.exitStatus == 1)
        // It counts as undone: the next undo looks further back.
        #expect(fixture.snapshots.undo().sentence == "There is nothing to undo.")
    }

    @Test func ignoredFilesAreNeverTouched() throws {
        let fixture = try Fixture()
        try fixture.write(".gitignore", "*.log\nbuild/\n")
        try fixture.write("app.log", "old log\n")
        try fixture.write("kept.txt", "kept\n")
        try fixture.snapshot(1)
        try fixture.write("app.log", "new log\n")
        try fixture.write("build/out.o", "object\n")
        // The job also un-ignores a file that was there before it: undo must not remove it.
        try fixture.write("debug.log", "was here\n")
        try fixture.snapshot(2)
        try fixture.write(".gitignore", "build/\n")
        try fixture.write("kept.txt", "changed\n")

        let outcome = fixture.snapshots.undo()
        #expect(outcome.restored == [".gitignore", "kept.txt"])
        #expect(outcome.removed == [])
        #expect(fixture.read("app.log") == "new log\n")
        #expect(fixture.read("debug.log") == "was here\n")
        #expect(fixture.read("build/out.o") == "object\n")
        #expect(fixture.read("kept.txt") == "kept\n")
    }

    @Test func theWorkspacesAttributesFiltersAndHooksNeverRun() throws {
        let fixture = try Fixture()
        let marker = fixture.root.path("filter-ran")
        try fixture.sh("git init -q")
        let program = "sh -c 'touch \(marker); cat'"
        try fixture.sh(
            "git config filter.evil.clean \(shellQuoted(program)) && git config filter.evil.smudge \(shellQuoted(program))"
                + " && git config filter.evil.required true && git config core.fsmonitor \(shellQuoted("touch " + marker))"
                + " && printf '#!/bin/sh\\ntouch \(marker)\\n' > .git/hooks/post-checkout && chmod +x .git/hooks/post-checkout"
        )
        try fixture.write(".gitattributes", "* filter=evil text eol=crlf ident\n")
        try fixture.write("a.txt", "line one\nline two $Id$\n")
        try fixture.snapshot(1)
        try fixture.write("a.txt", "edited\n")
        let outcome = fixture.snapshots.undo()
        #expect(outcome.restored == ["a.txt"])
        // Byte for byte: no CRLF, no $Id$ expansion, no filter.
        #expect(fixture.read("a.txt") == "line one\nline two $Id$\n")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func largeFilesAreLeftOutAndReported() throws {
        var limits = SnapshotLimits()
        limits.maximumFileBytes = 1000
        let fixture = try Fixture(limits: limits)
        try fixture.write("small.txt", "small\n")
        try fixture.write("big [1].bin", String(repeating: "x", count: 5000))
        let result = fixture.snapshots.snapshot(job: 1, description: "job")
        guard case .saved(_, let skipped) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(skipped == ["big [1].bin"])
        try fixture.write("big [1].bin", "now small\n")
        try fixture.write("small.txt", "changed\n")
        let outcome = fixture.snapshots.undo()
        #expect(outcome.restored == ["small.txt"])
        // It was not in the snapshot but was there: left as it is, though it looks added.
        #expect(outcome.removed == [])
        #expect(fixture.read("big [1].bin") == "now small\n")
        #expect(outcome.skipped == ["big [1].bin"])
        #expect(outcome.sentence.hasSuffix("One file was too large to keep and was left as it is."))
    }

    @Test func aSnapshotOverTheTotalBoundMakesTheUndoUnavailable() throws {
        var limits = SnapshotLimits()
        limits.maximumTotalBytes = 100
        let fixture = try Fixture(limits: limits)
        try fixture.write("a.txt", String(repeating: "x", count: 500))
        let result = fixture.snapshots.snapshot(job: 5, description: "make")
        guard case .unavailable(let reason) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(reason.contains("more than"))
        let outcome = fixture.snapshots.undo()
        #expect(outcome.status == .unavailable)
        #expect(outcome.job == 5)
        #expect(outcome.sentence.hasPrefix("I can't undo job 5: the workspace has"))
        #expect(outcome.exitStatus == 69)
        #expect(UndoListing.lines(try fixture.snapshots.entries()).first?.contains("\tunavailable: ") == true)
    }

    @Test func aReusedJobNumberReplacesTheOldSnapshot() throws {
        // Without a history, job numbers start at 1 in every run of mybro-exec.
        let fixture = try Fixture()
        try fixture.write("a.txt", "0\n")
        try fixture.snapshot(1, "old")
        try fixture.write("a.txt", "1\n")
        #expect(fixture.snapshots.undo().status == .undone)
        try fixture.snapshot(1, "new")
        try fixture.write("a.txt", "2\n")
        let entries = try fixture.snapshots.entries()
        #expect(entries.map(\.description) == ["new"])
        #expect(fixture.snapshots.undo().sentence == "Undid job 1, new: restored 1 file.")
        #expect(fixture.read("a.txt") == "0\n")
    }

    @Test func anUndoDirectoryInsideTheWorkspaceIsNeverSnapshotted() throws {
        let fixture = try Fixture()
        let snapshots = WorkspaceSnapshots(workspace: fixture.workspace, undoDirectory: fixture.path(".mybro/undo"))
        try fixture.write("a.txt", "0\n")
        guard case .saved = snapshots.snapshot(job: 1, description: "one") else {
            Issue.record("no snapshot")
            return
        }
        guard case .saved = snapshots.snapshot(job: 2, description: "two") else {
            Issue.record("no snapshot")
            return
        }
        try fixture.write("a.txt", "1\n")
        let outcome = snapshots.undo()
        #expect(outcome.restored == ["a.txt"])
        #expect(outcome.removed == [])
        #expect(fixture.exists(".mybro/undo"))
    }

    @Test func theUndoDirectoryDefaultsBesideTheHistory() {
        var configuration = ExecConfiguration(directory: "/tmp")
        configuration.historyPath = "/var/x/history.sqlite"
        #expect(configuration.undoDirectory == "/var/x/undo")
        configuration.historyPath = nil
        #expect(
            ExecConfiguration.defaultUndoDirectory(historyPath: nil, environment: ["XDG_STATE_HOME": "/s"])
                == "/s/mybro/undo")
        #expect(
            ExecConfiguration.defaultUndoDirectory(historyPath: nil, environment: ["HOME": "/h"])
                == "/h/.local/state/mybro/undo")
        configuration.undoDirectory = nil
        #expect(configuration.undoDirectory == nil)
        configuration.undoDirectory = "/u"
        #expect(configuration.undoDirectory == "/u")
        #expect(WorkspaceSnapshots.repositoryName(forWorkspace: "/home/me/proj").hasPrefix("proj-"))
        #expect(
            WorkspaceSnapshots.repositoryName(forWorkspace: "/a/proj")
                != WorkspaceSnapshots.repositoryName(forWorkspace: "/b/proj"))
    }
}
