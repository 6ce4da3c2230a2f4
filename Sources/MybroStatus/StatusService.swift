import Foundation
import MybroCore
import MybroStore
import Synchronization

/// What mybro-status is asked to do (from its command line).
public struct StatusSettings: Sendable {
    /// The loop's records: nil for standard input, or a file to follow.
    public var follow: String?
    public var controlPath: String?
    public var listenHost = "127.0.0.1"
    public var port = 7777
    public var logPort = 7778
    public var historyPath: String
    /// Where the log service keeps its rotated files (nil: memory only).
    public var logDirectory: String?
    public var logCapacity = 10_000
    public var logFileBytes = 10 << 20
    public var logFilesKept = 5
    /// A diagnostics file to follow (MYBRO_LOG_FILE).
    public var followLogFile: String?
    public var token: String?
    public var clientQueue = 4096

    public init(historyPath: String) { self.historyPath = historyPath }
}

/// The state every request and WebSocket reads: the dashboard state, its event hub, the log
/// store, the history and the control channel.
public final class StatusService: Sendable {
    public let settings: StatusSettings
    let state: Mutex<DashboardState>
    public let events: EventHub
    public let logs: LogStore
    let history: HistoryReader
    let control: ControlChannel
    let controlLimit = RateLimiter(burst: 10, perSecond: 2)
    let ingestLimit = RateLimiter(burst: 20, perSecond: 10)
    public let access: AccessPolicy
    public static let logFileName = "mybro.log"

    public init(settings: StatusSettings) {
        self.settings = settings
        state = Mutex(DashboardState(input: settings.follow ?? "stdin"))
        events = EventHub(limit: settings.clientQueue)
        logs = LogStore(
            capacity: settings.logCapacity,
            file: settings.logDirectory.map {
                RotatingLogFile(
                    path: $0 + "/" + Self.logFileName, maxBytes: settings.logFileBytes, keep: settings.logFilesKept)
            }, tail: EventHub(limit: settings.clientQueue), dashboard: events)
        history = HistoryReader(path: settings.historyPath)
        control = ControlChannel(path: settings.controlPath)
        access = AccessPolicy(listenHost: settings.listenHost, token: settings.token)
    }

