import Foundation
import GRDB
import MybroCore

/// One job as the history keeps it.
public struct JobEntry: Sendable, Equatable, Codable {
    public var id: Int64
    /// A random key of the job's own: its row is the one with this key, so no write can land in
    /// another job's row, whatever happened to the id sequence.
    public var key: String
    /// The intent's action (`run`, `code`).
    public var action: String
    /// What was heard, when the job came from speech.
    public var transcript: String
    /// The shell command, or the prompt given to Claude Code.
    public var command: String
    public var directory: String
    public var startedAt: Date
    public var endedAt: Date?
    /// running, succeeded, failed, stopped, timeout, error, refused, declined, unconfirmed or
    /// interrupted.
    public var status: String
    public var exitCode: Int?
    /// The end of the job's output, at most `JobHistory.outputLimit` bytes.
    public var output: String
    /// The `mybro-exec` process that ran the job.
    public var ownerPID: Int32
    /// The job's process group (its leader's pid), once it was spawned.
    public var processGroup: Int32?
    /// The process that kills the job's tree when its owner dies, if it has one.
    public var keeperPID: Int32?

    public init(
        id: Int64, key: String = UUID().uuidString, action: String, transcript: String = "", command: String,
        directory: String, startedAt: Date = Date(), endedAt: Date? = nil, status: String = "running",
        exitCode: Int? = nil, output: String = "", ownerPID: Int32 = getpid(), processGroup: Int32? = nil,
        keeperPID: Int32? = nil
    ) {
        self.id = id
        self.key = key
        self.action = action
        self.transcript = transcript
        self.command = command
        self.directory = directory
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.status = status
        self.exitCode = exitCode
        self.output = output
        self.ownerPID = ownerPID
        self.processGroup = processGroup
        self.keeperPID = keeperPID
    }
}

/// Every job `mybro-exec` ran, in SQLite (WAL mode). This is the database layer: it blocks on
/// locks (up to `busyTimeout` a statement), so `mybro-exec` writes through `HistoryWriter`,
/// which keeps it off the control path.
///
/// Rows are written with explicit ids (from `JobIDSequence`) as idempotent upserts keyed by
/// the job's own key, so a write can be repeated (a spill replayed) and never lands in another
/// job's row.
public final class JobHistory: Sendable {
    public static let outputLimit = 64 * 1024

    public let path: String
    let database: DatabaseQueue

