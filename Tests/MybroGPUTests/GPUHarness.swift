import Foundation
import MybroCore
import MybroTestSupport
import Testing

/// One test's world: a fake Shadeform, optionally a local sshd as its instances, XDG folders
/// of its own, and every output mybro-gpu wrote, so the test can check that the API key
/// appears in none of them.
final class GPUHarness: @unchecked Sendable {
    // Set up in init; `outputs` is only touched from the test's own thread.
    let directory: TemporaryDirectory
    let fake: FakeShadeform
    let sshd: LocalSSHD?
    let key = "sk-test-" + UUID().uuidString.lowercased()
    private(set) var outputs: [String] = []

    init(ssh: Bool = false, config: [String: Any] = [:]) throws {
        directory = try TemporaryDirectory(label: "mybro-gpu")
        for folder in ["state", "data", "config", "remote", "local"] {
            try FileManager.default.createDirectory(atPath: directory.path(folder), withIntermediateDirectories: true)
        }
        var settings: [String: Any] = ["step_seconds": 0.15]
        for (name, value) in config { settings[name] = value }
        // The fake first, then sshd (told to the fake afterwards): a server started after
        // sshd died at once in the test process, for a reason not yet found.
        fake = try FakeShadeform(key: key, config: settings, directory: directory.path)
        if ssh {
            do {
                let server = try LocalSSHD(directory: directory.path)
                sshd = server
                try fake.configure([
                    "ssh": ["ip": "127.0.0.1", "port": server.port, "user": server.user],
                    "authorized_keys": server.authorizedKeys,
                ])
            } catch {
                fake.stop()
                throw error
            }
        } else {
            sshd = nil
        }
    }

    deinit {
        fake.stop()
        sshd?.stop()
        directory.remove()
    }

    var environment: [String: String] {
        [
            "SHADEFORM_API_KEY": key, "SHADEFORM_API_URL": fake.baseURL, "XDG_STATE_HOME": directory.path("state"),
            "XDG_DATA_HOME": directory.path("data"), "XDG_CONFIG_HOME": directory.path("config"),
        ]
    }

    /// Runs a shell script with ChildProcess (its reaper waits for this one pid), the built
    /// commands first on PATH.
    static func run(_ script: String, environment extra: [String: String], timeout: TimeInterval) throws
        -> GPUResult
    {
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = BuiltCommands.directory + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env.removeValue(forKey: "MYBRO_LOG_FILE")
        for (name, value) in extra { env[name] = value }
        let captured = try ChildProcess.capture(
            arguments: ["/bin/sh", "-c", script], environment: env, timeout: timeout)
        if captured.timedOut { throw HarnessError("timed out: \(script)") }
        return GPUResult(
            status: captured.status, stdout: captured.stdout, stderr: String(decoding: captured.stderr, as: UTF8.self))
    }

    /// `fast + [SUBCOMMAND, …]` as `[SUBCOMMAND] + fast + […]`: the options belong to the subcommand.
    static func ordered(_ arguments: [String]) -> [String] {
        guard arguments.starts(with: fast), arguments.count > fast.count else { return arguments }
        return [arguments[fast.count]] + fast + arguments[(fast.count + 1)...]
    }

    /// Fast polling for tests (the spec's default is 15 s).
    static let fast = ["--poll-interval", "0.1", "--retries", "3"]

    /// Runs `mybro-gpu ARGS` in the test's folder, keeping what it wrote.
    @discardableResult
    func gpu(_ arguments: [String], environment extra: [String: String] = [:], timeout: TimeInterval = 120) throws
        -> GPUResult
    {
        let line = (["mybro-gpu"] + Self.ordered(arguments)).map(shellQuoted).joined(separator: " ")
        var env = environment
        for (name, value) in extra { env[name] = value }
        let result = try Self.run(
            "cd \(shellQuoted(directory.path("local"))) && \(line)", environment: env, timeout: timeout)
        outputs.append(result.stdoutText)
        outputs.append(result.stderr)
        return result
    }

