import Foundation
import MybroCore
import MybroTestSupport

/// mybro-status started by a test on free ports, its stdin open for the loop's records.
final class RunningStatus: @unchecked Sendable {
    // @unchecked: set up in init, then only read; the Process and FileHandle are used from the
    // test's own task.
    let process = Process()
    let input: FileHandle
    let stderrPath: String
    let dashboardPort: Int
    let logPort: Int

    init(directory: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        stderrPath = directory + "/status.stderr"
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: BuiltCommands.path("mybro-status"))
        process.arguments =
            [
                "--port", "0", "--log-port", "0", "--history", directory + "/history.sqlite", "--log-dir",
                directory + "/logs",
            ]
            + arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        env.removeValue(forKey: "MYBRO_LOG_URL")
        process.environment = env
        let pipe = Pipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        input = pipe.fileHandleForWriting
        ignoreBrokenPipes()
        try process.run()
        var ports: (Int, Int)?
        let path = stderrPath
        _ = waitUntil(timeout: 20) {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if let dashboard = Self.port(after: "dashboard on http://127.0.0.1:", in: text),
                let logs = Self.port(after: "log service on http://127.0.0.1:", in: text)
            {
                ports = (dashboard, logs)
            }
            return ports != nil
        }
        guard let ports else {
            process.terminate()
            throw MybroError(
                "mybro-status did not start: \(try String(contentsOfFile: path, encoding: .utf8))", status: .software)
        }
        (dashboardPort, logPort) = ports
    }

    static func port(after prefix: String, in text: String) -> Int? {
        guard let range = text.range(of: prefix) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    func send(_ line: String) {
        input.write(Data((line + "\n").utf8))
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func stop() {
        try? input.close()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

/// A raw HTTP/1.1 exchange over a loopback socket, so tests control every header (Host,
/// Origin) that URLSession would set for them.
struct RawHTTP {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
        var json: JSONObject? { (try? JSONParser.parse(body))?.objectValue }
        var errorCode: String? { json?["error"]?.objectValue?["code"]?.stringValue }
    }

    static func request(
        port: Int, method: String = "GET", path: String, headers: [String: String] = [:], body: String = ""
    ) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MybroError("socket failed", status: .software) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw MybroError("cannot connect to port \(port)", status: .software) }
        var head = "\(method) \(path) HTTP/1.1\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
        var fields = headers
        if fields["Host"] == nil { fields["Host"] = "127.0.0.1:\(port)" }
        for (name, value) in fields { head += "\(name): \(value)\r\n" }
        _ = SystemIO.writeAll(fd, head + "\r\n" + body)
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        // Until the server closes, or the body its Content-Length announced has arrived (some
        // servers, Chromium's DevTools among them, keep the connection open).
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            data += buffer[0..<count]
            if let end = data.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).lowercased()
                // Lines split on "\r\n" (one Character in Swift, so not by "\r").
                let length = head.components(separatedBy: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
                if let length, data.count - end.upperBound >= length { break }
            }
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else {
            throw MybroError("no HTTP response: \(text)", status: .software)
        }
        let lines = text[..<split.lowerBound].split(separator: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var parsed: [String: String] = [:]
        for line in lines.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces)
            }
        }
        return Response(status: status, headers: parsed, body: String(text[split.upperBound...]))
    }
}
