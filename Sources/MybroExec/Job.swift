import Foundation
import MybroCore

/// One running job: a shell command or a Claude Code turn, under its keeper and sandbox, with
/// its output read on threads of its own so stop and status never wait for it.
///
/// `@unchecked Sendable`: `process` and `sandbox` are set once in `start` before any thread
/// sees the job; everything its threads change is guarded by `lock`.
final class Job: @unchecked Sendable {
    enum Kind {
        case shell(command: String, task: Intent.Task?)
        case claude(prompt: String)
    }

    /// What the supervisor hears from a job; called on the job's threads.
    struct Events {
        var output: (Job, _ text: String, _ stream: String) -> Void
        var skipped: (Job, _ count: Int) -> Void
        var finished: (Job, Outcome) -> Void
    }

    struct Outcome {
        var status: JobStatus
        var exit: Int32?
        var duration: Double
        var sentence: String
        var output: String
        var claude: ClaudeEvents?
    }

    let id: Int64
    let kind: Kind
    let intent: Intent
    let configuration: ExecConfiguration
    let startedAt = monotonicSeconds()
    let deadline: Double?
    private(set) var process: ChildProcess!
    private(set) var sandbox: JobSandbox?
    /// Holds the Anthropic credential for a Claude Code job, which gets a stand-in key.
    private(set) var credentialProxy: CredentialProxy?
    /// The repository's config, hooks and the like before the job, put back after it.
    private(set) var gitControlFiles: GitControlFiles?
    private(set) var claudeControlFiles: ClaudeControlFiles?
    private(set) var projectClaudeFiles: ClaudeControlFiles?
    /// Where that record lies on disk while the job runs (PendingPutBack).
    private var pendingPutBack: PendingPutBack.Handle?

    private let lock = NSLock()
    private var stopReason: JobStatus?
    private var stopping = false
    private var limiter: OutputRateLimiter
    private var captured = ""
    private var summary = CommandSummary()
    private var claudeEvents = ClaudeEvents()
    private var stderrTail = ""
    private var lastProgress: String?
    private let readers = DispatchGroup()
    private let events: Events

    init(id: Int64, kind: Kind, intent: Intent, configuration: ExecConfiguration, events: Events) {
        self.id = id
        self.kind = kind
        self.intent = intent
        self.configuration = configuration
        self.events = events
        self.deadline = configuration.timeout > 0 ? monotonicSeconds() + configuration.timeout : nil
        self.limiter = OutputRateLimiter(linesPerSecond: configuration.outputRate)
    }

    var isClaude: Bool {
        if case .claude = kind { return true }
        return false
    }

    var description: String {
        switch kind {
        case .shell(let command, _): return command
        case .claude(let prompt): return prompt
        }
    }

    // MARK: starting

    /// Claude Code as installed where no job can write (a `claude` a job left in the workspace's
    /// `.venv/bin` would get the API and the host network); a path given is taken as it is.
    static func claudeExecutable(_ configuration: ExecConfiguration, environment: [String: String]) throws -> String {
        let name = configuration.claudePath
        if name.contains("/") { return name }
        if let trusted = TrustedPath.shared.program(name) { return trusted }
        if let found = TrustedPath(path: environment["PATH"], writable: []).program(name) {
            throw MybroError(
                "\(name) is found only at \(found), which jobs can write: install it elsewhere, or give its path"
                    + " with --claude", status: .unavailable)
        }
        return name
    }

    static func claudeArguments(_ configuration: ExecConfiguration, session: String?, executable: String? = nil)
        -> [String]
    {
        var arguments = [
            executable ?? configuration.claudePath, "-p", "--input-format", "stream-json", "--output-format",
            "stream-json",
            "--verbose", "--permission-mode", configuration.permissionMode,
        ]
        if !configuration.allowedTools.isEmpty {
            arguments += ["--allowedTools", configuration.allowedTools.joined(separator: ",")]
        }
        if let model = configuration.claudeModel { arguments += ["--model", model] }
        // The `=` form keeps an id that starts with "-" from being read as a flag.
        if let session { arguments.append("--resume=\(session)") }
        return arguments
    }

    static func userMessage(_ prompt: String) -> String {
        JSONObject([
            "type": "user", "message": .object(JSONObject(["role": "user", "content": .string(prompt)])),
            "parent_tool_use_id": .null, "session_id": "default",
        ]).serialized()
    }

