import ArgumentParser
import Foundation
import MybroCore
import MybroGPU

/// Where the API is and how patient to be with it.
struct APIOptions: ParsableArguments {
    @Option(
        name: .customLong("api-url"),
        help: "Shadeform's base URL (default $SHADEFORM_API_URL or https://api.shadeform.ai/v1).")
    var apiURL: String?

    @Option(
        name: .customLong("key-file"), help: "A file holding the API key, mode 600 (when SHADEFORM_API_KEY is unset).")
    var keyFile: String?

    @Option(help: "Tries after the first for a read that meets 429, 5xx or no connection (0-20).")
    var retries = 5

    @Option(name: .customLong("request-timeout"), help: "Seconds each request may take (1-600).")
    var requestTimeout = 30.0

    func validate() throws {
        try OptionRange.check(retries, 0...20, option: "--retries", unit: "")
        try OptionRange.check(requestTimeout, 1...600, option: "--request-timeout", unit: "s")
        if let apiURL, !["http", "https"].contains(URL(string: apiURL)?.scheme ?? "") {
            throw ValidationError("--api-url \(apiURL) is not a URL: give e.g. https://api.shadeform.ai/v1")
        }
    }

    /// The client, with the key loaded (exit 78 when there is none or its file is readable by others).
    func client() throws -> ShadeformClient {
        let text =
            apiURL ?? ProcessInfo.processInfo.environment["SHADEFORM_API_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ShadeformClient.defaultBaseURL
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme) else {
            throw MybroError("the API URL \(text) is not an http(s) URL", status: .configuration)
        }
        var settings = ShadeformClient.Settings()
        settings.retries = retries
        settings.requestTimeout = requestTimeout
        return ShadeformClient(baseURL: url, key: try APIKey.load(file: keyFile), settings: settings)
    }

    func broker(output: OutputSink = .standardOutput, dryRun: Bool = false) throws -> Broker {
        SecretEnvironment.protectThisProcess()
        let client = try client()
        let ledger = try Ledger(path: Ledger.defaultPath())
        let identity = SSHIdentity(projectRoot: SSHIdentity.projectRoot(of: FileManager.default.currentDirectoryPath))
        return Broker(client: client, ledger: ledger, output: output, identity: identity, dryRun: dryRun)
    }
}

/// What an offer must be, and how offers are ranked.
struct ConstraintOptions: ParsableArguments {
    @Option(help: "GPU type (H100, A100, A100_80G, RTX4090, …); repeat or separate with commas to accept several.")
    var gpu: [String] = []

    @Option(help: "Exactly this many GPUs (1-64).")
    var count: Int?

    @Option(name: .customLong("min-vram"), help: "At least this many GB of memory per GPU (1-1024).")
    var minVRAM: Int?

    @Flag(help: "Only GPUs joined by NVLink (or SXM boards).")
    var nvlink = false

    @Option(help: "The region must start with this prefix (repeat to accept several).")
    var region: [String] = []

    @Option(name: .customLong("prefer-region"), help: "Rank regions starting with this prefix first (repeatable).")
    var preferRegion: [String] = []

    @Option(name: .customLong("max-price"), help: "The most dollars per hour for the whole instance (e.g. 2.50).")
    var maxPrice: String?

    @Option(help: "Only this cloud (repeat or separate with commas).")
    var cloud: [String] = []

    @Flag(help: "Spot rentals (cheaper, may be reclaimed) instead of on-demand ones.")
    var spot = false

    @Option(help: "Rank by price, price-per-gpu or boot-time.")
    var sort: OfferConstraints.Sort = .price

    func validate() throws {
        if let count { try OptionRange.check(count, 1...64, option: "--count", unit: "") }
        if let minVRAM { try OptionRange.check(minVRAM, 1...1024, option: "--min-vram", unit: "GB") }
        if let maxPrice, Money.cents(fromDollars: maxPrice) == nil {
            throw ValidationError("--max-price \(maxPrice) is not an amount of dollars: give e.g. 2.50")
        }
    }

    var constraints: OfferConstraints {
        var constraints = OfferConstraints()
        constraints.gpuTypes = gpu.flatMap { $0.split(separator: ",").map(String.init) }
        constraints.count = count
        constraints.minimumVRAM = minVRAM
        constraints.requireNVLink = nvlink
        constraints.regionPrefixes = region
        constraints.preferredRegionPrefixes = preferRegion
        constraints.maximumHourlyCents = maxPrice.flatMap(Money.cents(fromDollars:))
        constraints.clouds = cloud.flatMap { $0.split(separator: ",").map(String.init) }
        constraints.spot = spot
        constraints.sort = sort
        return constraints
    }
}

extension OfferConstraints.Sort: ExpressibleByArgument {}

/// How long, how much, and how hard to try.
struct LaunchOptions: ParsableArguments {
    @Option(help: "A word for the instance name (mybro-NAME-xxxxxxxx).")
    var name: String?

    @Option(help: "Tear the instance down after this long (e.g. 90m, 2h; at most 30d).")
    var ttl = "2h"

    @Option(help: "The most dollars the instance may cost (e.g. 10 or 2.50).")
    var budget = "10"

    @Option(name: .customLong("max-attempts"), help: "Offers tried before giving up (1-50).")
    var maxAttempts = 5

    @Option(
        name: .customLong("boot-timeout"),
        help:
            "How long an instance may take to be active and answer SSH (e.g. 15m; default: twice its expected boot time plus 2m)."
    )
    var bootTimeout: String?

    @Option(name: .customLong("poll-interval"), help: "Seconds between status checks (0.05-600).")
    var pollInterval = 15.0

    @Option(help: "The OS image (one of the type's os_options; default its first).")
    var os: String?

    func validate() throws {
        guard let ttlSeconds = DurationText.seconds(ttl, limit: 30 * 86400), ttlSeconds >= 1 else {
            throw ValidationError("--ttl \(ttl) is not a duration from 1s to 30d: give e.g. 90m or 2h")
        }
        _ = ttlSeconds
        guard let cents = Money.cents(fromDollars: budget), cents >= 1, cents <= 100_000_000 else {
            throw ValidationError("--budget \(budget) is not an amount from 0.01 to 1000000 dollars: give e.g. 10")
        }
        _ = cents
        try OptionRange.check(maxAttempts, 1...50, option: "--max-attempts", unit: "")
        try OptionRange.check(pollInterval, 0.05...600, option: "--poll-interval", unit: "s")
        if let bootTimeout, DurationText.seconds(bootTimeout, limit: 86400) == nil {
            throw ValidationError("--boot-timeout \(bootTimeout) is not a duration up to 1d: give e.g. 15m")
        }
    }

    var settings: LaunchSettings {
        var settings = LaunchSettings()
        settings.label = name
        settings.ttl = DurationText.seconds(ttl) ?? 7200
        settings.budgetCents = Money.cents(fromDollars: budget) ?? 1000
        settings.maximumAttempts = maxAttempts
        settings.bootTimeout = bootTimeout.flatMap { DurationText.seconds($0) }
        settings.pollInterval = pollInterval
        settings.os = os
        return settings
    }
}

enum TableOrJSON: String, ExpressibleByArgument, CaseIterable { case json, table }
