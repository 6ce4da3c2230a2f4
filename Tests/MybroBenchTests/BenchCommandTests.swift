import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroBench

/// mybro-bench run as a user runs it: the built binary in a shell, its records read back.
@Suite(.serialized) struct BenchCommandTests {
    /// The parts that need neither a model nor much time.
    static let fastParts = "memory,sgemm,kernels,disk"

    /// The widest vector width the CPU runs, from the kernel's own list of its flags:
    /// 512 with AVX-512 (F, DQ, BW and VL), 256 with AVX2 and FMA, else 128 (SSE2, NEON).
    static var widestVectorBits: Int {
        #if arch(x86_64)
            let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            let flags = Set(
                info.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init)
                    ?? [])
            if flags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"]) { return 512 }
            if flags.isSuperset(of: ["avx2", "fma"]) { return 256 }
        #endif
        return 128
    }

    func records(_ result: CommandResult) throws -> [Record] {
        try BenchRun(jsonLines: result.stdoutText, source: "stdout").records
    }

    @Test func aQuickRunWritesAHeaderTheHardwareAndEveryFigureWithItsSamples() throws {
        try withTemporaryDirectory("mybro-bench") { scratch in
            let result = try shell(
                "mybro-bench --quick --only \(Self.fastParts) --disk-dir \(scratch) --format json",
                environment: ["XDG_STATE_HOME": scratch + "/state"])
            #expect(result.status == 0, "\(result.stderr)")
            let run = try BenchRun(jsonLines: result.stdoutText, source: "stdout")
            #expect(run.quick)
            let hardware = try #require(run.hardware)
            #expect(hardware.threads >= 1 && hardware.memoryBytes > 1 << 28)
            #expect(!hardware.caches.isEmpty)
            let cpus = BenchSuite.availableCPUs
            for kernel in ["copy", "scale", "add", "triad", "sum", "triad_nt"] {
                for threads in Set([1, cpus]) {
                    let figure = try #require(
                        run.measurements.first {
                            $0.name == "memory.\(kernel)" && $0.context["threads"]?.intValue == threads
                        }, "memory.\(kernel) threads=\(threads)")
                    #expect(figure.samples.count == 10)
                    #expect(figure.samples.allSatisfy { $0.isFinite && $0 > 0.1 && $0 < 10_000 })
                    #expect(figure.value == figure.samples.max())
                    // The arrays dwarf the last-level cache, as STREAM requires.
                    #expect((figure.context["n"]?.intValue ?? 0) * 8 >= 4 * hardware.lastLevelCacheBytes)
                    // STREAM's four loops run at the widest width the CPU has, as -march=native builds them.
                    let bits = figure.context["vector_bits"]?.intValue
                    #expect(bits == (["sum", "triad_nt"].contains(kernel) ? nil : Self.widestVectorBits), "\(kernel)")
                }
            }
            let sgemm = run.measurements(named: "sgemm")
            #expect(sgemm.count == Set([1, cpus]).count)
            #expect(sgemm.allSatisfy { $0.value > 0.5 && $0.context["size"]?.intValue == 1024 })
            let kernels = run.measurements.filter { $0.name.hasPrefix("kernel.") }
            #expect(kernels.count == 30)
            for figure in kernels {
                #expect(figure.context["stream_fraction"]?.doubleValue ?? 0 > 0, "\(figure.name)")
                // Pure data movement (transpose, repack) has no arithmetic: intensity 0.
                let intensity = try #require(figure.context["intensity"]?.doubleValue, "\(figure.name)")
                #expect(intensity > 0 || ["kernel.transpose", "kernel.repack"].contains(figure.name))
            }
            let disk = try #require(run.measurements(named: "disk.read").first)
            #expect(disk.value > 0)
            // The disk test's file is gone.
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: scratch).filter { $0.hasPrefix("mybro-bench-disk") }
                    .isEmpty)
            // Progress went to stderr, one line per part.
            #expect(result.stderr.contains("memory: STREAM kernels"))
        }
    }

    @Test func theTableOnATerminalFormatNamesEachFigureWithItsSpread() throws {
        let result = try shell("mybro-bench --quick --only sgemm --format text -q")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText.contains("CPU "))
        #expect(result.stdoutText.contains("Landlock "))
        let line = try #require(result.stdoutLines.first { $0.hasPrefix("sgemm threads=1 size=1024") })
        #expect(line.contains("GFLOP/s") && line.contains("±"))
        #expect(result.stderr.isEmpty, "-q: \(result.stderr)")
    }

    @Test func theCurveCoversTheCachesAndTheFirstLevelIsFasterThanMemory() throws {
        let result = try shell("mybro-bench --quick --only curve --format json -q")
        #expect(result.status == 0, "\(result.stderr)")
        let curve = try BenchRun(jsonLines: result.stdoutText, source: "stdout").measurements(named: "memory.curve")
        let sizes = curve.compactMap { $0.context["working_set_bytes"]?.intValue }
        #expect(sizes.first == 4096)
        #expect(sizes == sizes.sorted() && sizes.count >= 7)
        // Not a performance claim: an L1-resident set read far slower than DRAM would mean the
        // curve measures the wrong thing (a machine this slow could not run the suite).
        let first = try #require(curve.first).median
        let last = try #require(curve.last).median
        #expect(first > last, "4 KiB \(first) GB/s vs \(sizes.last ?? 0) bytes \(last) GB/s")
    }

    @Test func saveWritesTheFileAndTheProfileBothReadableAgain() throws {
        try withTemporaryDirectory("mybro-bench") { scratch in
            let result = try shell(
                "mybro-bench --quick --only sgemm --format json -q --save \(scratch)/base.jsonl > \(scratch)/out.jsonl",
                environment: ["XDG_STATE_HOME": scratch + "/state"])
            #expect(result.status == 0, "\(result.stderr)")
            let saved = try BenchRun(contentsOf: scratch + "/base.jsonl")
            let printed = try BenchRun(contentsOf: scratch + "/out.jsonl")
            #expect(saved == printed)
            let profile = try BenchRun(contentsOf: scratch + "/state/mybro/bench/profile.jsonl")
            #expect(profile == saved)
            #expect(!saved.measurements(named: "sgemm").isEmpty)
        }
    }

    @Test func anUnwritableSaveIsAnIOErrorAfterTheRunIsPrinted() throws {
        try withTemporaryDirectory("mybro-bench") { scratch in
            let result = try shell(
                "mybro-bench --quick --only sgemm --format json -q --save /proc/mybro-no/base.jsonl",
                environment: ["XDG_STATE_HOME": scratch])
            #expect(result.status == 74)
            #expect(result.stderrLines.count == 1 && result.stderr.contains("cannot write /proc/mybro-no/base.jsonl"))
        }
    }

    @Test(arguments: [
        ("--only bogus", "unknown part 'bogus'"), ("--only memory,,sgemm", "unknown part ''"),
        ("--disk-dir ''", "--disk-dir needs a folder"), ("--save ''", "--save needs a file name"),
        ("--format xml", "--format"),
    ])
    func badUsageIsOneLineAnd64(arguments: String, message: String) throws {
        let result = try shell("mybro-bench \(arguments)")
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func aMalformedSlowdownIsRefusedBeforeMeasuring() throws {
        for value in ["kernel.exp", "kernel.exp=abc", "kernel.exp=-5", "kernel.exp=1e9", "=20"] {
            let result = try shell(
                "mybro-bench --quick --only sgemm", environment: ["MYBRO_BENCH_SLOWDOWN": value])
            #expect(result.status == 64, "\(value): \(result.stderr)")
            #expect(result.stderr.contains("MYBRO_BENCH_SLOWDOWN"), "\(value): \(result.stderr)")
        }
    }

    @Test func aStopSignalPrintsAndSavesNothing() throws {
        try withTemporaryDirectory("mybro-bench") { scratch in
            let result = try shell(
                """
                mybro-bench --only memory,curve,kernels --format json --save \(scratch)/base.jsonl \
                  > \(scratch)/out.jsonl 2> \(scratch)/err & pid=$!
                i=0; until grep -q 'memory: STREAM' \(scratch)/err 2>/dev/null || [ $i -ge 200 ]; do sleep 0.05; i=$((i+1)); done
                kill -INT $pid; wait $pid; echo "status $?"
                """, environment: ["XDG_STATE_HOME": scratch + "/state"])
            #expect(result.stdoutText.contains("status 130"), "\(result.stdoutText)")
            #expect(!FileManager.default.fileExists(atPath: scratch + "/base.jsonl"))
            #expect((try? Data(contentsOf: URL(fileURLWithPath: scratch + "/out.jsonl")))?.isEmpty ?? true)
        }
    }

    @Test func aClosedPipeEndsTheRunQuietly() throws {
        let result = try shell("mybro-bench --quick --only sgemm --format json -q | head -1")
        #expect(result.status == 0)
        #expect(result.stdoutText.contains("bench_run"))
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }
}

