import Foundation
import MybroCore

/// `mybro-gpu run`: pick, provision, wait, upload, run over SSH (output as `job_output`
/// records), fetch, tear down. Teardown happens on every way out that this process lives
/// through: success, failure, SIGINT/SIGTERM/SIGHUP, a lost SSH connection, the budget spent
/// and the TTL reached. For the one it cannot (kill -9), the ledger and `reap` take over, and
/// Shadeform's own auto_delete is the last net.
public struct RemoteJob: Sendable {
    public var command: [String]
    public var uploads: [String] = []
    public var fetches: [String] = []
    public var fetchDirectory = "."
    /// The remote working folder (relative paths are under the remote home).
    public var remoteDirectory = "mybro-work"

    public init(command: [String]) { self.command = command }

    /// One argument is a shell command line as typed; several are words, quoted one by one.
    public var remoteCommandLine: String {
        let line = command.count == 1 ? command[0] : command.map(SSHSession.quoted).joined(separator: " ")
        return "mkdir -p \(SSHSession.quoted(remoteDirectory)) && cd \(SSHSession.quoted(remoteDirectory)) && \(line)"
    }

    /// What ended the job, when it was not the remote command itself.
    enum Cutoff: String {
        case signal, ttl, budget, sshLost = "ssh_lost", gone
    }

    /// Runs the whole lifecycle; the remote command's exit status (or the status a cut-off
    /// maps to: 128+N after signal N, 124 past the TTL, 75 over budget, 69 for a lost connection).
    public func run(broker: Broker, ranked: [Offer], settings: LaunchSettings) throws -> Int32 {
        var settings = settings
        settings.detached = false
        settings.waitForSSH = true
        let launched: LaunchedInstance
        do {
            guard let instance = try broker.launch(ranked: ranked, settings: settings) else { return 0 }
            launched = instance
        } catch is StoppedBySignal {
            return 128 + (Signals.stopSignalNumber ?? SIGTERM)
        }
        try broker.output.write(record: launched.record)
        let name = launched.entry.name
        let id = launched.instance.id
        let session = broker.session(for: launched.instance, host: launched.instance.ip ?? "")
        var status: Int32 = 0
        var failure: Error?
        CrashPoint.ready.reach()
        do {
            if !uploads.isEmpty {
                Log.shared.info("uploading \(uploads.joined(separator: " "))")
                try session.upload(uploads, to: remoteDirectory)
            }
            let outcome = try execute(session: session, broker: broker, launched: launched, settings: settings)
            try? broker.ledger.recordEvent(name: name, kind: "job", detail: "ended: \(outcome.describe)")
            status = outcome.status
            if outcome.cutoff == nil || outcome.cutoff == .ttl || outcome.cutoff == .budget, !fetches.isEmpty,
                !Signals.stopRequested
            {
                do {
                    try session.fetch(fetches, from: remoteDirectory, to: fetchDirectory)
                } catch {
                    Log.shared.error("\(error)")
                    if status == 0 { status = ExitStatus.ioError.rawValue }
                }
            }
            if let cutoff = outcome.cutoff {
                Log.shared.error("\(name): \(cutoff.message)")
            }
        } catch {
            failure = error
        }
        CrashPoint.teardown.reach()
        // Teardown, whatever happened above; a failed delete is retried by the client and,
        // failing that, left to reap (the ledger still says "deleting").
        try broker.tearDown(name: name, instanceID: id, reason: failure == nil ? "job done" : "job failed")
        if let entry = try? broker.ledger.launch(name: name) {
            Log.shared.info("\(name): cost $\(Money.dollars(entry.costCents))")
        }
        if let failure { throw failure }
        try broker.output.write(
            record: Record(
                type: RecordType.jobDone,
                fields: JSONObject([
                    "instance": .string(name), "status": .string(status == 0 ? "succeeded" : "failed"),
                    "exit": .number(Double(status)),
                ])))
        return status
    }

    struct Outcome {
        var status: Int32
        var cutoff: Cutoff?
        var describe: String { cutoff.map { "\($0.rawValue), status \(status)" } ?? "exit \(status)" }
    }

