import Foundation
import MybroCore

/// A run compared with a baseline, figure by figure (matched by `Measurement.key`).
///
/// The noise rule: a figure changed only when its change cannot be run-to-run noise, which
/// needs both
/// 1. the two runs' sample ranges (smallest to largest) do not overlap, and
/// 2. the medians moved by more than the noise floor: the largest of the two runs' spreads
///    ((largest − smallest) / median), the spread of the figure's medians over this machine's
///    last ten earlier full runs (the history, when it holds at least three), and at least
///    `minimumNoise` (1 %, or 5 % when either run has fewer than three samples, whose range
///    says little about the noise).
///
/// Repetitions inside one run are back to back, so their spread misses what changes between
/// runs (another process on the machine, the cache it thrashes, the clock): the history's
/// spread is the run-to-run noise itself, measured. Condition 1 alone is too weak when each run
/// has few, tight samples but the machine drifts between runs; condition 2 alone would let one
/// wild sample decide. A change that passes both is `improved` or `regressed` (by the figure's
/// direction); the run fails when a regression's loss exceeds the threshold and a second
/// measurement of that figure, taken right after the run, confirms it (`confirm`).
///
/// Figures measured interleaved with peers (the kernels at one size: each round times every
/// kernel once) are also judged against their peers (`PeerShift`): a busy or quiet machine
/// moves the whole group, a slower kernel moves alone. Its change over the group's median
/// change must pass a floor made of the group's own scatter, and its samples, scaled by the
/// group's change, must not overlap. Drift between runs then hides nothing, where the
/// history's spread (condition 2) can be wider than the slowdown to catch.
public struct Comparison: Sendable {
    public enum Verdict: String, Sendable {
        case improved, regressed, unchanged, added, missing
    }

    public struct Change: Sendable, Equatable {
        public var key: String
        public var name: String
        public var unit: String
        public var better: Measurement.Better
        /// Medians (nil for the side a figure is missing from).
        public var baseline: Double?
        public var now: Double?
        /// (now − baseline) / baseline of the medians, in percent.
        public var changePercent: Double?
        /// The noise floor this figure's change had to pass, in percent.
        public var noisePercent: Double?
        /// How much worse the figure got, in percent (0 when it did not get worse).
        public var lossPercent: Double
        public var verdict: Verdict
        /// A regression whose loss is past the threshold: it fails the comparison.
        public var beyondThreshold: Bool
        /// For a regression past the threshold: the median of the same figure measured again
        /// right after the run, and its change from the baseline (nil when not re-measured).
        public var recheckMedian: Double?
        public var recheckChangePercent: Double?
        /// Whether the re-measurements regressed past the threshold too (nil when not re-measured).
        /// An unconfirmed regression was noise that passed the rule once: it does not fail.
        public var confirmed: Bool?
        /// How many times the figure was measured again: each recheck that still regressed past
        /// the threshold leads to another, up to the command's --rechecks; the recheck fields
        /// are the last one's.
        public var rechecks = 0
        /// For a figure with peers: its change over the group's median change, and the floor
        /// that had to pass, in percent (nil without peers).
        public var peerChangePercent: Double?
        public var peerNoisePercent: Double?
        /// Whether the verdict came from the comparison with peers (the figure moved apart from
        /// its group) rather than from its own change.
        public var byPeers = false

        public static let recordType = "change"

        public var record: Record {
            var fields = JSONObject()
            fields["key"] = .string(key)
            fields["name"] = .string(name)
            fields["unit"] = .string(unit)
            fields["better"] = .string(better.rawValue)
            fields["baseline"] = baseline.map { .number(Measurement.rounded($0)) } ?? .null
            fields["now"] = now.map { .number(Measurement.rounded($0)) } ?? .null
            fields["change_percent"] = changePercent.map { .number(Measurement.rounded($0)) } ?? .null
            fields["noise_percent"] = noisePercent.map { .number(Measurement.rounded($0)) } ?? .null
            fields["verdict"] = .string(verdict.rawValue)
            fields["beyond_threshold"] = .bool(beyondThreshold)
            if let peerChangePercent, let peerNoisePercent {
                fields["peer_change_percent"] = .number(Measurement.rounded(peerChangePercent))
                fields["peer_noise_percent"] = .number(Measurement.rounded(peerNoisePercent))
                fields["by_peers"] = .bool(byPeers)
            }
            if let confirmed {
                fields["recheck_median"] = recheckMedian.map { .number(Measurement.rounded($0)) } ?? .null
                fields["recheck_change_percent"] =
                    recheckChangePercent.map { .number(Measurement.rounded($0)) } ?? .null
                fields["confirmed"] = .bool(confirmed)
                fields["rechecks"] = .number(Double(rechecks))
            }
            return Record(type: Self.recordType, fields: fields)
        }
    }

