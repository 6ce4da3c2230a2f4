import Foundation
import MybroCore
import MybroStore
import Synchronization

/// The `mybro-exec` filter: runs the jobs that `intent` records ask for, one at a time, under
/// the safety policy; forwards every other record unchanged and in order.
///
/// A reader thread takes records as they come, so `stop` and `status` act at once while a job
/// runs; other intents wait their turn in order.
///
/// `@unchecked Sendable`: the queue, the running job and the pending question are guarded by
/// `state` (an NSCondition); the fatal error by `fatalLock`; the rest is set in `init`.
public final class ExecSupervisor: @unchecked Sendable {
    let configuration: ExecConfiguration
    let output: OutputSink
    let log: Log
    /// Writes the job history off the control path: nothing here waits for the database.
    let history: HistoryWriter?
    /// Undo's snapshots of the workspace; nil when undo is off.
    let snapshots: WorkspaceSnapshots?

    private let state = NSCondition()
    private var queue: [Intent] = []
    private var current: Job?
    private var pending: (intent: Intent, kind: Job.Kind, deadline: Double)?
    private var inputEnded = false
    /// What ends the run early (downstream gone, bad input under --strict). Guarded by its own
    /// lock: `emit` runs both with and without `state` held, and NSCondition is not recursive.
    private var fatalFailure: Error?
    private let fatalLock = NSLock()
    private var fatal: Error? {
        fatalLock.lock()
        defer { fatalLock.unlock() }
        return fatalFailure
    }

    private func fail(_ error: Error) {
        fatalLock.lock()
        if fatalFailure == nil { fatalFailure = error }
        fatalLock.unlock()
    }
    private var session: String?
    private var nextLocalID: Int64 = 1
    private var lastFailure: Int32?
    private var lastHistorySave = monotonicSeconds()
    /// Jobs finished in this run, for history questions (ExecSupervisor+History.swift); written
    /// on job threads, read on the reader thread.
    private let finished = Mutex<[JobEntry]>([])
    var finishedJobs: [JobEntry] { finished.withLock { $0 } }
    func appendFinished(_ entry: JobEntry, keeping limit: Int) {
        finished.withLock { jobs in
            jobs.append(entry)
            if jobs.count > limit { jobs.removeFirst(jobs.count - limit) }
        }
    }
    /// The running job; read with `state` locked.
    var runningJob: Job? { current }

    public init(configuration: ExecConfiguration, output: OutputSink = .standardOutput, log: Log = .shared) throws {
        TrustedPath.setShared(for: configuration, environment: ProcessInfo.processInfo.environment)
        self.configuration = configuration
        self.output = output
        self.log = log
        self.session = configuration.resumeSession
        self.snapshots = configuration.undoDirectory.map {
            WorkspaceSnapshots(workspace: configuration.directory, undoDirectory: $0, limits: configuration.undoLimits)
        }
        // Opened, migrated and recovered on the writer's own thread: a locked database never
        // holds up the start.
        history = configuration.historyPath.map { HistoryWriter(path: $0, log: log) }
    }

