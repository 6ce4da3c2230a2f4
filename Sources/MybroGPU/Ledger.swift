import Foundation
import GRDB
import MybroCore

/// One launch as the ledger keeps it.
public struct LaunchEntry: Sendable, Equatable {
    /// The instance name mybro chose (`mybro-…`): the key, known before the instance exists.
    public var name: String
    /// Shadeform's id, once the create call answered (or the instance was found by name).
    public var instanceID: String?
    public var offerID: String
    public var cloud: String
    public var region: String
    public var shadeInstanceType: String
    public var hourlyCents: Int
    /// intent, created, active, ready, error, deleting, deleted, failed (never created).
    public var state: String
    public var owner: OwnerProcess
    /// Kept after its owner ends (`launch`), rather than torn down with it (`run`).
    public var detached: Bool
    public var createdAt: Date
    public var deadline: Date
    public var budgetCents: Int
    public var costCents: Int
    /// Whether `costCents` is the final bill (read after billing stopped).
    public var costFinal: Bool
    public var apiURL: String
    public var sshHost: String?
    public var sshPort: Int?
    public var sshUser: String?

    public var isOpen: Bool { !["deleted", "failed"].contains(state) }
}

/// Every launch mybro-gpu made, with its history, in SQLite under the XDG state directory.
///
/// Write-ahead: a launch is written (`intent`) before the create call and completed with the
/// instance id after it, so `reap` finds an instance created in the moment before a crash by
/// its name. Every write is one transaction in WAL mode, which SQLite keeps whole through a
/// `kill -9` at any point; a lock held by another mybro-gpu is waited for (busy timeout).
public final class Ledger: Sendable {
    public let path: String
    let database: DatabaseQueue

    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        XDGDirectories.mybro(.state, environment: environment) + "/gpu-ledger.sqlite"
    }

    public init(path: String, busyTimeout: TimeInterval = 10) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeout)
            configuration.journalMode = .wal
            database = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw MybroError("cannot open the ledger \(path): \(error)", status: .ioError)
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "meta") { table in
                table.primaryKey("key", .text)
                table.column("value", .text).notNull()
            }
            try db.execute(
                sql: "INSERT INTO meta (key, value) VALUES ('ledger_id', ?)",
                arguments: [UUID().uuidString.lowercased().prefix(12).description])
            try db.create(table: "launch") { table in
                table.primaryKey("name", .text)
                table.column("instance_id", .text)
                table.column("offer_id", .text).notNull()
                table.column("cloud", .text).notNull()
                table.column("region", .text).notNull()
                table.column("shade_instance_type", .text).notNull()
                table.column("hourly_cents", .integer).notNull()
                table.column("state", .text).notNull()
                table.column("owner_pid", .integer).notNull()
                table.column("owner_start", .integer).notNull()
                table.column("detached", .boolean).notNull().defaults(to: false)
                table.column("created_at", .double).notNull()
                table.column("deadline", .double).notNull()
                table.column("budget_cents", .integer).notNull()
                table.column("cost_cents", .integer).notNull().defaults(to: 0)
                table.column("cost_final", .boolean).notNull().defaults(to: false)
                table.column("api_url", .text).notNull()
                table.column("ssh_host", .text)
                table.column("ssh_port", .integer)
                table.column("ssh_user", .text)
            }
            try db.create(index: "launch_instance", on: "launch", columns: ["instance_id"])
            try db.create(table: "event") { table in
                table.autoIncrementedPrimaryKey("seq")
                table.column("name", .text).notNull()
                table.column("at", .double).notNull()
                table.column("kind", .text).notNull()
                table.column("detail", .text).notNull()
                table.column("cost_cents", .integer)
            }
            try db.create(index: "event_name", on: "event", columns: ["name"])
        }
        return migrator
    }

    /// This ledger's own id: every instance it launches is tagged `mybro-ledger-ID`, so `reap`
    /// can tell its instances (even those it has no row for) from other ledgers'.
    public func ledgerID() throws -> String {
        try write { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'ledger_id'") ?? "" }
    }

    // MARK: writes (each one transaction)

    /// The write-ahead intent, before the create call.
    public func recordIntent(_ entry: LaunchEntry, detail: String) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO launch (name, instance_id, offer_id, cloud, region, shade_instance_type, hourly_cents,
                      state, owner_pid, owner_start, detached, created_at, deadline, budget_cents, cost_cents,
                      cost_final, api_url)
                    VALUES (?, NULL, ?, ?, ?, ?, ?, 'intent', ?, ?, ?, ?, ?, ?, 0, 0, ?)
                    """,
                arguments: [
                    entry.name, entry.offerID, entry.cloud, entry.region, entry.shadeInstanceType, entry.hourlyCents,
                    entry.owner.pid, entry.owner.startTime, entry.detached, entry.createdAt.timeIntervalSince1970,
                    entry.deadline.timeIntervalSince1970, entry.budgetCents, entry.apiURL,
                ])
            try Self.event(db, entry.name, "state", "intent: \(detail)")
        }
    }

    /// The create call answered (or the instance was found by name): its id.
    public func recordCreated(name: String, instanceID: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE launch SET instance_id = ?, state = 'created' WHERE name = ?",
                arguments: [instanceID, name])
            try Self.event(db, name, "state", "created \(instanceID)")
        }
    }

    public func recordState(name: String, state: String, detail: String = "") throws {
        try write { db in
            try db.execute(sql: "UPDATE launch SET state = ? WHERE name = ?", arguments: [state, name])
            try Self.event(db, name, "state", detail.isEmpty ? state : "\(state): \(detail)")
        }
    }

    public func recordSSH(name: String, host: String, port: Int, user: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE launch SET ssh_host = ?, ssh_port = ?, ssh_user = ? WHERE name = ?",
                arguments: [host, port, user, name])
        }
    }

    /// A cost estimate; `final` once billing has stopped. A final cost is never overwritten
    /// by a later estimate.
    public func recordCost(name: String, cents: Int, final: Bool, source: String) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE launch SET cost_cents = ?, cost_final = ? WHERE name = ? AND cost_final = 0
                    """, arguments: [cents, final, name])
            try db.execute(
                sql: "INSERT INTO event (name, at, kind, detail, cost_cents) VALUES (?, ?, 'cost', ?, ?)",
                arguments: [name, Date().timeIntervalSince1970, (final ? "final " : "estimate ") + source, cents])
        }
    }

    /// A launch that needs no owner any more (`launch` handed it to the user).
    public func recordDetached(name: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE launch SET detached = 1 WHERE name = ?", arguments: [name])
            try Self.event(db, name, "state", "detached")
        }
    }

    public func recordEvent(name: String, kind: String, detail: String) throws {
        try write { db in try Self.event(db, name, kind, detail) }
    }

    // MARK: reads

    public func launches(openOnly: Bool = false) throws -> [LaunchEntry] {
        try read { db in
            let sql = "SELECT * FROM launch" + (openOnly ? " WHERE state NOT IN ('deleted', 'failed')" : "")
            return try Row.fetchAll(db, sql: sql + " ORDER BY created_at, name").map(Self.entry)
        }
    }

    public func launch(name: String) throws -> LaunchEntry? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM launch WHERE name = ?", arguments: [name]).map(Self.entry)
        }
    }

    public func launch(instanceID: String) throws -> LaunchEntry? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM launch WHERE instance_id = ?", arguments: [instanceID]).map(
                Self.entry)
        }
    }

    public struct Event: Sendable {
        public var at: Date
        public var kind: String
        public var detail: String
        public var costCents: Int?
    }

    public func events(name: String) throws -> [Event] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM event WHERE name = ? ORDER BY seq", arguments: [name]).map { row in
                Event(
                    at: Date(timeIntervalSince1970: row["at"]), kind: row["kind"], detail: row["detail"],
                    costCents: row["cost_cents"])
            }
        }
    }

    // MARK: plumbing

    private static func event(_ db: Database, _ name: String, _ kind: String, _ detail: String) throws {
        try db.execute(
            sql: "INSERT INTO event (name, at, kind, detail) VALUES (?, ?, ?, ?)",
            arguments: [name, Date().timeIntervalSince1970, kind, detail])
    }

    private static func entry(_ row: Row) -> LaunchEntry {
        LaunchEntry(
            name: row["name"], instanceID: row["instance_id"], offerID: row["offer_id"], cloud: row["cloud"],
            region: row["region"], shadeInstanceType: row["shade_instance_type"], hourlyCents: row["hourly_cents"],
            state: row["state"], owner: OwnerProcess(pid: row["owner_pid"], startTime: row["owner_start"]),
            detached: row["detached"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            deadline: Date(timeIntervalSince1970: row["deadline"]), budgetCents: row["budget_cents"],
            costCents: row["cost_cents"], costFinal: row["cost_final"], apiURL: row["api_url"],
            sshHost: row["ssh_host"], sshPort: row["ssh_port"], sshUser: row["ssh_user"])
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch {
            throw MybroError("cannot write the ledger \(path): \(error)", status: .ioError)
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch {
            throw MybroError("cannot read the ledger \(path): \(error)", status: .ioError)
        }
    }
}
