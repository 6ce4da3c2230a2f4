import Foundation
import MybroCore
import MybroTestSupport
import Testing

/// `mybro-bench route` against clumsy and hostile input: one line naming the problem, a
/// documented status, never a trap.
@Suite struct RouteHostileInputTests {
    let tinyHour = ["--transcribe", "1", "--model", "tiny.en"]

    @Test func randomBytesOnStdinAreRefusedAsData() throws {
        var random = SeededRandom(seed: 13)
        let bytes = Data((0..<65536).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        let result = try RouteHarness.route(tinyHour, input: bytes)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("not text"), "\(result.stderr)")
    }

    @Test func garbageLinesAndAHugeLineAreSkippedAndTheOffersStillCount() throws {
        let offer = try String(contentsOfFile: RouteHarness.fixtureOffers, encoding: .utf8)
        let huge = "{\"type\":\"offer\",\"gpu_type\":\"" + String(repeating: "A", count: 3 << 20) + "\"}\n"
        let text = "not json\n{\"type\":\n[1,2]\n" + huge + "{\"type\":\"offer\",\"gpus\":-3}\n" + offer
        let result = try RouteHarness.route(tinyHour, input: Data(text.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(RouteHarness.options(result).count == 8)
        #expect(result.stderr.contains("longer than"), "\(result.stderr)")
        #expect(result.stderr.contains("gpu_type"), "\(result.stderr)")
        let strict = try RouteHarness.route(tinyHour + ["--strict"], input: Data(text.utf8))
        #expect(strict.status == 65, "\(strict.stderr)")
    }

    @Test func offersWithImpossibleFieldsAreSkippedWithTheReason() throws {
        let lines = [
            "{\"type\":\"offer\",\"gpu_type\":\"H100\",\"gpus\":1e300,\"hourly_cents\":100}",
            "{\"type\":\"offer\",\"gpu_type\":\"H100\",\"gpus\":1,\"hourly_cents\":-5}",
            "{\"type\":\"offer\",\"gpu_type\":\"H100\",\"gpus\":1,\"hourly_cents\":\"lots\"}",
            "{\"type\":\"offer\",\"gpu_type\":\"H100\",\"gpus\":1,\"hourly_cents\":100,\"boot_max_s\":1e308}",
        ]
        let result = try RouteHarness.route(tinyHour, input: Data((lines.joined(separator: "\n") + "\n").utf8))
        #expect(result.status == 0, "\(result.stderr)")
        // The last one is kept, its impossible boot time replaced by the assumed one.
        let options = RouteHarness.options(result)
        #expect(options.count == 2)
        #expect(options.last?["boot_s"]?.doubleValue == 600)
        #expect(result.stderr.split(separator: "\n").count == 3, "\(result.stderr)")
    }

    @Test func aCorruptProfileIsNamedAndRefused() throws {
        for text in ["{\"type\":\"bench_run\"}\n{broken", "\u{0}\u{1}binary", "{\"type\":\"measure\"}\n", ""] {
            let result = try RouteHarness.route(tinyHour, offers: .fixture, profile: .text(text))
            #expect(result.status == 65, "\(text.debugDescription): \(result.stderr)")
            #expect(result.stderr.contains("profile.jsonl"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
    }

    @Test func aProfileWithoutTheFigureSaysWhichIsMissing() throws {
        let header = "{\"type\":\"bench_run\",\"date\":\"2026-01-01T00:00:00Z\",\"quick\":true,\"version\":\"0\"}\n"
        let result = try RouteHarness.route(tinyHour, offers: .fixture, profile: .text(header))
        #expect(result.status == 0, "\(result.stderr)")
        let local = try #require(RouteHarness.options(result).first)
        #expect(local["why_not"]?.stringValue?.contains("no transcribe.rtf") == true)
        #expect(RouteHarness.choice(result)?["where"]?.stringValue == "cloud")
    }

    @Test(arguments: [
        ["--transcribe", "1e308", "--model", "tiny.en"], ["--transcribe", "-1", "--model", "tiny.en"],
        ["--transcribe", "nan", "--model", "tiny.en"], ["--transcribe", "1", "--model", "gigantic"],
        ["--transcribe", "1"], ["--model", "tiny.en"], ["--kernel", "sum"], ["--kernel", "nosuch", "--n", "5"],
        ["--kernel", "sum", "--n", "0"], ["--kernel", "sum", "--n", "1e300"], ["--flops", "1e12"],
        ["--flops", "0", "--bytes", "0"], ["--flops", "inf", "--bytes", "1"],
        ["--flops", "1", "--bytes", "1", "--memory", "-1"],
        ["--transcribe", "1", "--model", "tiny.en", "--kernel", "sum", "--n", "5"],
        ["--transcribe", "1", "--model", "tiny.en", "--deadline", "forever"],
        ["--transcribe", "1", "--model", "tiny.en", "--deadline", "9999999999h"],
        ["--transcribe", "1", "--model", "tiny.en", "--deadline", "0s"],
        ["--transcribe", "1", "--model", "tiny.en", "--budget", "-1"],
        ["--transcribe", "1", "--model", "tiny.en", "--uplink", "0"], [],
        ["--transcribe", "1", "--model", "tiny.en", "--quick"],
        ["--transcribe", "1", "--model", "tiny.en", "--save", "x"],
        ["--transcribe", "1", "--model", "tiny.en", "--compare", "x"],
        ["--transcribe", "1", "--model", "tiny.en", "--report", "x.html"],
    ])
    func badCommandLinesAreUsageErrors(_ arguments: [String]) throws {
        let result = try RouteHarness.route(arguments, offers: .fixture)
        #expect(result.status == 64, "\(arguments): \(result.status) \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("mybro-bench: error: "), "\(result.stderr)")
    }

    @Test func aWorkloadOnStdinAndInFlagsIsOneTooMany() throws {
        let record = "{\"type\":\"workload\",\"kernel\":\"sum\",\"n\":1000}\n"
        let result = try RouteHarness.route(tinyHour, input: Data(record.utf8))
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("give exactly one"), "\(result.stderr)")
        let bad = try RouteHarness.route([], input: Data("{\"type\":\"workload\",\"model\":\"x\"}\n".utf8))
        #expect(bad.status == 64 || bad.status == 65, "\(bad.stderr)")
        // A bad record is skipped with its reason, like any bad line; then there is no workload.
        let unknown = try RouteHarness.route(
            [], input: Data("{\"type\":\"workload\",\"transcribe_hours\":1,\"model\":\"huge\"}\n".utf8))
        #expect(unknown.status == 64, "\(unknown.stderr)")
        #expect(unknown.stderr.contains("not a Whisper model"), "\(unknown.stderr)")
    }

    @Test func aWorkloadFileIsRead() throws {
        try withTemporaryDirectory("mybro-route") { scratch in
            let path = scratch + "/work.jsonl"
            try "{\"type\":\"workload\",\"flops\":1e9,\"bytes\":4e9,\"memory_gb\":1}\n".write(
                toFile: path, atomically: true, encoding: .utf8)
            let result = try RouteHarness.route(["--workload", path], offers: .fixture)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(RouteHarness.choice(result)?["choice"]?.stringValue == "local")
            #expect(RouteHarness.choice(result)?["bound"]?.stringValue == "memory-bound")
            let missing = try RouteHarness.route(["--workload", scratch + "/none"], offers: .fixture)
            #expect(missing.status == 66, "\(missing.stderr)")
        }
    }

    @Test func emptyOffersRouteToThisMachineAndTheDefaultProfileIsUsed() throws {
        try withTemporaryDirectory("mybro-route") { scratch in
            let folder = scratch + "/state/mybro/bench"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: RouteHarness.profile, toPath: folder + "/profile.jsonl")
            let result = try shell(
                "mybro-bench route --transcribe 1 --model tiny.en --format json", input: Data(),
                environment: ["XDG_STATE_HOME": scratch + "/state"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(RouteHarness.choice(result)?["choice"]?.stringValue == "local")
            let table = try shell(
                "mybro-bench route --transcribe 1 --model tiny.en --format text", input: Data(),
                environment: ["XDG_STATE_HOME": scratch + "/state"])
            #expect(
                table.stdoutText.contains("reason:         an hour of tiny.en takes 2 min here"), "\(table.stdoutText)")
        }
    }

    @Test func aClosedDownstreamPipeIsAQuietSuccess() throws {
        let result = try shell(
            "mybro-bench route --transcribe 1 --model tiny.en --profile "
                + shellQuoted(RouteHarness.profile) + " --format json < " + shellQuoted(RouteHarness.fixtureOffers)
                + " | head -c 1 >/dev/null")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }
}
