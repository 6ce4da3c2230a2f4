import Foundation
import MybroCore
import MybroKernels
import MybroTestSupport
import Testing

@testable import MybroBench

@Suite struct SuitePartsTests {
    @Test func theSlowdownReallyLengthensEachRepetitionOfItsFigureOnly() throws {
        let sampler = try Sampler(environment: ["MYBRO_BENCH_SLOWDOWN": "kernel.exp=50"])
        let slowed = sampler.seconds(of: "kernel.exp", repetitions: 3, warmups: 0) { usleep(20_000) }
        let plain = sampler.seconds(of: "kernel.log", repetitions: 3, warmups: 0) { usleep(20_000) }
        // Lower bounds only: sleeping can overrun, never underrun.
        #expect(slowed.allSatisfy { $0 >= 0.030 }, "\(slowed)")
        #expect(plain.allSatisfy { $0 >= 0.020 }, "\(plain)")
        #expect(try Sampler(environment: [:]).slowdowns.isEmpty)
        #expect(
            try Sampler(environment: ["MYBRO_BENCH_SLOWDOWN": "sgemm=20,kernel.sum=5"]).slowdowns
                == ["sgemm": 0.2, "kernel.sum": 0.05])
    }

    @Test func interleavedFiguresDropAnUntimedFirstRound() throws {
        final class Calls { var count = 0 }
        let calls = Calls()
        let sampler = try Sampler(environment: [:])
        // The first call after the sizing call is slow, as a threaded kernel's first call after
        // another figure wakes the pool: it must land in the untimed round, not in a sample.
        let samples = sampler.interleaved(
            [
                (
                    "kernel.first",
                    {
                        calls.count += 1
                        if calls.count == 2 { usleep(100_000) }
                    }
                )
            ], repetitions: 3, minimum: 0.0005)[0]
        #expect(samples.count == 3)
        // Sizing call, then the untimed round and three timed ones of equal length.
        #expect((calls.count - 1) % 4 == 0 && calls.count > 4, "\(calls.count)")
        // No timed round holds the 100 ms call (a round takes about 0.5 ms; a preempted one a
        // few ms more).
        let callsPerRound = Double((calls.count - 1) / 4)
        #expect(samples.allSatisfy { $0 * callsPerRound < 0.05 }, "\(samples) × \(callsPerRound)")
    }

    @Test func anInterleavedSlowdownIsMoreOfTheKernelsOwnCallsAndLeavesItsPeersAlone() throws {
        final class Calls { var slowed = 0, plain = 0 }
        let calls = Calls()
        let sampler = try Sampler(environment: ["MYBRO_BENCH_SLOWDOWN": "kernel.exp=50"])
        // Calls that cost the same: the slowed figure must make half as many calls again in each
        // timed sample (not spin in place), and its peer exactly as many as it would alone.
        let samples = sampler.interleaved(
            [
                ("kernel.exp", { calls.slowed += 1 }),
                ("kernel.log", { calls.plain += 1 }),
            ], repetitions: 4, minimum: 0.0005)
        #expect(samples.allSatisfy { $0.count == 4 })
        // Per figure: one sizing call, an untimed round of c calls (each figure sized alone),
        // then 4 timed samples of c calls, or of c + ⌊c/2⌋ for the slowed one.
        let plain = (2...100_000).filter { calls.plain == 1 + 5 * $0 }
        let slowed = (2...100_000).filter { calls.slowed == 1 + $0 + 4 * ($0 + $0 / 2) }
        #expect(plain.count == 1, "\(calls.plain)")
        #expect(slowed.count == 1, "\(calls.slowed)")
    }

    @Test func diskReadRemovesItsFileAndTheOnesKilledRunsLeft() throws {
        try withTemporaryDirectory("mybro-bench-disk") { scratch in
            // A file from a process that no longer exists (pid 2^22 + 1 is above Linux's limit).
            let stale = scratch + "/mybro-bench-disk-4194305"
            let other = scratch + "/keep-me"
            FileManager.default.createFile(atPath: stale, contents: Data(count: 10))
            FileManager.default.createFile(atPath: other, contents: Data(count: 10))
            let figure = try DiskRead.measure(directory: scratch, bytes: 3 << 20, repetitions: 2)
            #expect(figure.samples.count == 2 && figure.value > 0)
            #expect(figure.context["bytes"]?.intValue == 3 << 20)
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch) == ["keep-me"])
        }
    }

    @Test func diskReadInAFolderItCannotCreateSaysWhere() {
        do {
            _ = try DiskRead.measure(directory: "/proc/mybro-bench/disk", bytes: 1 << 20, repetitions: 1)
            Issue.record("no error")
        } catch {
            #expect(error.status == .ioError)
            #expect(error.message.contains("/proc/mybro-bench/disk"))
        }
    }

    @Test func theVADFigureIsAudioSecondsPerSecond() throws {
        let figure = try SpeechThroughput.vad(audioSeconds: 3, repetitions: 2, sampler: try Sampler(environment: [:]))
        #expect(figure.samples.count == 2)
        #expect(figure.value > 1, "the VAD runs slower than real time: \(figure.value)")
        // The synthetic signal has speech-like bursts and pauses: some frames each way.
        let voiced = try #require(figure.context["voiced_frames"]?.intValue)
        #expect(voiced > 0 && voiced < 3 * 100 * 2)
    }

    @Test func kernelFiguresCarryTheirWorkAndShareOfStream() throws {
        let figures = KernelSuite.measure(
            n: 4096, repetitions: 2, triad: 10, sampler: try Sampler(environment: [:]),
            kernels: ["sum", "exp", "dot"].compactMap(KernelCatalog.named))
        #expect(figures.map(\.name) == ["kernel.sum", "kernel.exp", "kernel.dot"])
        for figure in figures {
            let fraction = try #require(figure.context["stream_fraction"]?.doubleValue)
            #expect(abs(fraction - Measurement.rounded(figure.value / 10)) < 1e-6 * max(1, fraction) + 1e-3)
            #expect(figure.key == "\(figure.name) n=4096")
        }
    }

    @Test func streamArraysFollowStreamsRuleButNeverCrowdOutMemory() {
        // STREAM's default (10 million) for small caches, 4x the cache beyond it.
        #expect(MemoryBandwidth.elements(lastLevelCacheBytes: 8 << 20, memoryBytes: 16 << 30) == 10_000_000)
        #expect(MemoryBandwidth.elements(lastLevelCacheBytes: 32 << 20, memoryBytes: 24 << 30) == 16 << 20)
        // 1 GiB of L3 on a 4 GiB machine: a quarter of the memory at most, all three arrays together.
        let capped = MemoryBandwidth.elements(lastLevelCacheBytes: 1 << 30, memoryBytes: 4 << 30)
        #expect(capped * 24 <= 1 << 30)
    }

    @Test(arguments: [10_000_000, 1 << 24, 1 << 20, 12_345_677])
    func streamArraysStartOneKibibyteApartInTheirPagesWhateverTheirLength(n: Int) throws {
        // 2^24 doubles end to end would start all three arrays at the same page offset (4K aliasing).
        let stride = MemoryBandwidth.arrayStride(n)
        #expect(stride >= n && stride - n < 512 + 128)
        #expect((stride * 8) % 4096 == 1024)
        let memory = try MemoryBandwidth(elements: 1 << 16, threads: 1)
        defer { memory.release() }
        let offsets = [memory.a, memory.b, memory.c].map { UInt(bitPattern: $0) % 4096 }
        #expect(offsets == [0, 1024, 2048])
    }

    @Test func wordRecallCountsEachSpokenWordOnce() {
        #expect(SpeechThroughput.wordRecall(spoken: "run the tests", heard: "Run the tests.") == 1)
        #expect(SpeechThroughput.wordRecall(spoken: "the the end", heard: "the end") == 2.0 / 3)
        #expect(SpeechThroughput.wordRecall(spoken: "build it", heard: "") == 0)
        #expect(SpeechThroughput.wordRecall(spoken: "", heard: "anything") == 1)
    }
}