    /// `$XDG_STATE_HOME/mybro/history.sqlite`, or `~/.local/state/mybro/history.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        XDGDirectories.mybro(.state, environment: environment) + "/history.sqlite"
    }

    /// The id sequence beside the database (`history.sqlite.seq`).
    public static func sequencePath(for path: String) -> String { path + ".seq" }
    /// Jobs that could not be written before a `mybro-exec` ended (`history.sqlite.spill`).
    public static func spillPath(for path: String) -> String { path + ".spill" }

    /// Opens (creating) the database and brings its schema up to date. `busyTimeout`: how long
    /// one statement waits for another process's lock before it fails with SQLITE_BUSY.
    public init(path: String, busyTimeout: TimeInterval = 5) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // Commands and their output: only the owner reads them. SQLite gives the -wal and -shm
        // files the database's own mode, so the database is made (or narrowed to) 0600 first.
        let made = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        if made >= 0 { close(made) }
        _ = chmod(path, 0o600)
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        // WAL: readers (--history, other writers' id look-ups) never wait for a writer.
        configuration.journalMode = .wal
        database = try DatabaseQueue(path: path, configuration: configuration)
        // Migrating takes the write lock; an up-to-date database needs only a read.
        let migrator = Self.migrator
        if try !database.read({ try migrator.hasCompletedMigrations($0) }) {
            do {
                try migrator.migrate(database)
            } catch {
                // Another process may have migrated it between our look and our migration.
                guard try database.read({ try migrator.hasCompletedMigrations($0) }) else { throw error }
            }
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
        migrator.registerMigration("v2") { db in
            // Explicit ids from the sequence file, a key per job, and what must be gone before a
            // running job of a dead supervisor counts as interrupted.
            try db.alter(table: "job") { table in
                table.add(column: "job_key", .text)
                table.add(column: "process_group", .integer)
                table.add(column: "keeper_pid", .integer)
            }
            try db.create(index: "job_key", on: "job", columns: ["job_key"], options: .unique)
        }
        return migrator
    }

    /// What opening found and repaired.
    public struct Recovery: Sendable {
        /// Jobs replayed from the spill file.
        public var replayed = 0
        /// Damaged lines of the spill file (a write cut off mid-line), skipped.
        public var damaged = 0
        /// Running jobs whose supervisor, process group and keeper are all gone: now interrupted.
        public var interrupted = 0
        /// Jobs written under another id than the one they were given, because theirs was taken.
        public var renumbered: [(from: Int64, to: Int64)] = []
    }

    /// Replays the spill file into the database (then empties it) and marks interrupted the
    /// running jobs that are over for good (`ProcessTable.jobIsGone`).
    public func recover() throws -> Recovery {
        var recovery = Recovery()
        let spill = HistorySpill(path: Self.spillPath(for: path))
        let replay = try spill.replay { entries in recovery.renumbered = try write(entries) }
        recovery.replayed = replay.entries
        recovery.damaged = replay.damaged
        recovery.interrupted = try markInterrupted()
        return recovery
    }

    private func markInterrupted() throws -> Int {
        let running = try database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, owner_pid, process_group, keeper_pid FROM job WHERE status = 'running'")
        }
        let gone = running.filter { row in
            let owner: Int32 = row["owner_pid"]
            return owner != getpid()
                && ProcessTable.jobIsGone(owner: owner, group: row["process_group"], keeper: row["keeper_pid"])
        }
        guard !gone.isEmpty else { return 0 }
        return try database.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                for row in gone {
                    try db.execute(
                        sql: "UPDATE job SET status = 'interrupted', ended_at = ? WHERE id = ? AND status = 'running'",
                        arguments: [Date().timeIntervalSince1970, row["id"] as Int64])
                }
                return .commit
            }
            return gone.count
        }
    }

    /// Writes each job's latest state in one transaction. A job's row is the one with its key;
    /// a new job gets its own id, or (if another job's row holds that id) the next free one from
    /// the sequence. A finished row never goes back to running. Returns the renumbered jobs.
    @discardableResult
    public func write(_ entries: [JobEntry]) throws -> [(from: Int64, to: Int64)] {
        guard !entries.isEmpty else { return [] }
        let sequence = JobIDSequence(path: Self.sequencePath(for: path))
        return try database.writeWithoutTransaction { db in
            var renumbered: [(from: Int64, to: Int64)] = []
            try db.inTransaction(.immediate) {
                renumbered = []
                for entry in entries {
                    var arguments: [(any DatabaseValueConvertible)?] = [
                        entry.action, entry.transcript, entry.command, entry.directory,
                        entry.startedAt.timeIntervalSince1970, entry.endedAt?.timeIntervalSince1970, entry.status,
                        entry.exitCode, Self.capped(entry.output), entry.ownerPID, entry.processGroup, entry.keeperPID,
                    ]
                    if let existing = try Row.fetchOne(
                        db, sql: "SELECT id, ended_at FROM job WHERE job_key = ?", arguments: [entry.key])
                    {
                        // Written before (a replay, or a later state of the job): update it, but a
                        // finished job never goes back to running.
                        if existing["ended_at"] as Double? != nil && entry.endedAt == nil { continue }
                        arguments.append(existing["id"] as Int64)
                        try db.execute(
                            sql: """
                                UPDATE job SET action = ?, transcript = ?, command = ?, directory = ?, started_at = ?,
                                    ended_at = ?, status = ?, exit_code = ?, output = ?, owner_pid = ?,
                                    process_group = ?, keeper_pid = ?
                                WHERE id = ?
                                """, arguments: StatementArguments(arguments))
                        continue
                    }
                    var id = entry.id
                    if try Bool.fetchOne(db, sql: "SELECT 1 FROM job WHERE id = ?", arguments: [id]) ?? false {
                        // Its id is another job's (a sequence file lost or restored): never share a row.
                        let largest = try Self.largestID(db)
                        id = (try? sequence.next(atLeast: largest + 1, initial: { largest + 1 })) ?? largest + 1
                        renumbered.append((entry.id, id))
                    }
                    arguments += [id, entry.key] as [(any DatabaseValueConvertible)?]
                    try db.execute(
                        sql: """
                            INSERT INTO job (action, transcript, command, directory, started_at, ended_at, status,
                                exit_code, output, owner_pid, process_group, keeper_pid, id, job_key)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """, arguments: StatementArguments(arguments))
                }
                return .commit
            }
            return renumbered
        }
    }

    /// The largest id the history ever gave (rows since deleted included): new ids go above it.
    public func largestID() throws -> Int64 {
        try database.read { try Self.largestID($0) }
    }

    /// The largest id of the history at `path`, read on a connection of its own that gives up
    /// at once if the database cannot be read now.
    ///
    /// A history from before WAL that another process holds locked can't be read the usual way;
    /// then it is read without locks (`nolock=1`, where SQLite takes URI names): read only, it
    /// can harm nothing, and a stale answer is caught by `write`, which never shares a row.
    public static func peekLargestID(path: String) throws -> Int64 {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(0.02)
        func largest(_ name: String) throws -> Int64 {
            try DatabaseQueue(path: name, configuration: configuration).read { db in
                try db.tableExists("job") ? largestID(db) : 0
            }
        }
        do {
            return try largest(path)
        } catch {
            guard isLockError(error) else { throw error }
            let escaped = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            return try largest("file:\(escaped)?mode=ro&nolock=1")
        }
    }

    static func largestID(_ db: Database) throws -> Int64 {
        let rows = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM job") ?? 0
        // AUTOINCREMENT keeps the largest id ever used here, deleted rows included.
        let given = try? Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'job'")
        return max(rows, (given ?? nil) ?? 0)
    }

    /// The most recent jobs, newest first.
    public func recent(limit: Int = 20) throws -> [JobEntry] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job ORDER BY id DESC LIMIT ?", arguments: [limit]).map(
                Self.entry)
        }
    }

    /// A `job` row as a JobEntry (also for the read-only HistoryReader).
    static func entry(_ row: Row) -> JobEntry {
        JobEntry(
            id: row["id"], key: row["job_key"] ?? "", action: row["action"], transcript: row["transcript"],
            command: row["command"], directory: row["directory"],
            startedAt: Date(timeIntervalSince1970: row["started_at"]),
            endedAt: (row["ended_at"] as Double?).map { Date(timeIntervalSince1970: $0) },
            status: row["status"], exitCode: row["exit_code"], output: row["output"],
            ownerPID: row["owner_pid"], processGroup: row["process_group"], keeperPID: row["keeper_pid"])
    }

    /// Whether an error means that another connection holds the lock (worth retrying).
    public static func isLockError(_ error: Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
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
