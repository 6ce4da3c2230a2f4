import Foundation
import MybroTestSupport
import Testing

/// launch → run → teardown against the fake Shadeform, with a local sshd as the instance.
@Suite struct LifecycleTests {
    @Test func runUploadsRunsFetchesAndTearsDown() throws {
        let world = try GPUHarness(ssh: true)
        let local = world.directory.path("local")
        try "print('x')\n".write(toFile: local + "/train.py", atomically: true, encoding: .utf8)
        let remote = world.directory.path("remote") + "/work"
        let result = try world.gpu(
            GPUHarness.fast + [
                "run", "--gpu", "RTX4090", "--budget", "50", "--upload", "train.py", "--fetch", "out",
                "--remote-dir", remote, "--",
                "mkdir -p out && wc -c < train.py > out/size && echo done && echo oops >&2 && exit 7",
            ])
        #expect(result.status == 7, "\(result.stderr)")
        let output = world.records(result, type: "job_output")
        #expect(output.contains { $0["text"] as? String == "done" && $0["stream"] as? String == "output" })
        #expect(output.contains { $0["text"] as? String == "oops" && $0["stream"] as? String == "stderr" })
        #expect(world.records(result, type: "instance").count == 1)
        #expect(world.records(result, type: "job_done").first?["exit"] as? Int == 7)
        let fetched = try String(contentsOfFile: local + "/out/size", encoding: .utf8)
        #expect(fetched.trimmingCharacters(in: .whitespacesAndNewlines) == "11")
        #expect(try world.fake.liveInstances().isEmpty)
        let created = try world.fake.instances()
        #expect(created.count == 1)
        #expect((created.first?["auto_delete"] as? [String: Any])?["spend_threshold"] as? String == "50.00")
        #expect(try world.ledgerTotal() == world.fake.billingCents())
        #expect(try world.fake.billingCents() > 0)
        #expect(world.keyLeaks().isEmpty)
        // The project's key was registered once and reused.
        let again = try world.gpu(GPUHarness.fast + ["run", "--gpu", "RTX4090", "--", "true"])
        #expect(again.status == 0, "\(again.stderr)")
        let adds = try world.fake.requests().filter { ($0["path"] as? String)?.hasSuffix("/sshkeys/add") == true }
        #expect(adds.count == 1)
    }

    @Test func launchListStatusDeleteAndCosts() throws {
        let world = try GPUHarness(ssh: true)
        let launched = try world.gpu(GPUHarness.fast + ["launch", "--gpu", "A100", "--name", "train", "--ttl", "1h"])
        #expect(launched.status == 0, "\(launched.stderr)")
        let instance = try #require(world.records(launched, type: "instance").first)
        let id = try #require(instance["id"] as? String)
        let name = try #require(instance["name"] as? String)
        #expect(name.hasPrefix("mybro-train-"))
        #expect(instance["status"] as? String == "active")
        let list = try world.gpu(["list"])
        #expect(world.records(list, type: "instance").map { $0["id"] as? String } == [id])
        let status = try world.gpu(["status", name])
        #expect(world.records(status, type: "instance").first?["ledger_state"] as? String == "ready")
        // A reap leaves a detached instance within its TTL alone.
        let reap = try world.gpu(["reap"])
        #expect(world.records(reap, type: "reap").first?["action"] as? String == "keep")
        #expect(try world.fake.liveInstances().count == 1)
        let deleted = try world.gpu(["delete", id])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let twice = try world.gpu(["delete", id, name])
        #expect(twice.status == 0, "deleting twice must succeed: \(twice.stderr)")
        #expect(try world.fake.liveInstances().isEmpty)
        let costs = try world.gpu(["costs"])
        let cost = try #require(world.records(costs, type: "cost").first)
        #expect(cost["final"] as? Bool == true)
        #expect(try world.ledgerTotal() == world.fake.billingCents())
        #expect(world.keyLeaks().isEmpty)
    }

    @Test(arguments: [("TERM", 143), ("INT", 130)])
    func aSignalTearsDown(signal: String, status: Int) throws {
        let world = try GPUHarness(ssh: true)
        let job = try world.startBackground(
            GPUHarness.fast + ["run", "--gpu", "RTX4090", "--", "echo started; sleep 30"], until: "started")
        kill(job.pid, signal == "TERM" ? SIGTERM : SIGINT)
        let exit = try world.waitForExit(job)
        #expect(exit == status)
        #expect(try world.fake.liveInstances().isEmpty)
        #expect(try world.ledgerTotal() == world.fake.billingCents())
        #expect(world.keyLeaks().isEmpty)
    }

    @Test func budgetAndTTLEndTheJob() throws {
        let world = try GPUHarness(ssh: true)
        // RTX4090 at 69 c/h, billed an hour a second: $0.50 goes within about a second.
        let budget = try world.gpu(
            GPUHarness.fast + ["run", "--gpu", "RTX4090", "--budget", "0.50", "--", "sleep 30"], timeout: 60)
        #expect(budget.status == 75, "\(budget.stderr)")
        #expect(budget.stderr.contains("budget"))
        let ttl = try world.gpu(
            GPUHarness.fast + ["run", "--gpu", "RTX4090", "--ttl", "3s", "--", "sleep 30"], timeout: 60)
        #expect(ttl.status == 124, "\(ttl.stderr)")
        #expect(try world.fake.liveInstances().isEmpty)
        #expect(try world.ledgerTotal() == world.fake.billingCents())
        #expect(world.keyLeaks().isEmpty)
    }

    @Test func losingSSHTearsDown() throws {
        let world = try GPUHarness(ssh: true)
        let sshd = try #require(world.sshd)
        // The remote command kills the sshd that serves it (and so its own connection).
        let result = try world.gpu(
            GPUHarness.fast + [
                "run", "--gpu", "RTX4090", "--",
                "kill $(cat \(sshd.directory)/sshd.pid); kill -9 $PPID; sleep 10",
            ], timeout: 60)
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("SSH"))
        #expect(try world.fake.liveInstances().isEmpty)
        #expect(world.keyLeaks().isEmpty)
    }
}
