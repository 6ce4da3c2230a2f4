import Foundation

extension Double {
    /// Rounded to `digits` significant digits (at most 12 decimals), for figures printed in records
    /// and tables: enough for any measurement, and text that stays the same from run to run.
    /// Zero, infinities and NaN come back unchanged.
    public func roundedToSignificantDigits(_ digits: Int = 4) -> Double {
        guard isFinite, self != 0 else { return self }
        let decimals = max(0, digits - 1 - Int(log10(abs(self)).rounded(.down)))
        let scale = pow(10, Double(min(decimals, 12)))
        return (self * scale).rounded() / scale
    }
}