    /// Runs until the input ends and the last job is done; returns the exit status for the
    /// command: 0, or the last job's failing status (124 timeout, 128+N signal, …).
    public func run(fd: Int32 = 0) throws -> Int32 {
        // What the machine allows jobs (namespaces, read-only mounts) is probed once, by starting
        // a process; do it now, so the first job does not wait for it.
        let sandboxed = configuration.sandbox && JobSandbox.isAvailable
        Thread.detachNewThread { [log] in
            if sandboxed {
                let isolation = ChildProcess.availableIsolation
                if !isolation.contains(.privateProc) || !isolation.contains(.readOnlySystem) {
                    log.warning(
                        "jobs get no PID or mount namespace of their own here (user namespaces refused?): "
                            + "they can see other processes and change file modes outside the workspace")
                }
            }
        }
        // Git's control files as they were before the jobs of a mybro-exec that died mid-job.
        for line in PendingPutBack.replay() {
            log.warning("a mybro-exec was killed during a job that changed what makes git run code: \(line)")
        }
        // The temporary directories a killed mybro-exec left (one directory listing).
        let removed = JobSandbox.removeAbandonedTemporaryDirectories()
        if removed > 0 { log.info("removed \(removed) temporary directories of jobs whose mybro-exec was killed") }
        let reader = Thread { [self] in readInput(fd: fd) }
        reader.name = "mybro-exec reader"
        reader.start()
        // Last (after `state` is unlocked): wait, bounded, for the history's queue; spill the rest.
        defer { history?.close(timeout: configuration.historyDrainTimeout) }

        state.lock()
        defer { state.unlock() }
        while true {
            if let fatal {
                // Downstream gone or bad input under --strict: end the job (all of its group) first.
                current?.stop(reason: .stopped)
                let deadline = Date(timeIntervalSinceNow: 3)
                while current != nil, state.wait(until: deadline) {}
                throw fatal
            }
            if Signals.stopRequested {
                // Stop the job and wait until it has reported its end: by then its whole group is gone.
                stopEverything(sayIt: false)
                let deadline = Date(timeIntervalSinceNow: 3)
                while current != nil, state.wait(until: deadline) {}
                return 0
            }
            let now = monotonicSeconds()
            if let job = current, let deadline = job.deadline, now >= deadline {
                job.stop(reason: .timeout)
            }
            // Keep the running job's output in the history, so a crash loses at most a few seconds of it.
            if let job = current, now - lastHistorySave >= 2 {
                lastHistorySave = now
                history?.jobOutput(id: job.id, output: job.outputSoFar)
            }
            if let waiting = pending {
                if inputEnded {
                    pending = nil
                    emitSay("No answer came, so I did not run \(spoken(waiting.kind)).")
                    recordRefusal(waiting.intent, waiting.kind, status: "unconfirmed")
                } else if now >= waiting.deadline {
                    pending = nil
                    emitSay("No answer, so I did not run \(spoken(waiting.kind)).")
                    recordRefusal(waiting.intent, waiting.kind, status: "unconfirmed")
                }
            }
            if current == nil, pending == nil, !queue.isEmpty {
                begin(queue.removeFirst())
                continue
            }
            if inputEnded, current == nil, pending == nil, queue.isEmpty {
                return lastFailure ?? 0
            }
            _ = state.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
    }

    // MARK: input

    private func readInput(fd: Int32) {
        let reader = RecordReader(fd: fd, acceptsText: false, strict: configuration.strict)
        do {
            while let input = try reader.next() {
                guard case .record(let record) = input else { continue }
                if record.type == RecordType.intent {
                    try handle(intentRecord: record)
                } else {
                    try output.write(record: SecretRedaction.redact(record))
                }
            }
        } catch {
            fail(error)
            return
        }
        state.lock()
        inputEnded = true
        state.broadcast()
        state.unlock()
    }

    private func handle(intentRecord record: Record) throws {
        let intent: Intent
        switch Intent.parse(record) {
        case .success(let parsed): intent = parsed
        case .failure(let error):
            if configuration.strict { throw MybroError(error.reason + " (stopping: --strict)", status: .dataError) }
            log.warning(error.reason + "; skipped")
            return
        }
        state.lock()
        defer {
            state.broadcast()
            state.unlock()
        }
        switch intent.action {
        case .stop:
            stopEverything(sayIt: true)
        case .status:
            // "What is the status of the build" with no build running: how the last one went.
            if let task = intent.task, !isRunning(task) {
                emitSay(historySentence(task: task))
            } else {
                emitSay(statusSentence())
            }
        case .history:
            emitSay(isRunning(intent.task) ? statusSentence() : historySentence(task: intent.task))
        case .ask:
            // mybro-intent wrote the question as a `say` record itself, and keeps the guess.
            log.debug("mybro-intent asked: \(intent.text ?? "")")
        case .confirm, .deny:
            guard let waiting = pending else {
                log.info("heard \(intent.action.rawValue), but nothing is waiting for an answer")
                return
            }
            pending = nil
            if intent.action == .confirm {
                launch(waiting.intent, waiting.kind)
            } else {
                emitSay("OK, I will not run \(spoken(waiting.kind)).")
                recordRefusal(waiting.intent, waiting.kind, status: "declined")
            }
        case .none:
            log.debug("nothing to do for \"\(intent.transcript)\"")
        case .code, .run, .answer, .undo:
            queue.append(intent)
            if current == nil && pending == nil && queue.count == 1 {
                // Start it here, not on the next turn of the main loop: a "yes" right behind a
                // command that needs one must find the question already asked.
                begin(queue.removeFirst())
            } else {
                log.debug("queued \(intent.action.rawValue): busy")
            }
        }
    }

    // MARK: jobs (called with `state` locked)

    private func begin(_ intent: Intent) {
        switch intent.action {
        case .answer:
            emitSay(intent.text ?? "")
        case .undo:
            undo(intent)
        case .run:
            var command = intent.command
            if command == nil, let task = intent.task {
                command = ProjectTasks.command(for: task, mode: intent.mode, in: configuration.directory)
                if command == nil {
                    emitSay("I don't know how to run \(CommandSummary.spokenName(task: task, command: "")) here.")
                    return
                }
            }
            guard let command else { return }
            let kind = Job.Kind.shell(command: command, task: intent.command == nil ? intent.task : nil)
            // The project's own task commands were found by us, not heard: they need no yes.
            let verdict =
                intent.command == nil
                ? .allow : configuration.policy.evaluate(command: command, workspace: configuration.directory)
            decide(intent, kind, verdict)
        case .code:
            let prompt = intent.prompt ?? ""
            decide(
                intent, .claude(prompt: prompt),
                configuration.policy.evaluate(prompt: prompt, workspace: configuration.directory))
        default:
            break
        }
    }

    private func decide(_ intent: Intent, _ kind: Job.Kind, _ verdict: PolicyVerdict) {
        switch verdict {
        case .allow:
            launch(intent, kind)
        case .deny(let reason):
            log.warning("refused \(logged(kind)): \(reason)")
            if reason.hasPrefix(SafetyPolicy.tooLongToJudge) {
                emitSay("I won't run that: it is too long to judge safely.")
            } else if reason.hasPrefix(SafetyPolicy.controlCharacter) {
                emitSay("I won't run that: it holds a control character, which the shell would read differently.")
            } else {
                emitSay("I won't run that: \(spoken(kind)) is on the deny list.")
            }
            recordRefusal(intent, kind, status: "refused")
        case .confirm(let reason):
            log.info("asking before \(logged(kind)): \(reason)")
            pending = (intent, kind, monotonicSeconds() + configuration.confirmTimeout)
            var question: String
            // A paid GPU rental names its price and cap before the yes (mybro-gpu offers, bounded).
            var quote: GPUQuote?
            if case .shell(let command, _) = kind,
                let arguments = GPUQuote.paidLaunch(
                    command, policy: configuration.policy, workspace: configuration.directory)
            {
                quote = GPUQuote.quote(
                    arguments: arguments,
                    environment: Job.environment(
                        for: kind, configuration: configuration, temporaryDirectory: NSTemporaryDirectory()))
            }
            switch kind {
            case .shell(let command, _):
                let grant = configuration.policy.grantWarning(forCommand: command, workspace: configuration.directory)
                question =
                    "Should I run \(CommandSummary.clip(command, 80))? \(grant.map { $0 + " " } ?? "")Say yes or no."
            case .claude(let prompt):
                question = "Should I ask Claude to \(CommandSummary.clip(prompt, 80))? Say yes or no."
            }
            var fields = JSONObject()
            fields["text"] = .string(question)
            switch kind {
            case .shell(let command, _): fields["command"] = .string(command)
            case .claude(let prompt): fields["prompt"] = .string(prompt)
            }
            if let quote {
                question = quote.sentence
                fields["text"] = .string(question)
                for (name, value) in quote.fields { fields[name] = value }
            }
            fields["reason"] = .string(reason)
            fields["timeout"] = .number(configuration.confirmTimeout)
            emit(Record(type: RecordType.confirm, fields: fields))
            emitSay(question)
        }
    }

    private func launch(_ intent: Intent, _ kind: Job.Kind) {
        // From the history's id sequence (a file, not the database): known at once, never reused.
        let id = history?.newJobID() ?? nextLocalID
        nextLocalID = id + 1
        let events = Job.Events(
            output: { [weak self] job, text, stream in self?.jobOutput(job, text: text, stream: stream) },
            skipped: { [weak self] job, count in self?.jobSkipped(job, count: count) },
            finished: { [weak self] job, outcome in self?.jobFinished(job, outcome) })
        let job = Job(id: id, kind: kind, intent: intent, configuration: configuration, events: events)
        snapshotBeforeJob(id: id, kind: kind)
        do {
            try job.start(session: session)
        } catch {
            let message = (error as? MybroError)?.message ?? "\(error)"
            log.error(message)
            var fields = JSONObject()
            fields["job"] = .number(Double(id))
            fields["status"] = .string(JobStatus.error.rawValue)
            fields["exit"] = .number(127)
            fields["duration"] = .number(0)
            fields["error"] = .string(message)
            emit(Record(type: RecordType.jobDone, fields: fields))
            emitSay(job.isClaude ? "Could not start Claude Code: \(message)." : "Could not run \(spoken(kind)).")
            recordStart(intent, kind, id: id, processGroup: nil, keeper: nil)
            history?.jobFinished(id: id, status: JobStatus.error.rawValue, exitCode: 127, output: message)
            lastFailure = 127
            return
        }
        recordStart(intent, kind, id: id, processGroup: job.process.pid, keeper: job.process.keeperPID)
        // Give the writer a moment to put the job's row down, so a SIGKILL right after job_started
        // still leaves it in the history; a locked database costs this wait and no more. The row
        // takes about a millisecond, the first open of a new history (created and migrated) far
        // more on a loaded machine: 50 ms lost the job there.
        history?.waitUntilWritten(timeout: 0.25)
        current = job
        var fields = JSONObject()
        fields["job"] = .number(Double(id))
        fields["action"] = .string(intent.action.rawValue)
        switch kind {
        case .shell(let command, let task):
            fields["command"] = .string(command)
            if let task { fields["task"] = .string(task.rawValue) }
        case .claude(let prompt):
            fields["prompt"] = .string(prompt)
            if let session { fields["resume"] = .string(session) }
        }
        fields["cwd"] = .string(configuration.directory)
        fields["pid"] = .number(Double(job.process.pid))
        fields["sandbox"] = .string(job.sandbox?.ruleset == nil ? "none" : "landlock")
        if !intent.transcript.isEmpty { fields["transcript"] = .string(intent.transcript) }
        emit(Record(type: RecordType.jobStarted, fields: fields))
        job.beginWatching()
    }

    private func stopEverything(sayIt: Bool) {
        let dropped = queue.count
        queue.removeAll()
        if let waiting = pending {
            pending = nil
            recordRefusal(waiting.intent, waiting.kind, status: "declined")
        }
        emit(Record(type: RecordType.interrupt, ["reason": "stop"]))
        if let job = current {
            job.stop(reason: .stopped)
        } else if sayIt && dropped > 0 {
            emitSay("Cancelled.")
        }
    }

    private func statusSentence() -> String {
        var sentence: String
        if let job = current {
            let seconds = Int(job.elapsed.rounded())
            sentence =
                job.isClaude
                ? "Claude has been working for \(seconds) seconds."
                : "Running \(spoken(job.kind)) for \(seconds) seconds."
            if job.isClaude, let step = job.latestProgress {
                sentence += " Last step: \(CommandSummary.clip(step, 80))."
            }
        } else if let waiting = pending {
            sentence = "Waiting for your yes or no to run \(spoken(waiting.kind))."
        } else {
            sentence = "Nothing is running."
        }
        if !queue.isEmpty { sentence += " \(queue.count) more waiting." }
        return sentence
    }

    // MARK: job events (called on job threads)

    private func jobOutput(_ job: Job, text: String, stream: String) {
        var fields = JSONObject()
        fields["job"] = .number(Double(job.id))
        fields["stream"] = .string(stream)
        fields["text"] = .string(text)
        emit(Record(type: RecordType.jobOutput, fields: fields))
    }

    private func jobSkipped(_ job: Job, count: Int) {
        var fields = JSONObject()
        fields["job"] = .number(Double(job.id))
        fields["skipped"] = .number(Double(count))
        fields["text"] = .string("[\(count) lines not shown]")
        emit(Record(type: RecordType.jobOutput, fields: fields))
    }

    private func jobFinished(_ job: Job, _ outcome: Job.Outcome) {
        var fields = JSONObject()
        fields["job"] = .number(Double(job.id))
        fields["status"] = .string(outcome.status.rawValue)
        fields["exit"] = outcome.exit.map { .number(Double($0)) } ?? .null
        fields["duration"] = .number((outcome.duration * 1000).rounded() / 1000)
        fields["summary"] = .string(outcome.sentence)
        if let claude = outcome.claude {
            if let id = claude.sessionID { fields["session_id"] = .string(id) }
            if let cost = claude.result?.costUSD { fields["cost_usd"] = .number(cost) }
            if let turns = claude.result?.turns { fields["turns"] = .number(Double(turns)) }
            fields["files_changed"] = .array(claude.changedFiles.map { .string($0) })
        }
        emit(Record(type: RecordType.jobDone, fields: fields))
        emitSay(outcome.sentence, job: job.id)
        rememberFinished(job, outcome)
        history?.jobFinished(
            id: job.id, status: outcome.status.rawValue, exitCode: outcome.exit.map(Int.init), output: outcome.output)
        state.lock()
        if let id = outcome.claude?.sessionID { session = id }
        // A job stopped on request is not a failure of the pipeline.
        lastFailure = outcome.status == .succeeded || outcome.status == .stopped ? nil : (outcome.exit ?? 1)
        if current === job { current = nil }
        state.broadcast()
        state.unlock()
    }

    // MARK: output

    /// Every record leaves with the credentials in it hidden: a job's output, the command a
    /// confirmation repeats, a spoken summary.
    private func emit(_ record: Record) {
        do {
            try output.write(record: SecretRedaction.redact(record))
        } catch {
            // The main loop notices within its 50 ms tick.
            fail(error)
        }
    }

    private func emitSay(_ text: String, job: Int64? = nil) {
        var fields = JSONObject()
        fields["text"] = .string(text)
        if let job { fields["job"] = .number(Double(job)) }
        emit(Record(type: RecordType.say, fields: fields))
    }

    private func recordRefusal(_ intent: Intent, _ kind: Job.Kind, status: String) {
        history?.jobNotRun(
            action: intent.action.rawValue, transcript: intent.transcript, command: describe(kind),
            directory: configuration.directory, status: status)
    }

    private func recordStart(_ intent: Intent, _ kind: Job.Kind, id: Int64, processGroup: Int32?, keeper: Int32?) {
        history?.jobStarted(
            id: id, action: intent.action.rawValue, transcript: intent.transcript, command: describe(kind),
            directory: configuration.directory, processGroup: processGroup, keeperPID: keeper)
    }

    private func describe(_ kind: Job.Kind) -> String {
        switch kind {
        case .shell(let command, _): return command
        case .claude(let prompt): return prompt
        }
    }

    /// The command or prompt for a log line: one line, cut at 200 characters.
    private func logged(_ kind: Job.Kind) -> String {
        // A log line holds no control character of the command's (a NUL, an escape sequence).
        let text = String(
            String.UnicodeScalarView(
                describe(kind).unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
        return text.count > 200 ? text.prefix(199) + "…" : text
    }

    private func spoken(_ kind: Job.Kind) -> String {
        switch kind {
        case .shell(let command, let task): return CommandSummary.spokenName(task: task, command: command)
        case .claude(let prompt): return "Claude's task, \(CommandSummary.clip(prompt, 60))"
        }
    }
}

// MARK: undo (called with `state` locked; the git work takes milliseconds to a second or so)

extension ExecSupervisor {
    /// Snapshots the workspace before a job that may change files. A failed snapshot does not
    /// stop the job: its undo is marked unavailable, with the reason.
    fileprivate func snapshotBeforeJob(id: Int64, kind: Job.Kind) {
        guard let snapshots, mayChangeFiles(kind) else { return }
        let started = monotonicSeconds()
        switch snapshots.snapshot(job: id, description: spoken(kind)) {
        case .saved(_, let skipped):
            log.debug("snapshot before job \(id) took \(Int((monotonicSeconds() - started) * 1000)) ms")
            if !skipped.isEmpty {
                log.warning(
                    "job \(id): undo will not cover \(skipped.count) file(s) over the size limit: "
                        + skipped.prefix(5).joined(separator: ", "))
            }
        case .unavailable(let reason):
            log.warning("job \(id) cannot be undone: \(reason)")
        }
    }

    /// Whether a job may change files. Every job, for now: the safety policy will name the
    /// read-only ones.
    /// A command the policy knows changes no file (git status, ls, rg …) needs no snapshot;
    /// Claude Code always might.
    fileprivate func mayChangeFiles(_ kind: Job.Kind) -> Bool {
        guard case .shell(let command, _) = kind else { return true }
        return !configuration.policy.isReadOnly(command: command, workspace: configuration.directory)
    }

    fileprivate func undo(_ intent: Intent) {
        guard let snapshots else {
            emitSay("Undo is off: mybro-exec keeps no snapshots.")
            return
        }
        let outcome = snapshots.undo(job: intent.job.map(Int64.init))
        if outcome.status == .unavailable { log.warning(outcome.sentence) }
        for record in outcome.records { emit(record) }
    }
}
