import ArgumentParser
import Foundation
import MybroBench
import MybroCore

/// What happens to a finished run: printed, saved as a baseline and this machine's profile,
/// appended to the history, compared with a baseline, pictured in an HTML report.
struct ResultOptions: ParsableArguments {
    @Option(help: "Also write the run (JSON Lines) to FILE, and keep it as this machine's profile for route.")
    var save: String?

    @Option(
        help: ArgumentHelp(
            "Compare with a run saved by --save: report changes beyond the run-to-run spread, exit 1 on a regression past --threshold.",
            valueName: "file"))
    var compare: String?

    @Option(help: ArgumentHelp("With --compare: the loss (0 to 1000 percent) that fails the run.", valueName: "pct"))
    var threshold: Double = 10

    @Option(
        help: ArgumentHelp(
            "With --compare: how many times (1 to 10) a regression past --threshold is measured again before it fails the run; all must confirm it.",
            valueName: "count"))
    var rechecks = 3

    @Option(
        help: ArgumentHelp(
            "With --compare: seconds (0 to 600) to wait before each recheck after the first, so that a spell of load on a shared machine can pass.",
            valueName: "seconds"))
    var recheckPause: Double = 5

    @Option(
        help: ArgumentHelp(
            "Write one self-contained HTML page with the plots, the hardware and every figure.", valueName: "file.html"
        ))
    var report: String?

    func validate() throws {
        if let save, save.isEmpty { throw ValidationError("--save needs a file name") }
        if let compare, compare.isEmpty { throw ValidationError("--compare needs a file written by --save") }
        if let report, report.isEmpty { throw ValidationError("--report needs a file name, e.g. report.html") }
        try OptionRange.check(threshold, 0...1000, option: "--threshold", unit: "percent")
        try OptionRange.check(rechecks, 1...10, option: "--rechecks")
        try OptionRange.check(recheckPause, 0...600, option: "--recheck-pause", unit: "seconds")
    }

    /// Reads the baseline before measuring, so that a missing or corrupt one fails at once (66
    /// or 65) instead of after the whole run, and before --save can replace the same file.
    func readBaseline() throws -> BenchRun? {
        try compare.map { path throws(MybroError) in try BenchRun(contentsOf: path) }
    }

    /// The run compared with the baseline (nil without --compare), against the history of the
    /// runs before this one; read before `finish` appends this run to it.
    func compare(_ run: BenchRun, baseline: BenchRun?) -> Comparison? {
        guard let baseline, let compare else { return nil }
        return Comparison(
            baseline: baseline, current: run, thresholdPercent: threshold, baselineSource: compare,
            history: BenchHistory.read(BenchRun.historyPath()).entries)
    }

    /// Prints the run (JSON Lines or a table), saves it where asked, appends it to the history,
    /// prints the comparison and writes the report. Ends with status 1 when a figure regressed
    /// past the threshold (after everything else was written).
    /// `partial`: an --only run, kept out of the history (its plot follows whole runs).
    func finish(_ run: BenchRun, comparison: Comparison?, json: Bool, partial: Bool = false) throws {
        if json {
            for record in run.records { try OutputSink.standardOutput.write(record: record) }
        } else {
            try OutputSink.standardOutput.write(line: BenchTable.text(run))
        }
        if let save { try BenchFiles.save(run, to: save) }
        let historyPath = BenchRun.historyPath()
        if !partial {
            do { try BenchHistory.append(run, to: historyPath) } catch {
                Log.shared.warning("history not kept: \(error.message)")
            }
        }
        if let comparison {
            for warning in comparison.warnings { Log.shared.warning(warning) }
            if json {
                for record in comparison.records { try OutputSink.standardOutput.write(record: record) }
            } else {
                try OutputSink.standardOutput.write(line: comparison.text)
            }
        }
        if let report {
            let warnings = try BenchReport.write(run, to: report, historyPath: historyPath, comparison: comparison)
            for warning in warnings { Log.shared.warning(warning) }
            Log.shared.info("report written to \(report)")
        }
        if let failure = comparison?.failure { throw failure }
    }
}
