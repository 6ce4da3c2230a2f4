import Foundation
import MybroCore
import Testing

@testable import MybroIntent

/// Semantic endpointing: which partial transcripts end a turn at a short pause, and how the
/// final transcript of the same speech is then dropped.
@Suite("Early endpointing")
struct EarlyEndpointerTests {
    let rules = RulesGrammar()
    var judge: (String) -> Intent? { { [rules] in rules.interpret($0) } }

    @Test(arguments: [
        "run the tests", "stop", "never mind", "undo that", "git status", "what are you doing",
        "did the tests pass", "build in release mode", "show me the last five commits", "yes", "no",
    ])
    func completeRequestsEndTheTurn(text: String) {
        #expect(EarlyEndpointer.isComplete(rules.interpret(text)), "\(rules.interpret(text))")
    }

    @Test(arguments: [
        "run the", "can you", "could you please", "fix the bug in", "and then", "", "um",
        "add a test for the parser",  // a code task: sentences like it often go on
    ])
    func incompleteSentencesWait(text: String) {
        #expect(!EarlyEndpointer.isComplete(rules.interpret(text)), "\(rules.interpret(text))")
    }

    @Test func aCompletePartialActsOnceItsPauseComesInEitherOrder() {
        var endpointer = EarlyEndpointer()
        endpointer.speechStarted()
        let r1 = endpointer.heard(partialText: "Run the tests.", t0: 1.0, t1: 2.2, judge: judge)
        #expect(r1 == nil)
        let early = endpointer.heard(pauseAt: 2.1, t0: 1.0, judge: judge)
        #expect(early?.intent.task == .test)
        // The pause first, then the partial.
        endpointer.speechStarted()
        let r2 = endpointer.heard(pauseAt: 5.1, t0: 4.0, judge: judge)
        #expect(r2 == nil)
        let r3 = endpointer.heard(partialText: "stop", t0: 4.0, t1: 5.2, judge: judge)?.intent.action == .stop
        #expect(r3)
    }

    @Test func aPartialThatMissesTheLastWordsDoesNotAct() {
        var endpointer = EarlyEndpointer()
        // The partial's audio ends at 1.8 s, but speech went on to 2.1 s before the pause.
        let r4 = endpointer.heard(partialText: "run the tests", t0: 1.0, t1: 1.8, judge: judge)
        #expect(r4 == nil)
        let r5 = endpointer.heard(pauseAt: 2.1, t0: 1.0, judge: judge)
        #expect(r5 == nil)
    }

    @Test func aPauseOfOtherSpeechDoesNotAct() {
        var endpointer = EarlyEndpointer()
        let r6 = endpointer.heard(partialText: "run the tests", t0: 1.0, t1: 2.2, judge: judge)
        #expect(r6 == nil)
        let r7 = endpointer.heard(pauseAt: 6.1, t0: 5.0, judge: judge)
        #expect(r7 == nil)
    }

    @Test func anIncompletePartialWaitsForTheUtterance() {
        var endpointer = EarlyEndpointer()
        let r8 = endpointer.heard(partialText: "run the", t0: 1.0, t1: 1.6, judge: judge)
        #expect(r8 == nil)
        let r9 = endpointer.heard(pauseAt: 1.5, t0: 1.0, judge: judge)
        #expect(r9 == nil)
        // Then the final transcript is read as usual.
        let r10 = endpointer.alreadyActed(t0: 1.0, intent: rules.interpret("run the tests"))
        #expect(!r10)
    }

    @Test func theFinalTranscriptOfSpeechActedOnIsDroppedOnceWhenItMeansTheSame() {
        var endpointer = EarlyEndpointer()
        _ = endpointer.heard(partialText: "run the tests", t0: 1.0, t1: 2.2, judge: judge)
        let r11 = endpointer.heard(pauseAt: 2.1, t0: 1.0, judge: judge)
        #expect(r11 != nil)
        // A second pause of the same speech (the speaker went on) does not act again.
        _ = endpointer.heard(partialText: "run the tests", t0: 1.0, t1: 3.2, judge: judge)
        let r12 = endpointer.heard(pauseAt: 3.1, t0: 1.0, judge: judge)
        #expect(r12 == nil)
        let r13 = endpointer.alreadyActed(t0: 1.0, intent: rules.interpret("Run the tests, please."))
        #expect(r13)
        // Forgotten after: new speech with the same words is a new request.
        let r14 = endpointer.alreadyActed(t0: 1.0, intent: rules.interpret("run the tests"))
        #expect(!r14)
    }

    @Test func aFinalTranscriptThatSaysMoreIsANewRequest() {
        var endpointer = EarlyEndpointer()
        _ = endpointer.heard(partialText: "run the tests", t0: 1.0, t1: 2.2, judge: judge)
        _ = endpointer.heard(pauseAt: 2.1, t0: 1.0, judge: judge)
        let r15 = endpointer.alreadyActed(t0: 1.0, intent: rules.interpret("run the tests in release mode and build"))
        #expect(!r15)
    }
}

/// The filter as mybro-intent runs it, on records: one intent for a request ended early.
@Suite("Early endpointing in the intent filter")
struct EarlyEndpointingFilterTests {
    @Test func actsAtThePauseAndNotAgainOnTheUtterance() throws {
        let lines = [
            #"{"type":"speech_start","t":1.0}"#,
            #"{"type":"pause","t0":1.0,"t1":2.1,"silence":0.21}"#,
            #"{"type":"partial","t0":1.0,"t1":2.22,"text":" Run the tests."}"#,
            #"{"type":"speech_end","t":2.6}"#,
            #"{"type":"transcript","t0":1.0,"t1":2.6,"text":" Run the tests."}"#,
            #"{"type":"speech_start","t":4.0}"#,
            #"{"type":"partial","t0":4.0,"t1":4.62,"text":" Run the"}"#,
            #"{"type":"pause","t0":4.0,"t1":4.5,"silence":0.21}"#,
            #"{"type":"speech_end","t":5.6}"#,
            #"{"type":"transcript","t0":4.0,"t1":5.6,"text":" Run the build."}"#,
        ]
        let types = try IntentFilterHarness.run(lines: lines).map { $0["type"]?.stringValue ?? "" }
        #expect(
            types == [
                "speech_start", "pause", "partial", "intent", "speech_end", "speech_start", "partial", "pause",
                "speech_end", "intent",
            ])
    }
}

/// Runs an offline IntentFilter over input lines (through files) and returns its records.
enum IntentFilterHarness {
    static func run(lines: [String], continuation: TimeInterval = 1.5) throws -> [Record] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mybro-early-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.jsonl").path
        let outputPath = directory.appendingPathComponent("out.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        var configuration = IntentFilterConfiguration(baseURL: URL(string: "http://127.0.0.1:9")!, apiKey: nil)
        configuration.backend = .rules
        configuration.continuation = continuation
        let fd = open(input, O_RDONLY)
        defer { close(fd) }
        let filter = try IntentFilter(configuration: configuration, output: try OutputSink.create(path: outputPath))
        try filter.run(fd: fd)
        let text = try String(contentsOfFile: outputPath, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let object = (try? JSONParser.parse(String(line)))?.objectValue,
                let type = object["type"]?.stringValue
            else { return nil }
            return Record(type: type, fields: object)
        }
    }
}