    /// The environment a job gets: mybro's, without credentials (Claude Code keeps the
    /// Anthropic ones it needs), in the workspace, with its own temporary directory.
    static func environment(
        for kind: Kind, configuration: ExecConfiguration, temporaryDirectory: String,
        base: [String: String] = ProcessInfo.processInfo.environment, access known: ToolAccess? = nil
    ) -> [String: String] {
        var environment = SecretEnvironment.withoutCredentials(base) { configuration.policy.isSecretVariable($0) }
        switch kind {
        case .claude:
            environment = SecretEnvironment.withCredentials(environment) { $0.hasPrefix("ANTHROPIC_") }
        case .shell(let command, _):
            // Only a plain call of a tool the policy names gets that tool's credentials back.
            let access = known ?? configuration.policy.access(forCommand: command, workspace: configuration.directory)
            let allowed = Set(access.variables)
            if !allowed.isEmpty {
                environment = SecretEnvironment.withCredentials(environment) { allowed.contains($0) }
            }
            environment.merge(access.environment) { _, new in new }
            // The tool given a key, or a store to write, is the installed one: not a `git` or
            // `cargo` a job left in a workspace folder on PATH.
            if !access.variables.isEmpty || !access.paths.isEmpty || !access.stores.isEmpty {
                environment["PATH"] = TrustedPath.shared.path
            }
        }
        environment["PWD"] = configuration.directory
        environment["TMPDIR"] = temporaryDirectory
        environment[ParentLifeline.variable] = nil
        if case .claude = kind {
            environment["CLAUDECODE"] = nil
            // Its install is read-only to the job (`~/.claude/local`): an update would fail halfway.
            environment["DISABLE_AUTOUPDATER"] = "1"
        }
        return environment
    }

    /// Starts the process under its keeper, confined; throws when it cannot be started.
    func start(session: String?) throws {
        let sandbox = try JobSandbox.prepare(for: kind, id: id, configuration: configuration)
        if let ruleset = sandbox.ruleset {
            Log.shared.debug(
                "job \(id): sandbox ready in \(Int((sandbox.preparationSeconds * 1000).rounded())) ms, "
                    + "\(ruleset.ruleCount) Landlock rules; private: "
                    + "\(sandbox.privateFolders?.joined(separator: " ") ?? "none"); layered: "
                    + "\(sandbox.layeredFolders?.joined(separator: " ") ?? "none")"
                    + " (\(sandbox.keptPaths?.count ?? 0) paths put back)")
            for path in ruleset.unhidden {
                Log.shared.warning("job \(id) can read \(path): it lies beneath a path jobs may write")
            }
        }
        // Also where the workspace is in no repository: one the job makes is judged like any
        // other nested one (its hooks and code-running config).
        if configuration.sandbox {
            let recorded = GitControlFiles.record(
                gitDirectory: sandbox.gitDirectory, workspace: configuration.directory,
                configIsTheJobs: sandbox.gitConfigIsTheJobs)
            gitControlFiles = recorded
            if isClaude {
                let environment = ProcessInfo.processInfo.environment
                claudeControlFiles = ClaudeControlFiles.user(
                    home: XDGDirectories.home(environment: environment), environment: environment
                ).record()
            }
            if !sandbox.gitWritesClaudeSettings {
                projectClaudeFiles = ClaudeControlFiles.project(workspace: configuration.directory).record()
            }
            // On disk too, for the next mybro-exec should this one die during the job.
            pendingPutBack = PendingPutBack.save(recorded, job: id)
            if pendingPutBack == nil {
                Log.shared.warning(
                    "job \(id): cannot keep git's control files on disk; if mybro-exec dies now, check .git")
            }
        }
        var options = ChildProcess.Options()
        options.directory = configuration.directory
        options.environment = Self.environment(
            for: kind, configuration: configuration, temporaryDirectory: sandbox.temporaryDirectory,
            access: sandbox.access)
        options.keeper = true
        options.sandbox = sandbox.ruleset
        options.maskedPaths = sandbox.maskedPaths
        options.writablePaths = sandbox.writablePaths
        options.readOnlyPaths = sandbox.readOnlyPaths
        options.privateFolders = sandbox.privateFolders
        options.keptPaths = sandbox.keptPaths
        options.layeredFolders = sandbox.layeredFolders
        options.deathMark = pendingPutBack?.descriptor
        options.ownNetwork = sandbox.ownNetwork
        options.loopbackNetwork = sandbox.loopbackNetwork
        options.stdout = .pipe
        do {
            switch kind {
            case .shell(let command, _):
                options.stdin = .null
                options.stderr = .standardOutput
                process = try ChildProcess(arguments: ["/bin/sh", "-c", command], options: options)
            case .claude(let prompt):
                options.stdin = .pipe
                options.stderr = .pipe
                if configuration.credentialProxy,
                    let proxy = try CredentialProxy.forClaude(environment: options.environment ?? [:])
                {
                    options.environment?.merge(proxy.environment) { _, new in new }
                    credentialProxy = proxy
                }
                process = try ChildProcess(
                    arguments: Self.claudeArguments(
                        configuration, session: session,
                        executable: try Self.claudeExecutable(
                            configuration, environment: options.environment ?? ProcessInfo.processInfo.environment)),
                    options: options)
                process.writeLine(Self.userMessage(prompt))
            }
        } catch {
            credentialProxy?.close()
            sandbox.cleanUp()
            if let pendingPutBack { PendingPutBack.remove(pendingPutBack) }
            pendingPutBack = nil
            throw error
        }
        self.sandbox = sandbox
    }