/// The speech part: the VAD always, mybro-transcribe for each installed model (make setup
/// installs tiny.en), or a message saying there is none.
@Suite struct BenchSpeechTests {
    @Test func eachInstalledModelGetsARealTimeFactor() throws {
        let result = try shell("mybro-bench --quick --only speech --format json")
        #expect(result.status == 0, "\(result.stderr)")
        let run = try BenchRun(jsonLines: result.stdoutText, source: "stdout")
        #expect(run.measurements(named: "vad.throughput").count == 1)
        let models = SpeechThroughput.installedModels()
        let figures = run.measurements(named: "transcribe.rtf")
        if let model = models.first {
            let figure = try #require(figures.first, "\(result.stderr)")
            #expect(figures.count == 1)  // --quick: the first model only
            #expect(figure.context["model"]?.stringValue == (model as NSString).lastPathComponent)
            #expect(figure.samples.count == 2)
            // Whisper on a CPU is neither instantaneous nor 100 times slower than real time.
            #expect(figure.value > 0.0005 && figure.value < 100, "\(figure.samples)")
            #expect((figure.context["audio_seconds"]?.doubleValue ?? 0) > 1)
            #expect((figure.context["words_heard"]?.doubleValue ?? 0) > 0.6, "\(result.stderr)")
        } else {
            #expect(figures.isEmpty)
            #expect(result.stderr.contains("no Whisper model installed"))
        }
    }