    static func nowMilliseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
    }

    // MARK: The loop's records

    /// Takes one input line of the loop's records.
    func take(line bytes: ArraySlice<UInt8>, number: Int) {
        let now = Self.nowMilliseconds()
        switch Self.decode(bytes) {
        case .blank: return
        case .record(let record):
            state.withLock { state in events.publish(state.apply(record, at: now)) }
        case .malformed(let reason):
            Log.shared.warning("record \(number): \(reason); skipped")
            state.withLock { state in events.publish(state.countMalformed(at: now)) }
        }
    }

    func tooLong(number: Int) {
        Log.shared.warning("record \(number): longer than \(RecordReader.maximumLineBytes) bytes; skipped")
        let now = Self.nowMilliseconds()
        state.withLock { state in events.publish(state.countMalformed(at: now)) }
    }

    func inputEnded() {
        let now = Self.nowMilliseconds()
        state.withLock { state in events.publish(state.endInput(at: now)) }
    }

    enum Decoded {
        case blank
        case record(Record)
        case malformed(String)
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> Decoded {
        var content = bytes
        if content.last == 0x0D { content = content.dropLast() }
        guard let text = String(validating: content, as: UTF8.self) else { return .malformed("not valid UTF-8") }
        if text.allSatisfy({ $0 == " " || $0 == "\t" }) { return .blank }
        guard let value = try? JSONParser.parse(text) else { return .malformed("invalid JSON") }
        guard case .object(let object) = value, let type = object["type"]?.stringValue, !type.isEmpty else {
            return .malformed("not a record (a JSON object with a \"type\" string)")
        }
        return .record(SecretRedaction.redact(Record(type: type, fields: object)))
    }

    /// Reads the loop's records until they end (standard input) or a stop signal (a followed
    /// file); runs on a thread of its own.
    public func readRecords() {
        if let path = settings.follow {
            var number = 0
            FileFollower(path: path, maximumLineBytes: RecordReader.maximumLineBytes).run { piece in
                number += 1
                switch piece {
                case .line(let bytes): take(line: bytes, number: number)
                case .tooLong: tooLong(number: number)
                }
            }
            return
        }
        let reader = LineReader(fd: 0, maximumLineBytes: RecordReader.maximumLineBytes)
        do {
            while let line = try reader.next() {
                switch line {
                case .line(let bytes, let number): take(line: bytes, number: number)
                case .tooLong(let number, _): tooLong(number: number)
                }
            }
        } catch {
            Log.shared.warning("\(error)")
        }
        if !Signals.stopRequested {
            inputEnded()
            Log.shared.info("the loop's records ended; still serving (Ctrl-C to stop)")
        }
    }

    /// Follows a diagnostics file (MYBRO_LOG_FILE) into the log store.
    public func followLogFile(_ path: String) {
        FileFollower(path: path, maximumLineBytes: 1 << 20).run { piece in
            if case .line(let bytes) = piece { logs.ingest(lines: [bytes], source: path) }
        }
    }

    // MARK: Views

    func snapshotMessage() -> (String, Int) {
        let now = Self.nowMilliseconds()
        return state.withLock { state in
            var message = JSONObject()
            message["kind"] = "snapshot"
            message["seq"] = .number(Double(state.sequence))
            message["received"] = .number(now)
            message["state"] = .object(state.snapshot(now: now, extra: extras()))
            return (message.serialized(), state.sequence)
        }
    }

    func stateDocument() -> JSONObject {
        let now = Self.nowMilliseconds()
        return state.withLock { $0.snapshot(now: now, extra: extras()) }
    }

    private func extras() -> JSONObject {
        var object = JSONObject()
        object["clients"] = .number(Double(events.clientCount))
        object["dropped_clients"] = .number(Double(events.droppedClients))
        object["control"] = .bool(settings.controlPath != nil)
        object["logs"] = .array(logs.newest(100).compactMap { try? JSONParser.parse($0) })
        return object
    }

    // MARK: History

    static func summary(of entry: JobEntry) -> JSONObject {
        var object = JSONObject()
        object["id"] = .number(Double(entry.id))
        object["action"] = .string(entry.action)
        object["command"] = .string(SecretRedaction.redact(entry.command))
        object["transcript"] = .string(SecretRedaction.redact(entry.transcript))
        object["status"] = .string(entry.status)
        object["exit"] = entry.exitCode.map { .number(Double($0)) } ?? .null
        object["started"] = .number((entry.startedAt.timeIntervalSince1970 * 1000).rounded())
        object["duration"] =
            entry.endedAt.map { .number(($0.timeIntervalSince(entry.startedAt) * 10).rounded() / 10) } ?? .null
        let lastLine = entry.output.split(separator: "\n").last.map(String.init) ?? ""
        object["summary"] = .string(SecretRedaction.redact(String(lastLine.prefix(160))))
        return object
    }

    func recentJobs(limit: Int) throws -> [JSONValue] {
        try history.recent(limit: limit).map { .object(Self.summary(of: $0)) }
    }

    /// Re-reads the history when its files change, and publishes the recent jobs.
    public func watchHistory() async {
        var seen: Date? = .distantPast
        var failures = 0
        while !Task.isCancelled {
            let change = history.lastChange()
            if change != seen {
                do {
                    let jobs = try recentJobs(limit: 20)
                    let now = Self.nowMilliseconds()
                    state.withLock { state in events.publish(state.setJobs(jobs, at: now)) }
                    seen = change
                    failures = 0
                } catch {
                    // Locked by a writer, or not a history at all: try again, say so once.
                    failures += 1
                    if failures == 20 { Log.shared.warning("cannot read the job history: \(error)") }
                }
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }
}
