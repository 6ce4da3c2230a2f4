import Foundation

/// Dates for records (measurements time with MybroCore's `Signals.monotonicSeconds`).
public enum BenchClock {
    /// The current time as ISO 8601 in UTC, to the second.
    public static func isoDate(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
