import Foundation
import Synchronization

/// Severity of a diagnostic, lowest first.
public enum LogLevel: Int, Comparable, Sendable, CaseIterable {
    case debug = 0, info, warning, error

    public var name: String {
        switch self {
        case .debug: return "debug"
        case .info: return "info"
        case .warning: return "warning"
        case .error: return "error"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}

/// Diagnostics on stderr as `mybro-NAME: level: message` (or JSON Lines), and optionally
/// appended as JSON Lines to the rotating file named by `MYBRO_LOG_FILE`, so a whole
/// pipeline can log to one place, and sent to the log service named by `MYBRO_LOG_URL`
/// (`LogForwarder`: never blocks, drops and counts when the service is down or slow). Secrets
/// are redacted on every way out. stdout is never touched: it carries data only.
public final class Log: @unchecked Sendable {
    public static let shared = Log()

    private let lock = NSLock()
    private var tool = ProcessInfo.processInfo.processName
    private var threshold = LogLevel.info
    private var format = LogFormat.text
    private var file: RotatingLogFile?
    private var forwarder: LogForwarder?

    public func configure(
        tool: String, threshold: LogLevel, format: LogFormat,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        lock.lock()
        defer { lock.unlock() }
        self.tool = tool
        self.threshold = threshold
        self.format = format
        if let path = environment["MYBRO_LOG_FILE"], !path.isEmpty {
            let maxBytes = environment["MYBRO_LOG_MAX_BYTES"].flatMap(Int.init) ?? 10 << 20
            let keep = environment["MYBRO_LOG_KEEP"].flatMap(Int.init) ?? 3
            file = RotatingLogFile(path: path, maxBytes: max(maxBytes, 1024), keep: max(keep, 1))
        } else {
            file = nil
        }
        forwarder?.finish(timeout: 0)
        forwarder = nil
        if let url = environment["MYBRO_LOG_URL"], !url.isEmpty {
            switch LogForwarder.parse(url: url) {
            case .success(let target):
                forwarder = LogForwarder(
                    host: target.host, port: target.port, path: target.path,
                    token: SecretEnvironment.value("MYBRO_LOG_TOKEN"))
                Log.registerExitFlush()
            case .failure(let problem):
                writeAll(
                    fd: 2, "\(tool): warning: MYBRO_LOG_URL ignored: \(problem) (expected http://HOST:PORT/PATH)\n")
            }
        }
    }

    private static let exitFlushRegistered = Mutex(false)

    /// Gives queued log lines a moment (at most 0.2 s) to reach the log service at exit.
    private static func registerExitFlush() {
        let first = exitFlushRegistered.withLock { registered in
            defer { registered = true }
            return !registered
        }
        guard first else { return }
        atexit { Log.shared.finishForwarding(timeout: 0.2) }
    }

    func finishForwarding(timeout: Double) {
        lock.lock()
        defer { lock.unlock() }
        forwarder?.finish(timeout: timeout)
        forwarder = nil
    }

    /// Lines the log service did not get (it was down or slow) since the count last travelled.
    public var forwardingDropped: Int {
        lock.lock()
        defer { lock.unlock() }
        return forwarder?.dropped ?? 0
    }

    /// The name diagnostics carry (the command's, once `configure` has run).
    public var toolName: String {
        lock.lock()
        defer { lock.unlock() }
        return tool
    }

    public func debug(_ message: @autoclosure () -> String) { emit(.debug, message) }
    public func info(_ message: @autoclosure () -> String) { emit(.info, message) }
    public func warning(_ message: @autoclosure () -> String) { emit(.warning, message) }
    public func error(_ message: @autoclosure () -> String) { emit(.error, message) }

    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) { emit(level, message) }

    private func emit(_ level: LogLevel, _ message: () -> String) {
        lock.lock()
        defer { lock.unlock() }
        let toStderr = level >= threshold
        let toFile = file != nil && level >= min(threshold, .info)
        let toService = forwarder != nil && level >= min(threshold, .info)
        guard toStderr || toFile || toService else { return }
        // One line per diagnostic, whatever the message held.
        // Credentials are hidden wherever the line goes (stderr, the log file, the service).
        let text = SecretRedaction.redact(message().replacingOccurrences(of: "\n", with: " "))
        let json = Log.jsonLine(tool: tool, level: level, message: text)
        if toStderr {
            // A name a job chose may hold an escape sequence: never raw on the user's terminal.
            let line = format == .json ? json : "\(tool): \(level.name): \(TerminalText.escaped(text))\n"
            writeAll(fd: 2, line)
        }
        if toFile { file?.append(json) }
        if toService, let forwarder {
            forwarder.send { dropped in
                var extra = JSONObject()
                if dropped > 0 { extra["log_dropped"] = .number(Double(dropped)) }
                return Log.jsonLine(tool: tool, level: level, message: text, extra: extra)
            }
        }
    }

    static func jsonLine(tool: String, level: LogLevel, message: String, extra: JSONObject = JSONObject()) -> String {
        var object = JSONObject()
        object["time"] = .string(Log.timestamp())
        object["tool"] = .string(tool)
        object["pid"] = .number(Double(getpid()))
        object["level"] = .string(level.name)
        object["message"] = .string(message)
        for (key, value) in extra { object[key] = value }
        return object.serialized() + "\n"
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec),
            Int(now.tv_nsec / 1_000_000))
    }
}

/// Best-effort write of a whole string to a descriptor (diagnostics must never throw).
func writeAll(fd: Int32, _ text: String) {
    SystemIO.writeAll(fd, text)
}