    @Test func withoutAnyModelItSaysHowToGetOne() throws {
        try withTemporaryDirectory("mybro-bench-nomodel") { scratch in
            let result = try shell(
                "mybro-bench --quick --only speech --format json", environment: ["XDG_DATA_HOME": scratch])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("no Whisper model installed (make setup installs one)"))
            #expect(!result.stdoutText.contains("transcribe.rtf"))
        }
    }

    @Test func aBrokenModelCostsItsOwnFigureOnly() throws {
        try withTemporaryDirectory("mybro-bench-badmodel") { scratch in
            let model = scratch + "/mybro/models/whisper-broken"
            try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
            try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(
                to: URL(fileURLWithPath: model + "/model.bin"))
            let result = try shell(
                "mybro-bench --quick --only speech --format json", environment: ["XDG_DATA_HOME": scratch])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("no figure for this model"), "\(result.stderr)")
            let run = try BenchRun(jsonLines: result.stdoutText, source: "stdout")
            #expect(run.measurements(named: "transcribe.rtf").isEmpty)
            #expect(run.measurements(named: "vad.throughput").count == 1)
        }
    }

    @Test func aDiskFolderThatCannotBeWrittenCostsTheDiskFigureOnly() throws {
        let result = try shell("mybro-bench --quick --only disk,sgemm --disk-dir /proc/mybro-bench --format json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("no disk figure"), "\(result.stderr)")
        let run = try BenchRun(jsonLines: result.stdoutText, source: "stdout")
        #expect(run.measurements(named: "disk.read").isEmpty && !run.measurements(named: "sgemm").isEmpty)
    }
}
