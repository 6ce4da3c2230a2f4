import Foundation
import MybroCore
import MybroTestSupport

/// Finds the built commands and runs them as a shell would, for end-to-end tests.
enum Harness {
    static var packageRoot: URL { URL(fileURLWithPath: BuiltCommands.packageRoot) }

    static func binary(_ name: String) -> String { BuiltCommands.path(name) }

    static func fixture(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests/Fixtures/exec/\(name)").path
    }

    /// `XDG_STATE_HOME` for the commands the tests run (undo snapshots, default histories).
    static let stateHome: String = {
        let path = NSTemporaryDirectory() + "/mybro-e2e-state-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// A new empty directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mybro-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct Result {
        var stdout: String
        var stderr: String
        var status: Int32
        var records: [JSONObject] {
            stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)).objectValue }
        }
        func records(_ type: String) -> [JSONObject] { records.filter { $0["type"]?.stringValue == type } }
    }

    /// Runs a shell pipeline (bash -c) with `input` on stdin and extra environment.
    static func shell(_ script: String, input: String = "", environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -o pipefail; " + script]
        var env = ProcessInfo.processInfo.environment
        env["INTENT"] = binary("mybro-intent")
        env["EXEC"] = binary("mybro-exec")
        // Runs with --no-history would otherwise keep undo snapshots in the user's ~/.local/state.
        env["XDG_STATE_HOME"] = stateHome
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let errors = DrainedPipe(stderr)
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            stdout: String(decoding: output, as: UTF8.self), stderr: errors.text(), status: process.terminationStatus)
    }
}

/// Reads a pipe to its end on a thread of its own, so two pipes never block each other.
final class DrainedPipe: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A command kept running while a test talks to it line by line.
final class LiveCommand: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let state = NSCondition()
    private var lines: [String] = []
    private var ended = false
    private let errors: DrainedPipe

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = Harness.stateHome
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe(), errorPipe = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errorPipe
        errors = DrainedPipe(errorPipe)
        try process.run()
        let handle = output.fileHandleForReading
        Thread.detachNewThread { [self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                state.lock()
                if chunk.isEmpty {
                    ended = true
                    state.broadcast()
                    state.unlock()
                    return
                }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
                state.broadcast()
                state.unlock()
            }
        }
    }

    func send(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    func closeInput() { try? input.fileHandleForWriting.close() }

    /// Waits (at most `seconds`) for an output record matching `predicate`.
    func waitFor(seconds: Double = 10, _ predicate: (JSONObject) -> Bool) -> JSONObject? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        state.lock()
        defer { state.unlock() }
        var checked = 0
        while true {
            while checked < lines.count {
                if let object = try? JSONParser.parse(lines[checked]).objectValue, predicate(object) { return object }
                checked += 1
            }
            if ended || !state.wait(until: deadline) { return nil }
        }
    }

    func waitFor(type: String, seconds: Double = 10) -> JSONObject? {
        waitFor(seconds: seconds) { $0["type"]?.stringValue == type }
    }

    var output: [String] {
        state.lock()
        defer { state.unlock() }
        return lines
    }

    func finish(seconds: Double = 10) -> (status: Int32, stderr: String) {
        closeInput()
        let deadline = Date(timeIntervalSinceNow: seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return (process.terminationStatus, errors.text())
    }
}

/// Whether a process is still running: gone and zombie (dead, not yet reaped) both count as dead.
func isRunning(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return false }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}

/// The host pids of processes that a job (whose leader has host pid `leader`) knows as `pids`:
/// a job runs in a PID namespace of its own, where its pids differ from the host's.
func hostPIDs(_ pids: [Int32], inNamespaceOf leader: Int32) -> [Int32] {
    guard let namespace = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(leader)/ns/pid") else {
        return pids
    }
    var found: [Int32: Int32] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
        guard let host = Int32(name),
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(name)/ns/pid")) == namespace,
            let status = try? String(contentsOfFile: "/proc/\(name)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }),
            let inner = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last.flatMap({ Int32($0) })
        else { continue }
        found[inner] = host
    }
    return pids.compactMap { found[$0] }
}

func waitUntilDead(_ pids: [Int32], seconds: Double = 5) -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while Date() < deadline {
        if !pids.contains(where: isRunning) { return true }
        usleep(5_000)
    }
    return !pids.contains(where: isRunning)
}
