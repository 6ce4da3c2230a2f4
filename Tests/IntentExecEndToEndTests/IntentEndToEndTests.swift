import Foundation
import MybroCore
import MybroTestSupport
import Testing

/// mybro-intent against the fake Messages API, and the API key's privacy.
@Suite struct IntentEndToEndTests {
    static let key = "sk-ant-api03-SECRETSECRETSECRET-0123456789"

    @Test func claudeBackendAndPassThrough() throws {
        let server = try FakeMessagesServer(replies: [
            #"{"intent":{"action":"code","prompt":"Add a FastAPI health endpoint","confidence":0.9}}"#
        ])
        let input = """
            {"type":"speech_start"}
            {"type":"transcript","text":"add a health check","final":false}
            {"type":"transcript","text":"add a health endpoint"}

            """
        let result = try Harness.shell(
            "\"$INTENT\" --backend claude --model claude-haiku-4-5", input: input,
            environment: ["ANTHROPIC_API_KEY": Self.key, "ANTHROPIC_BASE_URL": server.baseURL.absoluteString])
        #expect(result.status == 0, "\(result.stderr)")
        let records = result.records
        #expect(records.map { $0["type"]?.stringValue } == ["speech_start", "transcript", "intent"])
        #expect(records[2]["prompt"]?.stringValue == "Add a FastAPI health endpoint")
        #expect(records[2]["backend"]?.stringValue == "claude")
        #expect(server.requests().first?["body"]?.objectValue?["model"]?.stringValue == "claude-haiku-4-5")
    }

    @Test func theKeyNeverReachesALog() throws {
        let server = try FakeMessagesServer(replies: [
            #"{"status":500,"error":["api_error","Internal server error"]}"#,
            #"{"status":429,"headers":{"retry-after":"0.1"},"error":["rate_limit_error","slow down"]}"#,
            #"{"intent":{"action":"run","task":"build","confidence":0.8}}"#,
            #"{"raw":"not json at all"}"#,
            #"{"status":401,"error":["authentication_error","invalid x-api-key"]}"#,
        ])
        let state = try Harness.temporaryDirectory("keylog")
        let logFile = state.appendingPathComponent("mybro.log").path
        try "read env args: NONE\n".write(
            toFile: state.appendingPathComponent("policy").path, atomically: true, encoding: .utf8)
        let input =
            "build it\nclaude fix the parser\nwhat is this\n" + #"{"type":"intent","action":"run","command":"env"}"#
            + "\ntell me a joke\nrun the tests\n"
        let result = try Harness.shell(
            "\"$INTENT\" -v --retries 1 | \"$EXEC\" -v --no-history --claude /nonexistent/claude --cwd '\(state.path)' --policy '\(state.path)/policy'",
            input: input,
            environment: [
                "ANTHROPIC_API_KEY": Self.key, "ANTHROPIC_BASE_URL": server.baseURL.absoluteString,
                "MYBRO_LOG_FILE": logFile,
            ])
        let rerun = result
        let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        for text in [result.stdout, result.stderr, rerun.stdout, rerun.stderr, log] {
            #expect(!text.contains(Self.key))
            #expect(!text.contains("SECRETSECRET"))
        }
        // The failures were reported, with what a person needs.
        #expect(
            rerun.stderr.contains("HTTP 401 authentication_error")
                || result.stderr.contains("HTTP 401 authentication_error"))
        #expect(result.stderr.contains("HTTP 500 api_error"))
        #expect(result.stderr.contains("request-id req_fake"))
        // `env` ran (its output is in the stream) without the key in its environment.
        #expect(rerun.records("job_output").contains { $0["text"]?.stringValue?.hasPrefix("PATH=") == true })
        #expect(server.requests().allSatisfy { $0["headers"]?.objectValue?["x-api-key"]?.stringValue == Self.key })
    }

    @Test func missingKeyAndBadOptions() throws {
        let noKey = try Harness.shell("env -u ANTHROPIC_API_KEY \"$INTENT\" --backend claude", input: "hi\n")
        #expect(noKey.status == 78)
        #expect(noKey.stderr.contains("ANTHROPIC_API_KEY"))
        let badURL = try Harness.shell("\"$INTENT\" --base-url ftp://x", input: "")
        #expect(badURL.status == 64)
        let rules = try Harness.shell("\"$INTENT\" --print-rules")
        #expect(rules.stdout.contains("FastAPI"))
    }
}
