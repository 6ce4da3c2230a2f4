import Foundation

/// What a rented machine costs: billed in whole minutes from the moment it is up (as Shadeform
/// bills: boot time is not charged), each started minute charged in full, at the whole instance's
/// hourly price (which already counts all of its GPUs).
public enum Billing {
    public static func billedMinutes(seconds: Double) -> Double {
        guard seconds > 0 else { return 0 }
        return (seconds / 60).rounded(.up)
    }

    /// Dollars for `seconds` of use at `hourlyCents`, rounded up to the cent.
    public static func cost(hourlyCents: Int, seconds: Double) -> Double {
        let cents = billedMinutes(seconds: seconds) * Double(hourlyCents) / 60
        return cents.rounded(.up) / 100
    }
}
