import Foundation

/// How a group of figures measured interleaved (the kernels at one size: each round times
/// every kernel once) moved as a whole between two runs, and how far its members scatter
/// around that. A busy or quiet machine moves the whole group; a slower build of one kernel
/// moves that kernel alone, so judging each member against the group's median change cancels
/// the drift between runs that can be wider than a real slowdown.
public struct PeerShift: Sendable, Equatable {
    /// The group's median gain (now over baseline for a rate, baseline over now for a time).
    public var factor: Double
    /// The members' typical distance from that gain: their median absolute deviation.
    public var scatter: Double
    public var members: Int

    /// Fewer members than this say nothing about a group's scatter.
    public static let minimumMembers = 8
    /// A member's change over the group must pass this many scaled deviations (4 standard
    /// deviations of a normal scatter, 1.4826 × MAD each)…
    public static let scatterMultiple = 4 * 1.4826
    /// …and at least this.
    public static let minimumFloor = 0.05

    /// The group a figure is measured interleaved with: `kernel.*` at the same `n`; nil for a
    /// figure without peers.
    public static func group(of measurement: Measurement) -> String? {
        guard measurement.name.hasPrefix("kernel."), let n = measurement.context["n"]?.doubleValue else { return nil }
        return "kernel n=\(Measurement.format(n))"  // as in the key; a hostile baseline's n cannot trap
    }

    /// The shift of every group with enough members in both runs.
    public static func shifts(baseline: [String: Measurement], current: [Measurement]) -> [String: PeerShift] {
        var gains: [String: [Double]] = [:]
        var seen = Set<String>()
        for measurement in current where !seen.contains(measurement.key) {
            seen.insert(measurement.key)
            guard let group = group(of: measurement), let old = baseline[measurement.key],
                let gain = gain(old: old, new: measurement)
            else { continue }
            gains[group, default: []].append(gain)
        }
        var result: [String: PeerShift] = [:]
        for (group, values) in gains where values.count >= minimumMembers {
            let factor = Measurement.median(of: values)
            let scatter = Measurement.median(of: values.map { abs($0 / factor - 1) })
            result[group] = PeerShift(factor: factor, scatter: scatter, members: values.count)
        }
        return result
    }

    /// A member's change over the group (negative: worse than its peers), the floor it had to
    /// pass, and whether it is apart: past the floor, and with its samples (scaled by the
    /// group's gain) clear of the baseline's. Nil when the medians give no gain.
    public func judge(old: Measurement, new: Measurement) -> (change: Double, floor: Double, apart: Bool)? {
        guard let gain = Self.gain(old: old, new: new), factor > 0 else { return nil }
        let change = gain / factor - 1
        let floor = max(Self.minimumFloor, Self.scatterMultiple * scatter, old.spread, new.spread)
        // the baseline's samples as the group's shift would have moved them
        let scale = new.better == .higher ? factor : 1 / factor
        let oldLow = old.samples.min()! * scale, oldHigh = old.samples.max()! * scale
        let overlap = oldLow <= new.samples.max()! && new.samples.min()! <= oldHigh
        return (change, floor, !overlap && abs(change) > floor)
    }

    /// Now over baseline for a rate, baseline over now for a time: above 1 is better.
    static func gain(old: Measurement, new: Measurement) -> Double? {
        let base = old.median, now = new.median
        guard base.isFinite, now.isFinite, base > 0, now > 0, !old.samples.isEmpty, !new.samples.isEmpty else {
            return nil
        }
        return new.better == .higher ? now / base : base / now
    }
}