    /// Every figure of either run, in the current run's order, then the baseline's missing ones.
    public var changes: [Change]
    public var thresholdPercent: Double
    public var baselineSource: String
    public var baselineDate: String
    /// Why the two runs may not be comparable (another CPU, a quick run against a full one);
    /// empty when they are.
    public var warnings: [String]
    /// How many figures had a run-to-run spread from the history.
    public var historyFigures = 0
    /// The baseline's figures and each figure's run-to-run spread, kept for `confirm`.
    private var baselineByKey: [String: Measurement] = [:]
    private var runToRun: [String: Double] = [:]

    public var flagged: [Change] { changes.filter { $0.verdict != .unchanged } }
    public var failures: [Change] { changes.filter(\.beyondThreshold) }
    public var failed: Bool { !failures.isEmpty }

    public func count(_ verdict: Verdict) -> Int { changes.filter { $0.verdict == verdict }.count }

    /// Regressions past the threshold that their re-measurement did not confirm.
    public var unconfirmed: Int { changes.filter { $0.confirmed == false }.count }

    /// The smallest noise floor, in parts (not percent).
    public static let minimumNoise = 0.01
    /// The floor when either run has fewer than three samples of a figure.
    public static let fewSamplesNoise = 0.05

    /// Earlier full runs the run-to-run spread is taken from (at most this many, the newest).
    public static let historyRuns = 10
    /// Fewer earlier runs than this say nothing about a figure's run-to-run spread.
    public static let minimumHistoryRuns = 3

    /// Compares `current` with `baseline`; `history` are this machine's earlier full runs (the
    /// history file, read before `current` was appended to it).
    public init(
        baseline: BenchRun, current: BenchRun, thresholdPercent: Double, baselineSource: String,
        history: [BenchHistory.Entry] = []
    ) {
        self.thresholdPercent = thresholdPercent
        self.baselineSource = baselineSource
        self.baselineDate = baseline.date
        self.warnings = Self.warnings(baseline: baseline, current: current)
        let runToRun = Self.historySpreads(history, current: current)
        self.historyFigures = runToRun.count
        self.runToRun = runToRun
        var baselineByKey: [String: Measurement] = [:]
        for measurement in baseline.measurements where baselineByKey[measurement.key] == nil {
            baselineByKey[measurement.key] = measurement
        }
        let shifts = PeerShift.shifts(baseline: baselineByKey, current: current.measurements)
        var seen = Set<String>()
        var changes: [Change] = []
        for measurement in current.measurements where !seen.contains(measurement.key) {
            seen.insert(measurement.key)
            changes.append(
                Self.change(
                    from: baselineByKey[measurement.key], to: measurement, threshold: thresholdPercent,
                    runToRunSpread: runToRun[measurement.key] ?? 0,
                    peers: PeerShift.group(of: measurement).flatMap { shifts[$0] }))
        }
        for measurement in baseline.measurements where !seen.contains(measurement.key) {
            seen.insert(measurement.key)
            changes.append(Self.change(from: measurement, to: nil, threshold: thresholdPercent))
        }
        self.changes = changes
        self.baselineByKey = baselineByKey
    }

    /// The figures whose regression would fail the run: these are measured again before the
    /// verdict (`confirm`).
    public var toRecheck: [String] { failures.map(\.key) }

