import Foundation
import MybroCore

/// Keeps the all-padding states on disk (`${XDG_CACHE_HOME:-~/.cache}/mybro/`), so only the
/// first run with a model pays the full encoder pass that computes them. The cache is an
/// optimisation: any problem reading or writing it just means computing the states again.
enum PaddingCacheStore {
    static let magic = Array("MYBROPAD".utf8)
    static let version: UInt32 = 1

    /// The cache file for a model, or nil when the model has no on-disk identity.
    static func path(
        for model: WhisperModel,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        guard !model.identity.isEmpty else { return nil }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for byte in (model.identity + "|\(model.architecture)").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return XDGDirectories.mybro(.cache, environment: environment) + "/whisper-padding-" + String(hash, radix: 16)
            + ".bin"
    }

    static func counts(_ a: WhisperArchitecture) -> (perLayer: Int, cross: Int, total: Int) {
        let perLayer = a.audioContext * a.modelWidth
        let cross = a.audioContext * 2 * a.modelWidth
        return (perLayer, cross, perLayer * (2 * a.encoderLayers + 1) + cross * a.decoderLayers)
    }

    /// Reads the arrays straight from the file (no intermediate copy of its 39 MB).
    static func load(path: String, architecture a: WhisperArchitecture) -> PaddingCache? {
        let (perLayer, cross, total) = counts(a)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        let header = magic.count + 4
        guard fstat(fd, &info) == 0, Int(info.st_size) == header + total * 4 else { return nil }
        var head = [UInt8](repeating: 0, count: header)
        guard read(fd, &head, header) == header, Array(head.prefix(magic.count)) == magic,
            head.withUnsafeBytes({ $0.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self) }) == version
        else { return nil }
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
        if failed { return nil }
        return PaddingCache(
            keys: keys, values: values, output: output, crossKeyValues: crossKeyValues,
            positions: a.audioContext)
    }

    /// Writes atomically (a temporary file renamed into place); returns whether it worked.
    @discardableResult
    static func save(_ cache: PaddingCache, path: String) -> Bool {
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
        var ok = magic.withUnsafeBytes { write($0) } && withUnsafeBytes(of: version) { write($0) }
        for array in cache.keys + cache.values + [cache.output] + cache.crossKeyValues where ok {
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
