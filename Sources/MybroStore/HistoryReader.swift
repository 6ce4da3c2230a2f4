import Foundation
import GRDB
import MybroCore

/// Reads the job history without ever writing to it or holding a writer up: a read-only
/// connection per look that gives up after `busyTimeout`, for watchers such as mybro-status.
/// A history that does not exist yet reads as empty.
public struct HistoryReader: Sendable {
    public let path: String
    public let busyTimeout: TimeInterval

    public init(path: String, busyTimeout: TimeInterval = 0.05) {
        self.path = path
        self.busyTimeout = busyTimeout
    }

    /// The newest `limit` jobs, newest first.
    public func recent(limit: Int) throws -> [JobEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job ORDER BY id DESC LIMIT ?", arguments: [limit]).map(
                JobHistory.entry)
        } ?? []
    }

    /// One job, or nil when the history has none with that id.
    public func job(id: Int64) throws -> JobEntry? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]).map(JobHistory.entry)
        } ?? nil
    }

    /// The last change to the database or its write-ahead log (to notice new jobs cheaply).
    public func lastChange() -> Date? {
        [path, path + "-wal"].compactMap {
            (try? FileManager.default.attributesOfItem(atPath: $0))?[.modificationDate] as? Date
        }.max()
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in try db.tableExists("job") ? body(db) : nil }
    }
}
