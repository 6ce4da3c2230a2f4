import Foundation

/// Keeps the all-padding states on disk (`${XDG_CACHE_HOME:-~/.cache}/mybro/`), so only the
/// first run with a model pays the full encoder pass that computes them. The cache is an
/// optimisation: any problem reading or writing it just means computing the states again.
enum PaddingCacheStore {
    static let magic = Array("MYBROPAD".utf8)
    static let version: UInt32 = 1

    /// The cache file for a model, or nil when the model has no on-disk identity.
    static func path(for model: WhisperModel,
                     environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard !model.identity.isEmpty else { return nil }
        let base: String
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            base = xdg
        } else if let home = environment["HOME"], !home.isEmpty {
            base = home + "/.cache"
        } else {
            return nil
        }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for byte in (model.identity + "|\(model.architecture)").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return base + "/mybro/whisper-padding-" + String(hash, radix: 16) + ".bin"
    }

    static func counts(_ a: WhisperArchitecture) -> (perLayer: Int, cross: Int, total: Int) {
        let perLayer = a.audioContext * a.modelWidth
        let cross = a.audioContext * 2 * a.modelWidth
        return (perLayer, cross, perLayer * (2 * a.encoderLayers + 1) + cross * a.decoderLayers)
    }

    static func load(path: String, architecture a: WhisperArchitecture) -> PaddingCache? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let (perLayer, cross, total) = counts(a)
        let header = magic.count + 4
        guard data.count == header + total * 4, Array(data.prefix(magic.count)) == magic else { return nil }
        return data.withUnsafeBytes { raw -> PaddingCache? in
            guard raw.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self) == version else { return nil }
            var offset = header
            func take(_ count: Int) -> [Float] {
                defer { offset += count * 4 }
                return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    memcpy(buffer.baseAddress!, raw.baseAddress! + offset, count * 4)
                    initialized = count
                }
            }
            let keys = (0..<a.encoderLayers).map { _ in take(perLayer) }
            let values = (0..<a.encoderLayers).map { _ in take(perLayer) }
            let output = take(perLayer)
            let crossKeyValues = (0..<a.decoderLayers).map { _ in take(cross) }
            return PaddingCache(keys: keys, values: values, output: output, crossKeyValues: crossKeyValues,
                                positions: a.audioContext)
        }
    }

    /// Writes atomically (a temporary file renamed into place); returns whether it worked.
    @discardableResult
    static func save(_ cache: PaddingCache, path: String) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil
        else { return false }
        var data = Data(magic)
        withUnsafeBytes(of: version) { data.append(contentsOf: $0) }
        for array in cache.keys + cache.values + [cache.output] + cache.crossKeyValues {
            array.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        let temporary = path + ".\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return false }
        if rename(temporary, path) != 0 {
            unlink(temporary)
            return false
        }
        return true
    }
}
