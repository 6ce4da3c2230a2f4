import Foundation

/// A `.safetensors` file: an 8-byte little-endian header length, a JSON header that maps each
/// tensor's name to its dtype, shape and byte range, then the raw little-endian data
/// (the format of huggingface/safetensors; only what a float32 BERT needs is read).
struct SafeTensorsFile {
    struct Entry {
        var dtype: String
        var shape: [Int]
        var range: Range<Int>
    }

    let data: Data
    let entries: [String: Entry]
    let dataStart: Int

    init(path: String) throws {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw EmbeddingModelError.missing(path)
        }
        guard data.count >= 8 else { throw EmbeddingModelError.malformed("\(path) is shorter than its header") }
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        // Compared as `<= count - 8`, never `8 + length`: a corrupt length near Int.max must not overflow.
        guard headerLength > 0, headerLength <= data.count - 8,
            let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<8 + headerLength))
                as? [String: Any]
        else { throw EmbeddingModelError.malformed("\(path) has no readable safetensors header") }
        var entries: [String: Entry] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let fields = value as? [String: Any], let dtype = fields["dtype"] as? String,
                let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int],
                offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1],
                offsets[1] <= data.count - 8 - headerLength
            else { throw EmbeddingModelError.malformed("\(path): tensor \(name) has a bad header entry") }
            entries[name] = Entry(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
        }
        self.data = data
        self.entries = entries
        self.dataStart = 8 + headerLength
    }

    /// A float32 tensor's values, checked against the shape the model expects.
    func floats(_ name: String, shape: [Int]) throws -> [Float] {
        guard let entry = entries[name] else { throw EmbeddingModelError.malformed("no tensor \(name)") }
        guard entry.dtype == "F32" else {
            throw EmbeddingModelError.malformed("tensor \(name) is \(entry.dtype), not F32")
        }
        guard entry.shape == shape, entry.range.count == shape.reduce(1, *) * 4 else {
            throw EmbeddingModelError.malformed("tensor \(name) has shape \(entry.shape), not \(shape)")
        }
        let count = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBytes { destination in
            data.withUnsafeBytes { source in
                // The file is little-endian float32, as this machine's floats are.
                destination.copyMemory(
                    from: UnsafeRawBufferPointer(
                        rebasing: source[(dataStart + entry.range.lowerBound)...].prefix(count * 4)))
            }
        }
        return values
    }
}
