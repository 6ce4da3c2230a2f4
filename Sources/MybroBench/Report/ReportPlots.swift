import Foundation
import MybroCore

/// The report's four pictures, each built from a run's figures (and the history file).
enum ReportPlots {
    /// (1) Bandwidth against working-set size (`memory.curve`), the samples' range shaded, the
    /// cache sizes from the hardware record as vertical lines.
    static func bandwidthCurve(_ run: BenchRun) -> SVGPlot {
        let curve = run.measurements(named: "memory.curve").filter { number($0, "working_set_bytes") != nil }
        var groups: [(threads: String, figures: [Measurement])] = []
        for measurement in curve {
            let threads = text(measurement, "threads") ?? "1"
            if let index = groups.firstIndex(where: { $0.threads == threads }) {
                groups[index].figures.append(measurement)
            } else {
                groups.append((threads, [measurement]))
            }
        }
        let series = groups.map { group in
            let sorted = group.figures.sorted { number($0, "working_set_bytes")! < number($1, "working_set_bytes")! }
            return SVGPlot.Series(
                name: "\(group.threads) thread\(group.threads == "1" ? "" : "s")",
                points: sorted.map { SVGPlot.Point(x: number($0, "working_set_bytes")!, y: $0.median) },
                style: .lineWithPoints,
                band: sorted.map { (number($0, "working_set_bytes")!, $0.samples.min()!, $0.samples.max()!) })
        }
        let caches = (run.hardware?.caches ?? []).filter { $0.kind != "instruction" }.sorted { $0.level < $1.level }
        let xs = curve.compactMap { number($0, "working_set_bytes") }
        let ys = curve.flatMap(\.samples)
        return SVGPlot(
            identifier: "plot-bandwidth",
            title: "Memory bandwidth against working-set size (1 thread)",
            xAxis: PlotAxis.fitting(xs, label: "working set", scale: .logarithmic(base: 2), tickText: PlotAxis.bytes),
            yAxis: PlotAxis.fitting(ys, label: "bandwidth (GB/s, median, range shaded)", scale: .logarithmic(base: 10)),
            series: series,
            markers: caches.map {
                SVGPlot.Marker(
                    x: Double($0.bytes),
                    label: "L\($0.level)\($0.kind == "data" ? "d" : "") \(BenchTable.size($0.bytes))")
            },
            emptyMessage: "No memory.curve figures in this run: the bandwidth curve was not measured")
    }

