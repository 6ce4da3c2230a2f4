import Testing

@testable import MybroVAD

/// Pauses inside speech: the speech so far at half of --pause-ms, a pause at it, once per gap.
@Suite("Pause reports")
struct PauseReportTests {
    static func kinds(_ events: [(frame: Int, event: SegmenterEvent)]) -> [String] {
        events.map { event in
            switch event.event {
            case .speechStart: return "start"
            case .speechSoFar: return "so-far"
            case .pause: return "pause"
            case .utterance: return "utterance"
            case .speechEnd: return "end"
            }
        }
    }

    @Test func aShortPauseGivesTheSpeechSoFarThenAPauseThenSpeechGoesOn() {
        // 10 silent, 20 voiced, 10 silent (300 ms: a pause, not the 500 ms end), 20 voiced, 30 silent.
        let script =
            String(repeating: "0", count: 10) + String(repeating: "1", count: 20) + String(repeating: "0", count: 10)
            + String(repeating: "1", count: 20) + String(repeating: "0", count: 30)
        let events = SegmenterTests.run(script) {
            $0.pauseMilliseconds = 200
            $0.padMilliseconds = 0
        }
        #expect(
            Self.kinds(events) == ["start", "so-far", "pause", "so-far", "pause", "utterance", "end"])
        // 100 ms (4 frames of 30 ms, rounded up) after the last voiced frame 29: at frame 33.
        guard case .speechSoFar(let soFar) = events[1].event,
            case .pause(let start, let voicedEnd, let silence) =
                events[2].event, case .utterance(let utterance) = events[5].event
        else {
            Issue.record("unexpected events \(events)")
            return
        }
        #expect(events[1].frame == 33)
        #expect(soFar.start == utterance.start)
        #expect(soFar.end == 1.02)  // frame 33's end
        #expect(soFar.samples.count == 24 * 480)
        // 200 ms is 7 frames: at frame 36; the voiced speech ended with frame 29, at 0.9 s.
        #expect(events[2].frame == 36)
        #expect(start == utterance.start)
        #expect(voicedEnd == 0.9)
        #expect(silence == 0.21)
    }

    @Test func noPauseReportsWhenTurnedOff() {
        let script =
            String(repeating: "1", count: 20) + String(repeating: "0", count: 10)
            + String(repeating: "1", count: 20) + String(repeating: "0", count: 30)
        let events = SegmenterTests.run(script) { $0.pauseMilliseconds = 0 }
        #expect(Self.kinds(events) == ["start", "utterance", "end"])
    }

    @Test func speechTooShortToAnnounceReportsNoPause() {
        // 5 voiced frames (150 ms) are under the 250 ms minimum: no speech, no pause.
        let script =
            String(repeating: "0", count: 10) + String(repeating: "1", count: 5) + String(repeating: "0", count: 30)
        let events = SegmenterTests.run(script) {
            $0.pauseMilliseconds = 200
            $0.windowMilliseconds = 90
        }
        #expect(Self.kinds(events).isEmpty)
    }

    @Test func partialPeriodReportsTheSpeechSoFarWhileItGoesOn() {
        let script = String(repeating: "1", count: 40) + String(repeating: "0", count: 30)
        let events = SegmenterTests.run(script) {
            $0.pauseMilliseconds = 200
            $0.partialMilliseconds = 300
        }
        let soFar = events.filter { if case .speechSoFar = $0.event { return true } else { return false } }
        // Every 10 frames of speech (3 times within the 40 voiced), then once at the pause.
        #expect(soFar.count == 4)
        #expect(Self.kinds(events).suffix(3) == ["pause", "utterance", "end"])
    }

    @Test func pauseLongerThanTheEndSilenceIsTheEnd() {
        let script = String(repeating: "1", count: 20) + String(repeating: "0", count: 30)
        let events = SegmenterTests.run(script) {
            $0.pauseMilliseconds = 600
            $0.silenceMilliseconds = 500
        }
        #expect(Self.kinds(events) == ["start", "so-far", "utterance", "end"])
    }
}
