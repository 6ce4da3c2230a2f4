/// Layer-norm parameters.
public struct LayerNormWeights: Sendable {
    public var gamma: [Float]
    public var beta: [Float]
}

/// A linear layer, y = x·Wᵀ + b, with `weight` row-major `[outputs × inputs]`.
///
/// The decoder's layers keep a file's float16 weights as they are (`half`, and `weight` is
/// empty): its per-token products are memory-bound, so reading half as many bytes halves
/// their cost, and the values are exactly the file's.
public struct LinearWeights: Sendable {
    public var weight: [Float]
    public var half: [UInt16] = []
    public var bias: [Float]
    public var outputs: Int
    public var inputs: Int
}

/// One pre-norm transformer block; `cross` only in the decoder.
public struct TransformerLayerWeights: Sendable {
    public var attentionNorm: LayerNormWeights
    /// Query, key and value projections stacked along the outputs (3·d rows).
    public var attentionQKV: LinearWeights
    public var attentionOut: LinearWeights
    public var cross: CrossAttentionWeights?
    public var feedForwardNorm: LayerNormWeights
    public var feedForwardIn: LinearWeights
    public var feedForwardOut: LinearWeights
}

/// The decoder's attention over the encoder output.
public struct CrossAttentionWeights: Sendable {
    public var norm: LayerNormWeights
    public var query: LinearWeights
    /// Key and value projections stacked along the outputs (2·d rows).
    public var keyValue: LinearWeights
    public var out: LinearWeights
}

/// Every weight of a Whisper model as float32, immutable and shared by all transcriptions.
public struct WhisperWeights: Sendable {
    public var architecture: WhisperArchitecture
    /// `[d × melBins × 3]`, as `[d × (melBins·3)]` rows.
    public var conv1: LinearWeights
    /// `[d × d × 3]`, as `[d × (d·3)]` rows.
    public var conv2: LinearWeights
    public var encoderPositions: [Float]
    public var encoderLayers: [TransformerLayerWeights]
    public var encoderNorm: LayerNormWeights
    /// `[vocabulary × d]`: token embeddings, also the output projection (tied); as float16
    /// in `tokenEmbeddingsHalf` instead when the file stores them so (then this is empty).
    public var tokenEmbeddings: [Float]
    public var tokenEmbeddingsHalf: [UInt16] = []
    public var decoderPositions: [Float]
    public var decoderLayers: [TransformerLayerWeights]
    public var decoderNorm: LayerNormWeights
}
