import Foundation
import MybroTestSupport
import Testing

/// mybro-gpu against the fake Shadeform, without SSH: offers, the key's handling, retries,
/// dry runs.
@Suite struct APITests {
    @Test func offersAreFilteredAndRanked() throws {
        let world = try GPUHarness()
        let h100 = try world.gpu(["offers", "--gpu", "H100", "--count", "1"])
        #expect(h100.status == 0, "\(h100.stderr)")
        let ids = world.records(h100, type: "offer").compactMap { $0["id"] as? String }
        // norway-1 is listed but not available: never an offer.
        #expect(
            ids == [
                "runpod/eu-se-1/H100", "hyperstack/canada-1/H100", "hyperstack/us-central-1/H100",
                "lambdalabs/us-east-1/H100", "lambdalabs/us-west-1/H100",
            ])
        let nvlink = try world.gpu(["offers", "--nvlink", "--sort", "price-per-gpu"])
        #expect(
            world.records(nvlink, type: "offer").compactMap { $0["id"] as? String } == [
                "lambdalabs/us-east-1/A100x4", "datacrunch/fin-01/H100_sxm5x8",
            ])
        let cheap = try world.gpu(["offers", "--max-price", "0.69", "--region", "us-", "--format", "table"])
        #expect(cheap.stdoutLines.count == 3, "\(cheap.stdoutText)")
        #expect(cheap.stdoutText.contains("runpod/us-tx-1/RTX4090"))
        let spot = try world.gpu(["offers", "--spot"])
        let spotOffers = world.records(spot, type: "offer")
        #expect(spotOffers.count == 2)
        #expect(spotOffers.allSatisfy { $0["hourly_cents"] as? Int == 150 && $0["rental_type"] as? String == "spot" })
        let preferred = try world.gpu(["offers", "--gpu", "H100", "--count", "1", "--prefer-region", "us-west"])
        #expect(world.records(preferred, type: "offer").first?["id"] as? String == "lambdalabs/us-west-1/H100")
        let boot = try world.gpu(["offers", "--sort", "boot-time", "--limit", "1"])
        #expect(world.records(boot, type: "offer").first?["id"] as? String == "runpod/eu-se-1/RTX4090")
        #expect(world.keyLeaks().isEmpty)
    }

    @Test func aMissingKeyOrAnOpenKeyFileIsAConfigurationError() throws {
        let world = try GPUHarness()
        var environment = world.environment
        environment["SHADEFORM_API_KEY"] = ""
        let keyFile = world.directory.path("key")
        try world.key.write(toFile: keyFile, atomically: true, encoding: .utf8)
        chmod(keyFile, 0o644)
        let open = try world.gpu(["offers", "--key-file", keyFile], environment: ["SHADEFORM_API_KEY": ""])
        #expect(open.status == 78)
        #expect(open.stderr.contains("chmod 600 \(keyFile)"), "\(open.stderr)")
        chmod(keyFile, 0o600)
        let closed = try world.gpu(["offers", "--key-file", keyFile], environment: ["SHADEFORM_API_KEY": ""])
        #expect(closed.status == 0, "\(closed.stderr)")
        let none = try world.gpu(["offers"], environment: ["SHADEFORM_API_KEY": ""])
        #expect(none.status == 78)
        #expect(none.stderr.contains("SHADEFORM_API_KEY"))
        let wrong = try world.gpu(["offers"], environment: ["SHADEFORM_API_KEY": "not-the-key"])
        #expect(wrong.status == 77, "\(wrong.stderr)")
        #expect(world.keyLeaks().isEmpty)
    }

    @Test func throttlingIsRetriedHonouringRetryAfter() throws {
        let world = try GPUHarness(config: ["throttle": 2, "retry_after": 1])
        let started = Date()
        let result = try world.gpu(["offers", "--gpu", "RTX4090"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(world.records(result, type: "offer").count == 2)
        #expect(elapsed >= 2, "two Retry-After: 1 answers must cost two seconds, took \(elapsed)")
        let statuses = try world.fake.requests().compactMap { $0["status"] as? Int }
        #expect(statuses == [429, 429, 200])
    }

    @Test func serverErrorsAreRetriedAndThenReported() throws {
        let world = try GPUHarness(config: ["server_errors": 2])
        let recovered = try world.gpu(["offers", "--retries", "2"])
        #expect(recovered.status == 0, "\(recovered.stderr)")
        try world.fake.configure(["server_errors": 10])
        let failed = try world.gpu(["offers", "--retries", "1"])
        #expect(failed.status == 75)
        #expect(failed.stderrLines.count == 1)
        #expect(failed.stderr.contains("HTTP 503"))
    }

    @Test func aSlowAPIMeetsTheRequestTimeout() throws {
        let world = try GPUHarness(config: ["slow_seconds": 3])
        let started = Date()
        let result = try world.gpu(["offers", "--request-timeout", "1", "--retries", "0"])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 8)
    }

    @Test func dryRunPrintsTheRequestsWithTheKeyRedacted() throws {
        let world = try GPUHarness()
        let result = try world.gpu(["launch", "--gpu", "RTX4090", "--budget", "3", "--ttl", "1h", "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        let requests = world.records(result, type: "request")
        #expect(requests.count == 2)  // /sshkeys/add and /instances/create
        let create = try #require(requests.last)
        #expect((create["url"] as? String)?.hasSuffix("/instances/create") == true)
        #expect((create["headers"] as? [String: Any])?["X-API-KEY"] as? String == "[redacted]")
        let body = try #require(create["body"] as? [String: Any])
        #expect(body["shade_instance_type"] as? String == "RTX4090")
        #expect((body["auto_delete"] as? [String: Any])?["spend_threshold"] as? String == "3.00")
        #expect((body["name"] as? String)?.hasPrefix("mybro-") == true)
        // Nothing that changes anything was sent.
        #expect(try world.fake.requests().allSatisfy { $0["method"] as? String == "GET" })
        #expect(try world.fake.instances().isEmpty)
        #expect(world.keyLeaks().isEmpty)
    }

    @Test func badOptionsAreUsageErrors() throws {
        let world = try GPUHarness()
        for arguments in [
            ["offers", "--max-price", "abc"], ["launch", "--ttl", "forever"], ["launch", "--budget", "-5"],
            ["offers", "--count", "0"], ["run", "--gpu", "H100"], ["offers", "--api-url", "::"],
        ] {
            let result = try world.gpu(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderrLines.count == 1, "\(arguments): \(result.stderr)")
        }
    }
}
