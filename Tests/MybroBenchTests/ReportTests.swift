import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroBench

@Suite struct ReportTests {
    static let fixtures = BuiltCommands.packageRoot + "/Tests/Fixtures/bench"

    static func fixtureRun() throws -> BenchRun { try BenchRun(contentsOf: fixtures + "/run-full.jsonl") }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func theFixtureRunGivesFourPlotsWithTheirDataAndATableOfEveryFigure() throws {
        let run = try Self.fixtureRun()
        let history = BenchHistory.read(Self.fixtures + "/history.jsonl")
        #expect(history.entries.count == 5)
        #expect(history.warnings.count == 1)
        let page = BenchReport.html(run, history: history.entries, historyPath: "history.jsonl")
        for id in ["plot-bandwidth", "plot-roofline", "plot-stream-share", "plot-history"] {
            #expect(page.contains("id=\"\(id)\""), "\(id) is missing")
        }
        #expect(!page.contains("class=\"plot-empty\""), "a plot said it had no data")
        // Self-contained: no script, nothing fetched.
        #expect(!page.contains("<script"))
        #expect(!page.contains("<link"))
        #expect(!page.contains("src="))
        #expect(!page.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        // The bandwidth curve: 18 working-set sizes, the three data caches marked (not L1i).
        let curve = try #require(Self.section(page, id: "plot-bandwidth"))
        #expect(Self.occurrences(of: "class=\"point\"", in: curve) == 18)
        #expect(Self.occurrences(of: "class=\"marker\"", in: curve) == 3)
        #expect(curve.contains("L1d 32 KiB") && curve.contains("L2 1 MiB") && curve.contains("L3 32 MiB"))
        // The roofline: both roofs, the ridge, six kernels by name.
        let roofline = try #require(Self.section(page, id: "plot-roofline"))
        #expect(
            roofline.contains("memory 15.83 GB/s") && roofline.contains("compute 117.4 GFLOP/s")
                && roofline.contains("ridge"))
        for kernel in ["sum", "add", "dot", "variance", "cosine", "exp"] {
            #expect(roofline.contains(">\(kernel)</text>"), "kernel \(kernel) not on the roofline")
        }
        let share = try #require(Self.section(page, id: "plot-stream-share"))
        #expect(Self.occurrences(of: "class=\"bar\"", in: share) == 6)
        let history2 = try #require(Self.section(page, id: "plot-history"))
        #expect(Self.occurrences(of: "class=\"series\"", in: history2) >= 5)
        // Every figure in the table.
        #expect(Self.occurrences(of: "<tr><td>", in: page) == run.measurements.count)
    }

    /// The text of one `<svg id=…>` element.
    static func section(_ page: String, id: String) -> String? {
        guard let start = page.range(of: "id=\"\(id)\"") else { return nil }
        guard let end = page.range(of: "</svg>", range: start.upperBound..<page.endIndex) else { return nil }
        return String(page[start.lowerBound..<end.upperBound])
    }

    @Test func textFromTheRunIsEscapedEverywhere() throws {
        var run = try Self.fixtureRun()
        let hostile = "<script>alert(\"x\")</script> & 'q' \u{1}"
        run.hardware?.cpuModel = hostile
        run.hardware?.disks[0].model = "</pre><img src=x>"
        run.measurements.append(
            MybroBench.Measurement(
                name: "kernel.<b>bold</b>", unit: "GB/s <&>", better: .higher, samples: [5, 6],
                context: JSONObject(["n": 1, "intensity": 0.5, "gflop_per_s": 3, "stream_fraction": 0.4]),
                identity: ["n"]))
        let page = BenchReport.html(run, history: [], historyPath: "/tmp/<h>&.jsonl")
        #expect(!page.contains("<script"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("<b>"))
        #expect(!page.contains("\u{1}"))
        #expect(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"))
        #expect(page.contains("/tmp/&lt;h&gt;&amp;.jsonl"))
    }

    @Test func eachKernelAppearsOnceAtItsLargestSize() throws {
        var run = try Self.fixtureRun()
        // The same kernel at a small, in-cache size: far above STREAM, not what the roofs describe.
        run.measurements.append(
            MybroBench.Measurement(
                name: "kernel.sum", unit: "GB/s", better: .higher, samples: [80, 81],
                context: JSONObject(["n": 100_000, "intensity": 0.25, "gflop_per_s": 20, "stream_fraction": 5.1]),
                identity: ["n"]))
        let page = BenchReport.html(run, history: [], historyPath: "h")
        let share = try #require(Self.section(page, id: "plot-stream-share"))
        #expect(Self.occurrences(of: "class=\"bar\"", in: share) == 6)
        #expect(!share.contains("510%"))
        let roofline = try #require(Self.section(page, id: "plot-roofline"))
        #expect(Self.occurrences(of: "class=\"point\"", in: roofline) == 6)
    }

    @Test func missingDataIsSaidInsteadOfAnEmptyPlot() {
        let run = BenchRun(date: "2026-11-27T21:02:12Z", quick: true, hardware: nil, measurements: [])
        let page = BenchReport.html(run, history: [], historyPath: "/state/history.jsonl")
        #expect(Self.occurrences(of: "class=\"plot-empty\"", in: page) == 4)
        #expect(page.contains("No memory.curve figures"))
        #expect(page.contains("No history yet: every full run appends to /state/history.jsonl"))
        #expect(page.contains("This run has no hardware record"))
    }

    @Test func logAxesTickAtPowersAndHoldTheirData() {
        let bytes = PlotAxis.fitting([4096, Double(512 << 20)], label: "", scale: .logarithmic(base: 2))
        #expect(bytes.low == 4096 && bytes.high == Double(512 << 20))
        #expect(bytes.ticks.count <= 10)
        #expect(bytes.ticks.allSatisfy { $0 >= bytes.low && $0 <= bytes.high })
        let rates = PlotAxis.fitting([0.3, 117], label: "", scale: .logarithmic(base: 10))
        #expect(rates.low == 0.1 && rates.high == 1000)
        #expect(rates.ticks == [0.1, 1, 10, 100, 1000])
        #expect(abs(rates.fraction(10) - 0.5) < 1e-12)
        let narrow = PlotAxis.fitting([3, 7], label: "", scale: .logarithmic(base: 10))
        #expect(narrow.ticks == [1, 2, 5, 10])
        let linear = PlotAxis.fitting([93, 104], label: "", scale: .linear)
        #expect(linear.low <= 93 && linear.high >= 104)
        #expect(linear.ticks.count >= 3)
        #expect(PlotAxis.fitting([], label: "", scale: .logarithmic(base: 10)).ticks == [1, 2, 5, 10])
        #expect(PlotAxis.compactNumber(12_000) == "12k" && PlotAxis.compactNumber(0.05) == "0.05")
        #expect(HTMLText.coordinate(.nan) == "0" && HTMLText.coordinate(1e300) == "1000000.00")
    }

    /// The page in a real headless Chromium: a screenshot that is not blank, and a DOM with the
    /// plots drawn. Fails when chromium is missing: `make setup` installs it.
    @Test func theReportRendersInHeadlessChromium() throws {
        let browser = try #require(Self.chromium(), "chromium is not installed: run make setup")
        try withTemporaryDirectory { directory in
            let run = try Self.fixtureRun()
            let history = BenchHistory.read(Self.fixtures + "/history.jsonl")
            let page = directory + "/report.html"
            try BenchFiles.write(BenchReport.html(run, history: history.entries, historyPath: "h"), to: page)
            let flags =
                "--headless=new --no-sandbox --disable-gpu --no-first-run --hide-scrollbars "
                + "--user-data-dir='\(directory)/chrome' --window-size=1000,2600"
            let screenshot = try shell(
                "'\(browser)' \(flags) --screenshot='\(directory)/report.png' 'file://\(page)'", timeout: 120)
            #expect(screenshot.status == 0, "chromium: \(screenshot.stderr.suffix(400))")
            let png = try Data(contentsOf: URL(fileURLWithPath: directory + "/report.png"))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            // A blank 1000×2600 page compresses to a few kilobytes; plots, text and tables do not.
            #expect(png.count > 60_000, "screenshot is \(png.count) bytes: blank?")
            let dom = try shell("'\(browser)' \(flags) --dump-dom 'file://\(page)'", timeout: 120)
            #expect(dom.status == 0)
            let text = dom.stdoutText
            #expect(Self.occurrences(of: "<svg", in: text) == 4)
            #expect(Self.occurrences(of: "<circle", in: text) >= 18 + 6)
            #expect(text.contains("plot-roofline") && text.contains("plot-history"))
            if let keep = ProcessInfo.processInfo.environment["MYBRO_REPORT_SCREENSHOT"] {
                try png.write(to: URL(fileURLWithPath: keep))
            }
        }
    }

    static func chromium() -> String? {
        for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }
}
