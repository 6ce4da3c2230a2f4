import Foundation

/// Horizontal bars on a linear axis with a labelled reference line (100 % of STREAM), drawn as
/// inline SVG; the message instead when there are no bars.
struct SVGBarChart: Sendable {
    struct Bar: Sendable {
        var label: String
        var value: Double
    }

    var identifier: String
    var title: String
    var axisLabel: String
    var bars: [Bar]
    var reference: (value: Double, label: String)?
    var valueText: @Sendable (Double) -> String
    var emptyMessage: String

    static let width = 760.0
    static let left = 170.0
    static let right = 70.0
    static let top = 44.0
    static let rowHeight = 24.0
    static let bottom = 50.0

    var svg: String {
        let visible = bars.filter { $0.value.isFinite && $0.value >= 0 }
        let plotHeight = max(Double(visible.count) * Self.rowHeight, 60)
        let height = Self.top + plotHeight + Self.bottom
        let plotWidth = Self.width - Self.left - Self.right
        let escapedTitle = HTMLText.escaped(title)
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" id=\"\(identifier)\" "
            + "viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" width=\"\(Int(Self.width))\" "
            + "height=\"\(Int(height))\" role=\"img\" aria-label=\"\(escapedTitle)\">\n"
        out += "<title>\(escapedTitle)</title>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(Int(Self.width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>\n"
        out +=
            "<text x=\"\(c(Self.width / 2))\" y=\"24\" text-anchor=\"middle\" class=\"plot-title\">\(escapedTitle)</text>\n"
        guard !visible.isEmpty else {
            out +=
                "<rect x=\"\(c(Self.left))\" y=\"\(c(Self.top))\" width=\"\(c(plotWidth))\" height=\"\(c(plotHeight))\" "
            out += "fill=\"#f6f6f6\" stroke=\"#bbbbbb\"/>\n"
            out += "<text x=\"\(c(Self.left + plotWidth / 2))\" y=\"\(c(Self.top + plotHeight / 2))\" "
            out += "text-anchor=\"middle\" class=\"plot-empty\">\(HTMLText.escaped(emptyMessage))</text>\n"
            return out + "</svg>\n"
        }
        let largest = max(visible.map(\.value).max() ?? 1, (reference?.value ?? 0) * 1.1)
        let axis = PlotAxis.fitting([0, largest], label: axisLabel, scale: .linear, tickText: valueText)
        func x(_ value: Double) -> Double { Self.left + min(max(axis.fraction(value), 0), 1) * plotWidth }
        out += "<g class=\"axes\" font-size=\"11\" fill=\"#333333\">\n"
        for tick in axis.ticks {
            out += "<line x1=\"\(c(x(tick)))\" x2=\"\(c(x(tick)))\" y1=\"\(c(Self.top))\" "
            out += "y2=\"\(c(Self.top + plotHeight))\" stroke=\"#e4e4e4\"/>\n"
            out += "<text x=\"\(c(x(tick)))\" y=\"\(c(Self.top + plotHeight + 16))\" text-anchor=\"middle\">"
            out += "\(HTMLText.escaped(valueText(tick)))</text>\n"
        }
        out += "<text x=\"\(c(Self.left + plotWidth / 2))\" y=\"\(c(height - 12))\" text-anchor=\"middle\" "
        out += "font-size=\"12\" class=\"axis-label\">\(HTMLText.escaped(axisLabel))</text>\n"
        out += "</g>\n<g class=\"bars\" font-size=\"11\">\n"
        for (row, bar) in visible.enumerated() {
            let rowY = Self.top + Double(row) * Self.rowHeight
            let end = x(bar.value)
            out += "<rect class=\"bar\" x=\"\(c(Self.left))\" y=\"\(c(rowY + 4))\" width=\"\(c(end - Self.left))\" "
            out += "height=\"\(c(Self.rowHeight - 8))\" fill=\"#1f77b4\"/>\n"
            out += "<text x=\"\(c(Self.left - 6))\" y=\"\(c(rowY + Self.rowHeight / 2 + 4))\" text-anchor=\"end\">"
            out += "\(HTMLText.escaped(bar.label))</text>\n"
            out += "<text x=\"\(c(end + 4))\" y=\"\(c(rowY + Self.rowHeight / 2 + 4))\" text-anchor=\"start\">"
            out += "\(HTMLText.escaped(valueText(bar.value)))</text>\n"
        }
        out += "</g>\n"
        if let reference {
            let position = x(reference.value)
            out += "<line class=\"marker\" x1=\"\(c(position))\" x2=\"\(c(position))\" y1=\"\(c(Self.top - 4))\" "
            out += "y2=\"\(c(Self.top + plotHeight))\" stroke=\"#d62728\" stroke-dasharray=\"5 3\"/>\n"
            out += "<text x=\"\(c(position))\" y=\"\(c(Self.top - 8))\" text-anchor=\"middle\" font-size=\"11\" "
            out += "fill=\"#d62728\">\(HTMLText.escaped(reference.label))</text>\n"
        }
        out += "<rect x=\"\(c(Self.left))\" y=\"\(c(Self.top))\" width=\"\(c(plotWidth))\" height=\"\(c(plotHeight))\" "
        out += "fill=\"none\" stroke=\"#333333\"/>\n"
        return out + "</svg>\n"
    }

    func c(_ value: Double) -> String { HTMLText.coordinate(value) }
}
