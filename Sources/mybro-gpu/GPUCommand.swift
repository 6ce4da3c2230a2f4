import ArgumentParser
import Foundation
import MybroCore
import MybroGPU

@main
struct GPUCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-gpu",
        abstract: "Rent a cloud GPU through Shadeform, run work on it, and never leak a paid instance.",
        discussion: """
            Speaks Shadeform's REST API (X-API-KEY, https://api.shadeform.ai/v1). The key comes from \
            SHADEFORM_API_KEY or from a file only its owner can read (--key-file, default \
            $XDG_CONFIG_HOME/mybro/shadeform-api-key; any other mode is refused with 78 and the chmod \
            that fixes it). It never appears in records, diagnostics, the ledger or a child's environment; \
            --dry-run prints requests with the key redacted.

            Every launch is written to a SQLite ledger ($XDG_STATE_HOME/mybro/gpu-ledger.sqlite) before \
            its create call and completed after it; every state change and cost estimate follows. Costs \
            are kept in whole cents. Each instance is created with Shadeform's auto_delete (TTL date and \
            budget) as a last safety net, named mybro-…, and tagged mybro and mybro-ledger-ID.

            Failover: an offer that is out of capacity, goes to error, or is not active and answering \
            SSH within --boot-timeout is deleted and the next one tried: the same type in another region, \
            then on another cloud, then the next type; at most --max-attempts, one attempt record each.

            SSH uses the system's OpenSSH client with a key pair per project (under \
            $XDG_DATA_HOME/mybro/gpu/keys), registered through /sshkeys/add; each instance's host key is \
            recorded on first use and required after.

            REAPING
            The reap subcommand (mybro-gpu reap) deletes instances past their TTL, over budget, or whose owner died. Run it \
            regularly, from cron:
              */10 * * * * mybro-gpu reap -q
            or a systemd user timer (~/.config/systemd/user/mybro-gpu-reap.service and .timer):
              [Service]
              Type=oneshot
              ExecStart=%h/.local/bin/mybro-gpu reap -q
              [Timer]
              OnBootSec=2m
              OnUnitActiveSec=10m
              [Install]
              WantedBy=timers.target
            then 'systemctl --user enable --now mybro-gpu-reap.timer'.

            IN THE VOICE LOOP
            "Run the training on an H100" becomes (mybro-intent's rules) \
            mybro-gpu run --gpu H100 --name train --budget 10 --ttl 2h --upload . -- make train. \
            mybro-exec never runs run or launch without a spoken yes, and asks with the best \
            offer's price (from mybro-gpu offers) and the budget: "This rents one H100 at 2 \
            dollars 39 an hour, 10 dollars at most." offers, list, status and costs run at once; \
            delete and reap ask. Only a plain mybro-gpu call gets SHADEFORM_API_KEY, its ledger, \
            keys and the network in mybro-exec's sandbox (policy line: credential mybro-gpu \
            SHADEFORM_API_KEY). --upload DIR/ or . sends the folder's contents; version control, \
            .build, node_modules, .venv, __pycache__, .env files and keys stay behind.

            EXAMPLES
              mybro-gpu offers --gpu H100 --sort price --format table
              mybro-gpu offers --gpu A100,A100_80G --min-vram 80 --region us- --max-price 3
              mybro-gpu launch --gpu H100 --name train --ttl 2h --budget 10
              mybro-gpu run --gpu RTX4090 --upload train.py --fetch out -- python3 train.py
              mybro-gpu costs --format table
              mybro-gpu reap

            """ + ManualText.common + """

                  124   (run) the TTL ran out; the instance was torn down
                  other (run) the remote command's exit status
                """,
        version: MybroVersion.string,
        subcommands: [
            OffersCommand.self, LaunchCommand.self, ListCommand.self, StatusCommand.self, DeleteCommand.self,
            CostsCommand.self, RunCommand.self, ReapCommand.self,
        ]
    )

    static func main() { mybroMain() }
}

struct OffersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offers",
        abstract: "List the offers that meet the constraints, best first.",
        discussion: """
            One offer record per available region of each instance type: id (cloud/region/type, \
            /spot for spot), cloud, region, shade_instance_type, gpu_type, gpus, vram_per_gpu_gb, \
            vram_gb, interconnect, nvlink, hourly_cents, hourly_price (dollars), rental_type, \
            boot_min_s, boot_max_s. Ties are broken by price, then expected boot time, then id.
            """)

    @OptionGroup var api: APIOptions
    @OptionGroup var constraints: ConstraintOptions
    @Option(help: "json (records) or table.") var format: TableOrJSON = .json
    @Option(help: "Show at most this many offers (1-10000).") var limit = 10000
    @OptionGroup var log: LogOptions

    func validate() throws { try OptionRange.check(limit, 1...10000, option: "--limit", unit: "") }

    func run() throws {
        ToolRunner.run(tool: "mybro-gpu", log: log) {
            let broker = try api.broker()
            let offers = try wrap { try broker.offers(constraints.constraints) }.prefix(limit)
            if format == .table {
                try OutputSink.standardOutput.write(line: Tables.offers(Array(offers)))
            } else {
                for offer in offers { try OutputSink.standardOutput.write(record: offer.record) }
            }
            if offers.isEmpty { Log.shared.warning("no offer meets the constraints") }
        }
    }
}

