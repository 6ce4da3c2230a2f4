import ArgumentParser
import Foundation
import MybroBench
import MybroCore

/// `mybro-bench route`: where a workload should run, this machine or a rented GPU.
struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Decide where a workload runs: this machine or a cloud GPU offer, with time, cost and the reason.",
        discussion: """
            The workload is one of --transcribe HOURS --model NAME, --kernel NAME --n N, --flops F \
            --bytes B [--memory GB], a workload record in --workload FILE, or a workload record on \
            stdin. Cloud options are the offer records of mybro-gpu offers --format json on stdin; \
            this machine is estimated from its profile (written by mybro-bench --save FILE). \
            Output: a route_option record per option and a route_choice record (JSON Lines, the \
            default when stdout is not a terminal, or --format json), or a table (--format text). The rules and assumptions are in \
            mybro-bench(1) under ROUTING.

            EXAMPLES
              mybro-bench route --transcribe 1 --model tiny.en
              mybro-gpu offers --gpu H100 | mybro-bench route --transcribe 500 --model large-v3 --deadline 24h
              mybro-gpu offers | mybro-bench route --kernel exp --n 1e9 --budget 2 --format text

            """ + ManualText.common + """

                  1     (route) nothing fits: every option breaks the memory, the budget or the deadline
                """)

    @Option(help: "Hours of speech to transcribe (with --model; above 0, at most 876000).")
    var transcribe: Double?

    @Option(
        help:
            "The Whisper model for --transcribe: tiny, tiny.en, base, base.en, small, small.en, medium, medium.en, large-v2, large-v3."
    )
    var model: String?

    @Option(help: "A mybro-kernel kernel (mybro-kernel list) to run over --n elements.")
    var kernel: String?

    @Option(name: .customLong("n"), help: "Elements for --kernel (1 to 1e15).")
    var elements: Double?

    @Option(help: "Floating-point operations of another workload (0 to 1e24; with --bytes).")
    var flops: Double?

    @Option(help: "Bytes it moves through memory (0 to 1e24; with --flops).")
    var bytes: Double?

    @Option(help: "Gigabytes of memory it holds (0 to 1e6; with --flops and --bytes).")
    var memory: Double?

    @Option(help: "A file holding one workload record.")
    var workload: String?

    @Option(help: "This machine's profile (default: the one mybro-bench --save keeps).")
    var profile: String?

    @Option(help: "Spend at most this many dollars (0 to 1e9).")
    var budget: Double?

    @Option(help: "Finish within this long: 90m, 24h, 1h30m, 2d or seconds (1 s to 366 d).")
    var deadline: String?

    @Option(help: "Upload speed to a rented machine in megabits per second (above 0, at most 1e6).")
    var uplink = RouteConstraints.defaultUplinkMbps

    @OptionGroup var strict: StrictOption

    /// mybro-bench's own options, as parsed: ArgumentParser hands an option that both a command and
    /// its subcommand define to the command, so `route --format text` and `route -v` land there.
    @OptionGroup(visibility: .private) var bench: BenchCommand

    func validate() throws {
        // mybro-bench's measuring options parse here too (see `bench`); under route they would do nothing
        // (--threshold is caught when it differs from its default).
        let measuring = [
            bench.quick ? "--quick" : nil, bench.only.map { _ in "--only" }, bench.diskDir.map { _ in "--disk-dir" },
            bench.results.save.map { _ in "--save" }, bench.results.compare.map { _ in "--compare" },
            bench.results.report.map { _ in "--report" }, bench.results.threshold != 10 ? "--threshold" : nil,
        ]
        if let option = measuring.compactMap({ $0 }).first {
            throw ValidationError("\(option) is for a measuring run (mybro-bench \(option) …), not route: leave it out")
        }
        if let transcribe {
            try OptionRange.check(transcribe, WorkloadLimits.hours, option: "--transcribe", unit: "hours")
        }
        if let elements { try OptionRange.check(elements, WorkloadLimits.elements, option: "--n") }
        if let flops { try OptionRange.check(flops, WorkloadLimits.amount, option: "--flops") }
        if let bytes { try OptionRange.check(bytes, WorkloadLimits.amount, option: "--bytes") }
        if let memory { try OptionRange.check(memory, WorkloadLimits.memoryGB, option: "--memory", unit: "GB") }
        if let budget { try OptionRange.check(budget, 0...1e9, option: "--budget", unit: "dollars") }
        try OptionRange.check(uplink, above: 0, atMost: 1e6, option: "--uplink", unit: "Mbit/s")
        if let deadline, DurationText.seconds(deadline, minimum: 1) == nil {
            throw ValidationError(
                "--deadline \(deadline) is not a duration: give one like 90m, 24h, 1h30m or 2d (1 s to 366 d)")
        }
        if let workload, workload.isEmpty { throw ValidationError("--workload needs a file name") }
        if let profile, profile.isEmpty { throw ValidationError("--profile needs a file name") }
        let given = [
            transcribe != nil || model != nil, kernel != nil || elements != nil,
            flops != nil || bytes != nil || memory != nil, workload != nil,
        ]
        guard given.filter({ $0 }).count <= 1 else {
            throw ValidationError(
                "more than one workload: give one of --transcribe/--model, --kernel/--n, --flops/--bytes/--memory or --workload"
            )
        }
        if (transcribe == nil) != (model == nil) {
            throw ValidationError(
                "--transcribe and --model go together: give both, e.g. --transcribe 1 --model tiny.en")
        }
        if (kernel == nil) != (elements == nil) {
            throw ValidationError("--kernel and --n go together: give both, e.g. --kernel sum --n 1e8")
        }
        if flops != nil || bytes != nil || memory != nil {
            guard let flops, let bytes else {
                throw ValidationError("--flops and --bytes go together (--memory is optional): give both")
            }
            guard flops + bytes > 0 else {
                throw ValidationError("--flops and --bytes are both 0: give the work's size")
            }
        }
    }

    /// The workload given by flags, or nil when it comes from a record.
    func workloadFromFlags() throws(MybroError) -> Workload? {
        if let transcribe, let model { return try .transcription(model: model, hours: transcribe) }
        if let kernel, let elements { return try .kernel(kernel, n: elements.rounded()) }
        if let flops, let bytes { return .generic(flops: flops, bytes: bytes, memoryBytes: memory.map { $0 * 1e9 }) }
        return nil
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-bench", log: bench.log) {
            let json = (bench.format ?? (isatty(1) == 1 ? .text : .json)) == .json
            var workloads: [Workload] = []
            if let flagged = try workloadFromFlags() { workloads.append(flagged) }
            if let workload { workloads += try RouteInput.workloads(inFile: workload) }
            let input = isatty(0) == 1 ? RouteInput() : try RouteInput.read(strict: strict.strict)
            workloads += input.workloads
            guard workloads.count == 1, let chosen = workloads.first else {
                throw MybroError(
                    workloads.isEmpty
                        ? "no workload: give --transcribe HOURS --model NAME, --kernel NAME --n N, --flops F --bytes B, "
                            + "--workload FILE or a workload record on stdin"
                        : "\(workloads.count) workloads (flags, --workload and stdin together): give exactly one",
                    status: .usage)
            }
            let path = profile ?? BenchRun.profilePath()
            var local: LocalCapabilities?
            var missing: String?
            do {
                local = LocalCapabilities(run: try BenchRun(contentsOf: path))
            } catch let error as MybroError where error.status == .noInput {
                missing = "no profile at \(path): make one with mybro-bench --save FILE"
                guard !input.offers.isEmpty else {
                    throw MybroError(
                        "\(missing!), or pipe in cloud offers (mybro-gpu offers --format json | mybro-bench route …)",
                        status: .noInput)
                }
                Log.shared.warning("\(missing!); routing among the \(input.offers.count) cloud offers only")
            }
            let constraints = RouteConstraints(
                budgetDollars: budget, deadlineSeconds: deadline.flatMap { DurationText.seconds($0, minimum: 1) },
                uplinkMbps: uplink)
            let decision = Router.route(
                chosen, local: local, missingProfile: missing, offers: input.offers, constraints: constraints)
            if json {
                for option in decision.options { try OutputSink.standardOutput.write(record: option.record) }
                try OutputSink.standardOutput.write(record: decision.record)
            } else {
                try OutputSink.standardOutput.write(line: RouteTable.text(decision))
            }
            if decision.choice == nil { throw MybroError(decision.reason, status: .negative) }
        }
    }
}