    func records(_ result: GPUResult, type: String) -> [[String: Any]] {
        result.stdoutLines.compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["type"] as? String == type
            else { return nil }
            return object
        }
    }

    struct Background {
        var pid: Int32
        var log: String
    }

    /// Starts `mybro-gpu ARGS` in the background; returns once its stdout or stderr holds `text`.
    func startBackground(_ arguments: [String], until text: String, environment extra: [String: String] = [:])
        throws -> Background
    {
        let log = directory.path("background-\(UUID().uuidString).log")
        let line = (["mybro-gpu"] + Self.ordered(arguments)).map(shellQuoted).joined(separator: " ")
        var env = environment
        for (name, value) in extra { env[name] = value }
        // The shell exits at once; a subshell waits for the command and writes its status.
        let quoted = shellQuoted(log)
        let script = """
            ( cd \(shellQuoted(directory.path("local"))) && { \(line) >\(quoted).out 2>\(quoted) & echo $! > \(quoted).pid; \
            wait $!; echo $? > \(quoted).status; } ) >/dev/null 2>&1 </dev/null &
            """
        _ = try Self.run(script, environment: env, timeout: 30)
        var pidText = ""
        let pidDeadline = Date().addingTimeInterval(10)
        while pidText.isEmpty && Date() < pidDeadline {
            pidText = ((try? String(contentsOfFile: log + ".pid", encoding: .utf8)) ?? "").trimmingCharacters(
                in: .whitespacesAndNewlines)
            if pidText.isEmpty { usleep(10_000) }
        }
        let pid = try #require(Int32(pidText))
        let job = Background(pid: pid, log: log)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if backgroundOutput(job).contains(text) { return job }
            if !isRunning(pid) { break }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        throw HarnessError("mybro-gpu never wrote \(text.debugDescription): \(backgroundOutput(job))")
    }

    /// Starts `mybro-gpu ARGS` paused at a crash point; returns once it is there.
    func startPaused(at point: String, _ arguments: [String]) throws -> Background {
        try startBackground(arguments, until: "paused at \(point)", environment: ["MYBRO_GPU_PAUSE_AT": point])
    }

    func backgroundOutput(_ job: Background) -> String {
        ((try? String(contentsOfFile: job.log, encoding: .utf8)) ?? "")
            + ((try? String(contentsOfFile: job.log + ".out", encoding: .utf8)) ?? "")
    }

    /// Running and not a zombie (the background job's parent shell is gone, so init reaps it).
    func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// Waits for the background job to end; its exit status, read from its last diagnostics.
    func waitForExit(_ job: Background, timeout: TimeInterval = 60) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning(job.pid) && Date() < deadline { usleep(20_000) }
        guard !isRunning(job.pid) else {
            kill(job.pid, SIGKILL)
            throw HarnessError("mybro-gpu did not end within \(timeout) s")
        }
        var status = ""
        while status.isEmpty && Date() < deadline {
            status = ((try? String(contentsOfFile: job.log + ".status", encoding: .utf8)) ?? "").trimmingCharacters(
                in: .whitespacesAndNewlines)
            if status.isEmpty { usleep(10_000) }
        }
        outputs.append(backgroundOutput(job))
        return Int(status) ?? -1
    }

    func killHard(_ job: Background) {
        kill(job.pid, SIGKILL)
        while isRunning(job.pid) { usleep(10_000) }
        outputs.append(backgroundOutput(job))
    }

    /// The API key in any output, or any file mybro-gpu wrote (ledger, keys, known hosts).
    func keyLeaks() -> [String] {
        var leaks = outputs.enumerated().filter { $0.element.contains(key) }.map { "output \($0.offset)" }
        for folder in ["state", "data", "local"] {
            let root = directory.path(folder)
            let files = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
            for file in files {
                if let data = FileManager.default.contents(atPath: root + "/" + file),
                    data.range(of: Data(key.utf8)) != nil
                {
                    leaks.append(folder + "/" + file)
                }
            }
        }
        return leaks
    }

    /// The ledger's costs in cents (the `costs` command), and its total.
    func ledgerTotal() throws -> Int {
        let result = try gpu(["costs"])
        return records(result, type: "cost_total").first?["cents"] as? Int ?? -1
    }
}

/// What a finished mybro-gpu (or script) produced.
struct GPUResult: Sendable {
    var status: Int32
    var stdout: Data
    var stderr: String

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stdoutLines: [String] { stdoutText.split(separator: "\n").map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}
