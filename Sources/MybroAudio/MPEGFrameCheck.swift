/// Tells a real MPEG audio stream (MP3, MP2) from other bytes that contain a frame sync.
///
/// libsndfile gives any stream its other probes reject to libmpg123, which accepts the
/// first thing that looks like a frame header anywhere near the start: plain PCM beginning
/// with the sample -1 (bytes FF FF) passes. A real stream starts with an ID3 tag, or with
/// a valid frame header followed, one frame length later, by another of the same kind.
/// Tables: ISO/IEC 11172-3 and 13818-3 (bit rates in kbit/s, sample rates in Hz).
enum MPEGFrameCheck {
    struct Header: Equatable {
        var version: Int  // 1 = MPEG-1, 2 = MPEG-2, 25 = MPEG-2.5
        var layer: Int
        var sampleRate: Int
        var length: Int
    }

    private static let bitRates: [[Int]] = [
        [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],  // MPEG-1 layer I
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],  // MPEG-1 layer II
        [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],  // MPEG-1 layer III
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],  // MPEG-2/2.5 layer I
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],  // MPEG-2/2.5 layers II, III
    ]

    /// The frame header at `offset`, if the four bytes there are a valid one (free-format
    /// frames, bit-rate index 0, are not accepted: they are rare and cannot be measured).
    static func header(in bytes: [UInt8], at offset: Int) -> Header? {
        guard offset + 4 <= bytes.count, bytes[offset] == 0xFF, bytes[offset + 1] & 0xE0 == 0xE0 else { return nil }
        let versionBits = (bytes[offset + 1] >> 3) & 3
        let layerBits = (bytes[offset + 1] >> 1) & 3
        let bitRateIndex = Int(bytes[offset + 2] >> 4)
        let rateIndex = Int((bytes[offset + 2] >> 2) & 3)
        let padding = Int((bytes[offset + 2] >> 1) & 1)
        guard versionBits != 1, layerBits != 0, bitRateIndex != 0, bitRateIndex != 15, rateIndex != 3 else {
            return nil
        }
        let version = versionBits == 3 ? 1 : (versionBits == 2 ? 2 : 25)
        let layer = 4 - Int(layerBits)
        let baseRates = [44_100, 48_000, 32_000]
        let sampleRate = baseRates[rateIndex] / (version == 1 ? 1 : (version == 2 ? 2 : 4))
        let table = version == 1 ? layer - 1 : (layer == 1 ? 3 : 4)
        let bitRate = bitRates[table][bitRateIndex] * 1000
        let length: Int
        switch layer {
        case 1: length = (12 * bitRate / sampleRate + padding) * 4
        case 3 where version != 1: length = 72 * bitRate / sampleRate + padding
        default: length = 144 * bitRate / sampleRate + padding
        }
        return Header(version: version, layer: layer, sampleRate: sampleRate, length: length)
    }

    /// True when `head` (the first few kilobytes of a stream) starts like real MPEG audio.
    static func startsLikeMPEG(_ head: [UInt8]) -> Bool {
        if head.starts(with: Array("ID3".utf8)) { return true }
        guard let first = header(in: head, at: 0), first.length >= 4 else { return false }
        // A stream shorter than two frames has only the one header to go on.
        if first.length + 4 > head.count { return true }
        guard let second = header(in: head, at: first.length) else { return false }
        return second.version == first.version && second.layer == first.layer && second.sampleRate == first.sampleRate
    }
}
