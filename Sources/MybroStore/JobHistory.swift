import Foundation
import GRDB
import MybroCore

/// One job as the history keeps it.
public struct JobEntry: Sendable, Equatable {
    public var id: Int64
    /// The intent's action (`run`, `code`).
    public var action: String
    /// What was heard, when the job came from speech.
    public var transcript: String
    /// The shell command, or the prompt given to Claude Code.
    public var command: String
    public var directory: String
    public var startedAt: Date
    public var endedAt: Date?
    /// running, succeeded, failed, stopped, timeout, denied or interrupted.
    public var status: String
    public var exitCode: Int?
    /// The end of the job's output, at most `JobHistory.outputLimit` bytes.
    public var output: String
}

/// Every job `mybro-exec` ran, in SQLite. A job is written when it starts, so one that was
/// running when `mybro-exec` died (even by SIGKILL) is still there, and is marked
/// `interrupted` the next time a history is opened.
public final class JobHistory: @unchecked Sendable {
    public static let outputLimit = 64 * 1024

    private let database: DatabaseQueue
    /// How many jobs were marked interrupted when this history was opened.
    public let interruptedAtOpen: Int

    /// `$XDG_STATE_HOME/mybro/history.sqlite`, or `~/.local/state/mybro/history.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        XDGDirectories.mybro(.state, environment: environment) + "/history.sqlite"
    }

    public init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        database = try DatabaseQueue(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
        interruptedAtOpen = try database.write { db in
            // A job whose owner is gone was cut off: its process died without recording an end.
            let rows = try Row.fetchAll(db, sql: "SELECT id, owner_pid FROM job WHERE status = 'running'")
            var count = 0
            for row in rows {
                let owner: Int32 = row["owner_pid"]
                if owner != getpid(), kill(owner, 0) == 0 || errno == EPERM { continue }
                try db.execute(
                    sql: "UPDATE job SET status = 'interrupted', ended_at = ? WHERE id = ?",
                    arguments: [Date().timeIntervalSince1970, row["id"] as Int64])
                count += 1
            }
            return count
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "job") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("action", .text).notNull()
                table.column("transcript", .text).notNull().defaults(to: "")
                table.column("command", .text).notNull()
                table.column("directory", .text).notNull()
                table.column("started_at", .double).notNull()
                table.column("ended_at", .double)
                table.column("status", .text).notNull()
                table.column("exit_code", .integer)
                table.column("output", .text).notNull().defaults(to: "")
                table.column("owner_pid", .integer).notNull()
            }
            try db.create(index: "job_status", on: "job", columns: ["status"])
        }
        return migrator
    }

    /// Records a job that starts now; returns its id.
    @discardableResult
    public func start(
        action: String, transcript: String, command: String, directory: String,
        status: String = "running", at date: Date = Date()
    ) throws -> Int64 {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO job (action, transcript, command, directory, started_at, status, owner_pid)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [action, transcript, command, directory, date.timeIntervalSince1970, status, getpid()])
            return db.lastInsertedRowID
        }
    }

    /// Saves the output so far (its last `outputLimit` bytes) of a running job.
    public func update(id: Int64, output: String) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE job SET output = ? WHERE id = ?", arguments: [Self.capped(output), id])
        }
    }

    /// Records how a job ended.
    public func finish(id: Int64, status: String, exitCode: Int?, output: String, at date: Date = Date()) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE job SET status = ?, exit_code = ?, output = ?, ended_at = ? WHERE id = ?",
                arguments: [status, exitCode, Self.capped(output), date.timeIntervalSince1970, id])
        }
    }

    /// The most recent jobs, newest first.
    public func recent(limit: Int = 20) throws -> [JobEntry] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                JobEntry(
                    id: row["id"], action: row["action"], transcript: row["transcript"], command: row["command"],
                    directory: row["directory"], startedAt: Date(timeIntervalSince1970: row["started_at"]),
                    endedAt: (row["ended_at"] as Double?).map { Date(timeIntervalSince1970: $0) },
                    status: row["status"], exitCode: row["exit_code"], output: row["output"])
            }
        }
    }

    /// The last `outputLimit` bytes, cut at a character boundary.
    static func capped(_ output: String) -> String {
        let bytes = output.utf8
        guard bytes.count > outputLimit else { return output }
        var start = bytes.index(bytes.endIndex, offsetBy: -outputLimit)
        while start < bytes.endIndex, UTF8.isContinuation(bytes[start]) { start = bytes.index(after: start) }
        return "…" + String(output[start...])
    }
}

extension JobHistory {
    /// Hands a job to another owner process (for tests of what happens when an owner dies).
    func reassign(id: Int64, ownerPID: Int32) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE job SET owner_pid = ? WHERE id = ?", arguments: [ownerPID, id])
        }
    }
}
