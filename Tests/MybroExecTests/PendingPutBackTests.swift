import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroExec

/// The on-disk record of git's control files while a job runs, replayed by the next mybro-exec.
@Suite struct PendingPutBackTests {
    /// A repository with a hooks folder in `folder`, and its control files as recorded.
    func recordedRepository(in folder: String) throws -> (path: String, files: GitControlFiles) {
        let repository = folder + "/repo"
        try FileManager.default.createDirectory(atPath: repository + "/.git/hooks", withIntermediateDirectories: true)
        let files = GitControlFiles.record(
            gitDirectory: repository + "/.git", workspace: repository, configIsTheJobs: false)
        return (repository, files)
    }

    @Test func aGoneOwnersRecordIsPutBackAndALivingOnesIsLeftAlone() throws {
        try withTemporaryDirectory { folder in
            let (repository, recorded) = try recordedRepository(in: folder)
            let records = folder + "/records"
            let saved = try #require(PendingPutBack.save(recorded, job: 7, in: records))
            // A job plants a hook; the record's owner (its lock held) lives: nothing is touched.
            try "evil\n".write(toFile: repository + "/.git/hooks/pre-commit", atomically: true, encoding: .utf8)
            #expect(PendingPutBack.replay(in: records).isEmpty)
            #expect(FileManager.default.fileExists(atPath: repository + "/.git/hooks/pre-commit"))
            // Its owner gone (the lock released, the file left): the hook goes, and the record.
            let orphan = saved.path
            close(saved.descriptor)
            let lines = PendingPutBack.replay(in: records)
            #expect(lines.count == 1 && lines[0].contains("hooks/pre-commit"), "\(lines)")
            #expect(!FileManager.default.fileExists(atPath: repository + "/.git/hooks/pre-commit"))
            #expect(!FileManager.default.fileExists(atPath: orphan))
        }
    }

    /// A root replaced since the record was made (another user's folder, a link to elsewhere)
    /// is not the folder recorded: nothing is written there.
    @Test func aRecordWhoseRepositoryWasReplacedIsSetAside() throws {
        try withTemporaryDirectory { folder in
            let (repository, recorded) = try recordedRepository(in: folder)
            let saved = try #require(PendingPutBack.save(recorded, job: 1, in: folder + "/records"))
            close(saved.descriptor)
            // The repository goes; in its place, a link to a folder of keys.
            try FileManager.default.removeItem(atPath: repository + "/.git")
            try FileManager.default.createDirectory(atPath: folder + "/keys", withIntermediateDirectories: true)
            try "key\n".write(toFile: folder + "/keys/id", atomically: true, encoding: .utf8)
            symlink(folder + "/keys", repository + "/.git")
            #expect(PendingPutBack.replay(in: folder + "/records").isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/keys") == ["id"])
            #expect(FileManager.default.fileExists(atPath: saved.path + ".stale"))
        }
    }

    /// With the end of the job known (the keeper's mark), what the user wrote after it stays;
    /// what the job planted goes even where the user later touched it (chmod), and whatever
    /// is put back although changed after the end is saved beside it.
    @Test func whatTheUserWroteAfterTheJobEndedStaysAndNothingOfTheirsIsLost() throws {
        try withTemporaryDirectory { folder in
            let repository = folder + "/repo"
            let hooks = repository + "/.git/hooks"
            try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
            let config = repository + "/.git/config"
            try "[core]\n\tbare = false\n".write(toFile: config, atomically: false, encoding: .utf8)
            try "mine\n".write(toFile: hooks + "/post-merge", atomically: false, encoding: .utf8)
            let recorded = GitControlFiles.record(
                gitDirectory: repository + "/.git", workspace: repository, configIsTheJobs: false)
            let saved = try #require(PendingPutBack.save(recorded, job: 3, in: folder + "/records"))
            // The job plants two hooks and changes the user's.
            for (name, text) in [("pre-commit", "evil\n"), ("pre-push", "evil too\n"), ("post-merge", "job\n")] {
                try text.write(toFile: hooks + "/" + name, atomically: false, encoding: .utf8)
            }
            // Its keeper marks the record as the job ends; then mybro-exec is killed.
            #expect(futimens(saved.descriptor, nil) == 0 && fchmod(saved.descriptor, 0o400) == 0)
            close(saved.descriptor)
            usleep(60_000)  // past the clock's coarse tick
            // The user installs a hook, makes the planted one executable, adds an fsmonitor.
            try "user's\n".write(toFile: hooks + "/pre-rebase", atomically: false, encoding: .utf8)
            #expect(chmod(hooks + "/pre-push", 0o755) == 0)
            try "[core]\n\tbare = false\n\tfsmonitor = /tmp/x\n".write(
                toFile: config, atomically: false, encoding: .utf8)
            let lines = PendingPutBack.replay(in: folder + "/records").joined(separator: "\n")
            func text(_ name: String) -> String? { try? String(contentsOfFile: hooks + "/" + name, encoding: .utf8) }
            #expect(text("pre-commit") == nil && text("pre-push") == nil, "\(lines)")
            #expect(text("post-merge") == "mine\n" && text("pre-rebase") == "user's\n", "\(lines)")
            #expect(text("pre-push.mybro-saved") == "evil too\n", "\(lines)")
            #expect(text("pre-commit.mybro-saved") == nil, "saved what only the job wrote: \(lines)")
            #expect(try String(contentsOfFile: config, encoding: .utf8) == "[core]\n\tbare = false\n", "\(lines)")
            #expect(try String(contentsOfFile: config + ".mybro-saved", encoding: .utf8).contains("fsmonitor"))
            #expect(lines.contains("left as changed after the job ended: .git/hooks/pre-rebase"), "\(lines)")
        }
    }

    /// A benign edit of the config after the end (a user name) is the user's and stays.
    @Test func aBenignConfigEditAfterTheEndStays() throws {
        try withTemporaryDirectory { folder in
            let repository = folder + "/repo"
            try FileManager.default.createDirectory(atPath: repository + "/.git", withIntermediateDirectories: true)
            let config = repository + "/.git/config"
            try "[core]\n\tbare = false\n".write(toFile: config, atomically: false, encoding: .utf8)
            let recorded = GitControlFiles.record(
                gitDirectory: repository + "/.git", workspace: repository, configIsTheJobs: false)
            let saved = try #require(PendingPutBack.save(recorded, job: 4, in: folder + "/records"))
            #expect(futimens(saved.descriptor, nil) == 0 && fchmod(saved.descriptor, 0o400) == 0)
            close(saved.descriptor)
            usleep(60_000)
            let edited = "[core]\n\tbare = false\n[user]\n\tname = Ada\n"
            try edited.write(toFile: config, atomically: false, encoding: .utf8)
            PendingPutBack.replay(in: folder + "/records")
            #expect(try String(contentsOfFile: config, encoding: .utf8) == edited)
            #expect(!FileManager.default.fileExists(atPath: config + ".mybro-saved"))
        }
    }

    @Test func aRecordThatCannotBeReadIsSetAsideNeverActedOn() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/p1-1-1.json"
            try "{\"gitDirectory\": 3".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(PendingPutBack.replay(in: folder).isEmpty)
            #expect(FileManager.default.fileExists(atPath: path + ".corrupt"))
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}