struct LaunchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Create an instance from an offer id or the best offer that meets the constraints.",
        discussion: """
            Waits until the instance is active and answers SSH (progress on stderr), then writes an \
            instance record and leaves it running until 'mybro-gpu delete', its TTL or its budget.
            """)

    @Argument(help: "An offer id from 'mybro-gpu offers' (cloud/region/type).") var offerID: String?
    @OptionGroup var api: APIOptions
    @OptionGroup var constraints: ConstraintOptions
    @OptionGroup var launch: LaunchOptions
    @Flag(name: .customLong("dry-run"), help: "Print the requests that would change something instead of sending them.")
    var dryRun = false
    @OptionGroup var log: LogOptions

    func run() throws {
        ToolRunner.run(tool: "mybro-gpu", log: log) {
            let broker = try api.broker(dryRun: dryRun)
            let ranked = try wrap { try chooseOffers(broker, offerID: offerID, constraints: constraints.constraints) }
            var settings = launch.settings
            settings.detached = true
            do {
                if let launched = try wrap({ try broker.launch(ranked: ranked, settings: settings) }) {
                    try OutputSink.standardOutput.write(record: launched.record)
                }
            } catch is StoppedBySignal {}
        }
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Provision, upload, run a command over SSH, fetch, and tear down, in one call.",
        discussion: """
            The remote command runs in --remote-dir (made if missing). One argument is a shell command \
            line; several are words, quoted one by one. Its output comes as job_output records \
            (instance, stream "output" or "stderr", text); a job_done record ends it. The exit status is \
            the remote command's. Teardown follows success, failure, SIGINT, SIGTERM, SIGHUP, a lost SSH \
            connection (69), the budget spent (75) and the TTL (124).
            """)

    @OptionGroup var api: APIOptions
    @OptionGroup var constraints: ConstraintOptions
    @OptionGroup var launch: LaunchOptions
    @Option(name: .customLong("offer"), help: "Use this offer id instead of choosing one.") var offerID: String?
    @Option(
        help:
            "A local file or folder to copy into the remote folder first (repeatable); DIR/ or . copies the folder's contents. Version control, build output, .env files and keys stay behind."
    ) var upload: [String] = []
    @Option(help: "A path, relative to the remote folder, to copy back afterwards (repeatable).") var fetch: [String] =
        []
    @Option(name: .customLong("fetch-to"), help: "Where fetched paths land.") var fetchTo = "."
    @Option(name: .customLong("remote-dir"), help: "The remote working folder.") var remoteDir = "mybro-work"
    @Flag(name: .customLong("dry-run"), help: "Print the requests that would change something instead of sending them.")
    var dryRun = false
    @OptionGroup var log: LogOptions
    @Argument(parsing: .postTerminator, help: "The remote command, after --.") var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("no remote command: give it after --, e.g. -- nvidia-smi") }
        if remoteDir.isEmpty { throw ValidationError("--remote-dir must not be empty") }
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-gpu", log: log) {
            let broker = try api.broker(dryRun: dryRun)
            let ranked = try wrap { try chooseOffers(broker, offerID: offerID, constraints: constraints.constraints) }
            var job = RemoteJob(command: command)
            job.uploads = upload
            job.fetches = fetch
            job.fetchDirectory = fetchTo
            job.remoteDirectory = remoteDir
            let status = try wrap { try job.run(broker: broker, ranked: ranked, settings: launch.settings) }
            if status != 0 { Foundation.exit(status) }
        }
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the account's mybro instances (all with --all), as instance records.")

    @OptionGroup var api: APIOptions
    @Flag(help: "Also instances not named mybro-….") var all = false
    @Option(help: "json (records) or table.") var format: TableOrJSON = .json
    @OptionGroup var log: LogOptions

    func run() throws {
        ToolRunner.run(tool: "mybro-gpu", log: log) {
            let broker = try api.broker()
            let instances = try wrap { try broker.client.instances() }.filter {
                all || $0.name.hasPrefix(Reaper.namePrefix)
            }
            let records = try instances.map { try InstanceView.record($0, ledger: broker.ledger) }
            if format == .table {
                try OutputSink.standardOutput.write(line: Tables.instances(records))
            } else {
                for record in records { try OutputSink.standardOutput.write(record: record) }
            }
        }
    }
}

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show one instance (by id or mybro name), with its ledger entry.")

    @Argument(help: "The instance id or its mybro name.") var id: String
    @OptionGroup var api: APIOptions
    @OptionGroup var log: LogOptions

    func run() throws {
        ToolRunner.run(tool: "mybro-gpu", log: log) {
            let broker = try api.broker()
            let entry = try broker.ledger.launch(name: id) ?? broker.ledger.launch(instanceID: id)
            guard let instanceID = entry?.instanceID ?? (entry == nil ? id : nil) else {
                throw MybroError("\(id) was never created (ledger state \(entry?.state ?? "?"))", status: .noInput)
            }
            guard let instance = try wrap({ try broker.client.instance(id: instanceID) }) else {
                if let entry {
                    try OutputSink.standardOutput.write(record: InstanceView.record(entry))
                    return
                }
                throw MybroError("no instance \(id)", status: .noInput)
            }
            try OutputSink.standardOutput.write(record: InstanceView.record(instance, ledger: broker.ledger))
        }
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete instances (by id or mybro name); one already gone counts as deleted.")

    @Argument(help: "Instance ids or mybro names.") var ids: [String]
    @OptionGroup var api: APIOptions
    @Flag(name: .customLong("dry-run"), help: "Print the delete requests instead of sending them.") var dryRun = false
    @OptionGroup var log: LogOptions

    func validate() throws { if ids.isEmpty { throw ValidationError("name at least one instance id") } }

    func run() throws {
        ToolRunner.run(tool: "mybro-gpu", log: log) {
            let broker = try api.broker(dryRun: dryRun)
            for id in ids {
                let entry = try broker.ledger.launch(name: id) ?? broker.ledger.launch(instanceID: id)
                guard let instanceID = entry?.instanceID ?? (entry == nil ? id : nil) else {
                    if let entry, !dryRun { try broker.ledger.recordState(name: entry.name, state: "failed") }
                    continue
                }
                try wrap { try broker.tearDown(name: entry?.name, instanceID: instanceID, reason: "delete") }
                if !dryRun {
                    try OutputSink.standardOutput.write(
                        record: Record(
                            type: "deleted",
                            fields: JSONObject(["id": .string(instanceID), "name": .string(entry?.name ?? "")])))
                }
            }
        }
    }
}

