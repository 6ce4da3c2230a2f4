import Foundation
import MybroCore

/// Element types of a CTranslate2 variable (`dtype_code` in model.bin).
public enum CT2DataType: UInt8, Sendable {
    case float32 = 0, int8, int16, int32, float16, bfloat16

    var itemSize: Int {
        switch self {
        case .int8: return 1
        case .int16, .float16, .bfloat16: return 2
        case .float32, .int32: return 4
        }
    }

    var name: String { String(describing: self) }
}

/// One variable of model.bin: where its payload is and what it holds.
public struct CT2Variable: Sendable {
    public var name: String
    public var shape: [Int]
    public var dataType: CT2DataType
    /// Byte offset of the payload in the file.
    var offset: Int
    var byteCount: Int
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A parsed CTranslate2 `model.bin` (binary version ≥ 4), memory-mapped read-only.
///
/// Layout (see specs/ctranslate2-whisper.md): u32 version, str spec name, u32 revision,
/// u32 count, then per variable: str name, u8 rank, u32 dims, u8 dtype, u32 byte count,
/// payload; then u32 alias count and (alias, target) string pairs. Strings are a u16 length
/// that counts a trailing NUL. Nothing is aligned, so every read is an unaligned load.
/// Every read is bounds-checked: a truncated or corrupt file gives a `MybroError` (65).
public final class CT2ModelFile: @unchecked Sendable {
    public let path: String
    public let binaryVersion: Int
    public let specName: String
    public private(set) var variables: [String: CT2Variable] = [:]
    /// Tied weights: alias name → target name.
    public private(set) var aliases: [String: String] = [:]
    private let base: UnsafeRawPointer
    private let size: Int

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            let reason = String(cString: strerror(errno))
            throw MybroError("cannot open model file \(path): \(reason)", status: errno == ENOENT ? .noInput : .ioError)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw MybroError("cannot read model file \(path): \(String(cString: strerror(errno)))", status: .ioError)
        }
        size = Int(info.st_size)
        guard size > 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw MybroError("model file \(path) is empty or not a regular file; run `make setup` again", status: .dataError)
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw MybroError("cannot map model file \(path): \(String(cString: strerror(errno)))", status: .ioError)
        }
        base = UnsafeRawPointer(mapped)
        var reader = Reader(base: base, size: size, path: path)
        do {
            binaryVersion = Int(try reader.u32("binary version"))
            guard binaryVersion >= 4 && binaryVersion <= 6 else {
                throw reader.corrupt(
                    "binary version \(binaryVersion) is not supported (versions 4–6 are); "
                        + "is this a CTranslate2 model.bin?")
            }
            specName = try reader.string("spec name")
            _ = try reader.u32("spec revision")
            let count = Int(try reader.u32("variable count"))
            guard count < 100_000 else { throw reader.corrupt("implausible variable count \(count)") }
            for _ in 0..<count {
                let variable = try reader.variable()
                variables[variable.name] = variable
            }
            if binaryVersion >= 3 {
                let aliasCount = Int(try reader.u32("alias count"))
                guard aliasCount < 100_000 else { throw reader.corrupt("implausible alias count \(aliasCount)") }
                for _ in 0..<aliasCount {
                    let alias = try reader.string("alias name")
                    let target = try reader.string("alias target")
                    aliases[alias] = target
                }
            }
            if reader.offset != size {
                throw reader.corrupt("\(size - reader.offset) unexpected bytes after the alias table")
            }
        } catch {
            munmap(UnsafeMutableRawPointer(mutating: base), size)
            throw error
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }

    /// The variable named `name`, following an alias.
    public func variable(_ name: String) -> CT2Variable? {
        if let found = variables[name] { return found }
        if let target = aliases[name] { return variables[target] }
        return nil
    }

    /// The raw payload of a variable.
    func payload(_ variable: CT2Variable) -> UnsafeRawPointer { base + variable.offset }

    /// An integer scalar (int8/int16/int32), or nil when absent.
    public func integerScalar(_ name: String) -> Int? {
        guard let variable = variables[name], variable.elementCount == 1 else { return nil }
        let pointer = payload(variable)
        switch variable.dataType {
        case .int8: return Int(pointer.loadUnaligned(as: Int8.self))
        case .int16: return Int(Int16(littleEndian: pointer.loadUnaligned(as: Int16.self)))
        case .int32: return Int(Int32(littleEndian: pointer.loadUnaligned(as: Int32.self)))
        default: return nil
        }
    }

    /// Lets the kernel drop the mapped pages of a variable already converted, so loading
    /// does not hold the whole file and the converted weights at once (peak memory).
    func release(_ variable: CT2Variable) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (variable.offset + page - 1) / page * page  // whole pages inside the payload only
        let end = (variable.offset + variable.byteCount) / page * page
        guard end > start else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    /// A float16 tensor's raw halves, copied a few megabytes at a time with each copied
    /// stretch of the mapping released, so the 40 MB embedding table is never held twice.
    func halves(_ variable: CT2Variable) -> [UInt16] {
        let count = variable.elementCount
        let source = payload(variable)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        return [UInt16](unsafeUninitializedCapacity: count) { buffer, initialized in
            let destination = UnsafeMutableRawPointer(buffer.baseAddress!)
            let chunk = 4 << 20
            var done = 0
            while done < variable.byteCount {
                let length = min(chunk, variable.byteCount - done)
                memcpy(destination + done, source + done, length)  // little-endian, as every Swift platform
                let start = (variable.offset + done + page - 1) / page * page
                let end = (variable.offset + done + length) / page * page
                if end > start { madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED) }
                done += length
            }
            initialized = count
        }
    }

    /// A float tensor as float32, dequantising float16 / bfloat16 / int8 (with `scale`: one
    /// float per row, CTranslate2's convention `weight = int8 / scale`).
    func floats(_ variable: CT2Variable, rowScales: [Float]? = nil) -> [Float] {
        Self.convert(variable, at: payload(variable), rowScales: rowScales)
    }

    /// Converts a payload at `source` laid out as `variable` says to float32.
    static func convert(_ variable: CT2Variable, at source: UnsafeRawPointer, rowScales: [Float]? = nil) -> [Float] {
        let count = variable.elementCount
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            let destination = buffer.baseAddress!
            switch variable.dataType {
            case .float32:
                memcpy(destination, source, count * 4)
            case .float16:
                HalfFloat.convert(source, count: count, into: destination)
            case .bfloat16:
                for index in 0..<count {
                    let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                    destination[index] = Float(bitPattern: UInt32(bits) << 16)
                }
            case .int8:
                let rows = rowScales?.count ?? 1
                let columns = count / max(rows, 1)
                for index in 0..<count {
                    let scale = rowScales?[index / columns] ?? 1
                    destination[index] = Float(source.loadUnaligned(fromByteOffset: index, as: Int8.self)) / scale
                }
            case .int16, .int32:
                for index in 0..<count {
                    destination[index] = variable.dataType == .int16
                        ? Float(Int16(littleEndian: source.loadUnaligned(fromByteOffset: index * 2, as: Int16.self)))
                        : Float(Int32(littleEndian: source.loadUnaligned(fromByteOffset: index * 4, as: Int32.self)))
                }
            }
            initialized = count
        }
    }

    /// A bounds-checked cursor over the mapped bytes.
    private struct Reader {
        let base: UnsafeRawPointer
        let size: Int
        let path: String
        var offset = 0

        func corrupt(_ detail: String) -> MybroError {
            MybroError("model file \(path) is corrupt: \(detail); run `make setup` again to reinstall it",
                       status: .dataError)
        }

        func truncated(_ what: String) -> MybroError {
            MybroError(
                "model file \(path) is truncated: it ends at byte \(size) while reading \(what); "
                    + "run `make setup` again to reinstall it",
                status: .dataError)
        }

        mutating func take(_ count: Int, _ what: String) throws -> UnsafeRawPointer {
            guard count >= 0, count <= size - offset else { throw truncated(what) }
            defer { offset += count }
            return base + offset
        }

        mutating func u8(_ what: String) throws -> UInt8 { try take(1, what).load(as: UInt8.self) }
        mutating func u16(_ what: String) throws -> UInt16 {
            UInt16(littleEndian: try take(2, what).loadUnaligned(as: UInt16.self))
        }
        mutating func u32(_ what: String) throws -> UInt32 {
            UInt32(littleEndian: try take(4, what).loadUnaligned(as: UInt32.self))
        }

        mutating func string(_ what: String) throws -> String {
            let length = Int(try u16(what))
            guard length >= 1 else { throw corrupt("empty \(what) at byte \(offset - 2)") }
            let bytes = UnsafeRawBufferPointer(start: try take(length, what), count: length)
            guard bytes[length - 1] == 0 else { throw corrupt("\(what) at byte \(offset - length) is not NUL-terminated") }
            guard let text = String(validating: bytes.prefix(length - 1), as: UTF8.self) else {
                throw corrupt("\(what) at byte \(offset - length) is not UTF-8")
            }
            return text
        }

        mutating func variable() throws -> CT2Variable {
            let name = try string("a variable name")
            let rank = Int(try u8("the rank of \(name)"))
            guard rank <= 8 else { throw corrupt("variable \(name) has rank \(rank)") }
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(Int(try u32("the shape of \(name)"))) }
            let code = try u8("the type of \(name)")
            guard let type = CT2DataType(rawValue: code) else {
                throw corrupt("variable \(name) has unknown type code \(code)")
            }
            let byteCount = Int(try u32("the size of \(name)"))
            let elements = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
            guard elements * type.itemSize == byteCount else {
                throw corrupt(
                    "variable \(name) declares \(byteCount) bytes but its shape \(shape) of \(type.name) needs \(elements * type.itemSize)")
            }
            let start = offset
            _ = try take(byteCount, "the data of \(name)")
            return CT2Variable(name: name, shape: shape, dataType: type, offset: start, byteCount: byteCount)
        }
    }
}
