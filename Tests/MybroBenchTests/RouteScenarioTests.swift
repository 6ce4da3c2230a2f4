import Foundation
import MybroCore
import MybroTestSupport
import Testing

/// The routing rules on a table of scenarios, end to end: `mybro-bench route` on the committed
/// fixture profile (a 2-core EPYC: triad 12.3 GB/s, sgemm 110 GFLOP/s, tiny.en at 0.033× real
/// time, 25.3 GB of memory), with offers from the fake Shadeform server through `mybro-gpu
/// offers`, from committed offer records, or none. Each row says what must be chosen and why.
///
/// The fake's catalog (Tests/Fixtures/fake-shadeform/server.py): H100 PCIe at $2.39 (runpod),
/// $2.49 (hyperstack, two regions), $2.59 (lambdalabs, two regions); 8× H100 SXM $19.99; A100
/// 80GB $1.65 (two regions); A100 40GB $1.29; 4× A100 40GB $5.16; RTX 4090 $0.69 (two regions);
/// RTX A6000 $0.57.
@Suite struct RouteScenarioTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        var offers: RouteHarness.Offers = .fake([])
        var profile: RouteHarness.Profile = .fixture
        var stdin = ""
        var status: Int32 = 0
        /// The chosen option's id; nil when nothing fits.
        var choice: String?
        /// Phrases the reason must hold.
        var reason: [String]
        var testDescription: String { name }
    }

    static let noFit: String? = nil

    static let scenarios: [Scenario] = [
        Scenario(
            name: "an hour of tiny.en stays local", arguments: ["--transcribe", "1", "--model", "tiny.en"],
            choice: "local", reason: ["an hour of tiny.en takes 2 min here and costs nothing"]),
        Scenario(
            name: "1,000 h of large-v3 in 24 h go to the cheapest H100 that meets it",
            arguments: ["--transcribe", "1000", "--model", "large-v3", "--deadline", "24h"],
            choice: "runpod/eu-se-1/H100",
            reason: ["takes 55 d here, past the 24 h deadline", "the cheapest of 13 offers", "24 h deadline"]),
        Scenario(
            name: "the issue's pipeline: mybro-gpu offers --gpu H100 | route",
            arguments: ["--transcribe", "500", "--model", "large-v3", "--deadline", "24h"],
            offers: .fake(["--gpu", "H100"]),
            choice: "runpod/eu-se-1/H100", reason: ["500 hours of large-v3", "the cheapest of 6 offers"]),
        Scenario(
            name: "over the budget is refused",
            arguments: ["--transcribe", "1000", "--model", "large-v3", "--deadline", "24h", "--budget", "5"], status: 1,
            choice: noFit, reason: ["nothing fits 1,000 hours of large-v3", "over the $5.00 budget"]),
        Scenario(
            name: "a 2 h deadline needs several GPUs: the cheapest that finish in time",
            arguments: ["--transcribe", "1000", "--model", "large-v3", "--deadline", "2h"],
            choice: "lambdalabs/us-east-1/A100x4", reason: ["4× A100 40GB", "the cheapest of 2 offers"]),
        Scenario(
            name: "a 1 h deadline: uploading 1,000 h of audio alone takes longer",
            arguments: ["--transcribe", "1000", "--model", "large-v3", "--deadline", "1h"], status: 1,
            choice: noFit, reason: ["nothing fits", "past the 1.0 h deadline"]),
        Scenario(
            name: "no deadline: this machine does it for nothing, and says what time would buy",
            arguments: ["--transcribe", "1000", "--model", "large-v3"], choice: "local",
            reason: ["takes 55 d here and costs nothing", "give --deadline"]),
        Scenario(
            name: "committed offers: a cheap RTX 4090 beats the H100s for 1,000 h",
            arguments: ["--transcribe", "1000", "--model", "large-v3", "--deadline", "24h"], offers: .fixture,
            choice: "tinybox/eu-1/RTX4090", reason: ["RTX 4090", "the cheapest of 6 offers"]),
        Scenario(
            name: "no profile: the cloud offers only, and how to make one",
            arguments: ["--transcribe", "1", "--model", "tiny.en"], profile: .missing,
            choice: "massedcompute/us-central-2/A6000", reason: ["no profile at", "mybro-bench --save"]),
        Scenario(
            name: "no profile and no offers: nothing to route among",
            arguments: ["--transcribe", "1", "--model", "tiny.en"],
            offers: .none, profile: .missing, status: 66, choice: noFit, reason: []),
        Scenario(
            name: "40 GB does not fit this machine: the cheapest GPU with the memory",
            arguments: ["--flops", "1e12", "--bytes", "1e12", "--memory", "40"],
            choice: "massedcompute/us-central-2/A6000",
            reason: ["needs 40 GB of memory, more than this machine's 25 GB"]),
        Scenario(
            name: "2 TB fits nowhere", arguments: ["--flops", "1e12", "--bytes", "1e12", "--memory", "2000"], status: 1,
            choice: noFit, reason: ["nothing fits", "needs 2,000 GB of memory", "per GPU"]),
        Scenario(
            name: "a kernel uses its own measured bandwidth", arguments: ["--kernel", "sum", "--n", "1e9"],
            offers: .none,
            choice: "local", reason: ["sum over 1,000,000,000 elements takes 0.41 s here"]),
        Scenario(
            name: "a small map kernel stays local", arguments: ["--kernel", "exp", "--n", "1e6"], choice: "local",
            reason: ["exp over 1,000,000 elements takes", "costs nothing"]),
        Scenario(
            name: "compute-bound and past the deadline here: the GPU with the most fp32 per dollar",
            arguments: ["--flops", "1e18", "--bytes", "1e9", "--deadline", "24h"], choice: "runpod/eu-se-1/RTX4090",
            reason: ["takes 105 d here", "RTX 4090"]),
        Scenario(
            name: "compute-bound with a $1 budget is refused",
            arguments: ["--flops", "1e18", "--bytes", "1e9", "--deadline", "24h", "--budget", "1"], status: 1,
            choice: noFit, reason: ["over the $1.00 budget"]),
        Scenario(
            name: "a workload record on stdin among the offers", arguments: [], offers: .fixture,
            stdin: "{\"type\":\"workload\",\"transcribe_hours\":1,\"model\":\"tiny.en\"}\n", choice: "local",
            reason: ["an hour of tiny.en takes 2 min here"]),
        Scenario(
            name: "only an unknown GPU and no profile", arguments: ["--transcribe", "1", "--model", "tiny.en"],
            offers: .text(
                "{\"type\":\"offer\",\"id\":\"odd/x/TPU\",\"gpu_type\":\"TPUv9\",\"gpus\":1,\"hourly_cents\":10}\n"),
            profile: .missing, status: 1, choice: noFit, reason: ["none of the 1 cloud offers has a known GPU"]),
        Scenario(
            name: "a free cloud offer ties with this machine, and this machine wins",
            arguments: ["--transcribe", "1", "--model", "tiny.en"],
            offers: .text(
                "{\"type\":\"offer\",\"id\":\"free/x/L4\",\"gpu_type\":\"L4\",\"gpus\":1,\"vram_per_gpu_gb\":24,"
                    + "\"hourly_cents\":0,\"boot_max_s\":30}\n"),
            choice: "local", reason: ["costs nothing", "free/x/L4 (L4)"]),
        Scenario(
            name: "ten hours of tiny.en meet a 1 h deadline here",
            arguments: ["--transcribe", "10", "--model", "tiny.en", "--deadline", "1h"], choice: "local",
            reason: ["10 hours of tiny.en takes 20 min here and costs nothing, within the 1.0 h deadline"]),
        Scenario(
            name: "a hundred hours of tiny.en in an hour: the cheapest GPU, upload-bound",
            arguments: ["--transcribe", "100", "--model", "tiny.en", "--deadline", "1h"],
            choice: "massedcompute/us-central-2/A6000", reason: ["takes 3.3 h here, past the 1.0 h deadline"]),
        Scenario(
            name: "a slow uplink makes the fast GPUs wait for the audio",
            arguments: ["--transcribe", "1000", "--model", "large-v3", "--deadline", "24h", "--uplink", "10"],
            choice: "massedcompute/us-central-2/A6000", reason: ["RTX A6000"]),
        Scenario(
            name: "medium is scaled from tiny.en by parameters",
            arguments: ["--transcribe", "10", "--model", "medium", "--deadline", "1h"],
            choice: "massedcompute/us-central-2/A6000", reason: ["takes 6.5 h here"]),
        Scenario(
            name: "no offers and past the deadline here: refused with the reason",
            arguments: ["--transcribe", "1000", "--model", "large-v3", "--deadline", "24h"], offers: .none, status: 1,
            choice: noFit, reason: ["no cloud offers on stdin"]),
    ]

    @Test(arguments: scenarios)
    func routes(_ scenario: Scenario) throws {
        let result = try RouteHarness.route(
            scenario.arguments, offers: scenario.offers, profile: scenario.profile, input: Data(scenario.stdin.utf8))
        #expect(result.status == scenario.status, "\(scenario.name): exit \(result.status): \(result.stderr)")
        guard scenario.status != 66 else {
            #expect(result.stderr.contains("mybro-bench --save"), "\(result.stderr)")
            return
        }
        let choice = try #require(RouteHarness.choice(result), "no route_choice: \(result.stdoutText) \(result.stderr)")
        #expect(choice["choice"]?.stringValue == scenario.choice, "\(scenario.name): \(choice.serialized())")
        let reason = choice["reason"]?.stringValue ?? ""
        for phrase in scenario.reason {
            #expect(reason.contains(phrase), "\(scenario.name): the reason lacks \"\(phrase)\": \(reason)")
        }
        // Every option is listed, and the chosen one is feasible; nothing fits means none is.
        let options = RouteHarness.options(result)
        #expect(!options.isEmpty)
        let feasible = options.filter { $0["feasible"]?.boolValue == true }.compactMap { $0["id"]?.stringValue }
        if let chosen = scenario.choice {
            #expect(feasible.contains(chosen))
        } else {
            #expect(feasible.isEmpty, "\(feasible)")
            #expect(result.stderr.contains("nothing fits"), "\(result.stderr)")
        }
    }

    @Test func thereAreAtLeastTwentyScenarios() { #expect(Self.scenarios.count >= 20) }
}
