import Foundation
import MybroCore

/// A child process that leads its own process group, so every process it starts (unless one
/// leaves the group on purpose) can be signalled together and none outlives a stop.
final class SupervisedProcess: @unchecked Sendable {
    let pid: pid_t
    /// Our end of the child's stdin, when it has one (Claude Code in stream-json input mode).
    private var stdinFD: Int32
    /// Our end of the child's stdout (and stderr, when merged).
    let outputFD: Int32
    /// Our end of the child's stderr, when it is kept apart.
    let errorFD: Int32?

    private let state = NSCondition()
    private var rawStatus: Int32?

    /// Starts `arguments[0]` (searched in PATH when it has no slash) in `directory`.
    init(
        arguments: [String], directory: String, environment: [String: String], keepStdinOpen: Bool,
        mergeStderr: Bool
    ) throws {
        precondition(!arguments.isEmpty)
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1], errors: [Int32] = [-1, -1]
        guard pipe(&input) == 0, pipe(&output) == 0, mergeStderr || pipe(&errors) == 0 else {
            throw MybroError("cannot create pipes: \(String(cString: strerror(errno)))", status: .software)
        }
        // Our ends must not leak into the child (or into later children).
        for fd in [input[1], output[0], errors[0]] where fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if keepStdinOpen {
            posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, mergeStderr ? output[1] : errors[1], 2)
        // Nothing else we hold (our parent's pipes, the other ends of these) reaches the job: a
        // grandchild holding a pipe it should not have keeps a reader waiting long after a stop.
        if let closeFrom = Self.addCloseFrom {
            _ = closeFrom(&actions, 3)
        } else {
            for fd in [input[0], input[1], output[0], output[1], errors[0], errors[1]] where fd > 2 {
                posix_spawn_file_actions_addclose(&actions, fd)
            }
        }
        var program = arguments
        if let addChdir = Self.addChdir {
            _ = addChdir(&actions, directory)
        } else {
            // Without posix_spawn_file_actions_addchdir_np, a shell changes directory and becomes the program.
            program = ["/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", directory] + arguments
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (pgid = its pid), and default signal handling: we ignore SIGPIPE,
        // and an ignored signal would otherwise stay ignored in the child.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGUSR1, SIGCHLD] { sigaddset(&defaults, signal) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = program.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let result = argv.withUnsafeBufferPointer { argvBuffer in
            envp.withUnsafeBufferPointer { envpBuffer in
                posix_spawnp(
                    &child, program[0], &actions, &attributes, argvBuffer.baseAddress!, envpBuffer.baseAddress!)
            }
        }
        for fd in [input[0], output[1], errors[1]] where fd >= 0 { close(fd) }
        guard result == 0 else {
            for fd in [input[1], output[0], errors[0]] where fd >= 0 { close(fd) }
            let reason = String(cString: strerror(result))
            throw MybroError(
                "cannot start \(arguments[0]): \(reason)",
                status: result == ENOENT ? .noInput : .unavailable)
        }
        pid = child
        if keepStdinOpen {
            stdinFD = input[1]
        } else {
            close(input[1])
            stdinFD = -1
        }
        outputFD = output[0]
        errorFD = mergeStderr ? nil : errors[0]
        // Reap the child on a thread of its own, so its exit is seen the moment it happens.
        let thread = Thread { [self] in reap() }
        thread.name = "mybro-exec reaper \(child)"
        thread.start()
    }

    typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc has had posix_spawn_file_actions_addchdir_np since 2.29, but Swift's Glibc module
    /// does not declare it; look it up once.
    static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// posix_spawn_file_actions_addclosefrom_np (glibc 2.34), looked up for the same reason.
    static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else {
            return nil
        }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    private func reap() {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR {
                status = 0x7F00  // "exited 127": we lost the child, which should not happen
                break
            }
        }
        state.lock()
        rawStatus = status
        state.broadcast()
        state.unlock()
    }

    /// The exit status once the child has ended: its code, or 128 + the signal that killed it.
    var exitStatus: Int32? {
        state.lock()
        defer { state.unlock() }
        return rawStatus.map(Self.decode)
    }

    var hasExited: Bool { exitStatus != nil }

    static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Waits until the child has ended, or until `deadline`; its exit status if it has.
    @discardableResult
    func waitForExit(until deadline: Date = .distantFuture) -> Int32? {
        state.lock()
        defer { state.unlock() }
        while rawStatus == nil {
            // NSCondition.wait(until: .distantFuture) traps on Linux: wait without a limit instead.
            if deadline == .distantFuture {
                state.wait()
            } else if !state.wait(until: deadline) {
                break
            }
        }
        return rawStatus.map(Self.decode)
    }

    /// True while a process of the group (the leader included) is still running. Zombies do not
    /// count: an orphan that has died waits for its new parent to reap it, which can take a while.
    var groupAlive: Bool {
        guard kill(-pid, 0) == 0 || errno == EPERM else { return false }
        return ProcessTable.hasLiveMember(ofGroup: pid)
    }

    func signalGroup(_ signal: Int32) { _ = kill(-pid, signal) }

    /// Writes one line to the child's stdin; false if it is closed or gone.
    @discardableResult
    func writeLine(_ line: String) -> Bool {
        state.lock()
        let fd = stdinFD
        state.unlock()
        guard fd >= 0 else { return false }
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    var stdinOpen: Bool {
        state.lock()
        defer { state.unlock() }
        return stdinFD >= 0
    }

    func closeStdin() {
        state.lock()
        let fd = stdinFD
        stdinFD = -1
        state.unlock()
        if fd >= 0 { close(fd) }
    }
}
