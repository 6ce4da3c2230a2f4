import Foundation
import MybroCore
import Testing

@testable import MybroVAD

/// The segmenter on scripted decision sequences (16 kHz, 30 ms frames, 480 samples each).
@Suite("Utterance segmenter")
struct SegmenterTests {
    /// Feeds one frame per character ('1' voiced, 'h' voiced by hangover only, '0' unvoiced),
    /// each frame's samples all equal to its index, and records events with the frame index
    /// at which each was emitted.
    static func run(_ script: String, configure: (inout SegmenterConfiguration) -> Void = { _ in })
        -> [(frame: Int, event: SegmenterEvent)]
    {
        var configuration = SegmenterConfiguration()
        // The scripted frames are synthetic ramps: judge the decisions alone.
        configuration.floorMarginDecibels = nil
        // Pauses have tests of their own (PauseReportTests).
        configuration.pauseMilliseconds = 0
        configure(&configuration)
        let segmenter = UtteranceSegmenter(configuration: configuration)
        var events: [(Int, SegmenterEvent)] = []
        for (index, symbol) in script.enumerated() {
            let frame = [Int16](repeating: Int16(index % 30000), count: configuration.frameLength)
            frame.withUnsafeBufferPointer { buffer in
                segmenter.process(frame: buffer, isSpeech: symbol != "0", hangover: symbol == "h") {
                    events.append((index, $0))
                }
            }
        }
        segmenter.finish { events.append((script.count, $0)) }
        return events
    }

    static func utterances(_ events: [(frame: Int, event: SegmenterEvent)]) -> [Utterance] {
        events.compactMap { if case .utterance(let u) = $0.event { return u } else { return nil } }
    }

    @Test func announcesSpeechWhileItIsStillGoing() {
        // 20 silent frames, 40 voiced, 30 silent.
        let events = SegmenterTests.run(
            String(repeating: "0", count: 20) + String(repeating: "1", count: 40)
                + String(repeating: "0", count: 30))
        #expect(events.count == 3)
        guard events.count == 3, case .speechStart(let start) = events[0].event,
            case .utterance(let utterance) = events[1].event, case .speechEnd(let end) = events[2].event
        else { return }
        // Announced within the 300 ms start window, long before the speech ends at frame 60.
        #expect(events[0].frame < 30)
        // Speech 0.6 s ... 1.8 s, padded by 200 ms.
        #expect(start == 0.4)
        #expect(utterance.start == 0.4 && utterance.end == 2.0)
        #expect(end == 2.0)
        #expect(utterance.samples.count == 16000 * 16 / 10)
        // Ended once 500 ms (17 frames) of silence followed the last voiced frame.
        #expect(events[1].frame == 59 + 17)
        // The audio is the stream's own: the first padded sample belongs to frame 13.
        #expect(utterance.samples.first == 13 && utterance.samples.last == 66)
    }

    @Test func dropsShortBursts() {
        let events = SegmenterTests.run("0000000000" + "11111111111" + String(repeating: "0", count: 30)) {
            $0.minimumMilliseconds = 600
        }
        #expect(events.isEmpty)
    }

    @Test func hangoverFramesDoNotMoveTheEnd() {
        let events = SegmenterTests.run(String(repeating: "1", count: 20) + "hhh" + String(repeating: "0", count: 30)) {
            $0.padMilliseconds = 0
        }
        let utterances = SegmenterTests.utterances(events)
        #expect(utterances.count == 1)
        #expect(utterances.first?.end == 0.6)
    }

    @Test func splitsLongSpeechAtAQuietFrame() {
        // 3 s of speech with one unvoiced frame at 2.1 s, maximum 2.4 s.
        let script =
            String(repeating: "1", count: 70) + "0" + String(repeating: "1", count: 29)
            + String(repeating: "0", count: 20)
        let events = SegmenterTests.run(script) {
            $0.maximumMilliseconds = 2400
            $0.padMilliseconds = 0
        }
        let utterances = SegmenterTests.utterances(events)
        #expect(utterances.count == 2)
        #expect(utterances.first?.end == 2.1)
        #expect(utterances.last?.start == 2.1)
        #expect(utterances.last?.end == 3.0)
        let kinds = events.map { event -> String in
            switch event.event {
            case .speechStart: return "start"
            case .utterance: return "utterance"
            case .speechEnd: return "end"
            case .speechSoFar, .pause: return "pause"
            }
        }
        #expect(kinds == ["start", "utterance", "end", "start", "utterance", "end"])
    }

