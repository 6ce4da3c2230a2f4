import CMybroBench
import Foundation
import MybroCore
import MybroKernels

/// Sequential read speed of the disk under a folder: a file written and synced there, dropped
/// from the page cache before each timed read (posix_fadvise DONTNEED), then read in 1 MiB blocks.
public enum DiskRead {
    static let filePrefix = "mybro-bench-disk-"

    public static func measure(directory: String, bytes: Int, repetitions: Int) throws(MybroError) -> Measurement {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw MybroError(
                "cannot create \(directory) for the disk test: \(error.localizedDescription)", status: .ioError)
        }
        removeStaleFiles(in: directory)
        let path = "\(directory)/\(filePrefix)\(getpid())"
        defer { unlink(path) }
        try writeFile(path, bytes: bytes)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open \(path)", errno) }
        defer { close(fd) }
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { block.deallocate() }
        var samples: [Double] = []
        var cached = false
        for _ in 0..<repetitions {
            // A folder on tmpfs (or a cache that ignores the advice) reads from memory: said in the record.
            if posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0 { cached = true }
            let start = Signals.monotonicSeconds()
            var offset = 0
            while offset < bytes {
                let got = pread(fd, block.baseAddress, block.count, off_t(offset))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { throw failure("cannot read \(path)", errno) }
                offset += got
            }
            samples.append(Double(bytes) / (Signals.monotonicSeconds() - start) / 1e9)
        }
        let filesystem = filesystemType(directory)
        if filesystem == "tmpfs" { cached = true }
        return Measurement(
            name: "disk.read", unit: "GB/s", better: .higher, samples: samples,
            context: JSONObject([
                "path": .string(directory), "bytes": .number(Double(bytes)), "filesystem": .string(filesystem),
                "from_memory": .bool(cached),
            ]))
    }

    static func writeFile(_ path: String, bytes: Int) throws(MybroError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("cannot create \(path)", errno) }
        defer { close(fd) }
        // Random-looking data: a compressing or deduplicating filesystem must still read it all.
        var block = [UInt64](repeating: 0, count: (1 << 20) / 8)
        var generator = BenchGenerator(state: 0x9E37_79B9_7F4A_7C15)
        var written = 0
        while written < bytes {
            for index in block.indices { block[index] = generator.next() }
            let count = min(block.count * 8, bytes - written)
            let error = block.withUnsafeBytes { SystemIO.writeAll(fd, UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            guard error == 0 else { throw failure("cannot write \(path) (is the disk full?)", error) }
            written += count
        }
        guard fsync(fd) == 0 else { throw failure("cannot sync \(path)", errno) }
    }

    /// Files left by a run that was killed (their process is gone).
    static func removeStaleFiles(in directory: String) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where entry.hasPrefix(filePrefix) {
            guard let pid = Int32(entry.dropFirst(filePrefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink("\(directory)/\(entry)") }
        }
    }

    static func filesystemType(_ directory: String) -> String {
        let type = mybro_filesystem_type(directory)
        guard type >= 0 else { return "unknown" }
        switch type {
        case 0x0102_1994: return "tmpfs"
        case 0xEF53: return "ext4"
        case 0x5846_5342: return "xfs"
        case 0x9123_683E: return "btrfs"
        case 0x794C_7630: return "overlayfs"
        case 0x2FC1_2FC1: return "zfs"
        case 0x6969: return "nfs"
        default: return String(format: "0x%llx", type)
        }
    }

    static func failure(_ what: String, _ code: Int32) -> MybroError {
        MybroError("\(what): \(String(cString: strerror(code)))", status: .ioError)
    }
}
