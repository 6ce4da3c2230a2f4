import Testing

@testable import MybroCore

@Suite struct SecretRedactionTests {
    @Test(arguments: [
        ("key sk-ant-api03-abcdefghijklmnopqrstuv here", "key [redacted] here"),
        ("ANTHROPIC_API_KEY=sk-whatever-value next", "ANTHROPIC_API_KEY=[redacted] next"),
        ("GH_TOKEN: ghp_0123456789abcdefghij", "GH_TOKEN: [redacted]"),
        ("Authorization: Bearer abcdefgh12345678", "Authorization: Bearer [redacted]"),
        ("aws AKIAABCDEFGHIJKLMNOP done", "aws [redacted] done"),
        ("do dop_v1_" + String(repeating: "0123456789abcdef", count: 4) + " end", "do [redacted] end"),
        ("KEY=sk-ant-api03-abcdefghijklmnopqrstuv", "KEY=[redacted]"),
        ("url = https://ghp_0123456789abcdefghij@github.com/x", "url = https://[redacted]@github.com/x"),
        (#"{"env":"MY_PASSWORD='hunter22'"}"#, #"{"env":"MY_PASSWORD='[redacted]'"}"#),
    ])
    func secretsAreHidden(input: String, expected: String) {
        #expect(SecretRedaction.redact(input) == expected)
    }

    @Test(arguments: [
        "run the tests", "PATH=/usr/bin:/bin", "task-list sk-short", "Error: the build failed", "",
        "make HOME=/tmp test", "ask-ant-colony", "the key is ready",
    ])
    func ordinaryTextIsLeftAlone(text: String) {
        #expect(SecretRedaction.redact(text) == text)
    }

    /// A record's strings, nested ones too, lose their secrets; its audio and type stay, and a
    /// record with nothing to hide keeps its original line.
    @Test func recordsAreRedactedThroughout() throws {
        let secret = "sk-ant-api03-abcdefghijklmnopqrstuv"
        func parsed(_ line: String) throws -> Record {
            Record(parsed: try #require(try JSONParser.parse(line).objectValue), line: line)
        }
        let record = try parsed(
            #"{"type":"job_output","text":"KEY=\#(secret)","lines":["a","\#(secret)"],"meta":{"cmd":"touch \#(secret)"},"pcm":"c2stYW50"}"#
        )
        let redacted = SecretRedaction.redact(record)
        #expect(!redacted.serialized().contains(secret))
        #expect(redacted.fields["text"]?.stringValue == "KEY=[redacted]")
        #expect(redacted.fields["lines"] == .array([.string("a"), .string("[redacted]")]))
        #expect(redacted.fields["pcm"]?.stringValue == "c2stYW50" && redacted.type == "job_output")
        let plain = #"{"type":"say",  "text":"done"}"#
        #expect(SecretRedaction.redact(try parsed(plain)).serialized() == plain)
    }
}

@Suite struct ControlCommandTests {
    @Test func onlyStopConfirmDenyAndMutePass() {
        #expect(ControlCommand.parse(#"{"type":"intent","action":"stop"}"#) == .stop)
        #expect(ControlCommand.parse(#"{"type":"intent","action":"deny","command":"rm -rf /"}"#) == .deny)
        #expect(ControlCommand.parse(#"{"type":"mute","muted":false}"#) == .unmute)
        #expect(ControlCommand.parse(#"{"type":"intent","action":"run","command":"make"}"#) == nil)
        #expect(ControlCommand.parse(#"{"type":"mute","muted":"yes"}"#) == nil)
        #expect(ControlCommand.parse(#"{"type":"say","text":"hi"}"#) == nil)
        #expect(ControlCommand.parse("not json") == nil)
        #expect(
            ControlCommand.parse(
                #"{"type":"intent","action":"stop","x":""# + String(repeating: "a", count: 5000) + "\"}") == nil)
    }

    @Test func theRecordIsRebuiltFromTheActionAlone() {
        let record = ControlCommand.deny.record
        #expect(record["action"]?.stringValue == "deny")
        #expect(record["backend"]?.stringValue == "control")
        #expect(record["command"] == nil)
    }
}

@Suite struct LogForwarderTests {
    @Test func urlsAreParsed() throws {
        let target = try LogForwarder.parse(url: "http://127.0.0.1:7778/v1/logs").get()
        #expect(target.host == "127.0.0.1" && target.port == 7778 && target.path == "/v1/logs")
        let six = try LogForwarder.parse(url: "http://[::1]:9000").get()
        #expect(six.host == "::1" && six.port == 9000 && six.path == "/v1/logs")
        for bad in ["https://host/x", "http://:80/", "http://host:0/", "http://host:99999/", "ftp://x", "http://[::1"] {
            #expect((try? LogForwarder.parse(url: bad).get()) == nil, "\(bad)")
        }
    }

    @Test func aServiceThatIsDownCostsNothingAndIsCounted() {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        let forwarder = LogForwarder(host: "127.0.0.1", port: 1, path: "/v1/logs", token: nil)
        let started = LogForwarder.now()
        for index in 0..<1000 { forwarder.send { _ in "{\"message\":\"\(index)\"}\n" } }
        #expect(LogForwarder.now() - started < 1)
        #expect(forwarder.dropped == 1000)
    }
}
