import Foundation
import MybroTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The fake Shadeform server (Tests/Fixtures/fake-shadeform/server.py) on a loopback port.
final class FakeShadeform: @unchecked Sendable {
    // Immutable after init; `process` is only terminated from `stop`.
    let port: Int
    let key: String
    private let process: Process

    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    init(key: String, config: [String: Any], directory: String) throws {
        self.key = key
        let configPath = directory + "/fake-config.json"
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", BuiltCommands.packageRoot + "/Tests/Fixtures/fake-shadeform/server.py", "--key", key,
            "--config", configPath,
        ]
        let output = Pipe()
        process.standardOutput = output
        FileManager.default.createFile(atPath: directory + "/fake.log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: directory + "/fake.log")
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw HarnessError("the fake Shadeform server did not start (printed \(line.debugDescription))")
        }
        self.port = port
    }

    /// SIGKILL: the test process's threads block SIGTERM, and a child inherits that mask.
    func stop() {
        // waitpid for this pid: Foundation's waitUntilExit was seen to hang on a killed child here.
        let pid = process.processIdentifier
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// A control endpoint's JSON.
    func control(_ path: String, post body: [String: Any]? = nil) throws -> Any {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/_fake/\(path)")!, timeoutInterval: 10)
        if let body {
            request.httpMethod = "POST"
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, _, _ in
            box.data = data
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 15)
        guard let data = box.data else { throw HarnessError("no answer from the fake at /_fake/\(path)") }
        return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    func configure(_ settings: [String: Any]) throws { _ = try control("config", post: settings) }

    /// Every instance ever created, deleted ones included.
    func instances() throws -> [[String: Any]] { try control("instances") as? [[String: Any]] ?? [] }

    /// Instances still running or booting (not deleting, not deleted): leaks, once a test is over.
    func liveInstances() throws -> [[String: Any]] {
        try instances().filter { !["deleting", "deleted"].contains($0["status"] as? String ?? "") }
    }

    func billingCents() throws -> Int {
        (try control("billing") as? [String: Any])?["total_cents"] as? Int ?? -1
    }

    func requests() throws -> [[String: Any]] { try control("requests") as? [[String: Any]] ?? [] }
}

private final class ResultBox: @unchecked Sendable {
    // Written by the URLSession callback before the semaphore is signalled, read after.
    var data: Data?
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
