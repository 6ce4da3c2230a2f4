import Foundation
import MybroCore
import Testing

@testable import MybroIntent

/// Speakers who pause mid-sentence: which transcripts stop where no sentence ends, and how the
/// intent filter joins such a beginning to the rest.
@Suite("Pauses mid-sentence")
struct ContinuationHoldTests {
    @Test(arguments: [
        "please build the", "Can you.", "could you", "switch to", "run the tests and", "Show me the.",
        "what is the", "undo the", "so", "um", "a branch called", "I want", "commit it with", "what's",
        "Please.", "merge it into",
    ])
    func unfinishedSentences(text: String) {
        #expect(UnfinishedSentence.isUnfinished(text))
    }

    @Test(arguments: [
        "run the tests", "stop", "undo that", "explain this", "run the tests please", "log in", "go on",
        "what is it about", "never mind", "yes", "no", "", "Switch to main.", "clean up", "show me the diff",
        "what's new", "so what",
    ])
    func finishedSentences(text: String) {
        #expect(!UnfinishedSentence.isUnfinished(text))
    }

    @Test func joiningDropsTheBeginningsFullStop() {
        #expect(
            UnfinishedSentence.join(" Please build the.", " project in release mode.")
                == "Please build the project in release mode.")
        #expect(UnfinishedSentence.join("Can you…", "") == "Can you")
        #expect(UnfinishedSentence.join("", " stop") == "stop")
    }

    static func intents(_ records: [Record]) -> [Record] { records.filter { $0.type == RecordType.intent } }

    @Test func aBeginningAndItsRestBecomeOneRequest() throws {
        let records = try IntentFilterHarness.run(lines: [
            #"{"type":"speech_start","t":1.0}"#,
            #"{"type":"transcript","t0":1.0,"t1":2.0,"text":" Please build the."}"#,
            #"{"type":"speech_end","t":2.5}"#,
            #"{"type":"speech_start","t":3.3}"#,
            #"{"type":"transcript","t0":3.3,"t1":4.6,"text":" project in release mode."}"#,
            #"{"type":"speech_end","t":5.1}"#,
        ])
        let intents = Self.intents(records)
        #expect(intents.count == 1)
        #expect(intents.first?["task"]?.stringValue == "build")
        #expect(intents.first?["mode"]?.stringValue == "release")
        #expect(intents.first?["transcript"]?.stringValue == "Please build the project in release mode.")
        // The intent comes after the rest of the sentence has started, never at the beginning.
        let types = records.map { $0.type }
        #expect(types == ["speech_start", "speech_end", "speech_start", "intent", "speech_end"])
    }

    @Test func aBeginningNothingFollowsGetsADidNotCatchReplyNotAGuess() throws {
        let records = try IntentFilterHarness.run(lines: [
            #"{"type":"transcript","t0":1.0,"t1":2.0,"text":" What is the."}"#
        ])
        let intents = Self.intents(records)
        #expect(intents.map { $0["action"]?.stringValue } == ["none"])
        #expect(records.first { $0.type == RecordType.say }?["text"]?.stringValue?.contains("What is the") == true)
    }

    @Test func withoutAHoldTheBeginningIsReadAtOnce() throws {
        let records = try IntentFilterHarness.run(
            lines: [
                #"{"type":"transcript","t0":1.0,"t1":2.0,"text":" Please build the."}"#,
                #"{"type":"transcript","t0":3.0,"t1":4.0,"text":" project in release mode."}"#,
            ], continuation: 0)
        #expect(Self.intents(records).count == 2)
    }

    @Test func typedLinesAreNeverHeld() throws {
        let records = try IntentFilterHarness.run(lines: ["run the tests and", "git status"])
        #expect(Self.intents(records).count == 2)
    }

    @Test func noiseWithoutWordsDoesNotEndTheWait() throws {
        let records = try IntentFilterHarness.run(lines: [
            #"{"type":"transcript","t0":1.0,"t1":2.0,"text":" Switch to"}"#,
            #"{"type":"transcript","t0":2.5,"t1":2.7,"text":""}"#,
            #"{"type":"transcript","t0":3.0,"t1":4.0,"text":" the main branch."}"#,
        ])
        let intents = Self.intents(records)
        #expect(intents.count == 1)
        #expect(intents.first?["transcript"]?.stringValue == "Switch to the main branch.")
    }

    @Test func aPartialThatCompletesTheBeginningActsEarlyOnTheWholeSentence() throws {
        let records = try IntentFilterHarness.run(lines: [
            #"{"type":"transcript","t0":1.0,"t1":2.0,"text":" Can you"}"#,
            #"{"type":"speech_start","t":3.0}"#,
            #"{"type":"partial","t0":3.0,"t1":4.02,"text":" show me the diff."}"#,
            #"{"type":"pause","t0":3.0,"t1":4.0,"silence":0.21}"#,
            #"{"type":"speech_end","t":4.5}"#,
            #"{"type":"transcript","t0":3.0,"t1":4.5,"text":" show me the diff."}"#,
        ])
        let intents = Self.intents(records)
        #expect(intents.count == 1)
        #expect(intents.first?["transcript"]?.stringValue == "Can you show me the diff.")
        #expect(records.map { $0.type }.firstIndex(of: "intent") == 3)  // at the pause, before speech_end
    }

    @Test func semanticEndpointingNeverEndsATurnOnAnUnfinishedPartial() throws {
        // "undo the" would read as undo: the pause after it must not act.
        let records = try IntentFilterHarness.run(lines: [
            #"{"type":"speech_start","t":1.0}"#,
            #"{"type":"partial","t0":1.0,"t1":1.82,"text":" Undo the."}"#,
            #"{"type":"pause","t0":1.0,"t1":1.8,"silence":0.21}"#,
            #"{"type":"speech_end","t":3.0}"#,
            #"{"type":"transcript","t0":1.0,"t1":3.0,"text":" Undo the last change."}"#,
        ])
        #expect(records.map { $0.type } == ["speech_start", "partial", "pause", "speech_end", "intent"])
    }

    /// The wait is real time: a beginning with nothing after it is answered once it is over,
    /// while the input stays open.
    @Test func theWaitEndsOnItsOwnWhileInputStaysOpen() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        defer { close(readEnd) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mybro-hold-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputPath = directory.appendingPathComponent("out.jsonl").path
        var configuration = IntentFilterConfiguration(baseURL: URL(string: "http://127.0.0.1:9")!, apiKey: nil)
        configuration.backend = .rules
        configuration.continuation = 0.2
        let filter = try IntentFilter(configuration: configuration, output: try OutputSink.create(path: outputPath))
        let line = #"{"type":"transcript","t0":1.0,"t1":2.0,"text":" Could you"}"# + "\n"
        _ = line.utf8CString.withUnsafeBufferPointer { write(writeEnd, $0.baseAddress, line.utf8.count) }
        let writer = Thread {
            // Poll the output until the reply appears, then end the input.
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                if let text = try? String(contentsOfFile: outputPath, encoding: .utf8), text.contains("\"intent\"") {
                    break
                }
                usleep(20_000)
            }
            close(writeEnd)
        }
        let started = Date()
        writer.start()
        try filter.run(fd: readEnd)
        let elapsed = Date().timeIntervalSince(started)
        let text = try String(contentsOfFile: outputPath, encoding: .utf8)
        #expect(text.contains(#""action":"none""#))
        #expect(elapsed < 5, "the reply came only at the end of input")
    }
}
