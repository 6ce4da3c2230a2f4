import Foundation
import MybroCore

/// The fake Messages API (Tests/Fixtures/exec/fake_messages_api.py), started on 127.0.0.1 for
/// one test; real HTTP, so the client's whole stack is exercised.
final class FakeMessagesServer {
    let process = Process()
    let port: Int
    let directory: URL
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    static var packageRoot: URL { Harness.packageRoot }
    static var unusedRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("no Package.swift above \(#filePath)")
    }

    /// `replies` are the scenario entries (see the script's docstring), as JSON text.
    init(replies: [String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mybro-fake-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let scenario = directory.appendingPathComponent("scenario.json")
        try ("[" + replies.joined(separator: ",") + "]").write(to: scenario, atomically: true, encoding: .utf8)
        let script = Self.packageRoot.appendingPathComponent("Tests/Fixtures/exec/fake_messages_api.py")
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
    func requests() -> [JSONObject] {
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
