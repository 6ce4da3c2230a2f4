import Foundation
import MybroCore
import Synchronization

/// mybro-status beside the loop (`mybro listen --status`): fed every record on its stdin
/// through a large pipe, its controls coming back through the control FIFO. The loop never
/// waits for it: if it dies, its records are dropped.
final class StatusProcess {
    let records: OutputSink
    private let process: ChildProcess

    init(locator: CommandLocator, controlPath: String) throws {
        guard let path = locator.locate("status") else {
            throw MybroError("mybro-status is not installed beside mybro-listen or on PATH", status: .unavailable)
        }
        let link = try SystemIO.makePipe()
        _ = fcntl(link.write, 1031, 1 << 20)  // F_SETPIPE_SZ (not exported to Swift)
        _ = fcntl(link.write, F_SETFD, FD_CLOEXEC)
        var options = ChildProcess.Options()
        options.stdin = .descriptor(link.read)
        options.stdout = .null
        options.stderr = .inherit
        options.newProcessGroup = false
        var environment = ProcessInfo.processInfo.environment
        environment[ParentLifeline.variable] = String(getpid())
        options.environment = environment
        process = try ChildProcess(arguments: [path, "--control", controlPath], options: options)
        close(link.read)
        records = OutputSink(fd: link.write)
    }

    func stop() {
        close(records.fd)
        process.signal(SIGTERM)
        _ = process.waitForExit(until: Date().addingTimeInterval(3))
        if !process.hasExited { process.signal(SIGKILL) }
    }
}

/// A pipe that a relay and the control channel both write whole lines to; closed once, under
/// the same lock, so no write can reach a descriptor number that was closed and reused.
final class SharedDestination: Sendable {
    private let sink: OutputSink
    private let open = Mutex(true)

    init(sink: OutputSink) { self.sink = sink }

    func write(_ line: String) {
        open.withLock { isOpen in
            if isOpen { try? sink.write(line: line) }
        }
    }

    func close() {
        open.withLock { isOpen in
            if isOpen { Foundation.close(sink.fd) }
            isOpen = false
        }
    }
}