    /// (2) The roofline: attainable GFLOP/s = min(peak, bandwidth × intensity), the memory roof
    /// from memory.triad on all threads, the compute roof from sgemm on all threads at its
    /// largest size, and the kernels placed at their intensity and measured GFLOP/s.
    static func roofline(_ run: BenchRun) -> SVGPlot {
        let bandwidth = streamTriad(run)?.value
        let peak = computePeak(run)?.value
        let kernels = largestSizes(
            run.measurements.filter {
                $0.name.hasPrefix("kernel.") && (number($0, "intensity") ?? 0) > 0
                    && (number($0, "gflop_per_s") ?? 0) > 0
            })
        let points = kernels.map { kernel in
            SVGPlot.Point(
                x: number(kernel, "intensity")!, y: number(kernel, "gflop_per_s")!,
                label: String(kernel.name.dropFirst("kernel.".count)))
        }
        var xs = points.map(\.x)
        var ys = points.map(\.y)
        if let bandwidth, let peak, bandwidth > 0 {
            xs += [peak / bandwidth * 8, peak / bandwidth / 64]
            ys += [peak * 1.5]
        }
        if let peak { ys.append(peak) }
        xs += [1.0 / 16, 4]
        let xAxis = PlotAxis.fitting(xs, label: "arithmetic intensity (flop/byte)", scale: .logarithmic(base: 10))
        if let bandwidth { ys.append(bandwidth * xAxis.low) }
        let yAxis = PlotAxis.fitting(ys, label: "attainable GFLOP/s", scale: .logarithmic(base: 10))
        var series: [SVGPlot.Series] = []
        if let bandwidth, bandwidth > 0 {
            let ridge = peak.map { $0 / bandwidth }
            var roof = [SVGPlot.Point(x: xAxis.low, y: bandwidth * xAxis.low)]
            if let ridge, let peak {
                roof += [SVGPlot.Point(x: ridge, y: peak), SVGPlot.Point(x: xAxis.high, y: peak)]
            } else {
                roof.append(SVGPlot.Point(x: xAxis.high, y: bandwidth * xAxis.high))
            }
            let label = "memory \(BenchTable.number(bandwidth)) GB/s"
            series.append(SVGPlot.Series(name: label, points: roof, style: .line))
        }
        if let peak {
            let label = "compute \(BenchTable.number(peak)) GFLOP/s"
            let start = bandwidth.map { peak / $0 } ?? xAxis.low
            series.append(
                SVGPlot.Series(
                    name: label, points: [SVGPlot.Point(x: start, y: peak), SVGPlot.Point(x: xAxis.high, y: peak)],
                    style: .dashed))
        }
        series.append(SVGPlot.Series(name: "kernels", points: points, style: .points))
        var markers: [SVGPlot.Marker] = []
        if let bandwidth, let peak, bandwidth > 0 {
            markers.append(SVGPlot.Marker(x: peak / bandwidth, label: "ridge \(BenchTable.number(peak / bandwidth))"))
        }
        return SVGPlot(
            identifier: "plot-roofline",
            title: "Roofline: each kernel at its largest n against the memory and compute roofs",
            xAxis: xAxis, yAxis: yAxis, series: series, markers: markers,
            emptyMessage: "No memory.triad, sgemm or kernel figures in this run: nothing to place on a roofline")
    }

    /// (3) Each kernel's bandwidth as a share of STREAM triad on all threads.
    static func streamShare(_ run: BenchRun) -> SVGBarChart {
        let triad = streamTriad(run)?.value
        let kernels = largestSizes(run.measurements.filter { $0.name.hasPrefix("kernel.") })
        let bars = kernels.compactMap { kernel -> SVGBarChart.Bar? in
            let fraction = number(kernel, "stream_fraction") ?? triad.flatMap { $0 > 0 ? kernel.value / $0 : nil }
            guard let fraction else { return nil }
            var label = String(kernel.name.dropFirst("kernel.".count))
            if let n = number(kernel, "n") { label += " n=\(PlotAxis.compactNumber(n))" }
            return SVGBarChart.Bar(label: label, value: fraction)
        }
        return SVGBarChart(
            identifier: "plot-stream-share",
            title: "Kernel throughput at its largest n as a share of STREAM triad (all threads)",
            axisLabel: "share of STREAM triad bandwidth", bars: bars, reference: (1, "STREAM triad"),
            valueText: { String(format: "%.0f%%", $0 * 100) },
            emptyMessage: "No kernel figures in this run: kernel throughput was not measured")
    }

