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
