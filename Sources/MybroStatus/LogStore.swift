import Foundation
import MybroCore
import Synchronization

/// The log service's memory: the last `capacity` diagnostics (JSON Lines records as `Log`
/// writes them: time, tool, pid, level, message), written on to a rotated file when asked,
/// and published to WebSocket tails. Secrets are redacted on the way in.
public final class LogStore: Sendable {
    public struct Entry: Sendable {
        public var sequence: Int
        public var level: LogLevel
        public var tool: String
        public var time: String
        /// The record as served, one JSON object.
        public var json: String
    }

    struct Ring: Sendable {
        var entries: [Entry?]
        var next = 0
        var count = 0
        var sequence = 0
        var received = 0
        var malformed = 0
        var droppedBySenders = 0
    }

    public let capacity: Int
    private let ring: Mutex<Ring>
    private let file: Mutex<RotatingLogFile?>
    /// The log service's own tail (`/v1/logs/tail`).
    public let tail: EventHub
    /// The dashboard's event stream, which gets at most `dashboardRate` lines a second.
    private let dashboard: EventHub?
    private let dashboardBudget = Mutex<(second: Int, used: Int, skipped: Int)>((0, 0, 0))
    public static let dashboardRate = 200

    public init(capacity: Int, file: sending RotatingLogFile?, tail: EventHub, dashboard: EventHub?) {
        self.capacity = capacity
        self.ring = Mutex(Ring(entries: Array(repeating: nil, count: capacity)))
        self.file = Mutex(file)
        self.tail = tail
        self.dashboard = dashboard
    }

    static let levels = Dictionary(uniqueKeysWithValues: LogLevel.allCases.map { ($0.name, $0) })

    /// Takes a batch of lines (one read of a body or a file); returns how many were malformed.
    @discardableResult
    public func ingest(lines: [ArraySlice<UInt8>], source: String) -> Int {
        var accepted: [(LogLevel, String, String, JSONObject)] = []
        var malformed = 0
        for bytes in lines {
            guard let (level, tool, time, object) = Self.decode(bytes) else {
                if !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { malformed += 1 }
                continue
            }
            accepted.append((level, tool, time, object))
        }
        var published: [Entry] = []
        var fileText = ""
        ring.withLock { ring in
            ring.received += accepted.count
            ring.malformed += malformed
            for (level, tool, time, var object) in accepted {
                ring.sequence += 1
                if let dropped = object["log_dropped"]?.intValue { ring.droppedBySenders += dropped }
                object["seq"] = .number(Double(ring.sequence))
                let json = object.serialized()
                let entry = Entry(sequence: ring.sequence, level: level, tool: tool, time: time, json: json)
                ring.entries[ring.next] = entry
                ring.next = (ring.next + 1) % capacity
                ring.count = min(ring.count + 1, capacity)
                published.append(entry)
                fileText += json + "\n"
            }
        }
        if !fileText.isEmpty { file.withLock { $0?.append(fileText) } }
        for entry in published {
            tail.publish("{\"kind\":\"log\",\"log\":\(entry.json)}", level: entry.level, tool: entry.tool)
            publishToDashboard(entry)
        }
        return malformed
    }

    private func publishToDashboard(_ entry: Entry) {
        guard let dashboard else { return }
        let second = Int(Date().timeIntervalSince1970)
        let allowed = dashboardBudget.withLock { budget -> Bool in
            if budget.second != second { budget = (second, 0, budget.skipped) }
            budget.used += 1
            if budget.used > Self.dashboardRate {
                budget.skipped += 1
                return false
            }
            return true
        }
        if allowed { dashboard.publish("{\"kind\":\"log\",\"log\":\(entry.json)}") }
    }

    /// A diagnostic record: a JSON object with a known `level` and a `message` string.
    static func decode(_ bytes: ArraySlice<UInt8>) -> (LogLevel, String, String, JSONObject)? {
        var content = bytes
        if content.last == 0x0D { content = content.dropLast() }
        guard let text = String(validating: content, as: UTF8.self),
            case .object(let fields)? = try? JSONParser.parse(text),
            let level = fields["level"]?.stringValue.flatMap({ levels[$0] }),
            let message = fields["message"]?.stringValue
        else { return nil }
        var object = JSONObject()
        let time = fields["time"]?.stringValue ?? LogStore.now()
        object["time"] = .string(time)
        let tool = fields["tool"]?.stringValue ?? "unknown"
        object["tool"] = .string(tool)
        if let pid = fields["pid"]?.intValue { object["pid"] = .number(Double(pid)) }
        object["level"] = .string(level.name)
        object["message"] = .string(SecretRedaction.redact(message))
        if let dropped = fields["log_dropped"]?.intValue { object["log_dropped"] = .number(Double(dropped)) }
        return (level, tool, time, object)
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    /// `GET /v1/logs`: entries at or above `level`, of `tool`, after sequence number `since`
    /// (or at or after an ISO 8601 time), oldest first, at most `limit` (the newest ones).
    public func query(level: LogLevel?, tool: String?, since: String?, limit: Int) -> JSONObject {
        let sinceSequence = since.flatMap(Int.init)
        let sinceTime = sinceSequence == nil ? since : nil
        let (matches, stats) = ring.withLock { ring -> ([Entry], Ring) in
            var found: [Entry] = []
            var index = (ring.next - 1 + capacity) % capacity
            for _ in 0..<ring.count {
                guard let entry = ring.entries[index] else { break }
                if let sinceSequence, entry.sequence <= sinceSequence { break }
                if let sinceTime, entry.time < sinceTime { break }
                if (level.map { entry.level >= $0 } ?? true) && (tool.map { entry.tool == $0 } ?? true) {
                    found.append(entry)
                    if found.count == limit { break }
                }
                index = (index - 1 + capacity) % capacity
            }
            var stats = ring
            stats.entries = []
            return (found.reversed(), stats)
        }
        var result = JSONObject()
        result["logs"] = .array(matches.compactMap { try? JSONParser.parse($0.json) })
        result["next"] = .number(Double(matches.last?.sequence ?? sinceSequence ?? stats.sequence))
        result["stats"] = .object(statistics(stats))
        return result
    }

    private func statistics(_ ring: Ring) -> JSONObject {
        JSONObject([
            "received": .number(Double(ring.received)), "malformed": .number(Double(ring.malformed)),
            "kept": .number(Double(ring.count)), "capacity": .number(Double(capacity)),
            "dropped_by_senders": .number(Double(ring.droppedBySenders)),
            "dropped_tail_clients": .number(Double(tail.droppedClients)),
        ])
    }

    public var stats: JSONObject {
        statistics(
            ring.withLock { ring in
                var copy = ring
                copy.entries = []
                return copy
            })
    }

    /// The sequence number of the newest entry (0 when none).
    public var lastSequence: Int { ring.withLock { $0.sequence } }

    /// The newest `count` entries, oldest first (for a new page).
    public func newest(_ count: Int) -> [String] {
        ring.withLock { ring in
            var found: [String] = []
            var index = (ring.next - 1 + capacity) % capacity
            for _ in 0..<min(count, ring.count) {
                if let entry = ring.entries[index] { found.append(entry.json) }
                index = (index - 1 + capacity) % capacity
            }
            return found.reversed()
        }
    }
}
