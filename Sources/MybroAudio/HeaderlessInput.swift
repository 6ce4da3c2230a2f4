/// Decides what a stream that libsndfile did not recognise is.
///
/// mybro's own stream is headerless 16 kHz mono PCM (what `mybro-say --output -` writes),
/// so such input is read as that, unless it starts like a container libsndfile should have
/// read (then it is damaged) or like text (then it is not audio at all).
enum HeaderlessInput: Equatable {
    case rawPCM
    case damagedContainer(String)
    case text

    static func classify(_ head: [UInt8]) -> HeaderlessInput {
        func starts(_ magic: String) -> Bool { head.starts(with: Array(magic.utf8)) }
        let containers = [
            ("RIFF", "WAV"), ("RF64", "RF64 WAV"), ("FORM", "AIFF"), ("fLaC", "FLAC"), ("OggS", "Ogg"),
            ("ID3", "MP3"), (".snd", "AU"), ("caff", "CAF"), ("wvpk", "WavPack"),
        ]
        if let (_, name) = containers.first(where: { starts($0.0) }) { return .damagedContainer(name) }
        let printable = head.prefix(256).allSatisfy {
            $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || (0x20...0x7E).contains($0)
        }
        if head.count >= 2 && printable { return .text }
        return .rawPCM
    }
}
