import Foundation
import Synchronization

/// A token bucket: `burst` requests at once, then `perSecond` on average. The control
/// endpoints share one, since they all act on the one loop.
public final class RateLimiter: Sendable {
    public let burst: Double
    public let perSecond: Double
    private let bucket: Mutex<(tokens: Double, at: Double)>

    public init(burst: Int, perSecond: Double) {
        self.burst = Double(burst)
        self.perSecond = perSecond
        self.bucket = Mutex((Double(burst), RateLimiter.now()))
    }

    /// Nil when the request may go ahead; otherwise the seconds until one may.
    public func take() -> Double? {
        let now = Self.now()
        return bucket.withLock { state in
            state.tokens = min(burst, state.tokens + (now - state.at) * perSecond)
            state.at = now
            if state.tokens >= 1 {
                state.tokens -= 1
                return nil
            }
            return (1 - state.tokens) / perSecond
        }
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
