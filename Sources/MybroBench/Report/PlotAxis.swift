import Foundation

/// One axis of a plot: its range, linear or logarithmic scale, ticks and how a tick is written.
struct PlotAxis: Sendable {
    enum Scale: Sendable, Equatable {
        case linear
        /// Logarithmic, ticks at powers of `base` (10 for rates, 2 for sizes in bytes).
        case logarithmic(base: Double)
    }

    var label: String
    var low: Double
    var high: Double
    var scale: Scale
    var tickText: @Sendable (Double) -> String

    init(
        label: String, low: Double, high: Double, scale: Scale,
        tickText: @escaping @Sendable (Double) -> String = PlotAxis.compactNumber
    ) {
        self.label = label
        self.low = low
        self.high = high
        self.scale = scale
        self.tickText = tickText
    }

    /// An axis that holds every finite value given (positive ones only on a log scale), with
    /// round ends; a fallback range when there is nothing to hold.
    static func fitting(
        _ values: [Double], label: String, scale: Scale,
        tickText: @escaping @Sendable (Double) -> String = PlotAxis.compactNumber
    ) -> PlotAxis {
        switch scale {
        case .logarithmic(let base):
            let positive = values.filter { $0.isFinite && $0 > 0 }
            guard let smallest = positive.min(), let largest = positive.max() else {
                return PlotAxis(label: label, low: 1, high: base, scale: scale, tickText: tickText)
            }
            // The nudge keeps an exact power (512 MiB = 2^29, computed as 29.000000000000004) its own end.
            let lowPower = (log(smallest) / log(base) + 1e-9).rounded(.down)
            var highPower = (log(largest) / log(base) - 1e-9).rounded(.up)
            if highPower <= lowPower { highPower = lowPower + 1 }
            return PlotAxis(
                label: label, low: pow(base, lowPower), high: pow(base, highPower), scale: scale, tickText: tickText)
        case .linear:
            let finite = values.filter(\.isFinite)
            guard var smallest = finite.min(), var largest = finite.max() else {
                return PlotAxis(label: label, low: 0, high: 1, scale: scale, tickText: tickText)
            }
            if smallest == largest {
                smallest -= max(abs(smallest) * 0.1, 1)
                largest += max(abs(largest) * 0.1, 1)
            }
            let step = niceStep((largest - smallest) / 5)
            return PlotAxis(
                label: label, low: (smallest / step).rounded(.down) * step, high: (largest / step).rounded(.up) * step,
                scale: scale, tickText: tickText)
        }
    }

    /// Where `value` falls, from 0 (low end) to 1 (high end); outside for values out of range.
    func fraction(_ value: Double) -> Double {
        switch scale {
        case .linear:
            return high == low ? 0.5 : (value - low) / (high - low)
        case .logarithmic:
            guard value > 0, low > 0, high > low else { return -1 }
            return log(value / low) / log(high / low)
        }
    }

    /// Tick positions: powers of the base on a log scale (every second or fourth power when
    /// there are many, and 2× and 5× between them when there are few), round steps on a linear one.
    var ticks: [Double] {
        switch scale {
        case .logarithmic(let base):
            guard low > 0, high > low else { return [] }
            let lowPower = Int((log(low) / log(base) + 1e-9).rounded(.down))
            let highPower = Int((log(high) / log(base) - 1e-9).rounded(.up))
            let count = highPower - lowPower
            let stride = count > 20 ? 4 : count > 10 ? 2 : 1
            var ticks: [Double] = []
            for power in Swift.stride(from: lowPower, through: highPower, by: stride) {
                let tick = pow(base, Double(power))
                ticks.append(tick)
                if base == 10 && count <= 2 { ticks += [2 * tick, 5 * tick] }
            }
            return ticks.filter { $0 >= low * 0.999_999 && $0 <= high * 1.000_001 }.sorted()
        case .linear:
            guard high > low else { return [low] }
            let step = Self.niceStep((high - low) / 5)
            var ticks: [Double] = []
            var tick = (low / step).rounded(.up) * step
            while tick <= high + step * 1e-9 && ticks.count < 50 {
                ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
                tick += step
            }
            return ticks
        }
    }

    /// 1, 2 or 5 times a power of ten, at least `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough.isFinite, rough > 0 else { return 1 }
        let power = pow(10, (log10(rough)).rounded(.down))
        for multiple in [1.0, 2, 5, 10] where multiple * power >= rough { return multiple * power }
        return 10 * power
    }

    /// `0.05`, `2`, `150`, `12k`, `3M`: short enough for a tick.
    @Sendable static func compactNumber(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1e9 { return trimmed(value / 1e9) + "G" }
        if magnitude >= 1e6 { return trimmed(value / 1e6) + "M" }
        if magnitude >= 1e4 { return trimmed(value / 1e3) + "k" }
        return trimmed(value)
    }

    @Sendable static func bytes(_ value: Double) -> String {
        guard value.isFinite, value >= 1, value < 1e18 else { return compactNumber(value) }
        return BenchTable.size(Int(value.rounded()))
    }

    static func trimmed(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.3g", value)
        if text.contains("e") { text = String(format: "%.4f", value) }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
