import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroExec

/// The listening sockets a job could connect to, read from the kernel's table, less the ones
/// a policy keeps and the job's own.
@Suite struct HostSocketsTests {
    /// A socket bound at `path`, listening unless told not to.
    func socketFile(at path: String, listening: Bool = true) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
        try #require(bound && (!listening || listen(descriptor, 4) == 0))
        return descriptor
    }

    @Test func boundSocketsAreFoundWhereverTheyLie() throws {
        try withTemporaryDirectory { folder in
            try FileManager.default.createDirectory(atPath: folder + "/a/b/c", withIntermediateDirectories: true)
            let deep = try socketFile(at: folder + "/a/b/c/agent")
            let idle = try socketFile(at: folder + "/bound-only", listening: false)
            defer { [deep, idle].forEach { close($0) } }
            try "not a socket".write(toFile: folder + "/file", atomically: true, encoding: .utf8)
            let found = UnixSockets.bound()
            #expect(found.contains(folder + "/a/b/c/agent"))
            // a datagram socket takes what is sent to it without listening
            #expect(found.contains(folder + "/bound-only"))
            #expect(!found.contains(folder + "/file"))
        }
    }

    /// The kernel gives the table a page or so per read: a busy machine's is read to its end.
    @Test func aLongTableIsReadToItsEnd() throws {
        try withTemporaryDirectory { folder in
            let sockets = try (0..<300).map { try socketFile(at: folder + "/s\($0)") }
            defer { sockets.forEach { close($0) } }
            let found = Set(UnixSockets.bound())
            #expect((0..<300).allSatisfy { found.contains(folder + "/s\($0)") })
        }
    }

    @Test func theTableIsReadAsTheKernelWritesIt() {
        let listening = "0000000000000000: 00000002 00000000 00010000 0001 01 41234 "
        #expect(UnixSockets.path(inLine: Substring(listening + "/tmp/tmux-1000/default")) == "/tmp/tmux-1000/default")
        #expect(UnixSockets.path(inLine: Substring(listening + "/tmp/a folder/s")) == "/tmp/a folder/s")
        #expect(UnixSockets.path(inLine: Substring(listening + "@/tmp/.X11-unix/X0")) == nil)
        #expect(UnixSockets.path(inLine: Substring(listening + "relative.sock")) == nil)
        #expect(
            UnixSockets.path(inLine: "0000000000000000: 00000003 00000000 00000000 0002 03 41235 /run/x") == "/run/x")
        #expect(UnixSockets.path(inLine: "0000000000000000: 00000003 00000000 00000000 0001 03 41236") == nil)
        #expect(UnixSockets.path(inLine: "garbage") == nil)
    }

    @Test func aTableThatIsNotThereFindsNothing() {
        #expect(UnixSockets.bound(table: "/nonexistent/unix").isEmpty)
    }

    @Test func onlyKeptSocketsAndServicesAreLeftAlone() {
        let bound = [
            "/run/user/1000/bus", "/run/systemd/journal/dev-log", "/run/postgresql/.s.PGSQL.5432",
            "/tmp/ws/api.sock", "/tmp/tmux-1000/default", "/run/systemd/resolve/io.systemd.Resolve",
        ]
        let offline = HostSockets.covered(bound: bound, kept: ["/run/postgresql/"], network: false)
        // a socket in the workspace was bound before the job: not the job's own
        #expect(
            offline == [
                "/run/user/1000/bus", "/tmp/ws/api.sock", "/tmp/tmux-1000/default",
                "/run/systemd/resolve/io.systemd.Resolve",
            ])
        // the resolver only for a job with the network (DNS carries data out)
        #expect(
            !HostSockets.covered(bound: bound, kept: [], network: true).contains(
                "/run/systemd/resolve/io.systemd.Resolve"))
    }

    /// git push with its credential line uses the SSH agent; any other job finds it covered.
    @Test func aCredentialedGitPushKeepsTheAgentItsVariableNames() throws {
        guard ChildProcess.availableIsolation.contains(.privateProc), JobSandbox.isAvailable else { return }
        try withTemporaryDirectory { folder in
            let workspace = folder + "/ws"
            try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
            let setup = try shell(
                "cd \(shellQuoted(workspace)) && git init -q -b main && git remote add origin https://example.com/r.git"
            )
            try #require(setup.status == 0)
            let agent = try socketFile(at: folder + "/agent.sock")
            defer { close(agent) }
            var configuration = ExecConfiguration(directory: workspace)
            configuration.policy = SafetyPolicy.shipped
            var environment = ProcessInfo.processInfo.environment
            environment["SSH_AUTH_SOCK"] = folder + "/agent.sock"
            environment["HOME"] = folder + "/home"
            func masked(_ command: String) throws -> [String] {
                let sandbox = try JobSandbox.prepare(
                    for: .shell(command: command, task: nil), id: 1, configuration: configuration,
                    environment: environment)
                defer { try? FileManager.default.removeItem(atPath: sandbox.temporaryDirectory) }
                return sandbox.maskedPaths ?? []
            }
            let real = try #require(LandlockRuleset.realPath(folder + "/agent.sock"))
            #expect(try masked("cat README").contains(real))
            #expect(try !masked("git push origin main").contains(real))
        }
    }

    @Test func aPolicyKeepsSocketsByPath() throws {
        let policy = try SafetyPolicy(text: "sandbox socket /run/postgresql ~/.local/db.sock\n")
        #expect(policy.sandbox.sockets == ["/run/postgresql", "~/.local/db.sock"])
        #expect(throws: SafetyPolicy.ParseError.self) { try SafetyPolicy(text: "sandbox socket postgresql\n") }
    }
}

/// The repository a job may write: a real .git folder only.
@Suite struct EnclosingRepositoryTests {
    @Test func aGitLinkIsNoRepository() throws {
        try withTemporaryDirectory { folder in
            let workspace = folder + "/ws"
            let elsewhere = folder + "/home"
            try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
            // an earlier job's `ln -s ~ .git` must not make the home directory writable
            try FileManager.default.createSymbolicLink(atPath: workspace + "/.git", withDestinationPath: elsewhere)
            #expect(JobSandbox.enclosingGitDirectory(of: workspace) == nil)
            try FileManager.default.removeItem(atPath: workspace + "/.git")
            try FileManager.default.createDirectory(atPath: workspace + "/.git", withIntermediateDirectories: false)
            #expect(JobSandbox.enclosingGitDirectory(of: workspace) == workspace + "/.git")
        }
    }

    /// Another user's /tmp/.git must not become the repository around a workspace in /tmp:
    /// every job may write the repository's folder, and mybro-exec would make hooks in it.
    @Test func anotherUsersGitFolderIsNoRepository() throws {
        try #require(getuid() == 0, "only root can give a folder to another user")
        try withTemporaryDirectory { folder in
            let workspace = folder + "/ws"
            try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: folder + "/.git", withIntermediateDirectories: false)
            #expect(JobSandbox.enclosingGitDirectory(of: workspace) == folder + "/.git")
            chown(folder + "/.git", 65534, 65534)
            #expect(JobSandbox.enclosingGitDirectory(of: workspace) == nil)
        }
    }
}
