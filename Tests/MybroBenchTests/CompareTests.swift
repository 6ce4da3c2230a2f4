import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroBench

/// The noise rule and the threshold on synthetic runs: noisy figures with seeded samples.
@Suite struct CompareTests {
    /// A figure whose samples scatter uniformly within ±`noise` of `center`.
    static func figure(
        _ name: String, _ center: Double, noise: Double, better: MybroBench.Measurement.Better = .higher,
        count: Int = 7,
        context: JSONObject = JSONObject(), identity: [String] = [], random: inout SeededRandom
    ) -> MybroBench.Measurement {
        let samples = (0..<count).map { _ in center * (1 + Double.random(in: -noise...noise, using: &random)) }
        return MybroBench.Measurement(
            name: name, unit: better == .higher ? "GB/s" : "x", better: better, samples: samples, context: context,
            identity: identity)
    }

    static let hardware = Hardware(
        cpuModel: "AMD EPYC", architecture: "x86_64", cores: 2, threads: 2, simd: ["avx2"], caches: [], numa: [],
        memoryBytes: 1 << 34, gpus: [], disks: [], os: "Debian", kernel: "6.1", landlockABI: 4)

    /// A run of ten noisy figures; `slowdown` makes one kernel do that much more work per figure.
    static func run(seed: UInt64, slowdown: [String: Double] = [:], hardware: Hardware = hardware) -> BenchRun {
        var random = SeededRandom(seed: seed)
        let centers: [(String, Double, Double)] = [
            ("memory.triad", 12, 0.04), ("memory.copy", 11, 0.05), ("kernel.exp", 4, 0.03), ("kernel.sum", 12, 0.06),
            ("kernel.dot", 11.5, 0.08), ("kernel.add", 9.8, 0.05), ("sgemm", 60, 0.02), ("disk.read", 1.9, 0.1),
        ]
        var figures = centers.map { name, center, noise in
            figure(name, center / (1 + (slowdown[name] ?? 0)), noise: noise, random: &random)
        }
        figures.append(
            figure(
                "transcribe.rtf", 0.07 * (1 + (slowdown["transcribe.rtf"] ?? 0)), noise: 0.05, better: .lower,
                context: JSONObject(["model": "whisper-tiny.en"]), identity: ["model"], random: &random))
        return BenchRun(date: "2026-11-27T21:02:12Z", quick: false, hardware: hardware, measurements: figures)
    }

    @Test func aTwentyPercentSlowdownInOneKernelAmongNoisyOthersIsCaught() throws {
        let comparison = Comparison(
            baseline: Self.run(seed: 1), current: Self.run(seed: 2, slowdown: ["kernel.exp": 0.2]),
            thresholdPercent: 10, baselineSource: "base.jsonl")
        #expect(comparison.failures.map(\.key) == ["kernel.exp"])
        #expect(comparison.flagged.map(\.key) == ["kernel.exp"])
        let change = try #require(comparison.failures.first)
        #expect(change.verdict == .regressed)
        // 20 % more work is a rate 1/1.2 of the old one: 16.7 % lower, give or take the noise.
        #expect(abs(try #require(change.changePercent) + 16.7) < 4)
        #expect(comparison.failure?.status == .negative)
        #expect(comparison.failure?.message.contains("kernel.exp") == true)
    }

    @Test func aRegressionFailsOnlyWhenItsReMeasurementConfirmsIt() throws {
        let baseline = Self.run(seed: 1)
        var burst = Comparison(
            baseline: baseline, current: Self.run(seed: 2, slowdown: ["kernel.exp": 0.2]), thresholdPercent: 10,
            baselineSource: "base.jsonl")
        #expect(burst.toRecheck == ["kernel.exp"])
        // Measured again, kernel.exp is back to the baseline's speed: the first figure was a burst.
        burst.confirm(with: Self.run(seed: 3).measurements)
        #expect(!burst.failed && burst.failure == nil)
        #expect(burst.unconfirmed == 1)
        let change = try #require(burst.changes.first { $0.key == "kernel.exp" })
        #expect(change.verdict == .regressed && change.confirmed == false && !change.beyondThreshold)
        #expect(abs(try #require(change.recheckChangePercent)) < 10)
        #expect(change.record["confirmed"]?.boolValue == false && change.record["recheck_median"] != nil)
        #expect(burst.text.contains("not confirmed"))
        #expect(burst.record["unconfirmed"]?.intValue == 1)

        var slower = Comparison(
            baseline: baseline, current: Self.run(seed: 2, slowdown: ["kernel.exp": 0.2]), thresholdPercent: 10,
            baselineSource: "base.jsonl")
        // Still 20 % slower when measured again: a slower build, and the run fails.
        slower.confirm(with: Self.run(seed: 4, slowdown: ["kernel.exp": 0.2]).measurements)
        #expect(slower.failures.map(\.key) == ["kernel.exp"])
        #expect(slower.failures.first?.confirmed == true && slower.unconfirmed == 0)

        var unmeasured = Comparison(
            baseline: baseline, current: Self.run(seed: 2, slowdown: ["kernel.exp": 0.2]), thresholdPercent: 10,
            baselineSource: "base.jsonl")
        // A figure the re-measurement did not give keeps its verdict.
        unmeasured.confirm(with: [])
        #expect(unmeasured.failed && unmeasured.failures.first?.confirmed == nil)
        #expect(unmeasured.failures.first?.record["confirmed"] == nil)
    }

