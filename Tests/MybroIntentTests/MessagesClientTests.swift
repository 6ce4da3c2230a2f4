import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroIntent

/// The client and the claude backend against a real HTTP server on 127.0.0.1.
@Suite struct MessagesClientTests {
    static let key = "sk-ant-test-0123456789abcdef"

    final class Sleeps: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Double] = []
        func record(_ value: Double) {
            lock.lock()
            values.append(value)
            lock.unlock()
        }
        var all: [Double] {
            lock.lock()
            defer { lock.unlock() }
            return values
        }
    }

    func backend(
        _ server: FakeMessagesServer, timeout: Double = 5, retries: Int = 2, sleeps: Sleeps = Sleeps(),
        output: ClaudeIntentBackend.StructuredOutput = .jsonSchema
    ) -> ClaudeIntentBackend {
        let configuration = MessagesAPIConfiguration(
            baseURL: server.baseURL, apiKey: Self.key, connectTimeout: timeout, attemptTimeout: timeout,
            retry: RetryPolicy(maxRetries: retries))
        let client = MessagesClient(configuration: configuration, sleep: { sleeps.record($0) }, random: { 0 })
        return ClaudeIntentBackend(client: client, structuredOutput: output)
    }

    @Test func structuredSuccessSendsTheDocumentedRequest() throws {
        let server = try FakeMessagesServer(replies: [#"{"intent":{"action":"run","task":"test","confidence":0.93}}"#])
        let intent = try backend(server).interpret("run the tests")
        #expect(intent.action == .run)
        #expect(intent.task == .test)
        #expect(intent.confidence == 0.93)
        #expect(intent.backend == "claude")
        #expect(intent.transcript == "run the tests")
        let requests = server.requests()
        #expect(requests.count == 1)
        let headers = requests[0]["headers"]?.objectValue
        #expect(headers?["x-api-key"]?.stringValue == Self.key)
        #expect(headers?["anthropic-version"]?.stringValue == "2023-06-01")
        let body = requests[0]["body"]?.objectValue
        #expect(body?["model"]?.stringValue == "claude-opus-4-6")
        #expect(body?["output_config"]?.objectValue?["format"]?.objectValue?["type"]?.stringValue == "json_schema")
        #expect(body?["system"]?.stringValue?.contains("FastAPI") == true)
    }

    @Test func forcedToolCallAnswersToo() throws {
        let server = try FakeMessagesServer(replies: [
            #"{"tool_intent":{"action":"code","prompt":"Add a README","confidence":0.8}}"#
        ])
        let intent = try backend(server, output: .tool).interpret("claude add a readme")
        #expect(intent.action == .code)
        #expect(intent.prompt == "Add a README")
        let body = server.requests()[0]["body"]?.objectValue
        #expect(body?["tool_choice"]?.objectValue?["name"]?.stringValue == "emit_intent")
    }

    @Test func rateLimitHonoursRetryAfter() throws {
        let server = try FakeMessagesServer(replies: [
            #"{"status":429,"headers":{"retry-after":"3"},"error":["rate_limit_error","Too many requests"]}"#,
            #"{"intent":{"action":"status","confidence":1}}"#,
        ])
        let sleeps = Sleeps()
        let intent = try backend(server, sleeps: sleeps).interpret("what's going on")
        #expect(intent.action == .status)
        #expect(sleeps.all == [3])
        let retryCounts = server.requests().map { $0["headers"]?.objectValue?["x-stainless-retry-count"]?.stringValue }
        #expect(retryCounts == ["0", "1"])
    }

    @Test func overloadedRetriesWithBackoffThenFails() throws {
        let server = try FakeMessagesServer(replies: [#"{"status":529,"error":["overloaded_error","Overloaded"]}"#])
        let sleeps = Sleeps()
        #expect {
            _ = try backend(server, sleeps: sleeps).interpret("build it")
        } throws: { error in
            guard let error = error as? MessagesAPIError else { return false }
            return error.kind == .http(status: 529, type: "overloaded_error") && error.attempts == 3
                && error.description.contains("request-id req_fake") && error.exitStatus == .temporaryFailure
        }
        #expect(sleeps.all == [0.5, 1.0])
        #expect(server.requests().count == 3)
    }

    @Test func serverErrorThenSuccess() throws {
        let server = try FakeMessagesServer(replies: [
            #"{"status":500,"error":["api_error","Internal server error"]}"#,
            #"{"intent":{"action":"stop","confidence":1}}"#,
        ])
        let intent = try backend(server).interpret("halt everything right now")
        #expect(intent.action == .stop)
        #expect(server.requests().count == 2)
    }

    @Test func hangPastTheTimeoutFails() throws {
        let server = try FakeMessagesServer(replies: [#"{"delay":3,"intent":{"action":"none","confidence":0}}"#])
        let started = Date()
        #expect {
            _ = try backend(server, timeout: 0.5, retries: 0).interpret("hello")
        } throws: { error in (error as? MessagesAPIError)?.kind == .timeout }
        #expect(Date().timeIntervalSince(started) < 2.5)
    }

    @Test func malformedBodyIsAProtocolError() throws {
        let server = try FakeMessagesServer(replies: [#"{"raw":"{\"type\":\"message\", this is not json"}"#])
        #expect {
            _ = try backend(server, retries: 0).interpret("hello")
        } throws: { error in
            guard let error = error as? MessagesAPIError else { return false }
            return error.kind == .malformed && error.exitStatus == .protocolError
        }
    }

    @Test func intentOutsideTheSchemaIsRejected() throws {
        let server = try FakeMessagesServer(replies: [#"{"intent":{"action":"launch_rockets","confidence":1}}"#])
        #expect {
            _ = try backend(server, retries: 0).interpret("launch")
        } throws: { error in (error as? MessagesAPIError)?.kind == .malformed }
    }

    @Test func refusalIsReported() throws {
        let server = try FakeMessagesServer(replies: [#"{"refusal":"I can't help with that."}"#])
        #expect {
            _ = try backend(server).interpret("something bad")
        } throws: { error in
            guard let error = error as? MessagesAPIError else { return false }
            return error.kind == .refusal && error.description.contains("can't help")
        }
        #expect(server.requests().count == 1)
    }

    @Test func anAnswerCutOffAtMaxTokensIsReported() throws {
        let server = try FakeMessagesServer(replies: [
            #"{"body":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"{\"action\":\"co"}],"stop_reason":"max_tokens","usage":{"input_tokens":1,"output_tokens":1024}}}"#
        ])
        #expect {
            _ = try backend(server).interpret("write a long essay")
        } throws: { error in (error as? MessagesAPIError)?.kind == .truncated }
    }

    @Test func authenticationFailureIsNotRetried() throws {
        let server = try FakeMessagesServer(replies: [
            #"{"status":401,"error":["authentication_error","invalid x-api-key"]}"#
        ])
        #expect {
            _ = try backend(server).interpret("hello")
        } throws: { error in
            guard let error = error as? MessagesAPIError else { return false }
            return error.isPermanent && error.exitStatus == .noPermission && !error.description.contains(Self.key)
        }
        #expect(server.requests().count == 1)
    }

    @Test func spendLimitIsNotRetried() throws {
        let server = try FakeMessagesServer(replies: [
            #"{"status":429,"error_code":"enforced_spend_limit_reached","error":["rate_limit_error","Spend limit reached"]}"#
        ])
        #expect(throws: MessagesAPIError.self) { _ = try backend(server).interpret("hello") }
        #expect(server.requests().count == 1)
    }

    @Test func connectionRefusedIsRetriedThenUnavailable() throws {
        // A port nothing listens on: bind one, then close it.
        let configuration = MessagesAPIConfiguration(
            baseURL: URL(string: "http://127.0.0.1:9")!, apiKey: Self.key, connectTimeout: 2, attemptTimeout: 2,
            retry: RetryPolicy(maxRetries: 1))
        let sleeps = Sleeps()
        let client = MessagesClient(configuration: configuration, sleep: { sleeps.record($0) }, random: { 0 })
        #expect {
            _ = try client.send(JSONObject(["model": "m"]))
        } throws: { error in
            guard let error = error as? MessagesAPIError else { return false }
            return error.attempts == 2 && (error.kind == .transport || error.kind == .timeout)
        }
        #expect(sleeps.all.count == 1)
    }

    @Test func autoModeFallsBackToTheRulesWhenTheAPIFails() throws {
        let server = try FakeMessagesServer(replies: [#"{"status":500,"error":["api_error","Internal server error"]}"#])
        var configuration = IntentFilterConfiguration(baseURL: server.baseURL, apiKey: Self.key)
        configuration.maxRetries = 0
        let filter = try IntentFilter(configuration: configuration)
        let intent = try filter.interpret("run the tests please")
        #expect(intent.backend == "rules")
        #expect(intent.task == .test)
        // Control words never wait for the API.
        #expect(try filter.interpret("stop").action == .stop)
        #expect(server.requests().count == 1)
    }

    @Test func conversationMemoryReachesTheSystemPrompt() throws {
        let server = try FakeMessagesServer(replies: [
            #"{"intent":{"action":"code","prompt":"Fix the parser","confidence":0.9}}"#
        ])
        let backend = backend(server)
        _ = try backend.interpret("fix the parser")
        _ = try backend.interpret("and add a test for it")
        let system = server.requests()[1]["body"]?.objectValue?["system"]?.stringValue ?? ""
        #expect(system.contains("heard \"fix the parser\" → code: Fix the parser"))
    }
}
