import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroGPU

/// The instance's host key is recorded on the first connection and demanded after: a host
/// that answers at the same address with another key is refused (a cloud IP reused, or a
/// man in the middle).
@Suite struct HostKeyTests {
    @Test func aChangedHostKeyIsRefused() throws {
        try withTemporaryDirectory("mybro-hostkey") { directory in
            let identity = SSHIdentity(
                projectRoot: directory + "/project", environment: ["XDG_DATA_HOME": directory + "/data"])
            let publicKey = try identity.ensureKeyPair()
            let firstFolder = directory + "/first"
            try FileManager.default.createDirectory(atPath: firstFolder, withIntermediateDirectories: true)
            let first = try LocalSSHD(directory: firstFolder)
            try (publicKey + "\n").write(toFile: first.authorizedKeys, atomically: true, encoding: .utf8)
            let session = SSHSession(
                host: "127.0.0.1", port: first.port, user: first.user, identity: identity, instanceID: "inst-1")
            #expect(!session.hostKeyRecorded)
            let answered = session.answers()
            first.stop()
            #expect(answered, "the first connection failed")
            #expect(session.hostKeyRecorded, "the first connection recorded no host key")

            // The same address and port, another host key.
            let secondFolder = directory + "/second"
            try FileManager.default.createDirectory(atPath: secondFolder, withIntermediateDirectories: true)
            let second = try LocalSSHD(directory: secondFolder, port: first.port)
            defer { second.stop() }
            try (publicKey + "\n").write(toFile: second.authorizedKeys, atomically: true, encoding: .utf8)
            let result = try session.capture("echo reached", timeout: 30)
            #expect(result.status != 0)
            let stdout = String(decoding: result.stdout, as: UTF8.self)
            let stderr = String(decoding: result.stderr, as: UTF8.self)
            #expect(!stdout.contains("reached"))
            #expect(
                stderr.contains("Host key verification failed") || stderr.contains("HOST IDENTIFICATION HAS CHANGED"),
                "\(stderr)")
        }
    }
}