    @Test func aSpellOfLoadThatOutlastsTheFirstRecheckPassesBeforeTheLast() throws {
        let baseline = Self.run(seed: 1)
        var spell = Comparison(
            baseline: baseline, current: Self.run(seed: 2, slowdown: ["kernel.exp": 0.2]), thresholdPercent: 10,
            baselineSource: "base.jsonl")
        // Still slow at once (the spell lasts), back to speed a few seconds later.
        spell.confirm(with: Self.run(seed: 5, slowdown: ["kernel.exp": 0.2]).measurements)
        #expect(spell.toRecheck == ["kernel.exp"])
        spell.confirm(with: Self.run(seed: 6).measurements)
        #expect(!spell.failed && spell.toRecheck.isEmpty && spell.unconfirmed == 1)
        let change = try #require(spell.changes.first { $0.key == "kernel.exp" })
        #expect(change.rechecks == 2 && change.record["rechecks"]?.intValue == 2)
        #expect(spell.text.contains("(recheck 2)"))
        // A third recheck measures only what the second still confirmed: nothing here.
        spell.confirm(with: Self.run(seed: 7, slowdown: ["kernel.exp": 0.2]).measurements)
        #expect(!spell.failed && spell.changes.first { $0.key == "kernel.exp" }?.rechecks == 2)

        var slower = Comparison(
            baseline: baseline, current: Self.run(seed: 2, slowdown: ["kernel.exp": 0.2]), thresholdPercent: 10,
            baselineSource: "base.jsonl")
        for seed: UInt64 in 8...10 {
            slower.confirm(with: Self.run(seed: seed, slowdown: ["kernel.exp": 0.2]).measurements)
        }
        #expect(slower.failures.map(\.key) == ["kernel.exp"])
        #expect(slower.failures.first?.rechecks == 3 && slower.failures.first?.confirmed == true)
    }

    @Test func eachFigureIsReMeasuredByItsOwnPart() {
        #expect(BenchSuite.part(of: "memory.curve") == .curve)
        #expect(BenchSuite.part(of: "memory.triad_nt") == .memory)
        #expect(BenchSuite.part(of: "kernel.exp") == .kernels)
        #expect(BenchSuite.part(of: "sgemm") == .sgemm)
        #expect(BenchSuite.part(of: "disk.read") == .disk)
        #expect(BenchSuite.part(of: "transcribe.rtf") == .speech && BenchSuite.part(of: "vad.throughput") == .speech)
        #expect(BenchSuite.part(of: "gpu.copy") == nil)
    }

    @Test(arguments: 1...40)
    func noiseWithinTheSpreadIsNeverFlagged(seed: UInt64) {
        // Two runs of the same machine: only the samples differ.
        let comparison = Comparison(
            baseline: Self.run(seed: seed * 2), current: Self.run(seed: seed * 2 + 1), thresholdPercent: 10,
            baselineSource: "base.jsonl")
        #expect(comparison.flagged.isEmpty, "flagged: \(comparison.flagged.map(\.key))")
        #expect(!comparison.failed)
        #expect(comparison.count(.unchanged) == 9)
    }

