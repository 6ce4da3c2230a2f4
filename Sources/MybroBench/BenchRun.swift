import Foundation
import MybroCore

/// One run of `mybro-bench`: a `bench_run` header, the `hardware` record and the `measure`
/// records, in that order. It is what `--format json` prints and what `--save FILE` keeps.
public struct BenchRun: Sendable, Equatable {
    public static let recordType = "bench_run"

    /// ISO 8601, UTC, to the second.
    public var date: String
    public var quick: Bool
    public var version: String
    public var hardware: Hardware?
    public var measurements: [Measurement]

    public init(
        date: String, quick: Bool, version: String = MybroVersion.string, hardware: Hardware?,
        measurements: [Measurement]
    ) {
        self.date = date
        self.quick = quick
        self.version = version
        self.hardware = hardware
        self.measurements = measurements
    }

    public var header: Record {
        Record(
            type: Self.recordType,
            ["date": .string(date), "quick": .bool(quick), "version": .string(version)])
    }

    public var records: [Record] { [header] + (hardware.map { [$0.record] } ?? []) + measurements.map(\.record) }

    /// The run as JSON Lines text, one record per line, ending with a newline.
    public var jsonLines: String { records.map { $0.serialized() + "\n" }.joined() }

    /// The figures with this name, in the order measured.
    public func measurements(named name: String) -> [Measurement] { measurements.filter { $0.name == name } }

    /// Reads a run back from JSON Lines text. Lines of other types are ignored (a run piped
    /// through another tool keeps working); a line that is not JSON is an error naming it.
    public init(jsonLines text: String, source: String) throws(MybroError) {
        var date = ""
        var quick = false
        var version = ""
        var hardware: Hardware?
        var measurements: [Measurement] = []
        var sawHeader = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(trimmed) } catch {
                throw MybroError(
                    "\(source):\(index + 1): not a JSON record (\(error)); write it with mybro-bench --save",
                    status: .dataError)
            }
            guard let object = value.objectValue, let type = object["type"]?.stringValue else {
                throw MybroError(
                    "\(source):\(index + 1): a JSON object with a type is expected; write it with mybro-bench --save",
                    status: .dataError)
            }
            let record = Record(type: type, fields: object)
            switch type {
            case Self.recordType:
                sawHeader = true
                date = record["date"]?.stringValue ?? ""
                quick = record["quick"]?.boolValue ?? false
                version = record["version"]?.stringValue ?? ""
            case Hardware.recordType: hardware = Hardware(record: record)
            case Measurement.recordType:
                guard let measurement = Measurement(record: record) else {
                    throw MybroError(
                        "\(source):\(index + 1): a measure record needs name, unit, better and samples",
                        status: .dataError)
                }
                measurements.append(measurement)
            default: continue
            }
        }
        guard sawHeader else {
            throw MybroError(
                "\(source): no bench_run record: not a mybro-bench result; write one with mybro-bench --save FILE",
                status: .dataError)
        }
        self.init(date: date, quick: quick, version: version, hardware: hardware, measurements: measurements)
    }

    /// The largest result file accepted (a full run is a few hundred kilobytes).
    public static let maximumFileBytes = 64 << 20

    /// Reads a run from a file written by `--save` (66 when missing, 65 when malformed).
    public init(contentsOf path: String) throws(MybroError) {
        let url = URL(fileURLWithPath: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard FileManager.default.fileExists(atPath: path) else {
            throw MybroError("\(path): no such file; write one with mybro-bench --save \(path)", status: .noInput)
        }
        if let size, size > Self.maximumFileBytes {
            throw MybroError(
                "\(path): \(size) bytes is too large for a mybro-bench result (at most \(Self.maximumFileBytes))",
                status: .dataError)
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw MybroError("\(path): cannot read (\(error.localizedDescription))", status: .noInput)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw MybroError("\(path): not UTF-8 text; write it with mybro-bench --save", status: .dataError)
        }
        try self.init(jsonLines: text, source: path)
    }

    /// Where each saved run is also kept as this machine's profile (read by `mybro-bench route`).
    public static func profilePath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        XDGDirectories.mybro(.state, environment: environment) + "/bench/profile.jsonl"
    }

    /// Where every full run appends its figures (read by `--report` for the history plot).
    public static func historyPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        XDGDirectories.mybro(.state, environment: environment) + "/bench/history.jsonl"
    }
}
