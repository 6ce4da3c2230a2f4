/// The toolkit's audio stream: headerless PCM, signed 16-bit little-endian, mono, 16 kHz —
/// byte compatible with `arecord -t raw -f S16_LE -r 16000 -c 1` and `sox -t raw`.
public enum CanonicalAudio {
    public static let sampleRate = 16_000
    public static let channels = 1
    public static let bytesPerSample = 2
    public static let description = "16 kHz mono signed 16-bit little-endian PCM"
}

/// A RIFF/WAVE header for 16-bit PCM.
public enum WAVHeader {
    /// The size fields a streaming writer uses when the length is not known yet.
    public static let unknownSize: UInt32 = 0xFFFF_FFFF

    /// A 44-byte header; `dataBytes` nil means "streaming, length unknown".
    public static func make(sampleRate: Int, channels: Int, dataBytes: Int?) -> [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(44)
        func append(_ text: String) { header.append(contentsOf: Array(text.utf8)) }
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        func append16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        let data = dataBytes.map { UInt32(clamping: $0) } ?? unknownSize
        append("RIFF")
        append32(dataBytes == nil ? unknownSize : data &+ 36)
        append("WAVE")
        append("fmt ")
        append32(16)
        append16(1)  // PCM
        append16(UInt16(channels))
        append32(UInt32(sampleRate))
        append32(UInt32(sampleRate * channels * 2))
        append16(UInt16(channels * 2))
        append16(16)
        append("data")
        append32(data)
        return header
    }
}