    @Test func aSlowerTimeIsARegressionAndAFasterRateAnImprovementThatPasses() {
        let comparison = Comparison(
            baseline: Self.run(seed: 5), current: Self.run(seed: 6, slowdown: ["transcribe.rtf": 0.5, "sgemm": -0.25]),
            thresholdPercent: 10, baselineSource: "base.jsonl")
        let verdicts = Dictionary(uniqueKeysWithValues: comparison.flagged.map { ($0.key, $0.verdict) })
        #expect(verdicts == ["transcribe.rtf model=whisper-tiny.en": .regressed, "sgemm": .improved])
        #expect(comparison.failures.map(\.key) == ["transcribe.rtf model=whisper-tiny.en"])
        // Improvements alone never fail the run.
        let faster = Comparison(
            baseline: Self.run(seed: 5), current: Self.run(seed: 6, slowdown: ["sgemm": -0.25, "kernel.exp": -0.3]),
            thresholdPercent: 10, baselineSource: "base.jsonl")
        #expect(faster.count(.improved) == 2)
        #expect(!faster.failed)
        #expect(faster.failure == nil)
    }

    @Test func aRegressionBelowTheThresholdIsReportedButDoesNotFail() {
        let comparison = Comparison(
            baseline: Self.run(seed: 7), current: Self.run(seed: 8, slowdown: ["sgemm": 0.08]), thresholdPercent: 10,
            baselineSource: "base.jsonl")
        #expect(comparison.flagged.map(\.verdict) == [.regressed])
        #expect(!comparison.failed)
        let strict = Comparison(
            baseline: Self.run(seed: 7), current: Self.run(seed: 8, slowdown: ["sgemm": 0.08]), thresholdPercent: 5,
            baselineSource: "base.jsonl")
        #expect(strict.failed)
    }

    @Test func overlappingRangesOrAShiftInsideTheSpreadAreNotChanges() {
        func measure(_ samples: [Double]) -> MybroBench.Measurement {
            MybroBench.Measurement(name: "kernel.sum", unit: "GB/s", better: .higher, samples: samples)
        }
        // Medians 20 % apart, but one wild sample makes the ranges overlap: noise, not a change.
        let overlapping = Comparison.change(
            from: measure([10, 10.1, 9.9, 7]), to: measure([8, 8.1, 7.9, 8]), threshold: 10)
        #expect(overlapping.verdict == .unchanged)
        // Ranges apart, but the shift (3 %) is inside the noisier run's spread (7.6 %).
        let insideSpread = Comparison.change(
            from: measure([10, 10.2, 10.4]), to: measure([9.2, 9.9, 9.95]), threshold: 10)
        #expect(insideSpread.verdict == .unchanged)
        // Identical single samples: a change of 0 is never flagged; 3 % with one sample is under the 5 % floor.
        #expect(Comparison.change(from: measure([10]), to: measure([9.7]), threshold: 1).verdict == .unchanged)
        #expect(Comparison.change(from: measure([10]), to: measure([8]), threshold: 1).verdict == .regressed)
    }

    @Test func figuresInOnlyOneRunAreAddedOrMissingNeverRegressions() {
        let base = Self.run(seed: 9)
        var current = Self.run(seed: 10)
        current.measurements.removeAll { $0.name == "disk.read" }
        current.measurements.append(
            MybroBench.Measurement(
                name: "vad.throughput", unit: "x realtime", better: .higher, samples: [2100, 2200, 2150]))
        let comparison = Comparison(baseline: base, current: current, thresholdPercent: 0, baselineSource: "b")
        #expect(comparison.changes.first { $0.key == "disk.read" }?.verdict == .missing)
        #expect(comparison.changes.first { $0.key == "vad.throughput" }?.verdict == .added)
        #expect(!comparison.failed)
        let records = comparison.records
        #expect(records.map(\.type) == ["change", "change", "comparison"])
        #expect(records.last?["added"]?.intValue == 1)
        #expect(records.last?["missing"]?.intValue == 1)
    }

    @Test func keysMatchByNameAndIdentityFieldsOnly() {
        var random = SeededRandom(seed: 11)
        func triad(_ threads: Int, _ center: Double, n: Int) -> MybroBench.Measurement {
            Self.figure(
                "memory.triad", center, noise: 0.02,
                context: JSONObject(["threads": .number(Double(threads)), "n": .number(Double(n))]),
                identity: ["threads"], random: &random)
        }
        // n is context, not identity: a different n still matches; threads tells the figures apart.
        let base = BenchRun(
            date: "d", quick: false, hardware: nil, measurements: [triad(1, 10, n: 1000), triad(2, 15, n: 1000)])
        let current = BenchRun(
            date: "d", quick: false, hardware: nil, measurements: [triad(2, 15, n: 2000), triad(1, 7, n: 2000)])
        let comparison = Comparison(baseline: base, current: current, thresholdPercent: 10, baselineSource: "b")
        #expect(comparison.changes.map(\.key) == ["memory.triad threads=2", "memory.triad threads=1"])
        #expect(comparison.failures.map(\.key) == ["memory.triad threads=1"])
    }

