/// Tells text from audio and other binary data at the start of a stream that should carry
/// JSON Lines or text, so that a WAV piped into `mybro-intent` is refused with a pointer to
/// the right command instead of becoming a dozen garbage intents.
///
/// JSON Lines never contain a NUL byte, nor control characters other than tab, CR and LF
/// (JSON escapes them), and text is UTF-8; audio, raw PCM included, is full of all three.
public enum BinaryInputCheck {
    /// How many bytes of the stream's start are examined.
    public static let sampleBytes = 4096

    /// What the bytes look like when they are not text ("audio (a WAV file)"), or nil for text.
    public static func describe(_ head: some Collection<UInt8>) -> String? {
        let bytes = Array(head.prefix(sampleBytes))
        guard !bytes.isEmpty else { return nil }
        func starts(_ magic: String, at offset: Int = 0) -> Bool {
            let magic = Array(magic.utf8)
            return bytes.count >= offset + magic.count && Array(bytes[offset..<offset + magic.count]) == magic
        }
        if starts("RIFF") && starts("WAVE", at: 8) { return "audio (a WAV file)" }
        for (magic, name) in [
            ("RF64", "a WAV file"), ("FORM", "an AIFF file"), ("fLaC", "a FLAC file"), ("OggS", "an Ogg file"),
            ("ID3", "an MP3 file"), (".snd", "an AU file"), ("caff", "a CAF file"),
        ] where starts(magic) {
            return "audio (\(name))"
        }
        if bytes.contains(0) { return "binary data (raw audio?)" }
        // Count control characters and bytes that are not valid UTF-8; a multi-byte character
        // cut off by the end of the sample is not held against the text.
        var suspicious = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x09, 0x0A, 0x0C, 0x0D, 0x1B, 0x20...0x7E: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            if length == 0 {
                suspicious += 1
                index += 1
                continue
            }
            if index + length > bytes.count { break }
            if bytes[index + 1..<index + length].allSatisfy({ $0 & 0xC0 == 0x80 }) {
                index += length
            } else {
                suspicious += 1
                index += 1
            }
        }
        // Text with a stray control character or a few Latin-1 bytes passes; audio is far above.
        if suspicious * 10 > bytes.count && suspicious >= 4 { return "binary data (raw audio?)" }
        return nil
    }

    /// What a command that reads records should say when its stdin is not text: which command
    /// reads that kind of data, or what to pipe it through first.
    public static func advice(for tool: String) -> String {
        switch tool {
        case "mybro-intent":
            return "mybro-intent reads transcript records or text lines; "
                + "pipe audio through mybro-vad | mybro-transcribe first"
        case "mybro-say":
            return "mybro-say reads text lines and say records; play audio with "
                + "aplay -t raw -f S16_LE -r 16000 -c 1 (or convert it with mybro-capture --input -)"
        case "mybro-exec":
            return "mybro-exec reads intent records; "
                + "pipe audio through mybro-vad | mybro-transcribe | mybro-intent first"
        case "mybro-transcribe":
            return "mybro-transcribe reads mybro-vad's records on stdin; "
                + "pipe audio through mybro-vad first, or give --raw"
        default:
            return "\(tool) reads JSON Lines records"
        }
    }
}
