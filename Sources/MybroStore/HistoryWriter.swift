import Foundation
import MybroCore

/// Writes the job history off the control path: callers enqueue what happened to a job and
/// return at once; a thread of the writer's own opens the database (creating and migrating it,
/// replaying the spill file, marking interrupted jobs) and applies the queue in order, retrying
/// with backoff while another process holds the database locked. Nothing here ever waits for
/// the database except `close`, which waits (bounded) for the queue to drain and spills what is
/// left.
///
/// Job ids come from `JobIDSequence`, so they are known at once. The queue holds each job's
/// latest state (a full row, written as an upsert by the job's key): a later state of a job
/// that is still waiting replaces the earlier one in its place, so a long lock grows the queue
/// by jobs, not by updates.
///
/// `@unchecked Sendable`: every mutable field is guarded by `state`.
public final class HistoryWriter: @unchecked Sendable {
    public struct Settings: Sendable {
        /// How long one statement waits for another process's lock before the writer backs off.
        public var busyTimeout: TimeInterval = 0.1
        /// The first pause after a failed write; it doubles up to `maximumRetryDelay`.
        public var retryDelay: TimeInterval = 0.05
        public var maximumRetryDelay: TimeInterval = 0.5

        public init() {}
    }

    public let path: String
    private let settings: Settings
    private let log: Log
    private let sequence: JobIDSequence
    private let spill: HistorySpill

    private let state = NSCondition()
    /// Jobs with a state to write, in the order they first asked; their latest states.
    private var order: [Int64] = []
    private var waiting: [Int64: JobEntry] = [:]
    /// The batch the thread is writing now.
    private var inFlight: [JobEntry] = []
    /// Jobs started and not yet finished: what later updates build on.
    private var open: [Int64: JobEntry] = [:]
    private var closing = false
    private var abandoned = false
    private var lastID: Int64 = 0
    private var sequenceFailed = false
    /// Whether the database has been opened and recovered.
    private var ready = false

    /// Starts the writer's thread, which opens the history at `path`.
    public init(path: String, settings: Settings = Settings(), log: Log = .shared) {
        self.path = path
        self.settings = settings
        self.log = log
        self.sequence = JobIDSequence(path: JobHistory.sequencePath(for: path))
        self.spill = HistorySpill(path: JobHistory.spillPath(for: path))
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let thread = Thread { [self] in writeLoop() }
        thread.name = "mybro history writer"
        thread.start()
    }

    // MARK: the control path: none of these waits for the database

    /// A new job id, from the sequence file (never the database, unless the file is new: then
    /// one quick read of the database's largest id, which gives up at once if it is locked).
    public func newJobID() -> Int64 {
        do {
            let id = try sequence.next(atLeast: 1) { quickLargestID().map { $0 + 1 } }
            state.locked { lastID = max(lastID, id) }
            return id
        } catch {
            // Still safe: a job whose id is taken gets another row (JobHistory.write).
            return state.locked {
                if !sequenceFailed {
                    sequenceFailed = true
                    log.warning("cannot take a job id from \(sequence.path): \(error); counting on my own")
                }
                lastID += 1
                return lastID
            }
        }
    }

    /// A job that started: it is recorded as running, with what is needed to tell later whether
    /// it is still running (its process group and keeper).
    public func jobStarted(
        id: Int64, action: String, transcript: String, command: String, directory: String,
        processGroup: Int32? = nil, keeperPID: Int32? = nil, at date: Date = Date()
    ) {
        // Credentials never reach the history (redacted here, before the control path's lock):
        // what a job was asked to run or printed may hold them.
        let entry = JobEntry(
            id: id, action: action, transcript: SecretRedaction.redact(transcript),
            command: SecretRedaction.redact(command), directory: directory, startedAt: date,
            processGroup: processGroup, keeperPID: keeperPID)
        state.locked {
            open[id] = entry
            enqueue(entry)
        }
    }

    /// The output so far (its tail) of a running job.
    public func jobOutput(id: Int64, output: String) {
        let output = SecretRedaction.redact(output)
        state.locked {
            guard var entry = open[id] else { return }
            entry.output = output
            open[id] = entry
            enqueue(entry)
        }
    }

    /// How a job ended.
    public func jobFinished(id: Int64, status: String, exitCode: Int?, output: String, at date: Date = Date()) {
        let output = SecretRedaction.redact(output)
        state.locked {
            guard var entry = open.removeValue(forKey: id) else { return }
            entry.status = status
            entry.exitCode = exitCode
            entry.output = output
            entry.endedAt = date
            enqueue(entry)
        }
    }

    /// A job that never ran (refused, declined, unconfirmed): recorded with its own id.
    @discardableResult
    public func jobNotRun(
        action: String, transcript: String, command: String, directory: String, status: String, at date: Date = Date()
    ) -> Int64 {
        let id = newJobID()
        let entry = JobEntry(
            id: id, action: action, transcript: SecretRedaction.redact(transcript),
            command: SecretRedaction.redact(command), directory: directory, startedAt: date, endedAt: date,
            status: status)
        state.locked { enqueue(entry) }
        return id
    }