    @Test func anotherMachineOrAQuickRunIsWarnedAbout() {
        var other = Self.hardware
        other.cpuModel = "Intel(R) Xeon(R)"
        var quick = Self.run(seed: 13, hardware: other)
        quick.quick = true
        let comparison = Comparison(
            baseline: Self.run(seed: 12), current: quick, thresholdPercent: 10, baselineSource: "b")
        #expect(comparison.warnings.count == 2)
        #expect(comparison.warnings[0].contains("another machine"))
        #expect(comparison.record["warnings"]?.arrayValue?.count == 2)
        #expect(
            Comparison(
                baseline: Self.run(seed: 12), current: Self.run(seed: 14), thresholdPercent: 10, baselineSource: "b"
            ).warnings.isEmpty)
    }
}

extension CompareTests {
    static func history(_ run: (Int) -> BenchRun, count: Int) -> [BenchHistory.Entry] {
        (0..<count).map { BenchHistory.Entry(run: run($0)) }
    }

    @Test func theHistorysRunToRunSpreadRaisesTheNoiseFloor() throws {
        let base = Self.run(seed: 21)
        let slowed = Self.run(seed: 22, slowdown: ["kernel.exp": 0.2])
        // Earlier runs where kernel.exp swung by ±20 % from run to run: a 17 % loss is its noise.
        let swinging = Self.history(
            { index in Self.run(seed: 100 + UInt64(index), slowdown: ["kernel.exp": index % 2 == 0 ? 0.25 : -0.2]) },
            count: 6)
        let noisy = Comparison(
            baseline: base, current: slowed, thresholdPercent: 10, baselineSource: "b", history: swinging)
        #expect(!noisy.failed)
        #expect(noisy.historyFigures == 9)
        #expect((noisy.changes.first { $0.name == "kernel.exp" }?.noisePercent ?? 0) > 40)
        // Steady earlier runs keep the floor low: the slowdown is caught.
        let steady = Self.history({ index in Self.run(seed: 200 + UInt64(index)) }, count: 6)
        let caught = Comparison(
            baseline: base, current: slowed, thresholdPercent: 10, baselineSource: "b", history: steady)
        #expect(caught.failures.map(\.key) == ["kernel.exp"])
        // Two earlier runs are too few, and another machine's runs do not count.
        #expect(
            Comparison(
                baseline: base, current: slowed, thresholdPercent: 10, baselineSource: "b",
                history: Array(swinging.prefix(2))
            ).failed)
        var elsewhere = swinging
        for index in elsewhere.indices { elsewhere[index].cpuModel = "another CPU" }
        #expect(
            Comparison(baseline: base, current: slowed, thresholdPercent: 10, baselineSource: "b", history: elsewhere)
                .failed)
    }
}

extension CompareTests {
    /// The kernels at one size (n in their identity), as the suite measures them: the whole
    /// group scaled by `machine` (a busier or quieter machine), some kernels `slowdown` slower.
    static func kernelGroup(
        seed: UInt64, machine: Double = 1, slowdown: [String: Double] = [:], members: Int = 12
    ) -> BenchRun {
        var random = SeededRandom(seed: seed)
        let names = ["exp", "log", "sigmoid", "tanh", "add", "sub", "mul", "div", "relu", "abs", "neg", "sum"]
        let figures = names.prefix(members).enumerated().map { index, name in
            figure(
                "kernel." + name, (20 + Double(index)) * machine / (1 + (slowdown["kernel." + name] ?? 0)),
                noise: 0.03, context: JSONObject(["n": .number(100_000)]), identity: ["n"], random: &random)
        }
        return BenchRun(date: "2026-11-28T02:00:00Z", quick: false, hardware: hardware, measurements: figures)
    }

