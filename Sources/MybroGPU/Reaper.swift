import Foundation
import MybroCore

/// `mybro-gpu reap`: reconciles the ledger with Shadeform's instance list and tears down every
/// instance of this ledger that is past its TTL, over its budget, or whose owning process
/// died before it was handed over (`launch` completing hands it to the user; `run` never
/// does). Instances are matched by the name prefix `mybro-` and this ledger's tag
/// `mybro-ledger-ID`, so an instance created in the moment before a crash (the ledger holds
/// its name but not yet its id) is found too.
public struct Reaper: Sendable {
    public static let namePrefix = "mybro-"

    public let broker: Broker
    public var now: @Sendable () -> Date = { Date() }

    public init(broker: Broker) { self.broker = broker }

    public struct Verdict: Sendable {
        public var name: String
        public var instanceID: String?
        /// delete, keep, gone (already gone: ledger closed), foreign (not this ledger's).
        public var action: String
        public var reason: String
    }

    public func reap() throws -> [Verdict] {
        let ledger = broker.ledger
        let tag = "mybro-ledger-\(try ledger.ledgerID())"
        let listed = try broker.client.instances().filter { $0.name.hasPrefix(Self.namePrefix) }
        var verdicts: [Verdict] = []
        var seen = Set<String>()
        for instance in listed {
            let entry = try ledger.launch(instanceID: instance.id) ?? ledger.launch(name: instance.name)
            let ours = entry != nil || (instance.tags ?? []).contains(tag)
            guard ours else {
                if (instance.tags ?? []).contains("mybro") {
                    verdicts.append(
                        Verdict(
                            name: instance.name, instanceID: instance.id, action: "foreign",
                            reason: "tagged by another mybro ledger; left alone"))
                }
                continue
            }
            seen.insert(instance.name)
            if let entry, entry.instanceID == nil {
                // Created, but the crash came before the id was written: complete the row.
                try ledger.recordCreated(name: entry.name, instanceID: instance.id)
            }
            if InstanceStatus.isGone(instance.status) {
                if let entry, entry.isOpen {
                    try closeGone(entry: entry, instance: instance)
                    verdicts.append(
                        Verdict(name: entry.name, instanceID: instance.id, action: "gone", reason: instance.status))
                }
                continue
            }
            if let reason = reasonToDelete(entry: entry, instance: instance) {
                try broker.tearDown(name: entry?.name, instanceID: instance.id, reason: "reap: \(reason)")
                verdicts.append(Verdict(name: instance.name, instanceID: instance.id, action: "delete", reason: reason))
            } else {
                verdicts.append(
                    Verdict(
                        name: instance.name, instanceID: instance.id, action: "keep", reason: "within TTL and budget"))
            }
        }
        // Open rows whose instance the API no longer lists: closed, and never-created intents
        // of dead owners marked failed.
        for entry in try ledger.launches(openOnly: true) where !seen.contains(entry.name) {
            if entry.instanceID == nil {
                guard !entry.owner.isAlive else { continue }
                try ledger.recordState(name: entry.name, state: "failed", detail: "reap: never created")
                verdicts.append(Verdict(name: entry.name, instanceID: nil, action: "gone", reason: "never created"))
            } else if entry.apiURL == broker.client.baseURL.absoluteString {
                let instance = try broker.client.instance(id: entry.instanceID!)
                if let instance, !InstanceStatus.isGone(instance.status) { continue }
                if let instance {
                    try closeGone(entry: entry, instance: instance)
                } else {
                    try ledger.recordState(name: entry.name, state: "deleted", detail: "reap: no longer listed")
                }
                verdicts.append(
                    Verdict(name: entry.name, instanceID: entry.instanceID, action: "gone", reason: "deleted"))
            }
        }
        return verdicts
    }

    private func closeGone(entry: LaunchEntry, instance: Instance) throws {
        if let cents = instance.costCents {
            try broker.ledger.recordCost(name: entry.name, cents: cents, final: true, source: "reap")
        }
        try broker.ledger.recordState(name: entry.name, state: "deleted", detail: "reap: \(instance.status)")
    }

    /// Why the instance must go, or nil to keep it.
    func reasonToDelete(entry: LaunchEntry?, instance: Instance) -> String? {
        guard let entry else { return "tagged by this ledger but not in it" }
        if now() >= entry.deadline { return "past its TTL" }
        if let cents = instance.costCents, cents >= entry.budgetCents { return "over its budget" }
        if !entry.detached && !entry.owner.isAlive { return "its owner (pid \(entry.owner.pid)) died" }
        if instance.status == InstanceStatus.error { return "in error" }
        return nil
    }
}

extension Reaper.Verdict {
    public var record: Record {
        var fields = JSONObject()
        fields["name"] = .string(name)
        fields["id"] = instanceID.map { .string($0) } ?? .null
        fields["action"] = .string(action)
        fields["reason"] = .string(reason)
        return Record(type: "reap", fields: fields)
    }
}
