import CMybroProcess
import Foundation

/// mybro's one way to start a program: `posix_spawn` with its working directory, descriptors
/// and signal defaults set in the child, in a process group of its own by default, or — for
/// jobs — under a keeper that confines it (Landlock, no_new_privs) and ends everything it
/// started, daemons included, once the job is over or its owner dies (see mybro_process.h).
///
/// `@unchecked Sendable`: the mutable state (exit status, stdin, the keeper's state) is only
/// touched with `state` (an NSCondition) held.
public final class ChildProcess: @unchecked Sendable {
    public enum Input: Sendable {
        case null, pipe, inherit
        case descriptor(Int32)
    }

    public enum Output: Sendable {
        case null, pipe, inherit
        case descriptor(Int32)
        /// stderr only: the same pipe or descriptor as stdout.
        case standardOutput
    }

    public struct Options: Sendable {
        public var directory: String?
        /// The child's whole environment; nil passes this process's own.
        public var environment: [String: String]?
        public var stdin: Input = .null
        public var stdout: Output = .pipe
        public var stderr: Output = .inherit
        /// Leads a process group of its own (pgid = pid), so the whole group can be signalled.
        public var newProcessGroup = true
        /// Starts it under a keeper: its own process group, no_new_privs, the sandbox if one is
        /// given, and nothing it starts outlives `endKeeper()` or this process's death.
        public var keeper = false
        public var sandbox: LandlockRuleset?
        /// Paths the process must not see, covered in its own mount namespace (an empty
        /// directory, an empty file); it does not start where that cannot be done. Needs `keeper`.
        public var maskedPaths: [String]?
        /// The paths that stay writable when every other mount is made read-only in the process's
        /// own mount namespace; it does not start where that cannot be done. Needs `keeper`.
        public var writablePaths: [String]?
        /// Paths beneath the writable ones that are made read-only again in that namespace (a
        /// repository's hooks and config); they must exist. Needs `writablePaths`.
        public var readOnlyPaths: [String]?
        /// A network namespace of its own, where a PID namespace can be made (best effort:
        /// `isolation` says whether it was). Needs `keeper`.
        public var ownNetwork = false
        /// With `ownNetwork`: that namespace's loopback is up, so a test suite's local server
        /// works and nothing else is reached; where no namespace can be made, TCP is taken away
        /// by a Landlock layer of its own (so the sandbox's ruleset need not).
        public var loopbackNetwork = false
        /// Folders the whole session shares (/tmp, /dev/shm, the runtime folder), each replaced in
        /// the process's own mount namespace by an empty tmpfs it may write, so that nothing the
        /// session makes there (a tmux or ssh-agent socket, even one made later) reaches it; it
        /// does not start where that cannot be done. Needs `writablePaths` (they must name these
        /// folders too, so that the tmpfs stays writable).
        public var privateFolders: [String]?
        /// Real paths beneath the private folders that are put back (read-only unless
        /// `writablePaths` names them): the workspace, the temporary directory, a kept socket.
        public var keptPaths: [String]?
        /// Those of `privateFolders` the process sees as they are, through an overlay whose upper
        /// layer (one tmpfs for all) takes its writes and goes with it: caches it may use and
        /// fill, but not plant anything in for a later build. Where the overlay cannot be made,
        /// such a folder is private and empty like the others.
        public var layeredFolders: [String]?
        /// A descriptor of a file the keeper marks (mode 0400, times now) once every process
        /// under it is gone, mybro-exec's put-back record: the mark's time tells a later
        /// mybro-exec which changes came after the job. Needs `keeper`; never reaches the process.
        public var deathMark: Int32?

        public init() {}
    }

    public let pid: pid_t
    /// The keeper's pid, for a process started under one.
    public let keeperPID: pid_t?
    /// How a process under a keeper is set apart from the rest of the system.
    public let isolation: Isolation