    private func execute(session: SSHSession, broker: Broker, launched: LaunchedInstance, settings: LaunchSettings)
        throws -> Outcome
    {
        let name = launched.entry.name
        let child = try session.start(remoteCommandLine)
        try broker.ledger.recordEvent(name: name, kind: "job", detail: "started: \(command.joined(separator: " "))")
        CrashPoint.running.reach()
        let readers = DispatchGroup()
        let sink = broker.output
        for (fd, stream) in [(child.stdoutFD!, "output"), (child.stderrFD!, "stderr")] {
            readers.enter()
            let thread = Thread {
                OutputLines.forward(fd: fd, stream: stream, instance: name, sink: sink)
                readers.leave()
            }
            thread.name = "mybro-gpu \(stream)"
            thread.start()
        }
        var cutoff: Cutoff?
        var lastCost: Int?
        var nextCheck = Date()
        while child.waitForExit(until: Date(timeIntervalSinceNow: 0.1)) == nil {
            if Signals.stopRequested {
                cutoff = .signal
                break
            }
            if Date() >= launched.entry.deadline {
                cutoff = .ttl
                break
            }
            guard Date() >= nextCheck else { continue }
            nextCheck = Date(timeIntervalSinceNow: settings.pollInterval)
            // The bill so far: Shadeform's estimate, and never less than the price times the
            // time since the instance became active.
            let info = try? broker.client.instance(id: launched.instance.id)
            if info == nil || InstanceStatus.isGone(info?.status ?? "") {
                // nil from a failed read is not proof: only a definite answer cuts the job.
                if let gone = try? broker.client.instance(id: launched.instance.id, cancellable: false),
                    !InstanceStatus.isGone(gone.status)
                {
                    continue
                }
                cutoff = .gone
                break
            }
            let byTime = Money.cost(
                hourlyCents: launched.offer.hourlyCents, seconds: Int(Date().timeIntervalSince(launched.activeSince)))
            let spent = max(info?.costCents ?? 0, byTime)
            if let cents = info?.costCents, cents != lastCost {
                lastCost = cents
                try? broker.ledger.recordCost(name: name, cents: cents, final: false, source: "while running")
            }
            if spent >= launched.entry.budgetCents {
                cutoff = .budget
                break
            }
        }
        if cutoff != nil {
            child.signalGroup(SIGTERM)
            if child.waitForExit(until: Date(timeIntervalSinceNow: 2)) == nil { child.signalGroup(SIGKILL) }
        }
        let status = child.waitForExit() ?? 255
        readers.wait()
        if let cutoff {
            return Outcome(status: cutoff.status, cutoff: cutoff)
        }
        // 255 is ssh's own failure as well as a remote status: ask again to tell them apart.
        if status == 255 && !session.answers() {
            return Outcome(status: Cutoff.sshLost.status, cutoff: .sshLost)
        }
        return Outcome(status: status, cutoff: nil)
    }
}

extension RemoteJob.Cutoff {
    var status: Int32 {
        switch self {
        case .signal: 128 + (Signals.stopSignalNumber ?? SIGTERM)
        case .ttl: 124
        case .budget: ExitStatus.temporaryFailure.rawValue
        case .sshLost, .gone: ExitStatus.unavailable.rawValue
        }
    }

    var message: String {
        switch self {
        case .signal: "stopped by a signal; the instance is torn down"
        case .ttl: "the TTL ran out; the instance is torn down"
        case .budget: "the budget is spent; the instance is torn down"
        case .sshLost: "lost the SSH connection; the instance is torn down"
        case .gone: "the instance went away (deleted or preempted)"
        }
    }
}

/// Turns a stream of bytes into `job_output` records, one per line.
enum OutputLines {
    static let maximumLine = 16384

    static func forward(fd: Int32, stream: String, instance: String, sink: OutputSink) {
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16384)
        func emit(_ bytes: ArraySlice<UInt8>) {
            let record = Record(
                type: RecordType.jobOutput,
                fields: JSONObject([
                    "instance": .string(instance), "stream": .string(stream),
                    "text": .string(String(decoding: bytes, as: UTF8.self)),
                ]))
            // A closed stdout must not stop the drain, or the remote command would block.
            try? sink.write(record: record)
        }
        while case .bytes(let count) = buffer.withUnsafeMutableBytes({ SystemIO.read(fd, into: $0) }) {
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: 0x0A) {
                emit(pending[..<newline])
                pending.removeSubrange(...newline)
            }
            while pending.count >= maximumLine {
                emit(pending[..<maximumLine])
                pending.removeSubrange(..<maximumLine)
            }
        }
        if !pending.isEmpty { emit(pending[...]) }
        close(fd)
    }
}
