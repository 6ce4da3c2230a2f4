import CZlib
import Foundation
import MybroCore

/// Keeps the all-padding states on disk (`${XDG_CACHE_HOME:-~/.cache}/mybro/`), so only the
/// first run with a model pays the full encoder pass that computes them. The cache is an
/// optimisation: any problem reading or writing it just means computing the states again.
///
/// Layout: "MYBROPAD", u32 version, u32 CRC-32 of the payload, u64 fingerprint of the model
/// (its identity with the CRC-32 of its weights when CHECKSUMS lists it, and its
/// architecture), then the float32 arrays. A file of the right size with flipped bytes, or
/// one computed by another model, is rejected and computed again.
enum PaddingCacheStore {
    static let magic = Array("MYBROPAD".utf8)
    static let version: UInt32 = 2
    static let headerBytes = magic.count + 4 + 4 + 8

    /// The cache file for a model, or nil when the model has no on-disk identity.
    static func path(
        for model: WhisperModel,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        guard !model.identity.isEmpty else { return nil }
        return XDGDirectories.mybro(.cache, environment: environment) + "/whisper-padding-"
            + String(fingerprint(of: model), radix: 16) + ".bin"
    }

    /// FNV-1a of the model's identity and architecture.
    static func fingerprint(of model: WhisperModel) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in (model.identity + "|\(model.architecture)").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The CRC-32 of the arrays in file order.
    static func checksum(_ arrays: [[Float]]) -> UInt32 {
        var crc: UInt = 0
        for array in arrays {
            let part = array.withUnsafeBytes { ModelChecksums.crc32($0) }
            crc = CZlib.crc32_combine(crc, UInt(part), off_t(array.count * 4))
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    static func counts(_ a: WhisperArchitecture) -> (perLayer: Int, cross: Int, total: Int) {
        let perLayer = a.audioContext * a.modelWidth
        let cross = a.audioContext * 2 * a.modelWidth
        return (perLayer, cross, perLayer * (2 * a.encoderLayers + 1) + cross * a.decoderLayers)
    }

    /// Reads the arrays straight from the file (no intermediate copy of its 39 MB).
    static func load(path: String, architecture a: WhisperArchitecture, fingerprint: UInt64) -> PaddingCache? {
        let (perLayer, cross, total) = counts(a)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        let header = headerBytes
        guard fstat(fd, &info) == 0, Int(info.st_size) == header + total * 4 else { return nil }
        var head = [UInt8](repeating: 0, count: header)
        guard read(fd, &head, header) == header, Array(head.prefix(magic.count)) == magic,
            head.withUnsafeBytes({ $0.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self) }) == version,
            head.withUnsafeBytes({ $0.loadUnaligned(fromByteOffset: magic.count + 8, as: UInt64.self) })
                == fingerprint
        else { return nil }
        let expectedChecksum = head.withUnsafeBytes {
            $0.loadUnaligned(fromByteOffset: magic.count + 4, as: UInt32.self)
        }
        var failed = false
        func take(_ count: Int) -> [Float] {
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                var done = 0
                let bytes = count * 4
                let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
                while done < bytes {
                    let n = read(fd, raw + done, bytes - done)
                    if n <= 0 {
                        if n < 0 && errno == EINTR { continue }
                        failed = true
                        memset(raw + done, 0, bytes - done)
                        break
                    }
                    done += n
                }
                initialized = count
            }
        }
        let keys = (0..<a.encoderLayers).map { _ in take(perLayer) }
        let values = (0..<a.encoderLayers).map { _ in take(perLayer) }
        let output = take(perLayer)
        let crossKeyValues = (0..<a.decoderLayers).map { _ in take(cross) }
        if failed || checksum(keys + values + [output] + crossKeyValues) != expectedChecksum { return nil }
        return PaddingCache(
            keys: keys, values: values, output: output, crossKeyValues: crossKeyValues,
            positions: a.audioContext)
    }

    /// Writes atomically (a temporary file renamed into place); returns whether it worked.
    @discardableResult
    static func save(_ cache: PaddingCache, path: String, fingerprint: UInt64) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil
        else { return false }
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return false }
        func write(_ raw: UnsafeRawBufferPointer) -> Bool {
            var done = 0
            while done < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        let arrays = cache.keys + cache.values + [cache.output] + cache.crossKeyValues
        let crc = checksum(arrays)
        var ok =
            magic.withUnsafeBytes { write($0) } && withUnsafeBytes(of: version) { write($0) }
            && withUnsafeBytes(of: crc) { write($0) } && withUnsafeBytes(of: fingerprint) { write($0) }
        for array in arrays where ok {
            ok = array.withUnsafeBytes { write($0) }
        }
        close(fd)
        if !ok || rename(temporary, path) != 0 {
            unlink(temporary)
            return false
        }
        return true
    }
}
