import Foundation
import MybroCore

/// A parsed `.safetensors` file (Hugging Face): u64 little-endian header length, a JSON
/// header naming each tensor's dtype, shape and byte range, then the data. Memory-mapped
/// read-only; every range is checked, so a truncated or corrupt file is a `MybroError` (65).
final class SafetensorsFile: @unchecked Sendable {
    struct Tensor {
        var shape: [Int]
        var dataType: CT2DataType
        var offset: Int
        var byteCount: Int
        var elementCount: Int { shape.reduce(1, *) }
    }

    let path: String
    private(set) var tensors: [String: Tensor] = [:]
    private let base: UnsafeRawPointer
    private let size: Int

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw MybroError("cannot open \(path): \(String(cString: strerror(errno)))", status: errno == ENOENT ? .noInput : .ioError)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= 8 else {
            throw MybroError("\(path) is too short to be a safetensors file", status: .dataError)
        }
        size = Int(info.st_size)
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw MybroError("cannot map \(path): \(String(cString: strerror(errno)))", status: .ioError)
        }
        base = UnsafeRawPointer(mapped)
        do {
            try parse()
        } catch {
            munmap(mapped, size)
            throw error
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }

    private func corrupt(_ detail: String) -> MybroError {
        MybroError("model file \(path) is corrupt: \(detail)", status: .dataError)
    }

    private func parse() throws {
        let headerLength = Int(UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)))
        guard headerLength > 1, headerLength <= size - 8 else {
            throw corrupt("its header length \(headerLength) does not fit the file (\(size) bytes): truncated?")
        }
        let header: JSONValue
        do {
            header = try JSONParser.parse(UnsafeBufferPointer(start: (base + 8).assumingMemoryBound(to: UInt8.self),
                                                              count: headerLength))
        } catch {
            throw corrupt("its JSON header is invalid (\(error))")
        }
        guard let entries = header.objectValue else { throw corrupt("its header is not a JSON object") }
        let dataStart = 8 + headerLength
        for (name, value) in entries where name != "__metadata__" {
            guard let entry = value.objectValue, let dtype = entry["dtype"]?.stringValue,
                  let shape = entry["shape"]?.arrayValue?.compactMap(\.intValue),
                  let range = entry["data_offsets"]?.arrayValue?.compactMap(\.intValue), range.count == 2
            else { throw corrupt("tensor \(name) has no dtype, shape or data_offsets") }
            let types: [String: CT2DataType] = ["F32": .float32, "F16": .float16, "BF16": .bfloat16, "I8": .int8,
                                                "I16": .int16, "I32": .int32]
            guard let type = types[dtype] else { throw corrupt("tensor \(name) has unsupported dtype \(dtype)") }
            let count = shape.reduce(1, *)
            guard range[0] >= 0, range[1] - range[0] == count * type.itemSize else {
                throw corrupt("tensor \(name): its byte range does not match shape \(shape) of \(dtype)")
            }
            guard dataStart + range[1] <= size else {
                throw MybroError("model file \(path) is truncated: tensor \(name) ends past the end of the file",
                                 status: .dataError)
            }
            tensors[name] = Tensor(shape: shape, dataType: type, offset: dataStart + range[0], byteCount: range[1] - range[0])
        }
    }

    /// A float tensor as float32.
    func floats(_ tensor: Tensor) -> [Float] {
        let variable = CT2Variable(name: "", shape: tensor.shape, dataType: tensor.dataType, offset: 0,
                                   byteCount: tensor.byteCount)
        return CT2ModelFile.convert(variable, at: base + tensor.offset)
    }

    /// A float16 tensor's raw halves.
    func halves(_ tensor: Tensor) -> [UInt16] {
        [UInt16](unsafeUninitializedCapacity: tensor.elementCount) { buffer, initialized in
            memcpy(buffer.baseAddress!, base + tensor.offset, tensor.byteCount)
            initialized = tensor.elementCount
        }
    }
}