    public struct Isolation: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// A PID namespace of its own: the kernel ends all of it with it.
        public static let pidNamespace = Isolation(rawValue: 1)
        /// Its own /proc: it sees no process outside.
        public static let privateProc = Isolation(rawValue: 2)
        /// Every mount read-only but its writable paths (no chmod, chown, utimes or xattrs
        /// outside them).
        public static let readOnlySystem = Isolation(rawValue: 4)
        /// A network namespace of its own: no UDP, no host loopback, no abstract unix sockets.
        public static let privateNetwork = Isolation(rawValue: 8)
        /// The session's shared folders replaced by private ones (`Options.privateFolders`).
        public static let privateFolders = Isolation(rawValue: 16)
    }

    public let stdoutFD: Int32?
    public let stderrFD: Int32?

    private let state = NSCondition()
    private var stdinDescriptor: Int32?
    private var rawStatus: Int32?
    private var lifeline: Int32?
    private var keeperGone = false

    /// Starts `arguments[0]` (searched in the child's PATH when it has no slash).
    public init(arguments: [String], options: Options = Options()) throws {
        precondition(!arguments.isEmpty)
        let environment = options.environment ?? ProcessInfo.processInfo.environment
        var pipes = Pipes()
        defer { pipes.closeChildEnds() }
        do {
            try pipes.make(options)
        } catch {
            pipes.closeParentEnds()
            throw error
        }
        let childFDs = (
            stdin: pipes.childStdin ?? (options.stdin.isInherit ? 0 : -1),
            stdout: pipes.childStdout ?? (options.stdout.isInherit ? 1 : -1),
            stderr: pipes.childStderr ?? (options.stderr.isInherit ? 2 : -1)
        )
        if options.keeper {
            let started = try Self.spawnKept(arguments, environment, options, childFDs)
            pid = started.job
            keeperPID = started.keeper
            isolation = started.isolation
            lifeline = started.lifeline
            let report = started.report
            stdoutFD = pipes.parentStdout
            stderrFD = pipes.parentStderr
            stdinDescriptor = pipes.parentStdin
            startThread(name: "mybro keeper \(started.keeper)") { [self] in watchKeeper(report: report) }
        } else {
            pid = try Self.spawn(arguments, environment, options, childFDs)
            keeperPID = nil
            isolation = []
            stdoutFD = pipes.parentStdout
            stderrFD = pipes.parentStderr
            stdinDescriptor = pipes.parentStdin
            startThread(name: "mybro reaper \(pid)") { [self] in reap() }
        }
    }

    private func startThread(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    // MARK: spawning

    private typealias ChildDescriptors = (stdin: Int32, stdout: Int32, stderr: Int32)

    private static func spawn(
        _ arguments: [String], _ environment: [String: String], _ options: Options, _ fds: ChildDescriptors
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, target, mode) in [
            (fds.stdin, Int32(0), O_RDONLY), (fds.stdout, 1, O_WRONLY), (fds.stderr, 2, O_WRONLY),
        ] {
            if fd < 0 {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", mode, 0)
            } else if fd != target {
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            }
        }
        // Nothing else this process holds (other children's pipes, our own stdout) reaches the child.
        mybro_spawn_addclosefrom(&actions, 3)
        if let directory = options.directory { mybro_spawn_addchdir(&actions, directory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Default dispositions and an empty mask: we ignore SIGPIPE and catch the stop signals,
        // and an ignored or blocked signal would stay so in the child.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGCHLD] { sigaddset(&defaults, signal) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        if options.newProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = CStringArray(arguments)
        let envp = CStringArray(environment.map { "\($0.key)=\($0.value)" })
        var child: pid_t = 0
        let path = try resolve(arguments[0], environment: environment)
        let result = posix_spawn(&child, path, &actions, &attributes, argv.pointers, envp.pointers)
        guard result == 0 else { throw startError(arguments[0], result) }
        return child
    }

    private static func spawnKept(
        _ arguments: [String], _ environment: [String: String], _ options: Options, _ fds: ChildDescriptors
    ) throws -> (keeper: pid_t, job: pid_t, isolation: Isolation, lifeline: Int32, report: Int32) {
        let path = try resolve(arguments[0], environment: environment)
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { if null >= 0 { close(null) } }
        var lifeline: [Int32] = [-1, -1]
        var report: [Int32] = [-1, -1]
        guard mybro_pipe_cloexec(&lifeline) == 0 else { throw startError(arguments[0], errno) }
        guard mybro_pipe_cloexec(&report) == 0 else {
            let code = errno
            lifeline.forEach { close($0) }
            throw startError(arguments[0], code)
        }
        let argv = CStringArray(arguments)
        let envp = CStringArray(environment.map { "\($0.key)=\($0.value)" })
        let directory = options.directory ?? FileManager.default.currentDirectoryPath
        let masked = options.maskedPaths.map(CStringArray.init)
        let writable = options.writablePaths.map(CStringArray.init)
        let readOnly = options.readOnlyPaths.map(CStringArray.init)
        let privateFolders = options.privateFolders.map(CStringArray.init)
        let kept = options.keptPaths.map(CStringArray.init)
        let layered = options.layeredFolders.map(CStringArray.init)
        let keeper = path.withCString { pathPointer in
            directory.withCString { directoryPointer in
                var job = mybro_kept_job(
                    path: pathPointer, argv: argv.pointers, envp: envp.pointers, directory: directoryPointer,
                    stdin_fd: fds.stdin < 0 ? null : fds.stdin, stdout_fd: fds.stdout < 0 ? null : fds.stdout,
                    stderr_fd: fds.stderr < 0 ? null : fds.stderr, ruleset_fd: options.sandbox?.descriptor ?? -1,
                    lifeline_fd: lifeline[0], report_fd: report[1], masked_paths: masked?.pointers,
                    writable_paths: writable?.pointers, read_only_paths: readOnly?.pointers,
                    own_network: options.ownNetwork ? (options.loopbackNetwork ? 2 : 1) : 0,
                    private_paths: privateFolders?.pointers, kept_paths: kept?.pointers,
                    layered_paths: layered?.pointers, death_mark_fd: options.deathMark ?? -1)
                return mybro_spawn_kept_job(&job)
            }
        }
        close(lifeline[0])
        close(report[1])
        guard keeper > 0 else {
            close(lifeline[1])
            close(report[0])
            throw startError(arguments[0], -keeper)
        }
        var job: Int32 = 0
        var isolation: Int32 = 0
        let got = withUnsafeMutableBytes(of: &job) { readFully(report[0], $0) }
        guard got, job > 0, withUnsafeMutableBytes(of: &isolation, { readFully(report[0], $0) }) else {
            close(lifeline[1])
            close(report[0])
            var status: Int32 = 0
            while waitpid(keeper, &status, 0) < 0 && errno == EINTR {}
            throw startError(arguments[0], got ? -job : EIO)
        }
        return (keeper, job, Isolation(rawValue: isolation), lifeline[1], report[0])
    }

    /// How far a process under a keeper can be set apart on this machine (found once, by
    /// starting /bin/true under one that also tries the read-only mounts).
    public static let availableIsolation: Isolation = {
        var options = Options()
        options.keeper = true
        options.stdout = .null
        // Each probe asks for less than the one before: the keeper refuses to start what it
        // cannot do (private folders, then read-only mounts).
        let temporary = NSTemporaryDirectory()
        options.directory = "/"  // this process's own may lie in the folder made private
        options.writablePaths = [temporary, "/tmp"]
        options.privateFolders = ["/tmp"]
        options.keptPaths = [temporary].compactMap(LandlockRuleset.realPath)
        for attempt in 0..<3 {
            if attempt == 1 {
                options.privateFolders = nil
                options.keptPaths = nil
                options.writablePaths = [temporary]
            } else if attempt == 2 {
                options.writablePaths = nil
            }
            guard let probe = try? ChildProcess(arguments: ["/bin/true"], options: options) else { continue }
            probe.waitForExit()
            probe.endKeeper(timeout: 2)
            return probe.isolation
        }
        return []
    }()

    /// The executable for `name`: itself when it holds a slash, else the first match in PATH.
    static func resolve(_ name: String, environment: [String: String]) throws -> String {
        if name.contains("/") { return name }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            var info = stat()
            if access(candidate, X_OK) == 0, stat(candidate, &info) == 0, info.st_mode & S_IFMT != S_IFDIR {
                return candidate
            }
        }
        throw startError(name, ENOENT)
    }

    static func startError(_ name: String, _ code: Int32) -> MybroError {
        MybroError(
            "cannot start \(name): \(SystemIO.describe(code))", status: code == ENOENT ? .noInput : .unavailable)
    }

    private static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            switch SystemIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset...])) {
            case .bytes(let n): offset += n
            default: return false
            }
        }
        return true
    }

    // MARK: watching

    private func reap() {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR {
                status = 0x7F00  // "exited 127": the child was lost, which should not happen
                break
            }
        }
        state.lock()
        rawStatus = status
        state.broadcast()
        state.unlock()
    }

    /// The keeper reports the job's end on `report`; then it waits for its lifeline to go.
    private func watchKeeper(report: Int32) {
        var status: Int32 = 0
        // No report means the keeper itself was killed, and the job with it (its death signal).
        if !withUnsafeMutableBytes(of: &status, { Self.readFully(report, $0) }) { status = SIGKILL }
        close(report)
        state.lock()
        rawStatus = status
        state.broadcast()
        state.unlock()
        var keeperStatus: Int32 = 0
        while waitpid(keeperPID!, &keeperStatus, 0) < 0 && errno == EINTR {}
        state.lock()
        keeperGone = true
        if let fd = lifeline {
            close(fd)
            lifeline = nil
        }
        state.broadcast()
        state.unlock()
    }

    /// For a process under a keeper: tells the keeper to end everything left beneath it and waits
    /// until it has (at most `timeout` seconds); true once the keeper is gone.
    @discardableResult
    public func endKeeper(timeout: Double = 5) -> Bool {
        guard keeperPID != nil else { return true }
        state.lock()
        defer { state.unlock() }
        if let fd = lifeline {
            close(fd)
            lifeline = nil
        }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !keeperGone, state.wait(until: deadline) {}
        return keeperGone
    }

    /// Whether the keeper has ended (always true without one).
    public var keeperHasEnded: Bool {
        state.lock()
        defer { state.unlock() }
        return keeperPID == nil || keeperGone
    }

    /// The exit status once the process has ended: its code, or 128 + the signal that killed it.
    public var exitStatus: Int32? {
        state.lock()
        defer { state.unlock() }
        return rawStatus.map(Self.decode)
    }

    public var hasExited: Bool { exitStatus != nil }

    public static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Waits until the process has ended, or until `deadline`; its exit status if it has.
    @discardableResult
    public func waitForExit(until deadline: Date? = nil) -> Int32? {
        state.lock()
        defer { state.unlock() }
        while rawStatus == nil {
            // NSCondition.wait(until: .distantFuture) traps on Linux: wait without a limit instead.
            if let deadline {
                if !state.wait(until: deadline) { break }
            } else {
                state.wait()
            }
        }
        return rawStatus.map(Self.decode)
    }

    /// True while a process of the group (the leader included) is still running. Zombies do not
    /// count: an orphan that has died waits for its new parent to reap it.
    public var groupAlive: Bool {
        guard kill(-pid, 0) == 0 || errno == EPERM else { return false }
        return ProcessTable.hasLiveMember(ofGroup: pid)
    }

    public func signalGroup(_ signal: Int32) { _ = kill(-pid, signal) }

    public func signal(_ signal: Int32) {
        if !hasExited { _ = kill(pid, signal) }
    }

    // MARK: stdin

    /// Writes one line to the child's stdin; false if it is closed or gone.
    @discardableResult
    public func writeLine(_ line: String) -> Bool {
        state.lock()
        let fd = stdinDescriptor
        state.unlock()
        guard let fd else { return false }
        return SystemIO.writeAll(fd, line + "\n") == 0
    }

    public var stdinOpen: Bool {
        state.lock()
        defer { state.unlock() }
        return stdinDescriptor != nil
    }

    public func closeStdin() {
        state.lock()
        let fd = stdinDescriptor
        stdinDescriptor = nil
        state.unlock()
        if let fd { close(fd) }
    }
}

