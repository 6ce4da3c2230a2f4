/// The encoder's states for a window that is all padding, computed once per model.
///
/// faster-whisper pads every window to 30 s with zero features. The padding rows of the
/// first layer are the same for every input (their features are constant), and in later
/// layers they change little with the content. Reusing these states lets a short clip run
/// the encoder on its own rows only, attending to the cached padding keys and values, instead
/// of paying for 30 s. It is an approximation: its effect on the transcripts is measured by
/// Benchmarks/transcribe/evaluate.py (default against --full-window).
public struct PaddingCache: Sendable {
    /// Per encoder layer: `[positions × d]` keys and values of the all-padding window.
    var keys: [[Float]]
    var values: [[Float]]
    /// `[positions × d]`: the encoder output of the all-padding window.
    var output: [Float]
    /// Per decoder layer: `[positions × 2d]` cross-attention keys and values of `output`.
    var crossKeyValues: [[Float]]
    var positions: Int
}
