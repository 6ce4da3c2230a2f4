import Foundation

/// When to ask the Messages API again and how long to wait first; the official SDK's policy
/// (2 retries; 408, 409, 429, 5xx and connection failures; `retry-after` honoured when it is
/// in (0, 60] s, else 0.5 s doubling to 8 s with up to 25 % jitter) plus no retry on a
/// spend-limit 429, which only a person can lift.
public struct RetryPolicy: Sendable {
    public var maxRetries: Int

    public init(maxRetries: Int = 2) { self.maxRetries = maxRetries }

    /// Whether a failed attempt with this status (nil: no answer) is worth repeating.
    public func shouldRetry(status: Int?, shouldRetryHeader: String?, errorCode: String?) -> Bool {
        if errorCode == "enforced_spend_limit_reached" { return false }
        if let header = shouldRetryHeader?.lowercased() {
            if header == "true" { return true }
            if header == "false" { return false }
        }
        guard let status else { return true }
        return status == 408 || status == 409 || status == 429 || status >= 500
    }

    /// Seconds to wait before retry number `retriesTaken + 1`.
    public func delay(retriesTaken: Int, retryAfterMilliseconds: String?, retryAfter: String?, random: Double) -> Double
    {
        if let server = Self.serverDelay(retryAfterMilliseconds: retryAfterMilliseconds, retryAfter: retryAfter),
            server > 0, server <= 60
        {
            return server
        }
        let base = min(0.5 * pow(2.0, Double(retriesTaken)), 8.0)
        return base * (1 - 0.25 * random)
    }

    static func serverDelay(retryAfterMilliseconds: String?, retryAfter: String?) -> Double? {
        if let text = retryAfterMilliseconds?.trimmingCharacters(in: .whitespaces), let ms = Double(text) {
            return ms / 1000
        }
        guard let text = retryAfter?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return date.timeIntervalSinceNow
    }
}
