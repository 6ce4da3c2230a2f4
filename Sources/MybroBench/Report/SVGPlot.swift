import Foundation

/// A small x–y plot drawn as inline SVG: axes with ticks and labels, grid lines, lines with
/// points, shaded min–max bands, labelled points, vertical markers, and a legend. Everything
/// outside the axes' ranges is clipped. Without any data it draws the message instead.
struct SVGPlot: Sendable {
    struct Point: Sendable {
        var x: Double
        var y: Double
        /// Written beside the point (kernel names on the roofline).
        var label: String?
        init(x: Double, y: Double, label: String? = nil) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    struct Series: Sendable {
        enum Style: Sendable { case line, lineWithPoints, points, dashed }
        var name: String
        var points: [Point]
        var style: Style
        /// The range of the samples at each x (low, high), shaded behind the line.
        var band: [(x: Double, low: Double, high: Double)] = []
    }

    /// A vertical line across the plot at `x` (a cache size), labelled at the top.
    struct Marker: Sendable {
        var x: Double
        var label: String
    }

    var identifier: String
    var title: String
    var xAxis: PlotAxis
    var yAxis: PlotAxis
    var series: [Series] = []
    var markers: [Marker] = []
    /// Shown instead of the plot when there is nothing to draw: says what is missing.
    var emptyMessage: String

    static let width = 760.0
    static let height = 430.0
    static let left = 78.0
    static let right = 215.0
    static let top = 44.0
    static let bottom = 58.0
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    var plotWidth: Double { Self.width - Self.left - Self.right }
    var plotHeight: Double { Self.height - Self.top - Self.bottom }

    var hasData: Bool { series.contains { !$0.points.isEmpty } }

    func x(_ value: Double) -> Double { Self.left + xAxis.fraction(value) * plotWidth }
    func y(_ value: Double) -> Double { Self.top + (1 - yAxis.fraction(value)) * plotHeight }

    /// The SVG element.
    var svg: String {
        let escapedTitle = HTMLText.escaped(title)
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" id=\"\(identifier)\" "
            + "viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" width=\"\(Int(Self.width))\" "
            + "height=\"\(Int(Self.height))\" role=\"img\" aria-label=\"\(escapedTitle)\">\n"
        out += "<title>\(escapedTitle)</title>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" fill=\"#ffffff\"/>\n"
        out += text(x: Self.width / 2, y: 24, escapedTitle, anchor: "middle", attributes: "class=\"plot-title\"")
        guard hasData else {
            out += "<rect x=\"\(c(Self.left))\" y=\"\(c(Self.top))\" width=\"\(c(plotWidth))\" "
            out += "height=\"\(c(plotHeight))\" fill=\"#f6f6f6\" stroke=\"#bbbbbb\"/>\n"
            out += text(
                x: Self.left + plotWidth / 2, y: Self.top + plotHeight / 2, HTMLText.escaped(emptyMessage),
                anchor: "middle", attributes: "class=\"plot-empty\"")
            return out + "</svg>\n"
        }
        out += axes
        let clip = "clip-\(identifier)"
        out += "<clipPath id=\"\(clip)\"><rect x=\"\(c(Self.left))\" y=\"\(c(Self.top))\" "
        out += "width=\"\(c(plotWidth))\" height=\"\(c(plotHeight))\"/></clipPath>\n"
        out += "<g clip-path=\"url(#\(clip))\">\n"
        for marker in markers where (0...1).contains(xAxis.fraction(marker.x)) {
            out += "<line class=\"marker\" x1=\"\(c(x(marker.x)))\" x2=\"\(c(x(marker.x)))\" y1=\"\(c(Self.top))\" "
            out += "y2=\"\(c(Self.top + plotHeight))\" stroke=\"#888888\" stroke-dasharray=\"4 3\"/>\n"
        }
        for (index, series) in series.enumerated() { out += draw(series, color: Self.palette[index % 8]) }
        out += "</g>\n"
        for (index, marker) in markers.enumerated() where (0...1).contains(xAxis.fraction(marker.x)) {
            // Alternate heights so that neighbouring cache labels do not overlap.
            let labelY = Self.top + 12 + Double(index % 2) * 13
            // Near the right edge the label goes left of its line, inside the plot (not over the legend).
            let fitsRight = x(marker.x) + 3 + Double(marker.label.count) * 6.5 <= Self.left + plotWidth
            out += text(
                x: x(marker.x) + (fitsRight ? 3 : -3), y: labelY, HTMLText.escaped(marker.label),
                anchor: fitsRight ? "start" : "end",
                attributes: "class=\"marker-label\" font-size=\"11\" fill=\"#555555\"")
        }
        out += legend
        return out + "</svg>\n"
    }

    var axes: String {
        var out = "<g class=\"axes\" font-size=\"11\" fill=\"#333333\">\n"
        out += "<rect x=\"\(c(Self.left))\" y=\"\(c(Self.top))\" width=\"\(c(plotWidth))\" height=\"\(c(plotHeight))\" "
        out += "fill=\"none\" stroke=\"#333333\"/>\n"
        for tick in xAxis.ticks {
            let position = x(tick)
            out += "<line x1=\"\(c(position))\" x2=\"\(c(position))\" y1=\"\(c(Self.top))\" "
            out += "y2=\"\(c(Self.top + plotHeight))\" stroke=\"#e4e4e4\"/>\n"
            out += text(
                x: position, y: Self.top + plotHeight + 16, HTMLText.escaped(xAxis.tickText(tick)), anchor: "middle",
                attributes: "class=\"tick\"")
        }
        for tick in yAxis.ticks {
            let position = y(tick)
            out += "<line x1=\"\(c(Self.left))\" x2=\"\(c(Self.left + plotWidth))\" y1=\"\(c(position))\" "
            out += "y2=\"\(c(position))\" stroke=\"#e4e4e4\"/>\n"
            out += text(
                x: Self.left - 6, y: position + 4, HTMLText.escaped(yAxis.tickText(tick)), anchor: "end",
                attributes: "class=\"tick\"")
        }
        out += text(
            x: Self.left + plotWidth / 2, y: Self.height - 14, HTMLText.escaped(xAxis.label), anchor: "middle",
            attributes: "class=\"axis-label\" font-size=\"12\"")
        let middle = Self.top + plotHeight / 2
        out += "<text class=\"axis-label\" font-size=\"12\" text-anchor=\"middle\" "
        out += "transform=\"translate(18 \(c(middle))) rotate(-90)\">\(HTMLText.escaped(yAxis.label))</text>\n"
        return out + "</g>\n"
    }