    /// Earlier runs where the whole machine swung by ±30 %: a history that hides a 17 % loss.
    static func swingingHistory(members: Int = 12) -> [BenchHistory.Entry] {
        history(
            { Self.kernelGroup(seed: 300 + UInt64($0), machine: $0 % 2 == 0 ? 1.3 : 0.7, members: members) }, count: 6)
    }

    @Test func aKernelSlowerThanItsPeersIsCaughtWhileTheWholeMachineDrifts() throws {
        let base = Self.kernelGroup(seed: 31)
        // a busier machine (every kernel 25 % slower), and exp 20 % slower than that
        let slowed = Self.kernelGroup(seed: 32, machine: 0.75, slowdown: ["kernel.exp": 0.2])
        let comparison = Comparison(
            baseline: base, current: slowed, thresholdPercent: 10, baselineSource: "b", history: Self.swingingHistory())
        #expect(comparison.failures.map(\.key) == ["kernel.exp n=100000"])
        let change = try #require(comparison.failures.first)
        #expect(change.byPeers && change.verdict == .regressed)
        // 20 % more work is 16.7 % less throughput than the peers'
        #expect(abs(try #require(change.peerChangePercent) + 16.7) < 4)
        #expect(change.record["by_peers"]?.boolValue == true && change.record["peer_noise_percent"] != nil)
        #expect(comparison.text.contains("against its peers"))

        // the same drift without the slowdown fails nothing and flags nothing
        let drifted = Comparison(
            baseline: base, current: Self.kernelGroup(seed: 33, machine: 0.75), thresholdPercent: 10,
            baselineSource: "b", history: Self.swingingHistory())
        #expect(!drifted.failed && drifted.flagged.isEmpty)

        // measured again beside its peers on a quieter machine and still apart: confirmed
        var slower = comparison
        slower.confirm(with: Self.kernelGroup(seed: 34, machine: 1.1, slowdown: ["kernel.exp": 0.2]).measurements)
        #expect(slower.failures.first?.confirmed == true)
        // back in line with its peers when measured again: a burst, not a slower build
        var burst = comparison
        burst.confirm(with: Self.kernelGroup(seed: 35, machine: 1.1).measurements)
        #expect(!burst.failed && burst.unconfirmed == 1)
    }

    @Test func tooFewPeersJudgeNothing() {
        let comparison = Comparison(
            baseline: Self.kernelGroup(seed: 41, members: 7),
            current: Self.kernelGroup(seed: 42, machine: 0.75, slowdown: ["kernel.exp": 0.2], members: 7),
            thresholdPercent: 10, baselineSource: "b", history: Self.swingingHistory(members: 7))
        #expect(!comparison.failed)
        #expect(comparison.changes.allSatisfy { $0.peerChangePercent == nil && !$0.byPeers })
    }

    @Test func theGroupsMedianShiftAndScatter() throws {
        let base = Self.kernelGroup(seed: 51)
        var byKey: [String: MybroBench.Measurement] = [:]
        for measurement in base.measurements { byKey[measurement.key] = measurement }
        let shifts = PeerShift.shifts(
            baseline: byKey, current: Self.kernelGroup(seed: 52, machine: 0.5).measurements)
        let shift = try #require(shifts["kernel n=100000"])
        #expect(shift.members == 12 && abs(shift.factor - 0.5) < 0.02 && shift.scatter < 0.03)
        // n as a corrupt baseline may hold it names a group without trapping
        for n in [Double.nan, 1e300, -.infinity] {
            let odd = MybroBench.Measurement(
                name: "kernel.exp", unit: "GB/s", better: .higher, samples: [1], context: JSONObject(["n": .number(n)]))
            #expect(PeerShift.group(of: odd)?.hasPrefix("kernel n=") == true)
        }
        #expect(
            PeerShift.group(
                of: MybroBench.Measurement(name: "memory.triad", unit: "GB/s", better: .higher, samples: [1])) == nil)
    }
}

extension CompareTests {
    @Test(arguments: 0..<40)
    func peersMovingTogetherAreNeverFlagged(seed: UInt64) {
        let machine = 0.6 + Double(seed % 9) * 0.1
        let comparison = Comparison(
            baseline: Self.kernelGroup(seed: 1000 + seed),
            current: Self.kernelGroup(seed: 2000 + seed, machine: machine),
            thresholdPercent: 10, baselineSource: "b", history: Self.swingingHistory())
        #expect(comparison.changes.allSatisfy { !$0.byPeers })
        #expect(!comparison.failed)
    }
}