    /// Takes the figures measured again after the run (`toRecheck`) into the verdict: a
    /// regression past the threshold fails the run only when the re-measurement, judged by the
    /// same rule against the same baseline, regressed past the threshold too.
    ///
    /// The rule is applied to hundreds of figures per run, so now and then a burst of load on the
    /// machine pushes one of them past it; a burst does not last, a slower build does. Called
    /// again with a later re-measurement, it judges the figures still past the threshold: a
    /// figure fails only when every recheck confirmed it. A figure missing from `remeasured`
    /// keeps its verdict.
    public mutating func confirm(with remeasured: [Measurement]) {
        var byKey: [String: Measurement] = [:]
        for measurement in remeasured where byKey[measurement.key] == nil { byKey[measurement.key] = measurement }
        let shifts = PeerShift.shifts(baseline: baselineByKey, current: remeasured)
        for index in changes.indices where changes[index].beyondThreshold {
            let key = changes[index].key
            guard let again = byKey[key], let old = baselineByKey[key] else { continue }
            let recheck = Self.change(
                from: old, to: again, threshold: thresholdPercent, runToRunSpread: runToRun[key] ?? 0,
                peers: PeerShift.group(of: again).flatMap { shifts[$0] })
            changes[index].rechecks += 1
            changes[index].recheckMedian = again.median
            changes[index].recheckChangePercent = recheck.changePercent
            changes[index].confirmed = recheck.beyondThreshold
            changes[index].beyondThreshold = recheck.beyondThreshold
        }
    }

    /// One figure's verdict under the noise rule, and against its peers when it has them.
    static func change(
        from old: Measurement?, to new: Measurement?, threshold: Double, runToRunSpread: Double = 0,
        peers: PeerShift? = nil
    ) -> Change {
        let any = (new ?? old)!
        var change = Change(
            key: any.key, name: any.name, unit: any.unit, better: any.better, baseline: old?.median, now: new?.median,
            changePercent: nil, noisePercent: nil, lossPercent: 0, verdict: .unchanged, beyondThreshold: false)
        guard let old, let new else {
            change.verdict = new == nil ? .missing : .added
            return change
        }
        let base = old.median
        let now = new.median
        guard base.isFinite, now.isFinite, base != 0 else { return change }
        let relative = (now - base) / abs(base)
        let fewSamples = old.samples.count < 3 || new.samples.count < 3
        let noise = max(old.spread, new.spread, runToRunSpread, fewSamples ? fewSamplesNoise : minimumNoise)
        change.changePercent = relative * 100
        change.noisePercent = noise * 100
        let worse = new.better == .higher ? now < base : now > base
        let overlap = (old.samples.min()!) <= (new.samples.max()!) && (new.samples.min()!) <= (old.samples.max()!)
        if !overlap, abs(relative) > noise {
            change.verdict = worse ? .regressed : .improved
            change.lossPercent = worse ? abs(relative) * 100 : 0
        }
        if let peers, let judged = peers.judge(old: old, new: new) {
            change.peerChangePercent = judged.change * 100
            change.peerNoisePercent = judged.floor * 100
            // Apart from its group by more than the group's scatter: a change of this figure, not
            // of the machine. Only a loss larger than its own overrides the verdict.
            if judged.apart && judged.change < 0 && -judged.change * 100 > change.lossPercent {
                change.verdict = .regressed
                change.lossPercent = -judged.change * 100
                change.byPeers = true
            }
        }
        change.beyondThreshold = change.verdict == .regressed && change.lossPercent > threshold
        return change
    }

    /// Each figure's spread, (largest − smallest) / median, over the medians of the newest
    /// `historyRuns` earlier full runs of this machine (same CPU model and threads) that hold it
    /// at least `minimumHistoryRuns` times.
    static func historySpreads(_ history: [BenchHistory.Entry], current: BenchRun) -> [String: Double] {
        let sameMachine = history.filter { entry in
            guard let hardware = current.hardware else { return true }
            return entry.cpuModel == hardware.cpuModel && entry.threads == hardware.threads
        }
        var medians: [String: [Double]] = [:]
        for entry in sameMachine.suffix(historyRuns) {
            for (key, value) in entry.figures { medians[key, default: []].append(value) }
        }
        var spreads: [String: Double] = [:]
        for (key, values) in medians where values.count >= minimumHistoryRuns {
            let median = Measurement.median(of: values)
            guard median != 0, let low = values.min(), let high = values.max() else { continue }
            spreads[key] = (high - low) / abs(median)
        }
        return spreads
    }