    /// How many jobs have a state still to be written.
    public var backlog: Int { state.locked { order.count + inFlight.count } }

    /// Waits (at most `timeout`) until everything enqueued so far is written; for tests.
    @discardableResult
    public func waitUntilWritten(timeout: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return state.locked {
            while !(ready && order.isEmpty && inFlight.isEmpty) {
                if !state.wait(until: deadline) { return ready && order.isEmpty && inFlight.isEmpty }
            }
            return true
        }
    }

    /// Ends the writer: waits (at most `timeout`) for the queue to drain, then appends what is
    /// still not written to the spill file, replayed the next time a history is opened.
    /// Returns how many jobs were spilled.
    @discardableResult
    public func close(timeout: TimeInterval = 15) -> Int {
        let deadline = Date(timeIntervalSinceNow: timeout)
        let left: [JobEntry] = state.locked {
            closing = true
            state.broadcast()
            while !(order.isEmpty && inFlight.isEmpty), state.wait(until: deadline) {}
            abandoned = true
            state.broadcast()
            // The batch in flight may still land: writing it again from the spill is harmless.
            return inFlight + order.compactMap { waiting[$0] }
        }
        guard !left.isEmpty else { return 0 }
        do {
            try spill.append(left)
            log.warning(
                "the job history is still locked: \(left.count) job(s) saved to \(spill.path), to be written the next time a history is opened"
            )
        } catch {
            log.error("the job history is still locked and \(left.count) job(s) are lost: \(error)")
        }
        return left.count
    }

    // MARK: the writer's thread

    /// Called with `state` locked.
    private func enqueue(_ entry: JobEntry) {
        if waiting.updateValue(entry, forKey: entry.id) == nil { order.append(entry.id) }
        state.broadcast()
    }

    private func writeLoop() {
        var history: JobHistory?
        var delay = settings.retryDelay
        var troubled = false
        while true {
            state.lock()
            while ready && order.isEmpty && !abandoned && !closing { state.wait() }
            if abandoned || (closing && ready && order.isEmpty) {
                state.unlock()
                return
            }
            inFlight = order.compactMap { waiting[$0] }
            order.removeAll()
            waiting.removeAll()
            let batch = inFlight
            state.unlock()

            var failure: Error?
            do {
                if history == nil { history = try JobHistory(path: path, busyTimeout: settings.busyTimeout) }
                if !ready, let history { try recover(history) }
                let renumbered = try history?.write(batch) ?? []
                for (from, to) in renumbered {
                    log.warning("job \(from)'s id was taken in the history: it is recorded as job \(to)")
                }
            } catch {
                failure = error
            }

            state.lock()
            if let failure {
                // Put the batch back in front, under any newer state of the same job.
                var restored: [Int64] = []
                for entry in batch where waiting[entry.id] == nil {
                    waiting[entry.id] = entry
                    restored.append(entry.id)
                }
                order = restored + order.filter { !restored.contains($0) }
                inFlight = []
                let count = order.count
                // Opening with nothing to write yet is no news: warn once writes wait.
                if !troubled && count > 0 {
                    troubled = true
                    if JobHistory.isLockError(failure) {
                        log.warning("the job history is locked by another process: \(count) writes waiting; retrying")
                    } else {
                        log.warning(
                            "cannot write the job history \(path): \(failure); \(count) writes waiting; retrying")
                    }
                }
                if !abandoned { _ = state.wait(until: Date(timeIntervalSinceNow: delay)) }
                delay = min(delay * 2, settings.maximumRetryDelay)
            } else {
                inFlight = []
                ready = true
                if troubled {
                    troubled = false
                    log.warning("the job history is writable again: \(batch.count) waiting writes done")
                }
                delay = settings.retryDelay
            }
            state.broadcast()
            state.unlock()
        }
    }

    private func recover(_ history: JobHistory) throws {
        // Ids given while the database could not be read start from 1: lift the file above the
        // history's largest id (never lowering it).
        try? sequence.raise(above: history.largestID())
        let recovery = try history.recover()
        if recovery.replayed > 0 {
            log.warning("\(recovery.replayed) job(s) saved while the history was locked are now written to it")
        }
        if recovery.damaged > 0 {
            log.warning("skipped \(recovery.damaged) damaged line(s) of \(spill.path) (a write cut off by a crash)")
        }
        for (from, to) in recovery.renumbered {
            log.warning("job \(from)'s id was taken in the history: it is recorded as job \(to)")
        }
        if recovery.interrupted > 0 {
            log.warning(
                "\(recovery.interrupted) job(s) were still running when mybro-exec last stopped: marked interrupted")
        }
    }

    /// The history's largest id if it can be read right now (nil: locked or unreadable);
    /// 0 for a history that does not exist yet.
    private func quickLargestID() -> Int64? {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        return try? JobHistory.peekLargestID(path: path)
    }
}

extension NSCondition {
    fileprivate func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
