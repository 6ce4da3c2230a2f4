import CZlib
import Dispatch
import Foundation
import MybroCore
import Synchronization

/// The `CHECKSUMS` file that `scripts/setup-model.sh` writes beside a model: one line
/// `crc32 HEX SIZE FILE` per file (zlib's CRC-32, as python3's `zlib.crc32` computes it).
/// Loading a model verifies every file listed, so flipped bytes in the weights give status 65
/// and the way out instead of a transcript of garbage. A model without the file is loaded
/// unverified (the decoder's NaN check still catches much).
public enum ModelChecksums {
    public static let fileName = "CHECKSUMS"

    public struct Entry: Equatable, Sendable {
        public var file: String
        public var crc: UInt32
        public var size: Int
    }

    /// The entries of `directory/CHECKSUMS`, or nil when there is none.
    public static func entries(in directory: String) throws -> [Entry]? {
        let path = directory + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw corrupt(path, "unreadable") }
        var entries: [Entry] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 4, fields[0] == "crc32", let crc = UInt32(fields[1], radix: 16),
                let size = Int(fields[2]), !fields[3].contains("/")
            else { throw corrupt(path, "a line is not \"crc32 HEX SIZE FILE\"") }
            entries.append(Entry(file: String(fields[3]), crc: crc, size: size))
        }
        return entries
    }

    /// Checks every file `CHECKSUMS` lists; throws the "model file is corrupt" error (65).
    public static func verify(directory: String) throws {
        guard let entries = try entries(in: directory) else { return }
        for entry in entries {
            let path = directory + "/" + entry.file
            guard let (crc, size) = crc32(path: path) else { throw corrupt(path, "unreadable") }
            if size != entry.size { throw corrupt(path, "\(size) bytes, \(fileName) says \(entry.size)") }
            if crc != entry.crc {
                throw corrupt(
                    path, "CRC-32 \(hex(crc)), \(fileName) says \(hex(entry.crc))")
            }
        }
    }

    /// The CRC-32 and size of a file, computed in parallel slices joined with `crc32_combine`.
    public static func crc32(path: String) -> (crc: UInt32, size: Int)? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        if size == 0 { return (0, 0) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else { return nil }
        defer { munmap(mapped, size) }
        return (crc32(UnsafeRawBufferPointer(start: mapped, count: size)), size)
    }

    /// The CRC-32 of `bytes`, in parallel slices of at least 4 MB.
    public static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return 0 }
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let slices = max(1, min(cores, bytes.count / (4 << 20)))
        let length = (bytes.count + slices - 1) / slices
        let results = Mutex<[UInt]>([UInt](repeating: 0, count: slices))
        // The mapping outlives the loop, which only reads it: its address crosses threads as a number.
        let address = UInt(bitPattern: base)
        let total = bytes.count
        DispatchQueue.concurrentPerform(iterations: slices) { index in
            let start = index * length
            let count = min(length, total - start)
            let crc = CZlib.crc32_z(0, UnsafePointer<UInt8>(bitPattern: address)! + start, count)
            results.withLock { $0[index] = crc }
        }
        let parts = results.withLock { $0 }
        var crc = parts[0]
        for index in 1..<slices {
            let count = min(length, bytes.count - index * length)
            crc = CZlib.crc32_combine(crc, parts[index], off_t(count))
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// The error for corrupt model files, naming the fix.
    public static func corrupt(_ path: String, _ detail: String) -> MybroError {
        MybroError("model file is corrupt: run make setup-model (\(path): \(detail))", status: .dataError)
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