    static func warnings(baseline: BenchRun, current: BenchRun) -> [String] {
        var warnings: [String] = []
        if let old = baseline.hardware, let new = current.hardware {
            if old.cpuModel != new.cpuModel || old.threads != new.threads {
                warnings.append(
                    "the baseline comes from another machine (\(old.cpuModel), \(old.threads) threads; this one: "
                        + "\(new.cpuModel), \(new.threads) threads): changes may be the machine, not the code")
            }
        } else if baseline.hardware == nil {
            warnings.append("the baseline has no hardware record: it may come from another machine")
        }
        if baseline.quick != current.quick {
            warnings.append(
                "comparing a \(current.quick ? "quick" : "full") run with a \(baseline.quick ? "quick" : "full") "
                    + "baseline: sizes differ, so some figures only appear in one of them")
        }
        return warnings
    }

    public static let recordType = "comparison"

    /// The summary record, after the `change` records.
    public var record: Record {
        var fields = JSONObject()
        fields["baseline"] = .string(baselineSource)
        fields["baseline_date"] = .string(baselineDate)
        fields["threshold_percent"] = .number(thresholdPercent)
        fields["compared"] = .number(Double(changes.filter { $0.baseline != nil && $0.now != nil }.count))
        for verdict in [Verdict.regressed, .improved, .unchanged, .added, .missing] {
            fields[verdict.rawValue] = .number(Double(count(verdict)))
        }
        fields["history_figures"] = .number(Double(historyFigures))
        fields["unconfirmed"] = .number(Double(unconfirmed))
        fields["failed"] = .bool(failed)
        fields["warnings"] = .array(warnings.map { .string($0) })
        return Record(type: Self.recordType, fields: fields)
    }

    /// The records a JSON run ends with: one `change` per flagged, added or missing figure, then
    /// the `comparison` summary.
    public var records: [Record] { flagged.map(\.record) + [record] }

    /// The comparison as table lines for a terminal.
    public var text: String {
        var lines = [
            "", "compared with \(baselineSource) (\(baselineDate)), threshold \(Self.percent(thresholdPercent))",
        ]
        for warning in warnings { lines.append("warning: \(warning)") }
        if !flagged.isEmpty {
            lines.append(
                BenchTable.pad("figure", 44) + BenchTable.pad("baseline", 12) + BenchTable.pad("now", 12)
                    + BenchTable.pad("change", 10) + BenchTable.pad("noise", 8) + "verdict")
            for change in flagged {
                var verdict = change.verdict.rawValue
                if change.byPeers, let peer = change.peerChangePercent {
                    verdict += String(format: " (against its peers: %+.1f%%)", peer)
                }
                if change.beyondThreshold { verdict += " (past the threshold)" }
                if change.confirmed == false, let again = change.recheckChangePercent {
                    let which = change.rechecks > 1 ? " (recheck \(change.rechecks))" : ""
                    verdict += String(format: " (not confirmed: %+.1f%% when measured again", again) + which + ")"
                }
                lines.append(
                    BenchTable.pad(change.key, 44) + BenchTable.pad(change.baseline.map(BenchTable.number) ?? "-", 12)
                        + BenchTable.pad(change.now.map(BenchTable.number) ?? "-", 12)
                        + BenchTable.pad(change.changePercent.map { String(format: "%+.1f%%", $0) } ?? "-", 10)
                        + BenchTable.pad(change.noisePercent.map { String(format: "%.1f%%", $0) } ?? "-", 8) + verdict)
            }
        }
        lines.append(
            "\(count(.regressed)) regressed (\(failures.count) past the threshold, \(unconfirmed) more not confirmed when "
                + "measured again), \(count(.improved)) improved, "
                + "\(count(.unchanged)) within noise, \(count(.added)) added, \(count(.missing)) missing")
        return lines.joined(separator: "\n")
    }

    /// The error that ends a failed comparison with status 1.
    public var failure: MybroError? {
        guard failed else { return nil }
        let names = failures.prefix(3).map { "\($0.key) \(String(format: "%.1f%%", $0.lossPercent)) worse" }
        let more = failures.count > 3 ? " and \(failures.count - 3) more" : ""
        return MybroError(
            "\(failures.count) figure(s) regressed past \(Self.percent(thresholdPercent)): "
                + names.joined(separator: ", ") + more,
            status: .negative)
    }

    static func percent(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) %" : String(format: "%.2g %%", value)
    }
}
