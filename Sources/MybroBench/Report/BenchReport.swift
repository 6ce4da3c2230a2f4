import Foundation
import MybroCore

/// `--report FILE.html`: one self-contained page (inline CSS and SVG, no script, nothing fetched)
/// with the hardware, the four plots, the comparison when there is one, and every figure with
/// its spread.
public enum BenchReport {
    /// The page for `run`; `history` are earlier full runs (the history file), `comparison`
    /// the result of `--compare` when it was asked for.
    public static func html(
        _ run: BenchRun, history: [BenchHistory.Entry], historyPath: String, comparison: Comparison? = nil
    ) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>mybro-bench report \(HTMLText.escaped(run.date))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 1000px; color: #222; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #ccc; }
            pre.hardware { background: #f6f6f6; padding: 10px; overflow-x: auto; }
            table { border-collapse: collapse; font-size: 0.85em; }
            th, td { padding: 3px 8px; border-bottom: 1px solid #e4e4e4; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            svg.plot { display: block; margin: 12px 0; max-width: 100%; height: auto; }
            .plot-title { font-size: 14px; font-weight: 600; }
            .plot-empty { font-size: 13px; fill: #666; }
            .regressed { color: #b00020; } .improved { color: #1b7a1b; }
            .warning { color: #8a5a00; }
            </style>
            </head>
            <body>
            <h1>mybro-bench: \(HTMLText.escaped(run.hardware?.cpuModel ?? "this machine"))</h1>
            <p>Run of \(HTMLText.escaped(run.date)) (\(run.quick ? "quick" : "full") run, mybro \
            \(HTMLText.escaped(run.version))), \(run.measurements.count) figures.</p>

            """
        page += "<h2>Hardware</h2>\n"
        if let hardware = run.hardware {
            page += "<pre class=\"hardware\">"
            page += HTMLText.escaped(BenchTable.hardwareLines(hardware).joined(separator: "\n"))
            page += "</pre>\n"
        } else {
            page += "<p>This run has no hardware record.</p>\n"
        }
        if let comparison { page += section(comparison) }
        page += "<h2>Memory bandwidth</h2>\n" + ReportPlots.bandwidthCurve(run).svg
        page += "<h2>Roofline</h2>\n" + ReportPlots.roofline(run).svg
        page += "<h2>Kernels against STREAM</h2>\n" + ReportPlots.streamShare(run).svg
        page += "<h2>History</h2>\n" + ReportPlots.history(history, historyPath: historyPath).svg
        page += "<h2>Every figure</h2>\n" + figureTable(run)
        page += "</body>\n</html>\n"
        return page
    }

    /// Writes the page atomically (a temporary file renamed over `path`).
    public static func write(
        _ run: BenchRun, to path: String, historyPath: String, comparison: Comparison? = nil
    ) throws(MybroError) -> [String] {
        let contents = BenchHistory.read(historyPath)
        try BenchFiles.write(
            html(run, history: contents.entries, historyPath: historyPath, comparison: comparison), to: path)
        return contents.warnings
    }

    static func figureTable(_ run: BenchRun) -> String {
        guard !run.measurements.isEmpty else { return "<p>This run has no figures.</p>\n" }
        var table = "<table class=\"figures\">\n<tr><th>figure</th><th>best</th><th>median</th><th>spread</th>"
        table += "<th>samples</th><th>unit</th><th>better</th></tr>\n"
        for measurement in run.measurements {
            table += "<tr><td>\(HTMLText.escaped(measurement.key))</td>"
            table += "<td>\(BenchTable.number(measurement.value))</td><td>\(BenchTable.number(measurement.median))</td>"
            table +=
                "<td>\(String(format: "±%.1f%%", measurement.spread * 50))</td><td>\(measurement.samples.count)</td>"
            table += "<td>\(HTMLText.escaped(measurement.unit))</td><td>\(measurement.better.rawValue)</td></tr>\n"
        }
        return table + "</table>\n"
    }

    static func section(_ comparison: Comparison) -> String {
        var html = "<h2>Compared with the baseline</h2>\n<p>Baseline \(HTMLText.escaped(comparison.baselineSource)) "
        html += "(\(HTMLText.escaped(comparison.baselineDate))), threshold "
        html += "\(HTMLText.escaped(Comparison.percent(comparison.thresholdPercent))): "
        html += "\(comparison.count(.regressed)) regressed, \(comparison.count(.improved)) improved, "
        html += "\(comparison.count(.unchanged)) within noise, \(comparison.count(.added)) added, "
        html += "\(comparison.count(.missing)) missing.</p>\n"
        for warning in comparison.warnings {
            html += "<p class=\"warning\">Warning: \(HTMLText.escaped(warning))</p>\n"
        }
        guard !comparison.flagged.isEmpty else { return html }
        html += "<table class=\"changes\">\n<tr><th>figure</th><th>baseline</th><th>now</th><th>change</th>"
        html += "<th>noise</th><th>verdict</th></tr>\n"
        for change in comparison.flagged {
            html += "<tr class=\"\(change.verdict.rawValue)\"><td>\(HTMLText.escaped(change.key))</td>"
            html += "<td>\(change.baseline.map(BenchTable.number) ?? "-")</td>"
            html += "<td>\(change.now.map(BenchTable.number) ?? "-")</td>"
            html += "<td>\(change.changePercent.map { String(format: "%+.1f%%", $0) } ?? "-")</td>"
            html += "<td>\(change.noisePercent.map { String(format: "%.1f%%", $0) } ?? "-")</td>"
            html += "<td>\(change.verdict.rawValue)\(change.beyondThreshold ? " (past the threshold)" : "")</td></tr>\n"
        }
        return html + "</table>\n"
    }
}
