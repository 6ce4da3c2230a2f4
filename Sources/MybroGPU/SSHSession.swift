import Foundation
import MybroCore

/// Talks to an instance with the system's OpenSSH client, started through ChildProcess.
///
/// Why OpenSSH and not swift-nio-ssh: this is a command-line tool, not a server, so SwiftNIO
/// would be a large dependency for one target (and minutes of CPU on every clean build), while
/// OpenSSH brings mature host-key checking, key formats, keep-alives and error messages that
/// users already know. The price is parsing nothing: we only use exit statuses and streams.
///
/// Host keys: each instance gets a known_hosts file of mybro's own (cloud IPs are reused, so a
/// file per instance id). The first connection records the key (`accept-new`); every later one
/// demands the same key (`yes`), so a changed key stops the run.
public struct SSHSession: Sendable {
    public var host: String
    public var port: Int
    public var user: String
    public var identity: SSHIdentity
    public var knownHostsPath: String
    public var connectTimeout = 10

    public init(host: String, port: Int, user: String, identity: SSHIdentity, instanceID: String) {
        self.host = host
        self.port = port
        self.user = user
        self.identity = identity
        let safe = String(instanceID.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        knownHostsPath = identity.directory + "/known_hosts/" + safe
    }

    /// Whether the host key has been recorded (the first connection happened).
    public var hostKeyRecorded: Bool {
        ((try? String(contentsOfFile: knownHostsPath, encoding: .utf8)) ?? "").contains(" ")
    }

    /// The ssh command line, without the remote command.
    public func arguments(batch: Bool = true) -> [String] {
        [
            "ssh", "-F", "/dev/null", "-i", identity.privateKeyPath, "-o", "IdentitiesOnly=yes",
            "-o", "IdentityAgent=none", "-o", "UserKnownHostsFile=\(knownHostsPath)", "-o",
            "GlobalKnownHostsFile=/dev/null",
            "-o", "StrictHostKeyChecking=\(hostKeyRecorded ? "yes" : "accept-new")",
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(connectTimeout)",
            "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3", "-o", "LogLevel=ERROR",
            "-p", String(port), "\(user)@\(host)", "--",
        ]
    }

    /// The environment ssh gets: ours without credentials (no API key, no agent socket).
    static var childEnvironment: [String: String] {
        SecretEnvironment.removingSecrets(from: ProcessInfo.processInfo.environment)
    }

    func prepareKnownHosts() throws {
        let folder = (knownHostsPath as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Runs `command` remotely to its end; its status and output (for short commands).
    public func capture(_ command: String, timeout: Double = 60) throws -> ChildProcess.Captured {
        try prepareKnownHosts()
        return try ChildProcess.capture(
            arguments: arguments() + [command], environment: Self.childEnvironment, timeout: timeout)
    }

    /// Whether the instance answers SSH now (and, the first time, records its host key).
    public func answers() -> Bool {
        (try? capture("true", timeout: Double(connectTimeout) + 5))?.status == 0
    }

    /// Starts `command` remotely with its output on pipes.
    public func start(_ command: String, stdin: ChildProcess.Input = .null) throws -> ChildProcess {
        try prepareKnownHosts()
        var options = ChildProcess.Options()
        options.environment = Self.childEnvironment
        options.stdin = stdin
        options.stdout = .pipe
        options.stderr = .pipe
        return try ChildProcess(arguments: arguments() + [command], options: options)
    }

    /// Copies local paths into `remoteDirectory` (made if missing): `tar | ssh tar -x`.
    /// What an upload leaves behind: version control, build output and dependency folders
    /// (rebuilt there), and secret files (a rented machine is not the place for .env files or keys).
    static let uploadExclusions = [
        "--exclude-vcs", "--exclude=.build", "--exclude=node_modules", "--exclude=.venv", "--exclude=__pycache__",
        "--exclude=.env", "--exclude=.env.*", "--exclude=*.pem", "--exclude=id_rsa", "--exclude=id_ed25519",
        "--exclude=.netrc",
    ]

    public func upload(_ paths: [String], to remoteDirectory: String) throws {
        for path in paths {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw MybroError("--upload \(path): no such file or directory", status: .noInput)
            }
            var tarOptions = ChildProcess.Options()
            tarOptions.environment = Self.childEnvironment
            tarOptions.stdout = .pipe
            tarOptions.stderr = .pipe
            // "DIR/" or "." sends the folder's contents (the remote folder becomes the workspace),
            // "DIR" the folder itself, as rsync reads a trailing slash.
            let contents = path == "." || path.hasSuffix("/") || path.hasSuffix("/.")
            let tar = try ChildProcess(
                arguments: ["tar"] + Self.uploadExclusions
                    + (contents
                        ? ["-C", url.path, "-cf", "-", "."]
                        : ["-C", url.deletingLastPathComponent().path, "-cf", "-", url.lastPathComponent]),
                options: tarOptions)
            let remote = "mkdir -p \(Self.quoted(remoteDirectory)) && tar -C \(Self.quoted(remoteDirectory)) -xf -"
            let ssh: ChildProcess
            do {
                ssh = try start(remote, stdin: .descriptor(tar.stdoutFD!))
            } catch {
                close(tar.stdoutFD!)
                tar.signalGroup(SIGKILL)
                throw error
            }
            close(tar.stdoutFD!)
            let sshErrors = Drain(ssh.stderrFD!)
            let tarErrors = Drain(tar.stderrFD!)
            close(ssh.stdoutFD!)
            let sshStatus = ssh.waitForExit() ?? 1
            let tarStatus = tar.waitForExit() ?? 1
            guard tarStatus == 0, sshStatus == 0 else {
                let reason = (tarErrors.text + " " + sshErrors.text).trimmingCharacters(in: .whitespacesAndNewlines)
                throw MybroError("cannot upload \(path): \(reason)", status: sshStatus == 255 ? .unavailable : .ioError)
            }
        }
    }

    /// Copies `paths` (relative to `remoteDirectory`) into `localDirectory`: `ssh tar -c | tar -x`.
    public func fetch(_ paths: [String], from remoteDirectory: String, to localDirectory: String) throws {
        guard !paths.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: localDirectory, withIntermediateDirectories: true)
        let remote = "cd \(Self.quoted(remoteDirectory)) && tar -cf - " + paths.map(Self.quoted).joined(separator: " ")
        let ssh = try start(remote)
        var tarOptions = ChildProcess.Options()
        tarOptions.environment = Self.childEnvironment
        tarOptions.stdin = .descriptor(ssh.stdoutFD!)
        tarOptions.stdout = .null
        tarOptions.stderr = .pipe
        tarOptions.directory = localDirectory
        let tar: ChildProcess
        do {
            tar = try ChildProcess(arguments: ["tar", "-xf", "-"], options: tarOptions)
        } catch {
            ssh.signalGroup(SIGKILL)
            close(ssh.stdoutFD!)
            throw error
        }
        close(ssh.stdoutFD!)
        let sshErrors = Drain(ssh.stderrFD!)
        let tarErrors = Drain(tar.stderrFD!)
        let sshStatus = ssh.waitForExit() ?? 1
        let tarStatus = tar.waitForExit() ?? 1
        guard tarStatus == 0, sshStatus == 0 else {
            let reason = (sshErrors.text + " " + tarErrors.text).trimmingCharacters(in: .whitespacesAndNewlines)
            throw MybroError("cannot fetch \(paths.joined(separator: " ")): \(reason)", status: .ioError)
        }
    }

    /// A word for the remote POSIX shell.
    public static func quoted(_ word: String) -> String {
        if !word.isEmpty && word.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0)) })
        {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Reads a descriptor to its end on a thread of its own (for a child's stderr).
///
/// `@unchecked Sendable`: `bytes` is written by the reader thread only before `done` is
/// signalled and read only after waiting for it.
final class Drain: @unchecked Sendable {
    private var bytes = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ fd: Int32) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 16384)
            while case .bytes(let count) = buffer.withUnsafeMutableBytes({ SystemIO.read(fd, into: $0) }) {
                if bytes.count < 65536 { bytes.append(contentsOf: buffer[0..<count]) }
            }
            close(fd)
            done.signal()
        }
        thread.start()
    }

    var text: String {
        done.wait()
        done.signal()
        return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
    }
}
