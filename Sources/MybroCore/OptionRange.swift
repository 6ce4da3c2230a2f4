import ArgumentParser

/// Range checks for numeric options, for every command's `validate()`.
///
/// A value outside its range is a usage error (status 64) whose one line names the option,
/// the range and the fix, so that no later conversion (`Int(seconds * rate)`, a buffer of
/// `milliseconds * 16` samples) can trap on NaN, infinity or a value near `Int.max`.
/// NaN fails every check, because it is in no range.
public enum OptionRange {
    /// Checks `value` against `range`; `unit` is plural ("seconds", "ms", "" for none).
    public static func check(
        _ value: Double, _ range: ClosedRange<Double>, option: String, unit: String = ""
    ) throws {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError(message(option: option, value: format(value), range: describe(range), unit: unit))
        }
    }

    /// Checks `value` against the range that excludes its lower bound (`0 < value ≤ upper`).
    public static func check(
        _ value: Double, above lower: Double, atMost upper: Double, option: String, unit: String = ""
    ) throws {
        guard value.isFinite, value > lower, value <= upper else {
            let range = "above \(format(lower)) and at most \(format(upper))"
            throw ValidationError(message(option: option, value: format(value), range: range, unit: unit))
        }
    }

    /// Checks an integer option.
    public static func check<Value: BinaryInteger>(
        _ value: Value, _ range: ClosedRange<Value>, option: String, unit: String = ""
    ) throws {
        guard range.contains(value) else {
            let description = "\(range.lowerBound) to \(range.upperBound)"
            throw ValidationError(message(option: option, value: "\(value)", range: description, unit: unit))
        }
    }

    static func message(option: String, value: String, range: String, unit: String) -> String {
        let units = unit.isEmpty ? "" : " " + unit
        return "\(option) \(value) is out of range: give \(range)\(units)"
    }

    static func describe(_ range: ClosedRange<Double>) -> String {
        "\(format(range.lowerBound)) to \(format(range.upperBound))"
    }

    /// `30` rather than `30.0`; other values as Swift prints them (`1e+15`, `nan`, `inf`).
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
