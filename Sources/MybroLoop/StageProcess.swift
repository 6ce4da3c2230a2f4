import Foundation
import MybroCore

/// A pipeline stage started with posix_spawn, in mybro's own process group, so a Ctrl-C
/// on the terminal reaches every stage at once.
final class StageProcess {
    let stage: PipelineStage
    let pid: pid_t
    private(set) var exitStatus: Int32?

    /// Starts `path` with `stdin`/`stdout` as its standard input and output (stderr is shared).
    init(stage: PipelineStage, path: String, stdin: Int32, stdout: Int32) throws {
        self.stage = stage
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdin != 0 { posix_spawn_file_actions_adddup2(&actions, stdin, 0) }
        if stdout != 1 { posix_spawn_file_actions_adddup2(&actions, stdout, 1) }

        // Children start with default signal dispositions and an empty mask: mybro ignores
        // SIGPIPE for itself, and each stage installs its own policy.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGUSR1] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([path] + stage.arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, path, &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw MybroError("cannot start \(path): \(String(cString: strerror(status)))", status: .unavailable)
        }
        pid = child
    }

    var isRunning: Bool { exitStatus == nil }

    /// Collects the exit status if the process has ended; true once it has.
    @discardableResult
    func poll() -> Bool {
        guard exitStatus == nil else { return true }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            exitStatus = StageProcess.decode(status)
        } else if result < 0 && errno == ECHILD {
            exitStatus = 0
        }
        return exitStatus != nil
    }

    func signal(_ number: Int32) {
        if exitStatus == nil { kill(pid, number) }
    }

    /// The shell's convention: the exit code, or 128 + N after signal N.
    static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        if signal == 0 { return (status >> 8) & 0xFF }
        return 128 + signal
    }
}