    func draw(_ series: Series, color: String) -> String {
        var out = "<g class=\"series\" data-name=\"\(HTMLText.escaped(series.name))\">\n"
        let visible = series.points.filter { $0.x.isFinite && $0.y.isFinite && inRange($0) }
        if !series.band.isEmpty {
            let band = series.band.filter { $0.x.isFinite && $0.low.isFinite && $0.high.isFinite && $0.low > 0 }
            let upper = band.map { "\(c(x($0.x))),\(c(y($0.high)))" }
            let lower = band.reversed().map { "\(c(x($0.x))),\(c(y($0.low)))" }
            if band.count > 1 {
                out += "<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\" "
                out += "fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
            }
        }
        if series.style != .points, visible.count > 1 {
            let path = visible.enumerated().map {
                "\($0.offset == 0 ? "M" : "L")\(c(x($0.element.x))) \(c(y($0.element.y)))"
            }
            let dash = series.style == .dashed ? " stroke-dasharray=\"7 4\"" : ""
            out +=
                "<path d=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>\n"
        }
        if series.style == .points || series.style == .lineWithPoints {
            var placed: [(x: Double, y: Double, width: Double)] = []
            for point in visible {
                out +=
                    "<circle class=\"point\" cx=\"\(c(x(point.x)))\" cy=\"\(c(y(point.y)))\" r=\"4\" fill=\"\(color)\"/>\n"
                if let label = point.label {
                    // A label with no clear place is left out (the table names every figure).
                    guard
                        let position = Self.labelPosition(
                            x: x(point.x) + 6, y: y(point.y) - 6, width: Double(label.count) * 6.5, avoiding: &placed)
                    else { continue }
                    out += text(
                        x: position.x, y: position.y, HTMLText.escaped(label), anchor: "start",
                        attributes: "class=\"point-label\" font-size=\"11\" fill=\"#222222\"")
                }
            }
        }
        return out + "</g>\n"
    }

    /// Where a point's label goes: beside the point, or moved down (then up) a line at a time
    /// until it clears the labels already placed (kernels of equal intensity share an x); nil
    /// when it cannot be placed near its point.
    static func labelPosition(
        x: Double, y: Double, width: Double, avoiding placed: inout [(x: Double, y: Double, width: Double)]
    ) -> (x: Double, y: Double)? {
        let lineHeight = 12.0
        for offset in [0.0, 1, -1, 2, -2] {
            let candidate = y + offset * lineHeight
            let clear = placed.allSatisfy { other in
                abs(other.y - candidate) >= lineHeight || x + width <= other.x || other.x + other.width <= x
            }
            if clear {
                placed.append((x, candidate, width))
                return (x, candidate)
            }
        }
        return nil
    }

    func inRange(_ point: Point) -> Bool {
        let fx = xAxis.fraction(point.x)
        let fy = yAxis.fraction(point.y)
        // Lines may run past the edge (clipped); a value the scale cannot place (≤ 0 on a log axis) may not.
        return fx > -1e3 && fx < 1e3 && fy > -1e3 && fy < 1e3 && (xAxis.scale == .linear || point.x > 0)
            && (yAxis.scale == .linear || point.y > 0)
    }

    var legend: String {
        let named = series.enumerated().filter { !$0.element.name.isEmpty && !$0.element.points.isEmpty }
        guard !named.isEmpty else { return "" }
        var out = "<g class=\"legend\" font-size=\"11\">\n"
        let legendX = Self.left + plotWidth + 14
        for (row, entry) in named.prefix(16).enumerated() {
            let color = Self.palette[entry.offset % 8]
            let rowY = Self.top + 8 + Double(row) * 18
            let dash = entry.element.style == .dashed ? " stroke-dasharray=\"7 4\"" : ""
            if entry.element.style == .points {
                out += "<circle cx=\"\(c(legendX + 10))\" cy=\"\(c(rowY))\" r=\"4\" fill=\"\(color)\"/>\n"
            } else {
                out += "<line x1=\"\(c(legendX))\" x2=\"\(c(legendX + 20))\" y1=\"\(c(rowY))\" y2=\"\(c(rowY))\" "
                out += "stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>\n"
            }
            var name = entry.element.name
            if name.count > 28 { name = String(name.prefix(27)) + "…" }
            out += text(x: legendX + 26, y: rowY + 4, HTMLText.escaped(name), anchor: "start", attributes: "")
        }
        return out + "</g>\n"
    }

    /// A `<text>` element; `escapedContent` must already be escaped.
    func text(x: Double, y: Double, _ escapedContent: String, anchor: String, attributes: String) -> String {
        "<text x=\"\(c(x))\" y=\"\(c(y))\" text-anchor=\"\(anchor)\" \(attributes)>\(escapedContent)</text>\n"
    }

    func c(_ value: Double) -> String { HTMLText.coordinate(value) }
}