    /// (4) The key figures of earlier full runs over their dates, each as a percentage of its
    /// latest value, so that figures in different units share one axis.
    static func history(_ entries: [BenchHistory.Entry], historyPath: String) -> SVGPlot {
        let dated = entries.compactMap { entry in parseDate(entry.date).map { ($0, entry) } }
            .sorted { $0.0 < $1.0 }
        let keys = keyFigures(dated.last?.1.figures.keys.map { $0 } ?? [])
        var series: [SVGPlot.Series] = []
        if dated.count >= 2 {
            for key in keys {
                let points = dated.compactMap { date, entry in
                    entry.figures[key].map { SVGPlot.Point(x: date.timeIntervalSince1970, y: $0) }
                }
                guard points.count >= 2, let latest = points.last?.y, latest != 0 else { continue }
                let relative = points.map { SVGPlot.Point(x: $0.x, y: $0.y / latest * 100) }
                series.append(SVGPlot.Series(name: key, points: relative, style: .lineWithPoints))
            }
        }
        let xs: [Double] = series.flatMap { $0.points.map(\.x) }
        let span = (xs.max() ?? 0) - (xs.min() ?? 0)
        let format = span < 2 * 86_400 ? "MM-dd HH:mm" : "yyyy-MM-dd"
        let ys: [Double] = series.flatMap { $0.points.map(\.y) } + [100]
        return SVGPlot(
            identifier: "plot-history", title: "History of earlier full runs (each figure as % of its latest value)",
            xAxis: PlotAxis.fitting(xs, label: "date (UTC)", scale: .linear) { seconds in
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = TimeZone(identifier: "UTC")
                formatter.dateFormat = format
                return formatter.string(from: Date(timeIntervalSince1970: seconds))
            },
            yAxis: PlotAxis.fitting(ys, label: "% of the latest run", scale: .linear),
            series: series,
            emptyMessage: dated.count < 2
                ? "No history yet: every full run appends to \(historyPath); two are needed for a line"
                : "The earlier runs share no key figure with the latest one")
    }

    /// The figures worth a line in the history: STREAM triad and copy (1 and all threads), sgemm
    /// at its largest size, disk, VAD and transcription, and the first kernels: eight at most.
    static func keyFigures(_ keys: [String]) -> [String] {
        let sorted = keys.sorted()
        var chosen: [String] = []
        func take(_ prefix: String, _ count: Int) {
            for key in sorted.filter({ $0 == prefix || $0.hasPrefix(prefix + " ") }).suffix(count)
            where !chosen.contains(key) { chosen.append(key) }
        }
        take("memory.triad", 2)
        take("sgemm", 1)
        take("disk.read", 1)
        take("vad.throughput", 1)
        take("transcribe.rtf", 1)
        for key in sorted where key.hasPrefix("kernel.") && chosen.count < 8 { chosen.append(key) }
        return Array(chosen.prefix(8))
    }

    /// A run's ISO 8601 date (as `BenchClock.isoDate` writes it); nil for anything else.
    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// Each kernel once, at its largest n: the size that leaves the caches, which is what the
    /// DRAM roof and STREAM describe (a small n runs from cache, above them).
    static func largestSizes(_ kernels: [Measurement]) -> [Measurement] {
        var chosen: [String: Measurement] = [:]
        var order: [String] = []
        for kernel in kernels {
            guard let current = chosen[kernel.name] else {
                chosen[kernel.name] = kernel
                order.append(kernel.name)
                continue
            }
            if (number(kernel, "n") ?? 0) > (number(current, "n") ?? 0) { chosen[kernel.name] = kernel }
        }
        return order.compactMap { chosen[$0] }
    }

    /// memory.triad on the most threads (`threads` a number, or the string `all`).
    static func streamTriad(_ run: BenchRun) -> Measurement? {
        run.measurements(named: "memory.triad").max { threads($0) < threads($1) }
    }

    /// sgemm on the most threads, at its largest size.
    static func computePeak(_ run: BenchRun) -> Measurement? {
        run.measurements(named: "sgemm").max {
            (threads($0), number($0, "size") ?? 0) < (threads($1), number($1, "size") ?? 0)
        }
    }

    static func threads(_ measurement: Measurement) -> Double {
        if text(measurement, "threads") == "all" { return .infinity }
        return number(measurement, "threads") ?? 1
    }

    static func number(_ measurement: Measurement, _ field: String) -> Double? {
        guard let value = measurement.context[field]?.doubleValue, value.isFinite else { return nil }
        return value
    }

    static func text(_ measurement: Measurement, _ field: String) -> String? {
        switch measurement.context[field] {
        case .string(let text): return text
        case .number(let number): return Measurement.format(number)
        default: return nil
        }
    }
}
