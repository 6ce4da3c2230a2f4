import Foundation
import GRDB
import MybroTestSupport
import Synchronization
import Testing

@testable import MybroStore

/// The history writer: ordered, never waiting on the control path, never losing or mixing up
/// a job, whatever holds the database.
@Suite struct HistoryWriterTests {
    let directory: TemporaryDirectory
    var path: String { directory.path("history.sqlite") }

    init() throws { directory = try TemporaryDirectory(label: "mybro-history") }

    /// A history with one finished job (id 1) in it.
    func existingHistory() throws {
        let writer = HistoryWriter(path: path)
        writer.jobNotRun(action: "run", transcript: "", command: "unrelated", directory: "/p", status: "refused")
        #expect(writer.waitUntilWritten(timeout: 10))
        writer.close(timeout: 1)
    }

    @Test func writesInOrderWhileLockedAndRecovers() throws {
        defer { directory.remove() }
        try existingHistory()
        let lock = try DatabaseLock(path: path)
        let writer = HistoryWriter(path: path)
        defer { writer.close(timeout: 1) }
        let begun = Date()
        let a = writer.newJobID()
        writer.jobStarted(
            id: a, action: "run", transcript: "", command: "sleep 30", directory: "/p", processGroup: 4242)
        writer.jobOutput(id: a, output: "half")
        let b = writer.jobNotRun(action: "run", transcript: "", command: "rm -r x", directory: "/p", status: "declined")
        writer.jobFinished(id: a, status: "stopped", exitCode: nil, output: "all")
        writer.jobOutput(id: a, output: "after the end: ignored")
        let c = writer.newJobID()
        writer.jobStarted(id: c, action: "run", transcript: "", command: "echo next", directory: "/p")
        let elapsed = Date().timeIntervalSince(begun)
        // Waiting on the lock would last until its release below; the bound only allows for a
        // loaded machine's stalls.
        #expect(elapsed < 2, "the control path waited \(elapsed) s")
        #expect([a, b, c] == [2, 3, 4])
        #expect(!writer.waitUntilWritten(timeout: 0.5))
        #expect(writer.backlog == 3)
        try lock.release()
        #expect(writer.waitUntilWritten(timeout: 5))
        let rows = try JobHistory(path: path).recent()
        #expect(rows.map(\.id) == [4, 3, 2, 1])
        #expect(rows.map(\.status) == ["running", "declined", "stopped", "refused"])
        #expect(rows.map(\.command) == ["echo next", "rm -r x", "sleep 30", "unrelated"])
        #expect(rows[2].output == "all" && rows[2].processGroup == 4242 && rows[2].endedAt != nil)
    }

    @Test func startsWhileTheDatabaseIsLocked() throws {
        defer { directory.remove() }
        try existingHistory()
        let lock = try DatabaseLock(path: path)
        let writer = HistoryWriter(path: path)
        defer { writer.close(timeout: 1) }
        let id = writer.newJobID()
        writer.jobStarted(id: id, action: "run", transcript: "", command: "true", directory: "/p")
        writer.jobFinished(id: id, status: "succeeded", exitCode: 0, output: "")
        #expect(id == 2)
        #expect(!writer.waitUntilWritten(timeout: 0.3))
        try lock.release()
        #expect(writer.waitUntilWritten(timeout: 5))
        #expect(try JobHistory(path: path).recent().map(\.status) == ["succeeded", "refused"])
    }

