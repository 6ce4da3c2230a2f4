import Foundation

/// Sleeping that a stop signal (SIGINT, SIGTERM, SIGHUP) cuts short: waits between retries and
/// rechecks end as soon as the user asks the command to stop.
public enum Pause {
    /// Sleeps `seconds` on the monotonic clock; false if a stop was requested first (when
    /// `cancellable`).
    @discardableResult
    public static func sleep(seconds: Double, cancellable: Bool = true) -> Bool {
        let deadline = Signals.monotonicSeconds() + max(0, seconds)
        while true {
            if cancellable && Signals.stopRequested { return false }
            let left = deadline - Signals.monotonicSeconds()
            if left <= 0 { return true }
            usleep(useconds_t(min(left, 0.05) * 1_000_000))
        }
    }
}
