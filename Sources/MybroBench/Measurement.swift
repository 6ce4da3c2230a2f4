import Foundation
import MybroCore

/// One measured figure with every repetition kept, so that a later comparison can tell a real
/// change from run-to-run noise.
///
/// As a record (`mybro-bench --format json`, and in a `--save` file):
/// `{"type":"measure","name":"memory.triad","unit":"GB/s","better":"higher","value":…,"median":…,
///   "spread":…,"samples":[…], …context}` where `value` is the best sample (STREAM's convention),
/// `spread` is (largest − smallest) / median of the samples, and the context fields (`threads`, `n`,
/// `working_set_bytes`, `model`, …) tell apart figures with the same name.
public struct Measurement: Sendable, Equatable {
    public enum Better: String, Sendable {
        case higher, lower
    }

    /// Dotted name: `memory.copy|scale|add|triad|sum|triad_nt`, `memory.curve`, `sgemm`,
    /// `kernel.NAME`, `disk.read`, `transcribe.rtf`, `vad.throughput`, `gpu.copy`.
    public var name: String
    public var unit: String
    public var better: Better
    /// Every repetition's figure, in the order measured.
    public var samples: [Double]
    /// What distinguishes this figure from others with the same name (numbers or strings only),
    /// plus derived figures (`gflop_per_s`, `stream_fraction`, …) that are not compared.
    public var context: JSONObject
    /// Context keys that identify the figure (the others are informative).
    public var identity: [String]

    public init(
        name: String, unit: String, better: Better, samples: [Double], context: JSONObject = JSONObject(),
        identity: [String] = []
    ) {
        self.name = name
        self.unit = unit
        self.better = better
        self.samples = samples
        self.context = context
        self.identity = identity
    }

    /// The best sample: the largest for a rate, the smallest for a time.
    public var value: Double {
        guard !samples.isEmpty else { return .nan }
        return better == .higher ? samples.max()! : samples.min()!
    }

    public var median: Double { Self.median(of: samples) }

    /// The middle value (the mean of the two middle ones for an even count); NaN for none.
    public static func median(of values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// (largest − smallest) / median: 0 for a single sample.
    public var spread: Double {
        guard samples.count > 1, let low = samples.min(), let high = samples.max(), median != 0 else { return 0 }
        return (high - low) / abs(median)
    }

    /// The key that matches this figure across runs: its name and identifying context.
    public var key: String {
        var key = name
        for field in identity {
            guard let value = context[field] else { continue }
            switch value {
            case .string(let text): key += " \(field)=\(text)"
            case .number(let number): key += " \(field)=\(Self.format(number))"
            default: continue
            }
        }
        return key
    }

    public static let recordType = "measure"

    public var record: Record {
        var fields = JSONObject()
        fields["name"] = .string(name)
        fields["unit"] = .string(unit)
        fields["better"] = .string(better.rawValue)
        fields["value"] = .number(Self.rounded(value))
        fields["median"] = .number(Self.rounded(median))
        fields["spread"] = .number(Self.rounded(spread))
        fields["samples"] = .array(samples.map { .number(Self.rounded($0)) })
        fields["identity"] = .array(identity.map { .string($0) })
        for (key, value) in context where fields[key] == nil { fields[key] = value }
        return Record(type: Self.recordType, fields: fields)
    }

    /// A measure record read back (from a `--save` file or a pipe); nil for other records or a
    /// record missing its name, unit or samples.
    public init?(record: Record) {
        guard record.type == Self.recordType, let name = record["name"]?.stringValue,
            let unit = record["unit"]?.stringValue,
            let better = record["better"]?.stringValue.flatMap(Better.init(rawValue:)),
            let samples = record["samples"]?.arrayValue?.compactMap(\.doubleValue), !samples.isEmpty
        else { return nil }
        let reserved: Set = ["type", "name", "unit", "better", "value", "median", "spread", "samples", "identity"]
        var context = JSONObject()
        for (key, value) in record.fields where !reserved.contains(key) { context[key] = value }
        self.init(
            name: name, unit: unit, better: better, samples: samples, context: context,
            identity: record["identity"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// Four significant digits; a non-finite figure (which JSON cannot hold) becomes 0.
    public static func rounded(_ value: Double) -> Double {
        value.isFinite ? value.roundedToSignificantDigits(4) : 0
    }

    static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
