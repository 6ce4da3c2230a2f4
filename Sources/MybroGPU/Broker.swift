import Foundation
import MybroCore

/// How a launch should go.
public struct LaunchSettings: Sendable {
    /// A word of the user's own in the instance name (`mybro-WORD-1a2b3c4d`).
    public var label: String?
    public var ttl: TimeInterval = 2 * 3600
    public var budgetCents = 1000
    /// Kept after this process ends (`launch`), or torn down with it (`run`).
    public var detached = false
    /// The most offers tried, each one an `attempt` record.
    public var maximumAttempts = 5
    /// How long an instance may take to become active and answer SSH; nil: twice the offer's
    /// longest expected boot time plus two minutes.
    public var bootTimeout: TimeInterval?
    public var pollInterval: TimeInterval = 15
    /// Wait until SSH answers, not only until the instance is active.
    public var waitForSSH = true
    public var os: String?

    public init() {}

    func bootLimit(for offer: Offer) -> TimeInterval {
        bootTimeout ?? TimeInterval(2 * (offer.bootMaxSeconds ?? 600) + 120)
    }
}

/// An instance that is active (and answers SSH, when asked).
public struct LaunchedInstance: Sendable {
    public var entry: LaunchEntry
    public var instance: Instance
    public var offer: Offer
    public var activeSince: Date

    public var record: Record {
        var fields = JSONObject()
        fields["id"] = .string(instance.id)
        fields["name"] = .string(entry.name)
        fields["status"] = .string(instance.status)
        fields["offer"] = .string(offer.id)
        fields["cloud"] = .string(offer.cloud)
        fields["region"] = .string(offer.region)
        fields["shade_instance_type"] = .string(offer.shadeInstanceType)
        fields["gpu_type"] = .string(offer.gpuType)
        fields["gpus"] = .number(Double(offer.gpus))
        fields["hourly_cents"] = .number(Double(offer.hourlyCents))
        fields["hourly_price"] = .string(Money.dollars(offer.hourlyCents))
        fields["ip"] = instance.ip.map { .string($0) } ?? .null
        fields["ssh_port"] = instance.sshPort.map { .number(Double($0)) } ?? .null
        fields["ssh_user"] = instance.sshUser.map { .string($0) } ?? .null
        fields["deadline"] = .string(ISO8601DateFormatter().string(from: entry.deadline))
        fields["budget"] = .string(Money.dollars(entry.budgetCents))
        return Record(type: "instance", fields: fields)
    }
}

/// Why an offer was given up (the outcome of an `attempt` record).
struct AttemptFailure: Error {
    var outcome: String
    var message: String
}

/// A stop signal arrived; what was created has been torn down.
public struct StoppedBySignal: Error {}

/// Picks, provisions and tears down instances, writing every step to the ledger.
public final class Broker: Sendable {
    public let client: ShadeformClient
    public let ledger: Ledger
    public let output: OutputSink
    /// Set for `--dry-run`: requests that would change something are written here, not sent.
    public let dryRun: Bool
    public let identity: SSHIdentity

    public init(client: ShadeformClient, ledger: Ledger, output: OutputSink, identity: SSHIdentity, dryRun: Bool) {
        self.client = client
        self.ledger = ledger
        self.output = output
        self.identity = identity
        self.dryRun = dryRun
    }

    // MARK: offers

    public func offers(_ constraints: OfferConstraints) throws -> [Offer] {
        var query: [URLQueryItem] = []
        // Narrow on the server only where that cannot drop an acceptable offer.
        if constraints.gpuTypes.count == 1 {
            query.append(URLQueryItem(name: "gpu_type", value: constraints.gpuTypes[0]))
        }
        if let count = constraints.count { query.append(URLQueryItem(name: "num_gpus", value: String(count))) }
        if constraints.clouds.count == 1 { query.append(URLQueryItem(name: "cloud", value: constraints.clouds[0])) }
        query.append(URLQueryItem(name: "available", value: "true"))
        let types = try client.instanceTypes(query: query)
        return constraints.rank(Offer.offers(from: types, spot: constraints.spot))
    }

    // MARK: launching