extension ChildProcess {
    /// What a program printed, and how it ended.
    public struct Captured: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: Data
        /// It ran past its time and was killed (its whole group).
        public var timedOut: Bool
    }

    /// Runs a program to its end (or `timeout` seconds, after which its group is killed) with
    /// stdin from /dev/null, collecting stdout and stderr.
    public static func capture(
        arguments: [String], directory: String? = nil, environment: [String: String]? = nil, timeout: Double = 60
    ) throws -> Captured {
        var options = Options()
        options.directory = directory
        options.environment = environment
        options.stdout = .pipe
        options.stderr = .pipe
        let process = try ChildProcess(arguments: arguments, options: options)
        let readers = DispatchGroup()
        let output = DrainedDescriptor(fd: process.stdoutFD!, group: readers)
        let errors = DrainedDescriptor(fd: process.stderrFD!, group: readers)
        var status = process.waitForExit(until: Date(timeIntervalSinceNow: timeout))
        let timedOut = status == nil
        if timedOut {
            process.signalGroup(SIGKILL)
            status = process.waitForExit()
        }
        readers.wait()
        return Captured(status: status ?? 1, stdout: output.data, stderr: errors.data, timedOut: timedOut)
    }
}

/// Reads a descriptor to its end on a thread of its own, then closes it.
///
/// `@unchecked Sendable`: `data` is written only by the reader thread before `group.leave()`
/// and read only after `group.wait()`.
private final class DrainedDescriptor: @unchecked Sendable {
    private(set) var data = Data()

