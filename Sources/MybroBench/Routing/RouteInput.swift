import Foundation
import MybroCore

/// What `mybro-bench route` reads besides its flags: offer and workload records on stdin, and a workload file.
public struct RouteInput: Sendable {
    public var offers: [CloudOffer] = []
    public var workloads: [Workload] = []

    public init() {}

    /// Offer records are small: a longer line is not one.
    static let maximumLineBytes = 1 << 20

    /// Reads stdin to its end. Records of other types pass unnoticed (a whole mybro-gpu or
    /// mybro-bench stream may be piped in); a bad line or an offer that lacks a field is skipped
    /// with a warning, or ends the command with --strict (65).
    public static func read(strict: Bool) throws -> RouteInput {
        var input = RouteInput()
        let reader = RecordReader(
            fd: 0, acceptsText: false, strict: strict, maximumLineBytes: maximumLineBytes,
            binaryAdvice: "pipe in mybro-gpu offers --format json, or a workload record")
        var number = 0
        while let next = try reader.next() {
            guard case .record(let record) = next else { continue }
            number += 1
            do {
                switch record.type {
                case "offer": input.offers.append(try CloudOffer(record: record))
                case Workload.recordType: input.workloads.append(try Workload(record: record, source: "stdin"))
                default: continue
                }
            } catch {
                if strict { throw MybroError(error.message + " (stopping: --strict)", status: .dataError) }
                Log.shared.warning("stdin record \(number): \(error.message); skipped")
            }
        }
        return input
    }

    /// The workload records of a file (the first 1 MiB is plenty for one).
    public static func workloads(inFile path: String) throws -> [Workload] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw MybroError("\(path): no such workload file", status: .noInput)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MybroError("\(path): cannot read", status: .noInput)
        }
        guard data.count <= maximumLineBytes, let text = String(data: data, encoding: .utf8) else {
            throw MybroError("\(path): not a workload file (UTF-8 JSON Lines of at most 1 MiB)", status: .dataError)
        }
        var workloads: [Workload] = []
        for (index, line) in text.split(separator: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let object = (try? JSONParser.parse(trimmed))?.objectValue, let type = object["type"]?.stringValue
            else {
                throw MybroError(
                    "\(path):\(index + 1): not a JSON record; write {\"type\":\"workload\",…}", status: .dataError)
            }
            guard type == Workload.recordType else { continue }
            workloads.append(try Workload(record: Record(type: type, fields: object), source: "\(path):\(index + 1)"))
        }
        guard !workloads.isEmpty else {
            throw MybroError("\(path): no workload record; write {\"type\":\"workload\",…}", status: .dataError)
        }
        return workloads
    }
}