    /// Launches the first offer of `ranked` that works, in failover order, trying at most
    /// `settings.maximumAttempts`. Nil in a dry run (the create request was written instead).
    public func launch(ranked: [Offer], settings: LaunchSettings) throws -> LaunchedInstance? {
        guard !ranked.isEmpty else {
            throw MybroError(
                "no offer meets the constraints: loosen them (see 'mybro-gpu offers')", status: .unavailable)
        }
        let keyID = try identity.registeredKeyID(client: client, dryRun: dryRun ? output : nil)
        let tags = ["mybro", "mybro-ledger-\(try ledger.ledgerID())"]
        let plan = Array(FailoverPlan.order(ranked).prefix(max(1, settings.maximumAttempts)))
        var failures: [String] = []
        for (index, offer) in plan.enumerated() {
            if Signals.stopRequested { throw StoppedBySignal() }
            do {
                guard let launched = try attempt(offer, number: index + 1, keyID: keyID, tags: tags, settings: settings)
                else { return nil }
                try output.write(record: attemptRecord(index + 1, offer, "launched", ""))
                return launched
            } catch let failure as AttemptFailure {
                Log.shared.warning("attempt \(index + 1) (\(offer.id)): \(failure.message)")
                try output.write(record: attemptRecord(index + 1, offer, failure.outcome, failure.message))
                failures.append("\(offer.id): \(failure.outcome)")
            }
        }
        throw MybroError(
            "no instance after \(plan.count) attempt\(plan.count == 1 ? "" : "s") (\(failures.joined(separator: "; ")))",
            status: .temporaryFailure)
    }

    private func attemptRecord(_ number: Int, _ offer: Offer, _ outcome: String, _ message: String) -> Record {
        var fields = JSONObject()
        fields["attempt"] = .number(Double(number))
        fields["offer"] = .string(offer.id)
        fields["outcome"] = .string(outcome)
        if !message.isEmpty { fields["message"] = .string(message) }
        return Record(type: "attempt", fields: fields)
    }

    public static func instanceName(label: String?) -> String {
        let random = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(8)
        guard let label else { return "mybro-\(random)" }
        let safe = label.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
        return "mybro-\(String(safe.prefix(40)))-\(random)"
    }

    private func attempt(_ offer: Offer, number: Int, keyID: String, tags: [String], settings: LaunchSettings) throws
        -> LaunchedInstance?
    {
        let name = Self.instanceName(label: settings.label)
        let now = Date()
        let deadline = now.addingTimeInterval(settings.ttl)
        let request = CreateRequest(
            cloud: offer.cloud, region: offer.region, shadeInstanceType: offer.shadeInstanceType, shadeCloud: true,
            name: name, os: settings.os ?? offer.osOptions.first, sshKeyId: keyID,
            rentalType: offer.spot ? "spot" : "on_demand",
            autoDelete: .init(
                dateThreshold: ISO8601DateFormatter().string(from: deadline),
                spendThreshold: Money.dollars(settings.budgetCents)),
            tags: tags)
        if dryRun {
            try output.write(
                record: client.describe(
                    method: "POST", path: "/instances/create", body: try JSONEncoder.shadeform.encode(request)))
            return nil
        }
        var entry = LaunchEntry(
            name: name, instanceID: nil, offerID: offer.id, cloud: offer.cloud, region: offer.region,
            shadeInstanceType: offer.shadeInstanceType, hourlyCents: offer.hourlyCents, state: "intent",
            owner: .current, detached: false, createdAt: now, deadline: deadline, budgetCents: settings.budgetCents,
            costCents: 0, costFinal: false, apiURL: client.baseURL.absoluteString)
        try ledger.recordIntent(
            entry, detail: "attempt \(number), \(offer.id) at \(Money.dollars(offer.hourlyCents))/h")
        Log.shared.info("creating \(name): \(offer.id) at $\(Money.dollars(offer.hourlyCents))/h")
        CrashPoint.intent.reach()
        let id: String
        do {
            id = try client.create(request)
        } catch let error as ShadeformError {
            switch error.kind {
            case .capacity, .rejected:
                try ledger.recordState(name: name, state: "failed", detail: error.message)
                throw AttemptFailure(outcome: error.kind == .capacity ? "capacity" : "rejected", message: error.message)
            case .unauthorized:
                try ledger.recordState(name: name, state: "failed", detail: error.message)
                throw error.asMybroError
            default:
                // The create may have happened before the answer was lost: never send it again,
                // look for the name instead.
                guard let found = try findByName(name) else {
                    try ledger.recordState(name: name, state: "failed", detail: error.message)
                    throw AttemptFailure(outcome: "create_failed", message: error.message)
                }
                Log.shared.info("the create answer was lost, but \(name) exists as \(found.id)")
                id = found.id
            }
        }
        CrashPoint.created.reach()
        try ledger.recordCreated(name: name, instanceID: id)
        CrashPoint.booting.reach()
        entry.instanceID = id
        entry.state = "created"
        do {
            let (instance, activeSince) = try waitUntilActive(entry: entry, offer: offer, settings: settings)
            entry.state = "active"
            CrashPoint.active.reach()
            if let host = instance.ip, !host.isEmpty {
                try ledger.recordSSH(
                    name: name, host: host, port: instance.sshPort ?? 22, user: instance.sshUser ?? "shadeform")
            }
            if settings.waitForSSH {
                try waitForSSH(entry: entry, instance: instance, offer: offer, settings: settings)
                try ledger.recordState(name: name, state: "ready", detail: "SSH answers")
                entry.state = "ready"
            }
            if settings.detached {
                try ledger.recordDetached(name: name)
                entry.detached = true
            }
            return LaunchedInstance(entry: entry, instance: instance, offer: offer, activeSince: activeSince)
        } catch let failure as AttemptFailure {
            try tearDown(name: name, instanceID: id, reason: failure.outcome)
            throw failure
        } catch {
            try? tearDown(name: name, instanceID: id, reason: "stopped")
            throw error
        }
    }

