import Foundation

/// A process named so that a reused pid cannot pass for it: its pid and its start time (field
/// 22 of /proc/PID/stat, in clock ticks since boot).
public struct OwnerProcess: Sendable, Equatable {
    public var pid: Int32
    public var startTime: Int64

    public static var current: OwnerProcess {
        OwnerProcess(pid: getpid(), startTime: startTime(of: getpid()) ?? 0)
    }

    /// Whether this very process still runs (a zombie does not count).
    public var isAlive: Bool {
        guard pid > 0, let started = Self.startTime(of: pid) else { return false }
        return startTime == 0 || started == startTime
    }

    static func startTime(of pid: Int32) -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (the state); field 22 is fields[19].
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return Int64(fields[19])
    }
}