    /// Starts reading the job's output and watching for its end (after `job_started` is out).
    func beginWatching() {
        if let outputFD = process.stdoutFD { read(fd: outputFD, stream: isClaude ? "claude" : "output") }
        if let errorFD = process.stderrFD { read(fd: errorFD, stream: "stderr") }
        let watcher = Thread { [self] in watch() }
        watcher.name = "mybro-exec job \(id)"
        watcher.start()
    }

    private func read(fd: Int32, stream: String) {
        readers.enter()
        let thread = Thread { [self] in
            let lines = PipeLines(fd: fd, maximumLineBytes: isClaude && stream == "claude" ? 32 << 20 : 64 << 10)
            // Cheap test first: only once the leader is gone can the pipe be held by strays alone.
            while let line = lines.next(abandon: { [self] in process.keeperHasEnded && process.hasExited }) {
                handle(line: line, stream: stream)
            }
            close(fd)
            readers.leave()
        }
        thread.name = "mybro-exec job \(id) \(stream)"
        thread.start()
    }

    private func handle(line: String, stream: String) {
        var progress: [String] = []
        var turnOver = false
        lock.lock()
        captured += line + "\n"
        if captured.utf8.count > 2 * 64 * 1024 { captured = String(captured.suffix(64 * 1024)) }
        switch (kind, stream) {
        case (.claude, "claude"):
            progress = claudeEvents.observe(line)
            turnOver = claudeEvents.result != nil
        case (.claude, _):
            stderrTail = String((stderrTail + line + "\n").suffix(4096))
            progress = [line]
        default:
            summary.observe(line)
            progress = [line]
        }
        var admitted: [(String, Int)] = []
        for text in progress {
            let decision = limiter.admit()
            if decision.admitted { admitted.append((text, decision.skippedBefore)) }
        }
        if let last = progress.last { lastProgress = last }
        lock.unlock()
        for (text, skippedBefore) in admitted {
            if skippedBefore > 0 { events.skipped(self, skippedBefore) }
            events.output(self, text, stream)
        }
        if turnOver { endTurn() }
    }

    /// Claude Code's turn is over once its `result` arrives: close its stdin so it can exit,
    /// and stop it if it hangs there (some versions do).
    private func endTurn() {
        guard process.stdinOpen else { return }
        process.closeStdin()
        let grace = configuration.resultGrace
        Thread.detachNewThread { [self] in
            if process.waitForExit(until: Date(timeIntervalSinceNow: grace)) == nil { terminate(interrupt: false) }
        }
    }

    // MARK: ending

    /// Waits for the leader, then for anything it left in its group, then has the keeper end
    /// whatever is left beneath it (daemons that left the group), then reports: a job is over
    /// only once none of its processes is.
    private func watch() {
        process.waitForExit()
        if process.groupAlive {
            // The leader is gone; what is left of the group are orphans: they get no grace.
            process.signalGroup(SIGTERM)
            waitForGroup(seconds: 0.05)
            process.signalGroup(SIGKILL)
            waitForGroup(seconds: 1)
        }
        if !process.endKeeper(timeout: 5) {
            Log.shared.warning("job \(id): its keeper (pid \(process.keeperPID ?? 0)) did not end within 5 s")
        }
        readers.wait()
        credentialProxy?.close()
        sandbox?.cleanUp()
        let putBack = gitControlFiles?.restore() ?? []
        if let pendingPutBack { PendingPutBack.remove(pendingPutBack) }
        if !putBack.isEmpty {
            Log.shared.warning(
                "job \(id) changed what makes git run code (\(putBack.joined(separator: ", "))): put back as it was")
        }
        let claudePutBack = (claudeControlFiles?.restore() ?? []) + (projectClaudeFiles?.restore() ?? [])
        if !claudePutBack.isEmpty {
            Log.shared.warning(
                "job \(id) changed what Claude Code runs or trusts at its next start ("
                    + "\(claudePutBack.joined(separator: ", "))): put back as it was")
        }
        let exit = process.exitStatus
        lock.lock()
        let reason = stopReason
        let skipped = limiter.takeSkipped()
        let output = captured
        let claude = claudeEvents
        let tail = stderrTail
        let counts = summary
        lock.unlock()
        if skipped > 0 { events.skipped(self, skipped) }
        let duration = monotonicSeconds() - startedAt
        var status: JobStatus
        if let reason {
            status = reason
        } else if isClaude {
            status = claude.result.map { $0.isError ? .failed : .succeeded } ?? .failed
        } else {
            status = exit == 0 ? .succeeded : .failed
        }
        let reportedExit: Int32? = status == .timeout ? 124 : exit
        var sentence: String
        switch kind {
        case .shell(let command, let task):
            sentence = counts.sentence(
                task: task, command: command, status: status, exit: reportedExit, duration: duration)
        case .claude:
            sentence = claude.sentence(status: status, exit: reportedExit, stderrTail: tail, duration: duration)
        }
        if !putBack.isEmpty {
            sentence += " It changed git's settings or hooks, which I put back."
        }
        events.finished(
            self,
            Outcome(
                status: status, exit: reportedExit, duration: duration, sentence: sentence,
                output: output, claude: isClaude ? claude : nil))
    }

