import Foundation
import HummingbirdWSClient
import Logging
import MybroCore
import MybroTestSupport
import Synchronization
import Testing

@Suite("mybro-status HTTP and WebSocket", .serialized)
struct StatusServerTests {
    static let conversation = BuiltCommands.packageRoot + "/Tests/Fixtures/status/conversation.jsonl"

    func feedConversation(_ status: RunningStatus) throws {
        for line in try String(contentsOfFile: Self.conversation, encoding: .utf8).split(separator: "\n") {
            status.send(String(line))
        }
    }

    @Test func stateFollowsTheRecordsAndRedactsSecrets() throws {
        try withTemporaryDirectory { directory in
            let status = try RunningStatus(directory: directory)
            defer { status.stop() }
            try feedConversation(status)
            status.send("not json at all")
            var state: JSONObject?
            #expect(
                waitUntil {
                    state = try? RawHTTP.request(port: status.dashboardPort, path: "/v1/state").json
                    return state?["status"]?.objectValue?["malformed"]?.intValue == 1
                })
            let current = try #require(state)
            #expect(current["status"]?.objectValue?["phase"]?.stringValue == "running")
            #expect(current["status"]?.objectValue?["records"]?.intValue == 12)
            #expect((current["status"]?.objectValue?["level"]?.doubleValue ?? -100) > -20)
            #expect(current["words"]?.objectValue?["transcript"]?.stringValue == "run the tests")
            #expect(current["intent"]?.objectValue?["command"]?.stringValue == "make test")
            #expect(current["job"]?.objectValue?["job"]?.intValue == 7)
            let output = current["output"]?.arrayValue?.compactMap { $0.objectValue?["text"]?.stringValue } ?? []
            #expect(output.count == 3)
            #expect(output.last?.contains("[redacted]") == true)
            #expect(!output.joined().contains("secretsecret"))
            let request = try #require(current["requests"]?.arrayValue?.last?.objectValue)
            #expect(request["intent_ms"]?.doubleValue != nil)
            #expect(request["reply_ms"]?.doubleValue != nil)
            #expect(status.stderr.contains("record 13: invalid JSON; skipped"))
        }
    }

    @Test func errorsAreStructuredWithTheRightStatus() throws {
        try withTemporaryDirectory { directory in
            let status = try RunningStatus(directory: directory)
            defer { status.stop() }
            let port = status.dashboardPort
            let missing = try RawHTTP.request(port: port, path: "/v1/nothing")
            #expect(missing.status == 404 && missing.errorCode == "not_found")
            #expect(missing.headers["content-type"] == "application/json")
            #expect(try RawHTTP.request(port: port, path: "/v1/jobs/abc").status == 400)
            let noJob = try RawHTTP.request(port: port, path: "/v1/jobs/99")
            #expect(noJob.status == 404 && noJob.errorCode == "not_found")
            #expect(try RawHTTP.request(port: port, path: "/v1/jobs?limit=0").errorCode == "bad_request")
            #expect(try RawHTTP.request(port: port, path: "/v1/logs?level=loud").status == 400)
            let jobs = try RawHTTP.request(port: port, path: "/v1/jobs")
            #expect(jobs.status == 200 && jobs.json?["jobs"]?.arrayValue?.isEmpty == true)
            // DNS rebinding: a page at another name reaches 127.0.0.1 with its own Host header.
            let rebound = try RawHTTP.request(port: port, path: "/v1/state", headers: ["Host": "evil.example:\(port)"])
            #expect(rebound.status == 421 && rebound.errorCode == "bad_host")
            let page = try RawHTTP.request(port: port, path: "/")
            #expect(page.status == 200 && page.body.contains("<title>mybro</title>"))
        }
    }

    @Test func controlNeedsCSRFIsRateLimitedAndReachesTheFIFO() throws {
        try withTemporaryDirectory { directory in
            let fifo = directory + "/control"
            #expect(mkfifo(fifo, 0o600) == 0)
            let reader = open(fifo, O_RDWR | O_NONBLOCK)
            defer { close(reader) }
            let status = try RunningStatus(directory: directory, arguments: ["--control", fifo])
            defer { status.stop() }
            let port = status.dashboardPort
            let noToken = try RawHTTP.request(port: port, method: "POST", path: "/v1/control/stop")
            #expect(noToken.status == 403 && noToken.errorCode == "csrf")
            let csrf = try #require(RawHTTP.request(port: port, path: "/v1/session").json?["csrf"]?.stringValue)
            let wrong = try RawHTTP.request(
                port: port, method: "POST", path: "/v1/control/stop", headers: ["X-CSRF-Token": "x" + csrf.dropFirst()])
            #expect(wrong.status == 403)
            let sent = try RawHTTP.request(
                port: port, method: "POST", path: "/v1/control/stop", headers: ["X-CSRF-Token": csrf])
            #expect(sent.status == 202)
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(reader, &buffer, buffer.count)
            let line = String(decoding: buffer[0..<max(count, 0)], as: UTF8.self)
            #expect(ControlCommand.parse(line.trimmingCharacters(in: .newlines)) == .stop)
            #expect(line.contains("\"backend\":\"control\""))
            var statuses: [Int] = []
            let burstBegan = Date()
            for _ in 0..<15 {
                statuses.append(
                    try RawHTTP.request(
                        port: port, method: "POST", path: "/v1/control/confirm", headers: ["X-CSRF-Token": csrf]
                    ).status)
            }
            // The bucket holds 10 and refills 2 a second: what a slow (loaded) burst may earn.
            let seconds = Date().timeIntervalSince(burstBegan)
            let accepted = statuses.filter { $0 == 202 }.count
            #expect(Double(accepted) <= 10 + (2 * seconds).rounded(.up), "\(accepted) in \(seconds) s")
            if seconds < 2 { #expect(statuses.contains(429), "\(statuses) in \(seconds) s") }
        }
    }

    @Test func controlWithoutAChannelSaysWhy() throws {
        try withTemporaryDirectory { directory in
            let status = try RunningStatus(directory: directory)
            defer { status.stop() }
            let port = status.dashboardPort
            let csrf = try #require(RawHTTP.request(port: port, path: "/v1/session").json?["csrf"]?.stringValue)
            let response = try RawHTTP.request(
                port: port, method: "POST", path: "/v1/control/deny", headers: ["X-CSRF-Token": csrf])
            #expect(response.status == 503 && response.errorCode == "no_control_channel")
        }
    }

    @Test func logServiceTakesLinesFiltersAndRedacts() throws {
        try withTemporaryDirectory { directory in
            let status = try RunningStatus(directory: directory)
            defer { status.stop() }
            let port = status.logPort
            var body = ""
            for index in 0..<50 {
                body +=
                    #"{"time":"2026-01-01T00:00:00.000Z","tool":"mybro-\#(index % 2 == 0 ? "vad" : "exec")","pid":1,"level":"\#(index % 5 == 0 ? "warning" : "info")","message":"line \#(index)"}"#
                    + "\n"
            }
            body +=
                "garbage\n" + #"{"tool":"x","level":"error","message":"key sk-ant-api03-abcdefghijklmnopqrstu"}"# + "\n"
            let posted = try RawHTTP.request(port: port, method: "POST", path: "/v1/logs", body: body)
            #expect(posted.status == 200)
            #expect(posted.json?["malformed"]?.intValue == 1)
            let warnings = try RawHTTP.request(port: port, path: "/v1/logs?level=warning&tool=mybro-vad")
            let messages = warnings.json?["logs"]?.arrayValue?.compactMap { $0.objectValue?["message"]?.stringValue }
            #expect(messages == ["line 0", "line 10", "line 20", "line 30", "line 40"])
            let limited = try RawHTTP.request(port: port, path: "/v1/logs?limit=3&since=40")
            #expect(limited.json?["logs"]?.arrayValue?.count == 3)
            let errors = try RawHTTP.request(port: port, path: "/v1/logs?level=error")
            #expect(errors.body.contains("[redacted]") && !errors.body.contains("abcdefghijklmnop"))
            let files = try RawHTTP.request(port: port, path: "/v1/logs/files")
            #expect(files.body.contains("\"mybro.log\""))
            let file = try RawHTTP.request(port: port, path: "/v1/logs/files/mybro.log")
            #expect(file.body.split(separator: "\n").count == 51)
            #expect(try RawHTTP.request(port: port, path: "/v1/logs/files/..%2Fhistory.sqlite").status == 404)
        }
    }

    @Test func commandsSendTheirDiagnosticsToMYBRO_LOG_URL() throws {
        try withTemporaryDirectory { directory in
            let status = try RunningStatus(directory: directory)
            defer { status.stop() }
            let url = "http://127.0.0.1:\(status.logPort)/v1/logs"
            let result = try shell(
                "printf '{broken\\n' | mybro-intent --backend rules", environment: ["MYBRO_LOG_URL": url])
            #expect(result.status == 0)
            #expect(
                waitUntil {
                    let logs = try? RawHTTP.request(port: status.logPort, path: "/v1/logs?tool=mybro-intent")
                    return logs?.body.contains("invalid JSON") == true
                })
            // The service down: the command neither waits nor fails.
            status.stop()
            let started = Date()
            let down = try shell(
                "printf '{broken\\n' | mybro-intent --backend rules", environment: ["MYBRO_LOG_URL": url])
            #expect(down.status == 0)
            #expect(Date().timeIntervalSince(started) < 5)
        }
    }

    @Test func webSocketSendsASnapshotThenUpdatesAndRefusesOtherOrigins() async throws {
        try await withTemporaryDirectory { directory in
            let status = try RunningStatus(directory: directory)
            defer { status.stop() }
            let port = status.dashboardPort
            let logger = Logger(label: "test")
            let received = ReceivedMessages()
            var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
            configuration.additionalHeaders[.origin] = "http://127.0.0.1:\(port)"
            try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/v1/events", configuration: configuration, logger: logger
            ) { inbound, _, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                if case .text(let first)? = try await messages.next() { received.append(first) }
                status.send(#"{"type":"transcript","text":"hello there","t0":0,"t1":1}"#)
                if case .text(let second)? = try await messages.next() { received.append(second) }
            }
            let messages = received.all.compactMap { (try? JSONParser.parse($0))?.objectValue }
            #expect(messages.first?["kind"]?.stringValue == "snapshot")
            #expect(messages.last?["kind"]?.stringValue == "update")
            #expect(received.all.last?.contains("hello there") == true)

            var hostile = WebSocketClientConfiguration()
            hostile.additionalHeaders[.origin] = "http://evil.example"
            await #expect(throws: (any Error).self) {
                try await WebSocketClient.connect(
                    url: "ws://127.0.0.1:\(port)/v1/events", configuration: hostile, logger: logger
                ) { _, _, _ in }
            }
        }
    }

    @Test func logTailSendsOnlyWhatItsFilterAsksFor() async throws {
        try await withTemporaryDirectory { directory in
            let status = try RunningStatus(directory: directory)
            defer { status.stop() }
            let received = ReceivedMessages()
            try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(status.logPort)/v1/logs/tail?level=warning&tool=mybro-vad",
                configuration: .init(maxFrameSize: 1 << 20), logger: Logger(label: "test")
            ) { inbound, _, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                if case .text(let hello)? = try await messages.next() { #expect(hello.contains("\"tail\"")) }
                let body = [
                    #"{"tool":"mybro-vad","level":"info","message":"quiet"}"#,
                    #"{"tool":"mybro-exec","level":"error","message":"other tool"}"#,
                    #"{"tool":"mybro-vad","level":"warning","message":"loud"}"#,
                ].joined(separator: "\n")
                _ = try RawHTTP.request(port: status.logPort, method: "POST", path: "/v1/logs", body: body)
                if case .text(let text)? = try await messages.next() { received.append(text) }
            }
            #expect(received.all.count == 1)
            #expect(received.all.first?.contains("\"loud\"") == true)
        }
    }

    @Test func slowWebSocketClientsAreDropped() async throws {
        try await withTemporaryDirectory { directory in
            let status = try RunningStatus(directory: directory, arguments: ["--client-queue", "16"])
            defer { status.stop() }
            let port = status.dashboardPort
            let logger = Logger(label: "test")
            let line =
                #"{"type":"job_output","job":1,"stream":"output","text":""# + String(repeating: "x", count: 60_000)
                + "\"}"
            try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/v1/events", configuration: .init(maxFrameSize: 1 << 20), logger: logger
            ) { _, _, _ in
                // Never read: the server must give up on us rather than buffer without end.
                for _ in 0..<400 { status.send(line) }
                let dropped = waitUntil(timeout: 20) {
                    (try? RawHTTP.request(port: port, path: "/v1/state").json?["dropped_clients"]?.intValue) == 1
                }
                #expect(dropped)
            }
        }
    }
}

final class ReceivedMessages: Sendable {
    private let messages = Mutex<[String]>([])
    func append(_ message: String) { messages.withLock { $0.append(message) } }
    var all: [String] { messages.withLock { $0 } }
}
