import Foundation
import MybroCore

/// The project's own SSH key pair (ed25519, made with ssh-keygen under the XDG data
/// directory) and its registration with Shadeform through `/sshkeys/add`.
public struct SSHIdentity: Sendable {
    public let directory: String
    public let projectName: String

    public var privateKeyPath: String { directory + "/id_ed25519" }
    public var publicKeyPath: String { privateKeyPath + ".pub" }

    /// The key pair of the project at `projectRoot` (a folder per project, named after it and a
    /// hash of its path, so two checkouts called `app` do not share a key).
    public init(projectRoot: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let base = (projectRoot as NSString).lastPathComponent
        let safe = String(base.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }.prefix(32))
        projectName = (safe.isEmpty ? "project" : safe) + "-" + Self.hash(projectRoot)
        directory = XDGDirectories.mybro(.data, environment: environment) + "/gpu/keys/" + projectName
    }

    /// The project: the git work tree around `directory`, else `directory` itself.
    public static func projectRoot(of directory: String) -> String {
        var url = URL(fileURLWithPath: directory).standardizedFileURL
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.path + "/.git") { return url.path }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: directory).standardizedFileURL.path
    }

    /// Makes the key pair unless it exists; the public key's text.
    public func ensureKeyPair() throws -> String {
        if !FileManager.default.fileExists(atPath: privateKeyPath) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw MybroError("cannot create \(directory): \(error.localizedDescription)", status: .ioError)
            }
            let made = try ChildProcess.capture(
                arguments: [
                    "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "mybro-gpu \(projectName)", "-f",
                    privateKeyPath,
                ], environment: SecretEnvironment.removingSecrets(from: ProcessInfo.processInfo.environment),
                timeout: 30)
            guard made.status == 0 else {
                let reason = String(decoding: made.stderr, as: UTF8.self).trimmingCharacters(
                    in: .whitespacesAndNewlines)
                throw MybroError("ssh-keygen failed: \(reason)", status: .unavailable)
            }
        }
        guard let text = try? String(contentsOfFile: publicKeyPath, encoding: .utf8) else {
            throw MybroError("cannot read \(publicKeyPath)", status: .ioError)
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The id Shadeform knows the public key by, registering it first if it does not know it.
    /// In a dry run an unregistered key is only described.
    public func registeredKeyID(client: ShadeformClient, dryRun: OutputSink?) throws -> String {
        let publicKey = try ensureKeyPair()
        let material = Self.material(publicKey)
        if let known = try client.sshKeys().first(where: { Self.material($0.publicKey ?? "") == material }) {
            return known.id
        }
        let name = "mybro-\(projectName)"
        if let dryRun {
            let body = try JSONSerialization.data(
                withJSONObject: ["name": name, "public_key": publicKey], options: [.sortedKeys])
            try dryRun.write(record: client.describe(method: "POST", path: "/sshkeys/add", body: body))
            return "(the id /sshkeys/add returns)"
        }
        Log.shared.info("registering the SSH key of \(projectName) with Shadeform")
        return try client.addSSHKey(name: name, publicKey: publicKey)
    }

    /// The key type and base64 body, without the comment.
    static func material(_ line: String) -> String {
        line.split(separator: " ").prefix(2).joined(separator: " ")
    }

    /// FNV-1a (64 bits) of the path, as 8 hex digits: stable across runs and machines.
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        return String(String(value, radix: 16).suffix(8))
    }
}