    private func findByName(_ name: String) throws -> Instance? {
        try client.instances().first { $0.name == name }
    }

    private func waitUntilActive(entry: LaunchEntry, offer: Offer, settings: LaunchSettings) throws -> (
        Instance, Date
    ) {
        let started = Date()
        let limit = settings.bootLimit(for: offer)
        var lastStatus = ""
        var lastCost: Int?
        while true {
            if Signals.stopRequested { throw StoppedBySignal() }
            let waited = Date().timeIntervalSince(started)
            if let instance = try client.instance(id: entry.instanceID!) {
                if instance.status != lastStatus {
                    lastStatus = instance.status
                    try ledger.recordState(name: entry.name, state: instance.status)
                    Log.shared.info("\(entry.name): \(instance.status) after \(Int(waited)) s")
                }
                if let cents = instance.costCents, cents != lastCost {
                    lastCost = cents
                    try ledger.recordCost(name: entry.name, cents: cents, final: false, source: "info")
                }
                switch instance.status {
                case InstanceStatus.active: return (instance, Date())
                case InstanceStatus.error:
                    throw AttemptFailure(
                        outcome: "error", message: "the instance went to error \(instance.statusDetails ?? "")")
                case InstanceStatus.deleting, InstanceStatus.deleted:
                    throw AttemptFailure(outcome: "gone", message: "the instance was deleted while it booted")
                default: break
                }
            } else {
                throw AttemptFailure(outcome: "gone", message: "Shadeform no longer knows the instance")
            }
            if waited > limit {
                throw AttemptFailure(
                    outcome: "boot_timeout", message: "not active after \(Int(limit)) s (status \(lastStatus))")
            }
            if !Pause.sleep(seconds: settings.pollInterval) { throw StoppedBySignal() }
        }
    }

    private func waitForSSH(entry: LaunchEntry, instance: Instance, offer: Offer, settings: LaunchSettings) throws {
        guard let host = instance.ip, !host.isEmpty else {
            throw AttemptFailure(outcome: "no_ip", message: "the active instance has no IP address")
        }
        let session = session(for: instance, host: host)
        let started = Date()
        let limit = settings.bootLimit(for: offer)
        while !session.answers() {
            if Signals.stopRequested { throw StoppedBySignal() }
            if Date().timeIntervalSince(started) > limit {
                throw AttemptFailure(outcome: "ssh_timeout", message: "SSH did not answer within \(Int(limit)) s")
            }
            if !Pause.sleep(seconds: min(settings.pollInterval, 2)) { throw StoppedBySignal() }
        }
        try ledger.recordEvent(name: entry.name, kind: "host_key", detail: "recorded in \(session.knownHostsPath)")
    }

    public func session(for instance: Instance, host: String) -> SSHSession {
        SSHSession(
            host: host, port: instance.sshPort ?? 22, user: instance.sshUser ?? "shadeform", identity: identity,
            instanceID: instance.id)
    }

    // MARK: teardown

    /// Deletes the instance and records its final cost: idempotent (an instance Shadeform no
    /// longer knows counts as deleted). Not cut short by a stop signal.
    public func tearDown(name: String?, instanceID: String, reason: String) throws {
        if dryRun {
            try output.write(
                record: client.describe(method: "POST", path: "/instances/\(instanceID)/delete", body: nil))
            return
        }
        if let name { try ledger.recordState(name: name, state: "deleting", detail: reason) }
        Log.shared.info("deleting \(name ?? instanceID) (\(reason))")
        do {
            try client.delete(id: instanceID)
            CrashPoint.deleted.reach()
        } catch let error as ShadeformError {
            if let name { try? ledger.recordEvent(name: name, kind: "error", detail: "delete: \(error.message)") }
            throw error.asMybroError
        }
        // Billing stops with the delete: the estimate read now is the bill.
        let after = try? client.instance(id: instanceID, cancellable: false)
        if let name {
            if let cents = after?.costCents {
                try ledger.recordCost(name: name, cents: cents, final: true, source: "after delete")
            }
            try ledger.recordState(name: name, state: "deleted", detail: after?.status ?? "gone")
        }
    }
}
