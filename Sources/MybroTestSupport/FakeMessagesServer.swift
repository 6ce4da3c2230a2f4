import Foundation
import MybroCore

/// The fake Messages API (Tests/Fixtures/exec/fake_messages_api.py), started on 127.0.0.1 for
/// one test; real HTTP, so the client's whole stack is exercised.
public final class FakeMessagesServer {
    let process = Process()
    public let port: Int
    let directory: URL
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// `replies` are the scenario entries (see the script's docstring), as JSON text.
    public init(replies: [String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mybro-fake-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let scenario = directory.appendingPathComponent("scenario.json")
        try ("[" + replies.joined(separator: ",") + "]").write(to: scenario, atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: BuiltCommands.packageRoot + "/Tests/Fixtures/exec/fake_messages_api.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", script.path, scenario.path, directory.appendingPathComponent("requests.jsonl").path,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw MybroError("the fake Messages API did not start", status: .software)
        }
        self.port = port
    }

    /// The requests it received, in order.
    public func requests() -> [JSONObject] {
        let url = directory.appendingPathComponent("requests.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)).objectValue }
    }

    deinit {
        // SIGKILL: the test runner's threads block SIGTERM, and a child started from one inherits that.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}
