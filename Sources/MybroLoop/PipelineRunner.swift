import Foundation
import MybroCore

/// Runs the loop's stages as one pipeline: pipes between them, JSON links relayed so every
/// record can be logged and shown, and a clean stop on SIGINT/SIGTERM (each stage gets
/// SIGINT, then SIGTERM, then SIGKILL if it lingers), so no process outlives `mybro listen`.
public final class PipelineRunner {
    public let stages: [PipelineStage]
    private let locator: CommandLocator
    private let eventsPath: String?
    private let controlPath: String?
    private let startsStatus: Bool

    /// `controlPath`: a FIFO to merge control records from (`--control`); `startsStatus`:
    /// run mybro-status beside the loop, fed every record, its controls through the FIFO.
    public init(
        stages: [PipelineStage], locator: CommandLocator, eventsPath: String?, controlPath: String? = nil,
        startsStatus: Bool = false
    ) {
        self.stages = stages
        self.locator = locator
        self.eventsPath = eventsPath
        self.controlPath = controlPath
        self.startsStatus = startsStatus
    }

    /// Runs until every stage has ended; returns the pipeline's status (the first failing
    /// stage's, like `set -o pipefail`).
    public func run() throws -> Int32 {
        let paths = try stages.map { stage -> String in
            let name = String(stage.command.dropFirst("mybro-".count))
            guard let path = locator.locate(name) else {
                throw MybroError(
                    "\(stage.command) is not installed beside mybro-listen or on PATH", status: .unavailable)
            }
            return path
        }
        // "-" sends every record to stdout, where the last stage's records would go anyway.
        let eventsOnStdout = eventsPath == "-"
        let events = try eventsPath.map { try OutputSink.create(path: $0) }
        let statusLine = StatusLine()
        statusLine?.show(LoopStatus.initial)
        var controlPath = self.controlPath
        var temporaryDirectory: String?
        if startsStatus && controlPath == nil {
            var template = Array((NSTemporaryDirectory() + "/mybro-control.XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else {
                throw MybroError("cannot make a directory for the control FIFO", status: .ioError)
            }
            temporaryDirectory = String(cString: made)
            controlPath = temporaryDirectory! + "/control"
        }
        let control = try controlPath.map { try ControlReader(path: $0) }
        defer {
            control?.finish()
            if let temporaryDirectory { rmdir(temporaryDirectory) }
        }
        let status = try startsStatus ? StatusProcess(locator: locator, controlPath: controlPath!) : nil
        defer { status?.stop() }
        let log = EventLog(file: events, statusLine: statusLine, statusSink: status?.records)
        var forwardControl: @Sendable (String) -> Void = { _ in }
        var intentLink = 0
        var speechLink = 0

        var processes: [StageProcess] = []
        var relays: [RecordRelay] = []
        var nextInput: Int32 = 0
        for (index, stage) in stages.enumerated() {
            let isLast = index == stages.count - 1
            let link = try SystemIO.makePipe()
            let process: StageProcess
            do {
                process = try StageProcess(stage: stage, path: paths[index], stdin: nextInput, stdout: link.write)
            } catch {
                processes.forEach { $0.signal(SIGTERM) }
                throw error
            }
            processes.append(process)
            close(link.write)
            if nextInput != 0 { close(nextInput) }
            if !stage.writesRecords {
                nextInput = link.read  // audio goes straight to the next stage
                continue
            }
            let destination: OutputSink
            if isLast {
                destination = eventsOnStdout ? try OutputSink.create(path: "/dev/null") : OutputSink.standardOutput
            } else {
                let forward = try SystemIO.makePipe()
                destination = OutputSink(fd: forward.write)
                nextInput = forward.read
            }
            var admit: (String) -> Bool = { _ in true }
            var closeDestination: (() -> Void)?
            if let control, stage.command == "mybro-vad" {
                speechLink = index
                admit = { !(control.muted.load(ordering: .relaxed) && ControlReader.isSpeech($0)) }
            }
            if control != nil, stage.command == "mybro-intent" {
                // mybro-exec's input: the control channel writes here too, one whole line at a time.
                intentLink = index
                let gate = SharedDestination(sink: destination)
                forwardControl = { gate.write($0) }
                closeDestination = { gate.close() }
            }
            let relay = RecordRelay(
                index: index, source: link.read, destination: destination, closesDestination: !isLast,
                observe: { log.observe(link: $0, line: $1) }, admit: admit, closeDestination: closeDestination)
            relays.append(relay)
            relay.start()
        }

        if let control {
            let forward = forwardControl
            let (intents, speech) = (intentLink, speechLink)
            control.run(forward: forward) { line in
                log.observe(link: line.contains("\"mute\"") ? speech : intents, line: line)
            }
        }

        let stopSignal = supervise(processes, relays: relays)
        relays.forEach { $0.wait() }
        statusLine?.finish()
        if let events, !eventsOnStdout { close(events.fd) }
        if let stopSignal { return 128 + stopSignal }
        if relays.last?.destinationClosed == true { return 0 }  // our reader went away
        for (stage, process) in zip(stages, processes) {
            if let status = process.exitStatus, status != 0, status != 128 + SIGPIPE {
                return Self.loopStatus(command: stage.command, status: status)
            }
        }
        return 0
    }

    /// The loop's status for a stage's: a status of the toolkit's table stays (the first stage
    /// that failed, as with `set -o pipefail`); mybro-exec passes a failed job's status through,
    /// which becomes 1 (the last job failed); a stage that died otherwise (a signal) is 70.
    public static func loopStatus(command: String, status: Int32) -> Int32 {
        if status == 0 { return 0 }
        if (64...78).contains(status) { return status }
        if command == "mybro-exec" { return ExitStatus.negative.rawValue }
        return ExitStatus.software.rawValue
    }

    /// Waits for the stages; on a stop signal, or when mybro's own output closes, stops them.
    private func supervise(_ processes: [StageProcess], relays: [RecordRelay]) -> Int32? {
        var stopping: (signal: Int32, since: Date)?
        var escalation = [SIGINT, SIGTERM, SIGKILL]
        while processes.contains(where: { !$0.poll() }) {
            if stopping == nil {
                if let signal = Signals.stopSignalNumber {
                    stopping = (signal, .distantPast)
                } else if relays.last?.destinationClosed == true {
                    stopping = (0, .distantPast)
                }
            }
            if let current = stopping, Date().timeIntervalSince(current.since) > 1.5, !escalation.isEmpty {
                let signal = escalation.removeFirst()
                processes.forEach { $0.signal(signal) }
                stopping = (current.signal, Date())
            }
            usleep(10_000)
        }
        guard let stopping, stopping.signal != 0 else { return nil }
        return stopping.signal
    }
}
