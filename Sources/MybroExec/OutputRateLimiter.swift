import Foundation

/// A token bucket for `job_output` lines: a burst passes, then at most `linesPerSecond`;
/// the lines held back are counted, so the reader learns how many it missed.
struct OutputRateLimiter {
    let linesPerSecond: Double
    let burst: Double
    private var tokens: Double
    private var last: Double
    private(set) var skipped = 0

    init(linesPerSecond: Double, burst: Double? = nil, now: Double = monotonicSeconds()) {
        self.linesPerSecond = linesPerSecond
        self.burst = burst ?? max(1, linesPerSecond * 2)
        self.tokens = self.burst
        self.last = now
    }

    /// Whether a line may go out now; when it may, also how many were skipped before it.
    mutating func admit(now: Double = monotonicSeconds()) -> (admitted: Bool, skippedBefore: Int) {
        if linesPerSecond <= 0 { return (true, 0) }
        tokens = min(burst, tokens + (now - last) * linesPerSecond)
        last = now
        guard tokens >= 1 else {
            skipped += 1
            return (false, 0)
        }
        tokens -= 1
        defer { skipped = 0 }
        return (true, skipped)
    }

    /// Lines skipped since the last admitted one, reset to zero.
    mutating func takeSkipped() -> Int {
        defer { skipped = 0 }
        return skipped
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
