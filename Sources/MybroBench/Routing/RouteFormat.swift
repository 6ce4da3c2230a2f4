import Foundation

/// Numbers as the route table and reasons write them: durations in the unit a person reads
/// ("2 min", "3.1 h", "83 d"), counts with thousands separators, dollars to the cent.
public enum RouteFormat {
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "forever" }
        switch seconds {
        case ..<1: return String(format: "%.2f s", seconds)
        case ..<90: return String(format: "%.0f s", seconds)
        case ..<3600: return String(format: "%.0f min", seconds / 60)
        case ..<(48 * 3600): return String(format: seconds < 10 * 3600 ? "%.1f h" : "%.0f h", seconds / 3600)
        case ..<(3650 * 86400): return String(format: "%.0f d", seconds / 86400)
        default: return String(format: "%.0f years", seconds / (365.25 * 86400))
        }
    }

    /// `1,000` for 1000; a fraction keeps up to two decimals (`0.25`).
    public static func count(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value >= 1e15 { return scientific(value) }
        if value != value.rounded() { return String(format: "%.2f", value).replacingOccurrences(of: ".00", with: "") }
        var digits = String(Int64(value))
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return digits + grouped
    }

    /// `1.5e12`: three significant digits, no trailing zeros.
    public static func scientific(_ value: Double) -> String {
        guard value.isFinite, value != 0 else { return value == 0 ? "0" : "\(value)" }
        if abs(value) >= 1e-3, abs(value) < 1e4 { return String(format: "%.3g", value) }
        return String(format: "%.3g", value).replacingOccurrences(of: "e+", with: "e")
    }

    /// `$7.20`; `$0` for nothing.
    public static func dollars(_ value: Double) -> String {
        guard value.isFinite else { return "unbounded" }
        if value == 0 { return "$0" }
        return value >= 1e7 ? "$" + scientific(value) : String(format: "$%.2f", value)
    }
}
