/// The Whisper models `route --transcribe` knows, with their published parameter counts
/// (OpenAI's whisper README, "Available models and languages": tiny 39 M, base 74 M, small 244 M,
/// medium 769 M, large 1550 M; the English-only variants have the same sizes, and large-v2 and
/// large-v3 share large's architecture).
public enum WhisperModels {
    public static let parameters: [(name: String, count: Double)] = [
        ("tiny", 39e6), ("tiny.en", 39e6), ("base", 74e6), ("base.en", 74e6), ("small", 244e6),
        ("small.en", 244e6), ("medium", 769e6), ("medium.en", 769e6), ("large-v2", 1550e6), ("large-v3", 1550e6),
    ]

    public static var names: [String] { parameters.map(\.name) }

    /// The parameter count of `name`, which may carry mybro's `whisper-` prefix (a model folder's name).
    public static func parameterCount(_ name: String) -> Double? {
        let bare = canonicalName(name)
        return parameters.first { $0.name == bare }?.count
    }

    /// `whisper-tiny.en` and `tiny.en` name the same model; so does a path ending in either.
    public static func canonicalName(_ name: String) -> String {
        var bare = Substring(name.split(separator: "/").last ?? Substring(name))
        if bare.hasPrefix("whisper-") { bare = bare.dropFirst("whisper-".count) }
        return bare.lowercased()
    }

    // How much work one second of audio is, counted from the parameter count P (the encoder and
    // the decoder each hold about half of it):
    // - the encoder turns each 30 s window into 1500 frames: 2 flop per encoder parameter per frame,
    //   2 · P/2 · 1500 / 30 = 50 P flop per audio second;
    // - the decoder writes about 3.3 tokens per second of speech (150 words a minute at about 1.3
    //   tokens a word): 2 · P/2 · 3.3 ≈ 3.3 P flop, and it reads its half of the weights (fp32)
    //   once per token: 4 · P/2 · 3.3 ≈ 6.6 P bytes, which dwarfs the encoder's one read per window.
    /// Floating-point operations per second of audio.
    public static func flopsPerAudioSecond(parameters: Double) -> Double { 53.3 * parameters }

    /// Bytes of weights read per second of audio (fp32, the decoder's reads dominating).
    public static func bytesPerAudioSecond(parameters: Double) -> Double { 6.7 * parameters }

    /// Memory while transcribing: fp32 weights here (4 bytes a parameter) plus half a gigabyte of
    /// audio, features and decoder state.
    public static func localMemoryBytes(parameters: Double) -> Double { 4 * parameters + 0.5e9 }

    /// Memory on a GPU: fp16 weights (2 bytes a parameter) plus a gigabyte for batched activations.
    public static func gpuMemoryBytes(parameters: Double) -> Double { 2 * parameters + 1e9 }
}