    init(fd: Int32, group: DispatchGroup) {
        group.enter()
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while case .bytes(let count) = buffer.withUnsafeMutableBytes({ SystemIO.read(fd, into: $0) }) {
                data.append(contentsOf: buffer[0..<count])
            }
            close(fd)
            group.leave()
        }
        thread.name = "mybro reader \(fd)"
        thread.start()
    }
}

extension ChildProcess.Input {
    fileprivate var isInherit: Bool {
        if case .inherit = self { return true }
        return false
    }
}

extension ChildProcess.Output {
    fileprivate var isInherit: Bool {
        if case .inherit = self { return true }
        return false
    }
}

/// The pipes a child is started with: the child's ends are closed once it has them; ours are
/// close-on-exec, so no other child inherits them.
private struct Pipes {
    var childStdin: Int32?, childStdout: Int32?, childStderr: Int32?
    var parentStdin: Int32?, parentStdout: Int32?, parentStderr: Int32?
    private var owned: [Int32] = []

    mutating func make(_ options: ChildProcess.Options) throws {
        switch options.stdin {
        case .pipe:
            let (read, write) = try SystemIO.makePipe()
            childStdin = read
            parentStdin = write
            owned.append(read)
        case .descriptor(let fd): childStdin = fd
        case .null, .inherit: break
        }
        switch options.stdout {
        case .pipe:
            let (read, write) = try SystemIO.makePipe()
            childStdout = write
            parentStdout = read
            owned.append(write)
        case .descriptor(let fd): childStdout = fd
        case .null, .inherit, .standardOutput: break
        }
        switch options.stderr {
        case .pipe:
            let (read, write) = try SystemIO.makePipe()
            childStderr = write
            parentStderr = read
            owned.append(write)
        case .descriptor(let fd): childStderr = fd
        case .standardOutput: childStderr = childStdout ?? (options.stdout.isInherit ? 1 : nil)
        case .null, .inherit: break
        }
    }

    func closeChildEnds() { for fd in owned { close(fd) } }

    func closeParentEnds() { for fd in [parentStdin, parentStdout, parentStderr].compactMap({ $0 }) { close(fd) } }
}

/// A NULL-terminated array of C strings that lives as long as the value.
private final class CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
        pointers[strings.count] = nil
    }

    deinit {
        for index in 0..<count { free(pointers[index]) }
        pointers.deallocate()
    }
}
