import Foundation
import Synchronization

/// Runs the toolkit's built executables from tests, as a user would in a shell.
///
/// The binaries sit beside the test bundle in the build products folder (or in
/// `MYBRO_BIN_DIR` when set, e.g. to test an installed copy).
public enum BuiltCommands {
    public static let directory: String = {
        if let explicit = ProcessInfo.processInfo.environment["MYBRO_BIN_DIR"], !explicit.isEmpty { return explicit }
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent)
        }
        candidates.append(Bundle.main.bundlePath)
        candidates.append((Bundle.main.bundlePath as NSString).deletingLastPathComponent)
        candidates.append(packageRoot + "/.build/debug")
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate + "/mybro") {
            return candidate
        }
        return packageRoot + "/.build/debug"
    }()

    /// The package's root folder (for committed fixtures and man pages).
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()

    public static func path(_ name: String) -> String { directory + "/" + name }
}

/// What a finished command or pipeline produced.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: String

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stdoutLines: [String] { stdoutText.split(separator: "\n").map(String.init) }
    public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// Runs `script` with `/bin/sh -c`, the built commands first on PATH, feeding `input` on stdin.
public func shell(
    _ script: String, input: Data = Data(), environment: [String: String] = [:], timeout: TimeInterval = 120
) throws -> CommandResult {
    ignoreBrokenPipes()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    var env = ProcessInfo.processInfo.environment
    env["PATH"] = BuiltCommands.directory + ":" + (env["PATH"] ?? "/usr/bin:/bin")
    env.removeValue(forKey: "MYBRO_LOG_FILE")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Feed stdin and drain both outputs concurrently so no pipe fills up and stalls the child.
    let group = DispatchGroup()
    let outBox = DataBox()
    let errBox = DataBox()
    DispatchQueue.global().async(group: group) { outBox.data = stdout.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: group) { errBox.data = stderr.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: group) {
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try? stdin.fileHandleForWriting.close()
    }
    if group.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
        throw TimedOut(script: script)
    }
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, stdout: outBox.data, stderr: String(decoding: errBox.data, as: UTF8.self))
}

public struct TimedOut: Error, CustomStringConvertible {
    public var script: String
    public var description: String { "timed out: \(script)" }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// A fresh temporary directory for one test: the one temporary-directory helper of the tests.
///
/// It is removed by `remove()` (callers `defer` it), and in any case when the test process
/// exits, so that a test that forgets, fails or throws leaves nothing behind.
/// `withTemporaryDirectory` is the scoped form.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    /// A fresh folder in `base` (the temporary directory by default).
    public init(label: String = "mybro-test", base: String = NSTemporaryDirectory()) throws {
        url = URL(fileURLWithPath: base).appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        TemporaryDirectoryRegistry.shared.add(url.path)
    }

    public var path: String { url.path }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
        TemporaryDirectoryRegistry.shared.forget(url.path)
    }
}

/// The path of a fresh `TemporaryDirectory` (removed at the latest when the tests exit).
public func temporaryDirectory(_ label: String = "mybro-test") throws -> String {
    try TemporaryDirectory(label: label).path
}

/// Runs `body` with a fresh temporary directory and removes it afterwards, also when `body` throws.
public func withTemporaryDirectory<Result>(
    _ label: String = "mybro-test", _ body: (String) throws -> Result
) throws -> Result {
    let directory = try TemporaryDirectory(label: label)
    defer { directory.remove() }
    return try body(directory.path)
}

/// `withTemporaryDirectory` for async tests.
public func withTemporaryDirectory<Result>(
    _ label: String = "mybro-test", _ body: (String) async throws -> Result
) async throws -> Result {
    let directory = try TemporaryDirectory(label: label)
    defer { directory.remove() }
    return try await body(directory.path)
}

/// The temporary directories not yet removed, removed when the process exits.
final class TemporaryDirectoryRegistry: Sendable {
    static let shared: TemporaryDirectoryRegistry = {
        let registry = TemporaryDirectoryRegistry()
        atexit { TemporaryDirectoryRegistry.shared.removeAll() }
        return registry
    }()

    private let paths = Mutex<Set<String>>([])

    func add(_ path: String) { paths.withLock { _ = $0.insert(path) } }

    func forget(_ path: String) { paths.withLock { _ = $0.remove(path) } }

    func removeAll() {
        let all = paths.withLock { paths in
            defer { paths.removeAll() }
            return paths
        }
        for path in all { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// Quotes a string for /bin/sh.
public func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
