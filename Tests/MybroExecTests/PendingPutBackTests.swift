import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroExec

/// The on-disk record of git's control files while a job runs, replayed by the next mybro-exec.
@Suite struct PendingPutBackTests {
    /// The pid of a process that has ended (and was reaped).
    func deadPID() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func aDeadOwnersRecordIsPutBackAndALivingOnesIsLeftAlone() throws {
        try withTemporaryDirectory { folder in
            let repository = folder + "/repo"
            try FileManager.default.createDirectory(
                atPath: repository + "/.git/hooks", withIntermediateDirectories: true)
            let recorded = GitControlFiles.record(
                gitDirectory: repository + "/.git", workspace: repository, configIsTheJobs: false)
            let records = folder + "/records"
            let saved = try #require(PendingPutBack.save(recorded, job: 7, in: records))
            // A job plants a hook; this process (alive) owns the record: nothing is touched.
            try "evil\n".write(toFile: repository + "/.git/hooks/pre-commit", atomically: true, encoding: .utf8)
            #expect(PendingPutBack.replay(in: records).isEmpty)
            #expect(FileManager.default.fileExists(atPath: repository + "/.git/hooks/pre-commit"))
            // Its owner gone: the hook goes, and so does the record.
            let orphan = records + "/p\(try deadPID())-7.json"
            #expect(rename(saved, orphan) == 0)
            let lines = PendingPutBack.replay(in: records)
            #expect(lines.count == 1 && lines[0].contains("hooks/pre-commit"), "\(lines)")
            #expect(!FileManager.default.fileExists(atPath: repository + "/.git/hooks/pre-commit"))
            #expect(!FileManager.default.fileExists(atPath: orphan))
        }
    }

    @Test func aRecordThatCannotBeReadIsSetAsideNeverActedOn() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/p\(try deadPID())-1.json"
            try "{\"gitDirectory\": 3".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(PendingPutBack.replay(in: folder).isEmpty)
            #expect(FileManager.default.fileExists(atPath: path + ".corrupt"))
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}
