import Foundation
import MybroGPU
import MybroTestSupport
import Testing

/// Never leak: kill -9 at every lifecycle step, then `reap`; and every injected fault.
/// After each case no instance is left running in the fake, and the ledger's cost equals the
/// fake's billing to the cent.
@Suite struct CrashAndFaultTests {
    static let crashPoints = CrashPoint.allCases.map(\.rawValue)

    @Test(arguments: crashPoints)
    func killNineThenReapLeavesNothingRunning(point: String) throws {
        let world = try GPUHarness(ssh: true)
        let job = try world.startPaused(
            at: point, GPUHarness.fast + ["run", "--gpu", "RTX4090", "--", "echo started; sleep 2"])
        world.killHard(job)
        let reap = try world.gpu(["reap"])
        #expect(reap.status == 0, "\(reap.stderr)")
        // A delete that the crash interrupted has stopped billing already; reap closes its row.
        let live = try world.fake.liveInstances()
        #expect(live.isEmpty, "leaked after kill -9 at \(point): \(live.map { $0["name"] ?? "" })")
        if point != "intent" {
            #expect(try world.fake.instances().count == 1, "\(point)")
        }
        let costs = try world.gpu(["costs"])
        #expect(world.records(costs, type: "cost").allSatisfy { $0["state"] as? String == "deleted" }, "\(point)")
        #expect(try world.ledgerTotal() == world.fake.billingCents(), "\(point)")
        // A second reap finds nothing more to do.
        let again = try world.gpu(["reap"])
        #expect(world.records(again, type: "reap").allSatisfy { $0["action"] as? String != "delete" })
        #expect(world.keyLeaks().isEmpty)
    }

    struct Fault: Sendable, CustomTestStringConvertible {
        var name: String
        var config: [String: String]
        var extraArguments: [String] = []
        /// The outcome the first attempt must report, when it fails.
        var firstOutcome: String?
        var testDescription: String { name }
    }

    static let faults: [Fault] = [
        Fault(name: "capacity", config: ["capacity": #"["runpod/eu-se-1/*"]"#], firstOutcome: "capacity"),
        Fault(name: "error on boot", config: ["error_on_boot": #"["runpod/eu-se-1/*"]"#], firstOutcome: "error"),
        Fault(
            name: "never active", config: ["never_active": #"["runpod/eu-se-1/*"]"#],
            extraArguments: ["--boot-timeout", "2s"], firstOutcome: "boot_timeout"),
        Fault(name: "delete fails once", config: ["delete_fail_once": "true"]),
        Fault(name: "lost create answer", config: ["lose_create_response": "1"]),
        Fault(name: "throttled", config: ["throttle": "3", "retry_after": "0"]),
        Fault(name: "server errors", config: ["server_errors": "3"]),
        Fault(name: "slow API", config: ["slow_seconds": "0.2"]),
    ]

    @Test(arguments: faults)
    func everyFaultEndsWithNothingRunning(fault: Fault) throws {
        var config: [String: Any] = [:]
        for (key, value) in fault.config {
            config[key] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: [.fragmentsAllowed])
        }
        let world = try GPUHarness(ssh: true, config: config)
        let result = try world.gpu(
            GPUHarness.fast + ["run", "--gpu", "RTX4090"] + fault.extraArguments + ["--", "echo ran"], timeout: 120)
        #expect(result.status == 0, "\(fault.name): \(result.stderr)")
        #expect(world.records(result, type: "job_output").contains { $0["text"] as? String == "ran" }, "\(fault.name)")
        let attempts = world.records(result, type: "attempt")
        if let first = fault.firstOutcome {
            #expect(attempts.first?["outcome"] as? String == first, "\(fault.name): \(attempts)")
            // The failover goes to the same type in another region of the same cloud.
            #expect(attempts.last?["offer"] as? String == "runpod/us-tx-1/RTX4090", "\(fault.name)")
        }
        #expect(attempts.last?["outcome"] as? String == "launched", "\(fault.name)")
        #expect(try world.fake.liveInstances().isEmpty, "\(fault.name) leaked")
        if fault.name == "lost create answer" {
            // Found by name, never created twice.
            let creates = try world.fake.requests().filter { ($0["path"] as? String)?.hasSuffix("/create") == true }
            #expect(creates.count == 1)
            #expect(try world.fake.instances().count == 1)
        }
        #expect(try world.ledgerTotal() == world.fake.billingCents(), "\(fault.name)")
        #expect(world.keyLeaks().isEmpty)
    }

    @Test func attemptsAreCapped() throws {
        let world = try GPUHarness(ssh: true, config: ["capacity": ["*"]])
        let result = try world.gpu(GPUHarness.fast + ["run", "--gpu", "H100", "--max-attempts", "3", "--", "true"])
        #expect(result.status == 75, "\(result.stderr)")
        #expect(world.records(result, type: "attempt").count == 3)
        #expect(try world.fake.instances().isEmpty)
        #expect(world.keyLeaks().isEmpty)
    }
}