    @Test func endOfInputFlushesSpeechInProgress() {
        let events = SegmenterTests.run(String(repeating: "0", count: 5) + String(repeating: "1", count: 30))
        let utterances = SegmenterTests.utterances(events)
        #expect(utterances.count == 1)
        #expect(utterances.first?.end == 35 * 0.03)
        if case .speechEnd = events.last?.event {} else { Issue.record("the last event is not speech_end") }
    }

    @Test func strayNoiseFramesDoNotStartSpeech() {
        let events = SegmenterTests.run(String(repeating: "0001000100", count: 10))
        #expect(events.isEmpty)
    }

    @Test func theNoiseFloorGateIgnoresSteadyNoiseTheDetectorCallsSpeech() {
        var configuration = SegmenterConfiguration()
        configuration.floorMarginDecibels = 1
        let gated = UtteranceSegmenter(configuration: configuration)
        var ungated = SegmenterConfiguration()
        ungated.floorMarginDecibels = nil
        let plain = UtteranceSegmenter(configuration: ungated)
        let noise = TestSignals.noise(.white, rms: 2000, seconds: 3, rate: 16000, seed: 8)
        // 3 s of steady noise, then 1 s of a tone 20 dB louder, all called speech.
        let loud = TestSignals.tone(frequency: 300, amplitude: 28000, seconds: 1, rate: 16000)
        let signal = noise + loud + noise
        var gatedEvents: [SegmenterEvent] = [], plainEvents: [SegmenterEvent] = []
        signal.withUnsafeBufferPointer { all in
            for start in stride(from: 0, to: all.count - 479, by: 480) {
                let frame = UnsafeBufferPointer(rebasing: all[start..<(start + 480)])
                gated.process(frame: frame, isSpeech: true) { gatedEvents.append($0) }
                plain.process(frame: frame, isSpeech: true) { plainEvents.append($0) }
            }
        }
        gated.finish { gatedEvents.append($0) }
        plain.finish { plainEvents.append($0) }
        let gatedUtterances = gatedEvents.compactMap { if case .utterance(let u) = $0 { return u } else { return nil } }
        let plainUtterances = plainEvents.compactMap { if case .utterance(let u) = $0 { return u } else { return nil } }
        #expect(plainUtterances.count == 1 && plainUtterances.first?.start == 0)
        #expect(gatedUtterances.count == 1)
        // Only the loud second stands out: 3.0 ... 4.0 s, padded by 0.2 s.
        #expect(
            gatedUtterances.first.map { abs($0.start - 2.8) < 0.05 && abs($0.end - 4.2) < 0.05 } == true,
            "\(gatedUtterances.map { ($0.start, $0.end) })")
    }

    @Test func rejectsImpossibleSettings() {
        var configuration = SegmenterConfiguration()
        #expect(configuration.problem() == nil)
        configuration.frameMilliseconds = 25
        #expect(configuration.problem() != nil)
        configuration = SegmenterConfiguration()
        configuration.startRatio = 0
        #expect(configuration.problem() != nil)
        configuration = SegmenterConfiguration()
        configuration.maximumMilliseconds = 400
        #expect(configuration.problem() != nil)
    }
}

/// The runner's hand-built utterance line is exactly the serialised record.
@Suite("Utterance record")
struct UtteranceRecordTests {
    @Test func splicedLineEqualsTheSerialisedRecord() throws {
        let samples: [Int16] = [0, 1, -1, 32767, -32768, 1234]
        let utterance = Utterance(start: 1.25, end: 1.5, sampleRate: 16000, samples: samples)
        let runner = VADStreamRunner(mode: .veryAggressive, segmenter: SegmenterConfiguration(), output: .records)
        let pcm = samples.withUnsafeBytes { Data($0).base64EncodedString() }
        let record = Record(
            type: RecordType.utterance,
            ["t0": .number(1.25), "t1": .number(1.5), "rate": .number(16000), "pcm": .string(pcm)])
        #expect(runner.utteranceLine(utterance) == record.serialized())
    }
}