struct CostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costs",
        abstract: "What was spent, per instance, from the ledger (whole cents; final once billing stopped).")

    @Option(help: "json (records) or table.") var format: TableOrJSON = .json
    @OptionGroup var log: LogOptions

    func run() throws {
        ToolRunner.run(tool: "mybro-gpu", log: log) {
            let ledger = try Ledger(path: Ledger.defaultPath())
            let entries = try ledger.launches().filter { $0.instanceID != nil }
            if format == .table {
                try OutputSink.standardOutput.write(line: Tables.costs(entries))
                return
            }
            for entry in entries { try OutputSink.standardOutput.write(record: InstanceView.costRecord(entry)) }
            let total = entries.reduce(0) { $0 + $1.costCents }
            try OutputSink.standardOutput.write(
                record: Record(
                    type: "cost_total",
                    fields: JSONObject([
                        "cents": .number(Double(total)), "dollars": .string(Money.dollars(total)),
                        "instances": .number(Double(entries.count)),
                    ])))
        }
    }
}

struct ReapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reap",
        abstract: "Delete this ledger's instances that are past their TTL, over budget, or whose owner died.",
        discussion: "One reap record per instance looked at: name, id, action (delete, keep, gone, foreign), reason.")

    @OptionGroup var api: APIOptions
    @Flag(name: .customLong("dry-run"), help: "Print the delete requests instead of sending them.") var dryRun = false
    @OptionGroup var log: LogOptions

    func run() throws {
        ToolRunner.run(tool: "mybro-gpu", log: log) {
            let broker = try api.broker(dryRun: dryRun)
            for verdict in try wrap({ try Reaper(broker: broker).reap() }) {
                try OutputSink.standardOutput.write(record: verdict.record)
            }
        }
    }
}

/// The offer named by id, or the ranked offers that meet the constraints.
func chooseOffers(_ broker: Broker, offerID: String?, constraints: OfferConstraints) throws -> [Offer] {
    guard let offerID else { return try broker.offers(constraints) }
    var any = OfferConstraints()
    any.spot = offerID.hasSuffix("/spot")
    guard let offer = try broker.offers(any).first(where: { $0.id == offerID }) else {
        throw MybroError("no available offer \(offerID): see 'mybro-gpu offers'", status: .unavailable)
    }
    return [offer]
}

/// Shadeform errors as the toolkit's errors (one line, the exit status of their kind).
func wrap<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ShadeformError {
        throw error.asMybroError
    }
}