    /// Stops the job (`stopped`, or `timeout` past its deadline); returns at once.
    func stop(reason: JobStatus) {
        lock.lock()
        if stopReason == nil { stopReason = reason }
        let already = stopping
        stopping = true
        lock.unlock()
        guard !already else { return }
        Thread.detachNewThread { [self] in terminate(interrupt: true) }
    }

    /// The escalation: Claude Code's stream-json interrupt, then SIGINT, SIGTERM and SIGKILL to
    /// the whole process group, each after a short grace, until no process of it is left.
    private func terminate(interrupt: Bool) {
        if interrupt, isClaude, process.stdinOpen {
            let request = JSONObject([
                "type": "control_request",
                "request_id": .string("req_\(id)_\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"),
                "request": .object(JSONObject(["subtype": "interrupt"])),
            ])
            if process.writeLine(request.serialized()) { waitForGroup(seconds: configuration.interruptGrace) }
        }
        for signal in [SIGINT, SIGTERM, SIGKILL] {
            guard process.groupAlive else { return }
            process.signalGroup(signal)
            waitForGroup(seconds: signal == SIGKILL ? 1 : configuration.stopGrace)
        }
    }

    /// Waits until no process of the group is left, for at most `seconds`, or for at most a
    /// few milliseconds once the leader has gone (its orphans are not worth waiting for).
    private func waitForGroup(seconds: Double) {
        let start = monotonicSeconds()
        var deadline = start + seconds
        var leaderGoneSeen = false
        while process.groupAlive {
            let now = monotonicSeconds()
            if !leaderGoneSeen, process.hasExited {
                leaderGoneSeen = true
                deadline = min(deadline, now + 0.02)
            }
            if now >= deadline { return }
            usleep(1000)
        }
    }

    var elapsed: Double { monotonicSeconds() - startedAt }

    /// The latest progress line (Claude's last step, or the command's last output line).
    var latestProgress: String? {
        lock.lock()
        defer { lock.unlock() }
        return lastProgress
    }

    /// The output so far (its tail), for the history while the job runs.
    var outputSoFar: String {
        lock.lock()
        defer { lock.unlock() }
        return captured
    }
}

/// Lines from a pipe, read with poll so the reader can give up on a pipe still held open after
/// the job and its keeper are gone (only a process outside the job could hold it then).
final class PipeLines {
    let fd: Int32
    let maximumLineBytes: Int
    private var buffer: [UInt8] = []
    private var atEnd = false
    private var abandonedAt: Double?

    init(fd: Int32, maximumLineBytes: Int) {
        self.fd = fd
        self.maximumLineBytes = maximumLineBytes
    }

    /// The next line, or nil at the end. `abandon` is asked while the pipe is quiet; once it has
    /// said yes for a second, the pipe is treated as ended.
    func next(abandon: () -> Bool) -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            if buffer.count > maximumLineBytes {
                let line = String(decoding: buffer.prefix(maximumLineBytes), as: UTF8.self) + "…"
                buffer.removeAll()
                return line
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                let line = String(decoding: buffer, as: UTF8.self)
                buffer.removeAll()
                return line
            }
            guard SystemIO.waitReadable(fd, milliseconds: 100) else {
                if abandon() {
                    let now = monotonicSeconds()
                    if let since = abandonedAt, now - since > 1 {
                        atEnd = true
                    } else if abandonedAt == nil {
                        abandonedAt = now
                    }
                }
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            switch chunk.withUnsafeMutableBytes({ SystemIO.read(fd, into: $0) }) {
            case .bytes(let count): buffer.append(contentsOf: chunk[..<count])
            case .failed(EAGAIN): continue
            case .end, .stopped, .failed: atEnd = true
            }
        }
    }
}
