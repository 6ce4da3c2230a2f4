import Foundation
import MybroCore

/// Writes results as float32 LE (one write per piece) or as JSON Lines: an array per piece, or a
/// `reduction` record per value. JSON cannot carry NaN or infinities: they are written as null.
final class FloatWriter {
    let format: StreamFormat
    let sink: OutputSink

    init(format: StreamFormat, sink: OutputSink = .standardOutput) {
        self.format = format
        self.sink = sink
    }

    func write(_ values: UnsafeBufferPointer<Float>) throws {
        switch format {
        case .binary:
            if values.isEmpty { return }
            var bytes = [UInt8](repeating: 0, count: values.count * 4)
            bytes.withUnsafeMutableBytes { raw in
                for (index, value) in values.enumerated() {
                    raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
                }
            }
            try bytes.withUnsafeBytes { try sink.write(bytes: $0) }
        case .json:
            try sink.write(line: FloatWriter.array(values))
        }
    }

    func write(_ values: [Float]) throws { try values.withUnsafeBufferPointer { try write($0) } }

    func write(bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try sink.write(bytes: $0) } }

    func write(line: String) throws { try sink.write(line: line) }

    /// `[1.5,null,2]`: the shortest text that reads back as the same float32.
    static func array(_ values: UnsafeBufferPointer<Float>) -> String {
        var text = "["
        text.reserveCapacity(values.count * 12 + 2)
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            text += number(value)
        }
        return text + "]"
    }

    static func number(_ value: Float) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), value.magnitude < 1e7 { return String(Int(value)) }
        return "\(value)"
    }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), value.magnitude < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