    @Test func whatIsLeftAtCloseIsSpilledAndReplayed() throws {
        defer { directory.remove() }
        try existingHistory()
        let lock = try DatabaseLock(path: path)
        let writer = HistoryWriter(path: path)
        let a = writer.newJobID()
        writer.jobStarted(id: a, action: "run", transcript: "", command: "make", directory: "/p")
        writer.jobFinished(id: a, status: "failed", exitCode: 2, output: "error\n")
        let b = writer.newJobID()
        writer.jobStarted(id: b, action: "code", transcript: "fix it", command: "fix it", directory: "/p")
        let begun = Date()
        #expect(writer.close(timeout: 0.3) == 2)
        #expect(Date().timeIntervalSince(begun) < 2)
        let spill = JobHistory.spillPath(for: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: spill)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: spill, encoding: .utf8).split(separator: "\n").count == 2)
        try lock.release()

        let history = try JobHistory(path: path)
        let recovery = try history.recover()
        #expect(recovery.replayed == 2 && recovery.damaged == 0 && recovery.renumbered.isEmpty)
        let rows = try history.recent()
        #expect(rows.map(\.id) == [b, a, 1])
        #expect(rows[1].status == "failed" && rows[1].exitCode == 2 && rows[1].output == "error\n")
        // Ours, and we are alive: still running, not interrupted.
        #expect(rows[0].status == "running" && rows[0].transcript == "fix it")
        #expect(try FileManager.default.attributesOfItem(atPath: spill)[.size] as? Int == 0)
        #expect(try history.recover().replayed == 0)
    }

    @Test func aTornSpillLineIsSkipped() throws {
        defer { directory.remove() }
        try existingHistory()
        let spill = HistorySpill(path: JobHistory.spillPath(for: path))
        try spill.append([JobEntry(id: 2, action: "run", command: "first", directory: "/p", status: "succeeded")])
        // A crash in the middle of an append leaves half a line.
        let handle = try #require(FileHandle(forWritingAtPath: spill.path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"action":"run","comm"#.utf8))
        try handle.close()
        try spill.append([JobEntry(id: 3, action: "run", command: "second", directory: "/p", status: "failed")])
        let history = try JobHistory(path: path)
        let recovery = try history.recover()
        #expect(recovery.replayed == 2 && recovery.damaged == 1)
        #expect(try history.recent().map(\.command) == ["second", "first", "unrelated"])
    }

    @Test func twoWritersOnOneHistoryGetDistinctIDs() throws {
        defer { directory.remove() }
        let writers = [HistoryWriter(path: path), HistoryWriter(path: path)]
        let ids = Mutex<[Int64: String]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { which in
            let writer = writers[which]
            for number in 0..<25 {
                let id = writer.newJobID()
                let command = "writer \(which) job \(number)"
                ids.withLock { $0[id] = command }
                writer.jobStarted(id: id, action: "run", transcript: "", command: command, directory: "/p")
                writer.jobFinished(id: id, status: "succeeded", exitCode: 0, output: command)
            }
        }
        let given = ids.withLock { $0 }
        #expect(given.keys.sorted() == Array(1...50))
        for writer in writers { #expect(writer.waitUntilWritten(timeout: 10)) }
        let rows = try JobHistory(path: path).recent(limit: 100)
        #expect(rows.count == 50)
        // Each row holds its own job's result.
        #expect(rows.allSatisfy { given[$0.id] == $0.command && $0.output == $0.command })
        for writer in writers { writer.close(timeout: 1) }
    }

    @Test func idsAreNeverReused() throws {
        defer { directory.remove() }
        let history = try JobHistory(path: path)
        try history.write(
            (1...3).map { JobEntry(id: $0, action: "run", command: "old \($0)", directory: "/p", status: "succeeded") })
        try DatabaseQueue(path: path).write { try $0.execute(sql: "DELETE FROM job WHERE id = 3") }
        // No sequence file (a history from before it existed): it starts above the largest id.
        let writer = HistoryWriter(path: path)
        defer { writer.close(timeout: 1) }
        #expect(writer.newJobID() == 4)
        #expect(writer.newJobID() == 5)
    }

    /// The worst case: a history from before WAL and the sequence file, locked so that it can't
    /// even be read the usual way. The job gets its id at once (read without locks), and once
    /// the lock goes it is written to a row of its own, never into the old row 1.
    @Test func aLockedUnreadableHistoryStillNeverSharesARow() throws {
        defer { directory.remove() }
        let legacy = try DatabaseQueue(path: path)
        try legacy.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE job (id INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL,
                        transcript TEXT NOT NULL DEFAULT '', command TEXT NOT NULL, directory TEXT NOT NULL,
                        started_at DOUBLE NOT NULL, ended_at DOUBLE, status TEXT NOT NULL, exit_code INTEGER,
                        output TEXT NOT NULL DEFAULT '', owner_pid INTEGER NOT NULL);
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1');
                    INSERT INTO job (action, command, directory, started_at, status, owner_pid, exit_code)
                        VALUES ('run', 'unrelated', '/p', 0, 'succeeded', 1, 0);
                    """)
        }
        try legacy.close()
        let lock = try DatabaseLock(path: path)
        let writer = HistoryWriter(path: path)
        defer { writer.close(timeout: 1) }
        let id = writer.newJobID()
        writer.jobStarted(id: id, action: "run", transcript: "", command: "mine", directory: "/p")
        writer.jobFinished(id: id, status: "failed", exitCode: 1, output: "")
        #expect(!writer.waitUntilWritten(timeout: 0.3))
        try lock.release()
        #expect(writer.waitUntilWritten(timeout: 5))
        let rows = try JobHistory(path: path).recent()
        #expect(rows.map(\.command) == ["mine", "unrelated"])
        #expect(rows[0].id == id)
        #expect(rows.map(\.status) == ["failed", "succeeded"])
        #expect(rows[1].id == 1 && rows[1].exitCode == 0)
        #expect(JobIDSequence(path: JobHistory.sequencePath(for: path)).peek() ?? 0 > rows[0].id)
    }
}

/// Another connection holding the database's exclusive lock, as another process would.
final class DatabaseLock {
    private let queue: DatabaseQueue

    init(path: String) throws {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        configuration.busyMode = .timeout(5)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { try $0.execute(sql: "BEGIN EXCLUSIVE") }
    }

    func release() throws { try queue.writeWithoutTransaction { try $0.execute(sql: "COMMIT") } }
}
