import ArgumentParser
import Foundation
import MybroBench
import MybroCore

@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-bench",
        abstract: "Measure what this machine can do, picture it, catch regressions, and route workloads.",
        discussion: """
            With no subcommand, mybro-bench detects the hardware (CPU, SIMD, caches, NUMA, memory, \
            Vulkan GPUs, disks, OS, Landlock) and measures it, printing a table on a terminal or \
            JSON Lines (--format json): a bench_run record, a hardware record, then one measure \
            record per figure. Progress goes to stderr.

            EXAMPLES
              mybro-bench --quick
              mybro-bench --format json --save base.jsonl

            """ + ManualText.common,
        version: MybroVersion.string
    )

    static func main() { mybroMain() }

    @Flag(help: "A short run (under 10 s): fewer repetitions, smaller sizes, the first model only.")
    var quick = false

    @Option(help: "Output: text (a table, the default on a terminal) or json (JSON Lines, the default otherwise).")
    var format: OutputFormat?

    @OptionGroup var results: ResultOptions
    @OptionGroup var log: LogOptions

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() throws {
        ToolRunner.run(tool: "mybro-bench", log: log) {
            let json = (format ?? (isatty(1) == 1 ? .text : .json)) == .json
            try results.prepare()
            let hardware = HardwareDetection.detect()
            let run = BenchRun(date: BenchClock.isoDate(), quick: quick, hardware: hardware, measurements: [])
            try results.finish(run, json: json)
        }
    }
}
