import Foundation
import MybroTestSupport

/// Debian's OpenSSH server on a loopback port, with its own host key and configuration,
/// running as the current user: the "instance" the fake Shadeform hands out. Keys that the
/// fake receives through /sshkeys/add land in `authorizedKeys`.
final class LocalSSHD: @unchecked Sendable {
    // Immutable after init.
    let port: Int
    let authorizedKeys: String
    let user: String
    private let process: Process
    let directory: String

    static let binary = "/usr/sbin/sshd"

    /// `port`: listen there (to stand in for the same host with another key); else a free one.
    init(directory: String, port fixedPort: Int? = nil) throws {
        self.directory = directory
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw HarnessError("\(Self.binary) is missing: install openssh-server (make setup)")
        }
        user = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        authorizedKeys = directory + "/authorized_keys"
        FileManager.default.createFile(atPath: authorizedKeys, contents: Data())
        let hostKey = directory + "/host_ed25519"
        let keygen = try GPUHarness.run(
            "ssh-keygen -q -t ed25519 -N '' -f \(shellQuoted(hostKey))", environment: [:], timeout: 30)
        guard keygen.status == 0 else { throw HarnessError("ssh-keygen: \(keygen.stderr)") }
        if getuid() == 0 {
            // sshd's privilege separation folder, which a fresh container lacks.
            try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        }
        var lastError = ""
        for _ in 0..<5 {
            let port = fixedPort ?? Self.freePort()
            let config = directory + "/sshd_config"
            try """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(hostKey)
            PidFile \(directory)/sshd.pid
            AuthorizedKeysFile \(authorizedKeys)
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PermitRootLogin prohibit-password
            LogLevel ERROR
            """.write(toFile: config, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["-D", "-e", "-f", config]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline && !Self.accepts(port) { usleep(20_000) }
            if process.isRunning && Self.accepts(port) {
                self.port = port
                self.process = process
                return
            }
            kill(process.processIdentifier, SIGKILL)
            var status: Int32 = 0
            while waitpid(process.processIdentifier, &status, 0) < 0 && errno == EINTR {}
            lastError = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
        }
        throw HarnessError("sshd did not start: \(lastError)")
    }

    /// SIGKILL: the test process's threads block SIGTERM, and a child inherits that mask.
    func stop() {
        // waitpid for this pid: Foundation's waitUntilExit was seen to hang on a killed child here.
        let pid = process.processIdentifier
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}
