import Foundation
import MybroCore

/// Instance and cost records for `list`, `status` and `costs`.
public enum InstanceView {
    /// An `instance` record from the API's view, with the ledger's deadline, budget and cost.
    public static func record(_ instance: Instance, ledger: Ledger) throws -> Record {
        var fields = JSONObject()
        fields["id"] = .string(instance.id)
        fields["name"] = .string(instance.name)
        fields["status"] = .string(instance.status)
        fields["cloud"] = instance.cloud.map { .string($0) } ?? .null
        fields["region"] = instance.region.map { .string($0) } ?? .null
        fields["shade_instance_type"] = instance.shadeInstanceType.map { .string($0) } ?? .null
        fields["hourly_cents"] = instance.hourlyPrice.map { .number(Double($0)) } ?? .null
        fields["cost_cents"] = instance.costCents.map { .number(Double($0)) } ?? .null
        fields["ip"] = instance.ip.map { .string($0) } ?? .null
        fields["ssh_port"] = instance.sshPort.map { .number(Double($0)) } ?? .null
        fields["ssh_user"] = instance.sshUser.map { .string($0) } ?? .null
        if let entry = try ledger.launch(instanceID: instance.id) ?? ledger.launch(name: instance.name) {
            fields["deadline"] = .string(ISO8601DateFormatter().string(from: entry.deadline))
            fields["budget"] = .string(Money.dollars(entry.budgetCents))
            fields["ledger_state"] = .string(entry.state)
            fields["detached"] = .bool(entry.detached)
        }
        return Record(type: "instance", fields: fields)
    }

    /// An `instance` record from the ledger alone (the API no longer knows the instance).
    public static func record(_ entry: LaunchEntry) -> Record {
        var fields = JSONObject()
        fields["id"] = entry.instanceID.map { .string($0) } ?? .null
        fields["name"] = .string(entry.name)
        fields["status"] = .string(entry.state == "deleted" ? "deleted" : "unknown")
        fields["ledger_state"] = .string(entry.state)
        fields["cost_cents"] = .number(Double(entry.costCents))
        return Record(type: "instance", fields: fields)
    }

    public static func costRecord(_ entry: LaunchEntry) -> Record {
        var fields = JSONObject()
        fields["name"] = .string(entry.name)
        fields["id"] = entry.instanceID.map { .string($0) } ?? .null
        fields["offer"] = .string(entry.offerID)
        fields["state"] = .string(entry.state)
        fields["hourly_cents"] = .number(Double(entry.hourlyCents))
        fields["cents"] = .number(Double(entry.costCents))
        fields["dollars"] = .string(Money.dollars(entry.costCents))
        fields["final"] = .bool(entry.costFinal)
        fields["created_at"] = .string(ISO8601DateFormatter().string(from: entry.createdAt))
        return Record(type: "cost", fields: fields)
    }
}

/// Fixed-width tables for people.
public enum Tables {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    public static func offers(_ offers: [Offer]) -> String {
        render(
            ["OFFER", "GPU", "N", "VRAM", "INTERCONNECT", "$/H", "BOOT"],
            offers.map { offer in
                [
                    offer.id, offer.gpuType, String(offer.gpus), "\(offer.totalVRAM)G",
                    offer.interconnect + (offer.hasNVLink ? "+nvlink" : ""), Money.dollars(offer.hourlyCents),
                    offer.bootMaxSeconds.map { "\($0 / 60)m" } ?? "?",
                ]
            })
    }

    public static func instances(_ records: [Record]) -> String {
        render(
            ["ID", "NAME", "STATUS", "TYPE", "REGION", "COST"],
            records.map { record in
                [
                    record["id"]?.stringValue ?? "", record["name"]?.stringValue ?? "",
                    record["status"]?.stringValue ?? "", record["shade_instance_type"]?.stringValue ?? "",
                    record["region"]?.stringValue ?? "", record["cost_cents"]?.intValue.map(Money.dollars) ?? "",
                ]
            })
    }

    public static func costs(_ entries: [LaunchEntry]) -> String {
        let total = entries.reduce(0) { $0 + $1.costCents }
        return render(
            ["NAME", "OFFER", "STATE", "COST", "FINAL"],
            entries.map { [$0.name, $0.offerID, $0.state, Money.dollars($0.costCents), $0.costFinal ? "yes" : "no"] }
                + [["total", "", "", Money.dollars(total), ""]])
    }
}
