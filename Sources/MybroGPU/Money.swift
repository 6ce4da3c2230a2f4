/// Money as whole US cents. Shadeform sends prices both as integer cents (`hourly_price`) and
/// as dollar strings (`"1.50"`, `"$2.10"`, `"103.4"`); every sum mybro makes is over cents, so
/// no floating-point rounding can ever make the ledger and the bill disagree.
public enum Money {
    /// Cents from a dollar string: an optional `$`, digits, and an optional fraction. Digits
    /// past the cent are rounded half up (`"0.125"` is 13 cents). Nil for anything else.
    public static func cents(fromDollars text: String) -> Int? {
        var string = Substring(text.trimmingCharacters(in: .whitespaces))
        if string.hasPrefix("$") { string = string.dropFirst() }
        let parts = string.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let wholePart = parts.first else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !(wholePart.isEmpty && fraction.isEmpty),
            wholePart.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
            wholePart.count <= 12
        else { return nil }
        let whole = wholePart.isEmpty ? 0 : Int(wholePart)!
        let digits = Array(fraction)
        var cents = 0
        for index in 0..<2 {
            cents = cents * 10 + (index < digits.count ? Int(String(digits[index]))! : 0)
        }
        if digits.count > 2, let third = Int(String(digits[2])), third >= 5 { cents += 1 }
        return whole * 100 + cents
    }

    /// `"2.10"` for 210 cents (no currency sign, as Shadeform writes `spend_threshold`).
    public static func dollars(_ cents: Int) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// The cost of `seconds` at `hourlyCents`, rounded half up to the cent (integer arithmetic).
    public static func cost(hourlyCents: Int, seconds: Int) -> Int {
        guard hourlyCents > 0, seconds > 0 else { return 0 }
        let (product, overflow) = hourlyCents.multipliedReportingOverflow(by: seconds)
        if overflow { return Int.max }
        return (product + 1800) / 3600
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
