import MybroCore
import Testing

@testable import MybroBench

@Suite struct MeasurementTests {
    @Test func bestMedianAndSpreadFollowTheDirection() {
        let rate = Measurement(name: "memory.triad", unit: "GB/s", better: .higher, samples: [10, 12, 11])
        #expect(rate.value == 12)
        #expect(rate.median == 11)
        #expect(abs(rate.spread - 2.0 / 11) < 1e-12)
        let time = Measurement(name: "transcribe.rtf", unit: "x", better: .lower, samples: [0.2, 0.1, 0.4, 0.3])
        #expect(time.value == 0.1)
        #expect(abs(time.median - 0.25) < 1e-12)
    }

    @Test func aRecordReadsBackToTheSameMeasurement() throws {
        let original = Measurement(
            name: "memory.curve", unit: "GB/s", better: .higher, samples: [41.25, 40.5],
            context: JSONObject(["working_set_bytes": 65536, "threads": 1]), identity: ["working_set_bytes", "threads"])
        let text = original.record.serialized()
        let run = try BenchRun(
            jsonLines: BenchRun(date: "2026-11-27T00:00:00Z", quick: true, hardware: nil, measurements: []).header
                .serialized() + "\n" + text + "\n", source: "test")
        #expect(run.measurements == [original])
        #expect(original.key == "memory.curve working_set_bytes=65536 threads=1")
    }

    @Test func aFileWithoutAHeaderOrWithGarbageIsRefusedWithTheLine() {
        #expect(throws: MybroError.self) { try BenchRun(jsonLines: "{\"type\":\"measure\"}\n", source: "x") }
        do {
            _ = try BenchRun(jsonLines: "{\"type\":\"bench_run\"}\n\u{1}\u{2}garbage\n", source: "x.jsonl")
            Issue.record("garbage was accepted")
        } catch {
            #expect(error.status == .dataError)
            #expect(error.message.hasPrefix("x.jsonl:2:"))
        }
    }
}
