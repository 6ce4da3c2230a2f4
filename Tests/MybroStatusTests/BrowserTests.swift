import Foundation
import HummingbirdWSClient
import Logging
import MybroCore
import MybroStore
import MybroTestSupport
import Synchronization
import Testing

/// The dashboard in a real headless Chromium, driven through the DevTools protocol: a recorded
/// conversation goes through mybro-status, the page must show it, Stop must reach the control
/// FIFO, and the page measures how long each event took to appear (printed, not asserted).
/// Fails (never skips) when chromium is missing: `make setup` installs it.
@Suite("mybro-status in Chromium", .serialized)
struct BrowserTests {
    static func chromium() -> String? {
        for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }

    @Test func dashboardShowsTheConversationAndStopReachesTheLoop() async throws {
        let browser = try #require(Self.chromium(), "chromium is not installed: run make setup")
        try await withTemporaryDirectory { directory in
            let fifo = directory + "/control"
            #expect(mkfifo(fifo, 0o600) == 0)
            let reader = open(fifo, O_RDWR | O_NONBLOCK)
            defer { close(reader) }
            // A history with a few finished jobs, as mybro-exec leaves it.
            let history = try JobHistory(path: directory + "/history.sqlite")
            let start = Date().addingTimeInterval(-600)
            _ = try history.write([
                JobEntry(
                    id: 4, action: "run", command: "make build", directory: directory, startedAt: start,
                    endedAt: start.addingTimeInterval(41.2), status: "succeeded", exitCode: 0,
                    output: "Build complete!"),
                JobEntry(
                    id: 5, action: "run", command: "make lint", directory: directory,
                    startedAt: start.addingTimeInterval(90),
                    endedAt: start.addingTimeInterval(96.5), status: "failed", exitCode: 2,
                    output: "Sources/App.swift:3: error: trailing whitespace"),
                JobEntry(
                    id: 6, action: "code", command: "add a --json flag to the report command", directory: directory,
                    startedAt: start.addingTimeInterval(200), endedAt: start.addingTimeInterval(283),
                    status: "succeeded", exitCode: 0, output: "Added --json; 3 files changed"),
            ])
            let status = try RunningStatus(directory: directory, arguments: ["--control", fifo])
            defer { status.stop() }

            let chrome = Process()
            chrome.executableURL = URL(fileURLWithPath: browser)
            chrome.arguments = [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                "--user-data-dir=\(directory)/chrome", "--window-size=1100,1500",
                "http://127.0.0.1:\(status.dashboardPort)/",
            ]
            let chromeErrors = directory + "/chrome.stderr"
            FileManager.default.createFile(atPath: chromeErrors, contents: nil)
            chrome.standardError = FileHandle(forWritingAtPath: chromeErrors)
            chrome.standardOutput = FileHandle.nullDevice
            try chrome.run()
            defer {
                chrome.terminate()
                chrome.waitUntilExit()
            }
            var devtoolsPort: Int?
            _ = waitUntil(timeout: 30) {
                let text = (try? String(contentsOfFile: chromeErrors, encoding: .utf8)) ?? ""
                devtoolsPort = RunningStatus.port(after: "DevTools listening on ws://127.0.0.1:", in: text)
                return devtoolsPort != nil
            }
            let port = try #require(devtoolsPort, "chromium did not start")
            var pageURL: String?
            _ = waitUntil(timeout: 20) {
                let list = try? RawHTTP.request(port: port, path: "/json/list", headers: ["Host": "127.0.0.1:\(port)"])
                let pages = (try? list.map { try JSONParser.parse($0.body) })??.arrayValue ?? []
                pageURL =
                    pages.compactMap { $0.objectValue }.first { $0["type"]?.stringValue == "page" }?[
                        "webSocketDebuggerUrl"]?.stringValue
                return pageURL != nil
            }
            let url = try #require(pageURL)
            let conversation = try String(contentsOfFile: StatusServerTests.conversation, encoding: .utf8)
                .split(separator: "\n").map(String.init)
            let results = Mutex<[String: String]>([:])

            try await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: 64 << 20), logger: Logger(label: "cdp")
            ) { inbound, outbound, _ in
                let devtools = DevTools(inbound: inbound, outbound: outbound)
                func evaluate(_ expression: String) async throws -> JSONValue? {
                    let reply = try await devtools.call(
                        "Runtime.evaluate", JSONObject(["expression": .string(expression), "returnByValue": true]))
                    return reply["result"]?.objectValue?["value"]
                }
                func waitFor(_ expression: String) async throws -> Bool {
                    for _ in 0..<200 {
                        if try await evaluate(expression)?.boolValue == true { return true }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    return false
                }
                #expect(try await waitFor("document.getElementById('conn').classList.contains('on')"))
                for line in conversation {
                    status.send(line)
                    try await Task.sleep(for: .milliseconds(30))
                }
                #expect(try await waitFor("document.getElementById('phase').textContent === 'running'"))
                #expect(try await waitFor("document.getElementById('heard').textContent.includes('run the tests')"))
                #expect(try await waitFor("document.getElementById('intent').textContent.includes('make test')"))
                #expect(try await waitFor("document.getElementById('output').textContent.includes('All tests')"))
                #expect(try await waitFor("document.querySelectorAll('.latency-bar span').length >= 2"))
                #expect(try await evaluate("document.body.textContent.includes('secretsecret')")?.boolValue == false)
                #expect(try await waitFor("document.getElementById('jobs').textContent.includes('make lint')"))
                let shot = try await devtools.call("Page.captureScreenshot", JSONObject(["format": "png"]))
                results.withLock { $0["screenshot"] = shot["data"]?.stringValue }

                // Phone width: one column, nothing wider than the screen.
                var phone = JSONObject()
                phone["width"] = 390
                phone["height"] = 844
                phone["deviceScaleFactor"] = 2
                phone["mobile"] = true
                _ = try await devtools.call("Emulation.setDeviceMetricsOverride", phone)
                #expect(try await waitFor("document.documentElement.scrollWidth <= window.innerWidth + 1"))
                _ = try await devtools.call("Emulation.clearDeviceMetricsOverride")

                // Event latency: 300 more output lines at about 100 a second.
                _ = try await evaluate("window.mybroLatencies.length = 0")
                for index in 0..<300 {
                    status.send(#"{"type":"job_output","job":7,"stream":"output","text":"line \#(index)"}"#)
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(try await waitFor("window.mybroLatencies.length >= 300"))
                let latencies = try await evaluate("JSON.stringify(window.mybroLatencies.slice().sort((a,b)=>a-b))")
                results.withLock { $0["latencies"] = latencies?.stringValue ?? "[]" }

                // Click Stop like a person: a mouse press and release on the button.
                let box = try await evaluate(
                    "JSON.stringify((r => [r.x + r.width / 2, r.y + r.height / 2])(document.getElementById('stop').getBoundingClientRect()))"
                )
                let center =
                    (try? JSONParser.parse(box?.stringValue ?? ""))?.arrayValue?.compactMap(\.doubleValue) ?? []
                #expect(center.count == 2)
                if center.count == 2 {
                    for type in ["mousePressed", "mouseReleased"] {
                        var event = JSONObject()
                        event["type"] = .string(type)
                        event["x"] = .number(center[0])
                        event["y"] = .number(center[1])
                        event["button"] = "left"
                        event["clickCount"] = 1
                        _ = try await devtools.call("Input.dispatchMouseEvent", event)
                    }
                }
            }

            // The Stop click reached the control channel as a stop intent.
            var line = ""
            #expect(
                waitUntil(timeout: 10) {
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    let count = read(reader, &buffer, buffer.count)
                    if count > 0 { line += String(decoding: buffer[0..<count], as: UTF8.self) }
                    return line.contains("\n")
                })
            #expect(ControlCommand.parse(line.trimmingCharacters(in: .newlines)) == .stop)

            let latencies = ((try? JSONParser.parse(results.withLock { $0["latencies"] } ?? "[]"))?.arrayValue ?? [])
                .compactMap(\.doubleValue)
            if !latencies.isEmpty {
                let p50 = latencies[latencies.count / 2]
                let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
                print(
                    String(
                        format: "event→browser latency over %d events: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                        latencies.count, p50, p99, latencies.last ?? 0))
            }
            let png = try #require(results.withLock { $0["screenshot"] }.flatMap { Data(base64Encoded: $0) })
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            let target = ProcessInfo.processInfo.environment["MYBRO_SCREENSHOT"] ?? directory + "/dashboard.png"
            try png.write(to: URL(fileURLWithPath: target))
        }
    }
}

/// A DevTools protocol session: numbered commands, their replies matched by id, events skipped.
final class DevTools: @unchecked Sendable {
    // @unchecked: used from the one task that runs the WebSocket handler.
    private var messages: WebSocketInboundMessageStream.AsyncIterator
    private let outbound: WebSocketOutboundWriter
    private var nextID = 1

    init(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) {
        self.messages = inbound.messages(maxSize: 64 << 20).makeAsyncIterator()
        self.outbound = outbound
    }

    func call(_ method: String, _ parameters: JSONObject = JSONObject()) async throws -> JSONObject {
        let id = nextID
        nextID += 1
        let command = JSONObject(["id": .number(Double(id)), "method": .string(method), "params": .object(parameters)])
        try await outbound.write(.text(command.serialized()))
        while let message = try await messages.next() {
            guard case .text(let text) = message, case .object(let object)? = try? JSONParser.parse(text) else {
                continue
            }
            guard object["id"]?.intValue == id else { continue }
            if let error = object["error"] { throw MybroError("\(method) failed: \(error)", status: .software) }
            return object["result"]?.objectValue ?? JSONObject()
        }
        throw MybroError("DevTools closed during \(method)", status: .software)
    }
}
