import Foundation
import MybroCore

/// Times repetitions of a body, and applies MYBRO_BENCH_SLOWDOWN, the documented test aid that
/// makes a named figure really take longer ("kernel.exp=20": each repetition of kernel.exp takes
/// 20 % longer: for the interleaved kernels by doing 20 % more of its own calls, for the others by
/// spinning after the work), so that `--compare` can be shown to catch it.
public struct Sampler: Sendable {
    public static let slowdownVariable = "MYBRO_BENCH_SLOWDOWN"

    /// Extra work per figure name, as a fraction (0.2 for 20 %).
    public let slowdowns: [String: Double]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(MybroError) {
        slowdowns = try Self.parse(environment[Self.slowdownVariable] ?? "")
    }

    /// "NAME=PCT[,NAME=PCT…]" with PCT in 0…1000.
    static func parse(_ text: String) throws(MybroError) -> [String: Double] {
        var result: [String: Double] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let percent = Double(parts[1]), percent >= 0, percent <= 1000 else {
                throw MybroError(
                    "\(slowdownVariable)=\(text) is not NAME=PCT[,NAME=PCT] with PCT from 0 to 1000 "
                        + "(e.g. kernel.exp=20); unset it for a normal run",
                    status: .usage)
            }
            result[String(parts[0]).trimmingCharacters(in: .whitespaces)] = percent / 100
        }
        return result
    }

    /// The seconds of each of `repetitions` runs of `body`, after `warmups` untimed runs.
    public func seconds(
        of name: String, repetitions: Int, warmups: Int = 1, _ body: () -> Void
    ) -> [Double] {
        for _ in 0..<warmups { body() }
        let extra = slowdowns[name] ?? 0
        var samples: [Double] = []
        samples.reserveCapacity(repetitions)
        for _ in 0..<repetitions {
            let start = Signals.monotonicSeconds()
            body()
            samples.append(Self.stretched(from: start, by: extra))
        }
        return samples
    }

    /// Runs `body` enough times per sample that one sample takes at least `minimum` seconds
    /// (timer resolution and call overhead then vanish); returns seconds per call.
    public func secondsPerCall(
        of name: String, repetitions: Int, minimum: Double = 0.002, _ body: () -> Void
    ) -> [Double] {
        withoutActuallyEscaping(body) { body in
            interleaved([(name, body)], repetitions: repetitions, minimum: minimum)[0]
        }
    }

    /// Seconds per call of each body, its repetitions interleaved with the others': round r
    /// times every body once. A burst of noise (another process, a frequency change) then
    /// lands on one sample of many figures instead of every sample of one, so it shows in the
    /// spread rather than moving a median, and run-to-run comparisons stay fair.
    public func interleaved(
        _ bodies: [(name: String, body: () -> Void)], repetitions: Int, minimum: Double = 0.002
    ) -> [[Double]] {
        // Warm up each body once and size its sample (calls per sample) from that run.
        let calls = bodies.map { entry -> Int in
            let start = Signals.monotonicSeconds()
            entry.body()
            let once = max(Signals.monotonicSeconds() - start, 1e-7)
            return max(1, min(100_000, Int((minimum / once).rounded(.up))))
        }
        // One untimed round first, as STREAM drops its first repetition: the first sample of a
        // threaded kernel otherwise pays for waking mybro-kernel's pool and placing its workers
        // (a quarter to a half of the speed of the rest here).
        for (index, entry) in bodies.enumerated() {
            for _ in 0..<calls[index] { entry.body() }
        }
        var samples = [[Double]](repeating: [], count: bodies.count)
        for _ in 0..<repetitions {
            for (index, entry) in bodies.enumerated() {
                let seconds = sample(calls: calls[index], slowdown: slowdowns[entry.name] ?? 0, entry.body)
                samples[index].append(seconds / Double(calls[index]))
            }
        }
        return samples
    }

    /// The seconds of `calls` calls of `body`, made `slowdown` longer by the body's own work:
    /// whole extra calls, and a spin for the fraction of a call left over. A spin alone would
    /// idle mybro-kernel's pool between calls (its workers go to sleep after 200 µs, and the
    /// next figure then pays for waking them), slowing the figure's peers with it: the slowdown
    /// must look like a slower kernel, not a disturbed machine.
    private func sample(calls: Int, slowdown: Double, _ body: () -> Void) -> Double {
        let extra = Double(calls) * slowdown
        let wholeExtra = Int(extra)
        let start = Signals.monotonicSeconds()
        for _ in 0..<(calls + wholeExtra) { body() }
        return Self.stretched(from: start, by: (extra - Double(wholeExtra)) / Double(calls + wholeExtra))
    }

    /// The seconds since `start`, after spinning until they are `fraction` more than they were.
    private static func stretched(from start: Double, by fraction: Double) -> Double {
        let elapsed = Signals.monotonicSeconds() - start
        guard fraction > 0 else { return elapsed }
        let until = start + elapsed * (1 + fraction)
        while Signals.monotonicSeconds() < until {}
        return Signals.monotonicSeconds() - start
    }
}
