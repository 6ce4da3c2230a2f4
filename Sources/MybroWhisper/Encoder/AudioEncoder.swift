/// Whisper's audio encoder: two convolutions (the second with stride 2) with GELU, fixed
/// sinusoidal positions, pre-norm transformer blocks, and a final layer norm.
///
/// Convolutions run as one matrix product each over an im2col copy of their input, and
/// every other product goes to BLAS too.
public final class AudioEncoder: @unchecked Sendable {
    let weights: WhisperWeights

    public init(weights: WhisperWeights) { self.weights = weights }

    /// Encodes `windowFrames` mel frames (even, at most 2 × audio context) taken from
    /// `features` (`[bins × featureStride]`), of which the first `contentFrames` are used and
    /// the rest are zeros, as faster-whisper pads. Returns `[windowFrames/2 × d]`.
    public func encode(
        features: UnsafePointer<Float>, featureStride: Int, contentFrames: Int,
        windowFrames: Int
    ) -> [Float] {
        run(
            features: features, featureStride: featureStride, contentFrames: contentFrames,
            positions: windowFrames / 2, computed: windowFrames / 2, cache: nil
        ).output
    }

    /// Encodes a full window computing only the first `computed` positions; the others,
    /// and the keys/values they contribute, come from `cache`.
    ///
    /// With `sampleStride` > 0, every `sampleStride`-th position beyond them (and the last) is
    /// computed too, and the other padding positions get the cached states plus the change
    /// that the content made at the nearest computed positions on either side, interpolated
    /// linearly (`PaddingInterpolation`). The content changes every padding position's states
    /// (each attends to the content), and for short clips most of the window is padding.
    func encode(
        features: UnsafePointer<Float>, featureStride: Int, contentFrames: Int,
        computed: Int, cache: PaddingCache, sampleStride: Int = 0
    ) -> [Float] {
        run(
            features: features, featureStride: featureStride, contentFrames: contentFrames,
            positions: cache.positions, computed: computed, cache: cache, sampleStride: sampleStride
        ).output
    }

    /// The states of an all-padding window (without the decoder's part).
    func paddingStates() -> PaddingCache {
        let a = weights.architecture
        let zeros = [Float](repeating: 0, count: a.melBins)
        let result = zeros.withUnsafeBufferPointer {
            run(
                features: $0.baseAddress!, featureStride: 1, contentFrames: 0, positions: a.audioContext,
                computed: a.audioContext, cache: nil, record: true)
        }
        return PaddingCache(
            keys: result.keys, values: result.values, output: result.output, crossKeyValues: [],
            positions: a.audioContext)
    }

    private func run(
        features: UnsafePointer<Float>, featureStride: Int, contentFrames: Int, positions: Int,
        computed: Int, cache: PaddingCache?, record: Bool = false, sampleStride: Int = 0
    )
        -> (output: [Float], keys: [[Float]], values: [[Float]])
    {
        let a = weights.architecture
        let d = a.modelWidth, bins = a.melBins
        let frames = 2 * computed

        // conv1 (kernel 3, padding 1): cols[t][c·3 + k] = x[c][t + k − 1]
        var columns = [Float](repeating: 0, count: frames * bins * 3)
        columns.withUnsafeMutableBufferPointer { cols in
            for channel in 0..<bins {
                let row = features + channel * featureStride
                for k in 0..<3 {
                    let offset = k - 1
                    let upper = min(frames, contentFrames - offset)
                    let lower = max(0, -offset)
                    guard upper > lower else { continue }
                    for t in lower..<upper {
                        cols[t * bins * 3 + channel * 3 + k] = row[t + offset]
                    }
                }
            }
        }
        var hidden1 = [Float](repeating: 0, count: frames * d)
        columns.withUnsafeBufferPointer { cols in
            hidden1.withUnsafeMutableBufferPointer { out in
                weights.conv1.apply(cols.baseAddress!, rows: frames, into: out.baseAddress!)
                VectorKernels.gelu(out.baseAddress!, count: out.count)
            }
        }
        // conv2 (kernel 3, stride 2, padding 1): cols[t][c·3 + k] = h[2t + k − 1][c]
        columns = [Float](repeating: 0, count: computed * d * 3)
        columns.withUnsafeMutableBufferPointer { cols in
            hidden1.withUnsafeBufferPointer { h in
                for t in 0..<computed {
                    for k in 0..<3 {
                        let source = 2 * t + k - 1
                        guard source >= 0 && source < frames else { continue }
                        let from = h.baseAddress! + source * d
                        let to = cols.baseAddress! + t * d * 3 + k
                        for channel in 0..<d { to[channel * 3] = from[channel] }
                    }
                }
            }
        }
        var hidden = [Float](repeating: 0, count: computed * d)
        columns.withUnsafeBufferPointer { cols in
            hidden.withUnsafeMutableBufferPointer { out in
                weights.conv2.apply(cols.baseAddress!, rows: computed, into: out.baseAddress!)
                VectorKernels.gelu(out.baseAddress!, count: out.count)
                weights.encoderPositions.withUnsafeBufferPointer { p in
                    VectorKernels.add(p.baseAddress!, to: out.baseAddress!, count: computed * d)
                }
            }
        }
        columns = []
        hidden1 = []

        // sampled padding positions: their rows follow the contiguous ones in `hidden`
        let (samples, anchors) =
            cache == nil
            ? ([], [])
            : PaddingInterpolation.plan(
                computed: computed, contentFrames: contentFrames, positions: positions, stride: sampleStride)
        if !samples.isEmpty {
            // a padding row's convolution output is the same at every deep padding position
            var padRow = Array(hidden[((computed - 1) * d)..<(computed * d)])
            weights.encoderPositions.withUnsafeBufferPointer { p in
                for c in 0..<d { padRow[c] -= p[(computed - 1) * d + c] }
                for position in samples {
                    for c in 0..<d { hidden.append(padRow[c] + p[position * d + c]) }
                }
            }
        }
        let rows = computed + samples.count

        var workspace = EncoderWorkspace(computed: rows, positions: positions, architecture: a)
        workspace.contiguous = computed
        workspace.samples = samples
        workspace.anchors = anchors
        var recordedKeys: [[Float]] = []
        var recordedValues: [[Float]] = []
        var output = [Float](repeating: 0, count: positions * d)
        hidden.withUnsafeMutableBufferPointer { h in
            for (index, layer) in weights.encoderLayers.enumerated() {
                workspace.block(
                    layer, hidden: h.baseAddress!, cachedKeys: cache?.keys[index],
                    cachedValues: cache?.values[index], architecture: a)
                if record {
                    recordedKeys.append(workspace.keys)
                    recordedValues.append(workspace.values)
                }
            }
            output.withUnsafeMutableBufferPointer { out in
                VectorKernels.layerNorm(
                    h.baseAddress!, out.baseAddress!, rows: computed, width: d, weights: weights.encoderNorm)
                if let cache, computed < positions {
                    cache.output.withUnsafeBufferPointer { cached in
                        (out.baseAddress! + computed * d).update(
                            from: cached.baseAddress! + computed * d,
                            count: (positions - computed) * d)
                        if !samples.isEmpty {
                            var sampled = [Float](repeating: 0, count: samples.count * d)
                            sampled.withUnsafeMutableBufferPointer {
                                VectorKernels.layerNorm(
                                    h.baseAddress! + computed * d, $0.baseAddress!, rows: samples.count, width: d,
                                    weights: weights.encoderNorm)
                                for (index, position) in samples.enumerated() {
                                    (out.baseAddress! + position * d).update(
                                        from: $0.baseAddress! + index * d, count: d)
                                }
                            }
                            PaddingInterpolation.fill(
                                out.baseAddress!, base: cached.baseAddress!, anchors: anchors, width: d)
                        }
                    }
                }
            }
        }
        return (output, recordedKeys, recordedValues)
    }
}

/// Scratch buffers of one encoder pass, allocated once per pass.
struct EncoderWorkspace {
    let computed: Int
    let positions: Int
    var normed: [Float]
    var qkv: [Float]
    /// `[positions × d]`: keys and values of every position (computed rows first).
    var keys: [Float]
    var values: [Float]
    var attention: [Float]
    var scores: [Float]
    var feedForward: [Float]
    /// Rows `0..<contiguous` are positions `0..<contiguous`; the rest are at `samples`.
    var contiguous = 0
    var samples: [Int] = []
    /// Positions whose states are computed and bound interpolated gaps (see PaddingInterpolation).
    var anchors: [Int] = []

    init(computed: Int, positions: Int, architecture a: WhisperArchitecture) {
        self.computed = computed
        self.positions = positions
        normed = [Float](repeating: 0, count: computed * a.modelWidth)
        qkv = [Float](repeating: 0, count: computed * a.modelWidth * 3)
        keys = [Float](repeating: 0, count: positions * a.modelWidth)
        values = keys
        attention = [Float](repeating: 0, count: computed * a.modelWidth)
        scores = [Float](repeating: 0, count: computed * positions)
        feedForward = [Float](repeating: 0, count: computed * a.feedForwardWidth)
    }

    mutating func block(
        _ layer: TransformerLayerWeights, hidden: UnsafeMutablePointer<Float>,
        cachedKeys: [Float]?, cachedValues: [Float]?, architecture a: WhisperArchitecture
    ) {
        let d = a.modelWidth, headWidth = a.headWidth
        let scale = 1 / Float(headWidth).squareRoot()
        let computed = self.computed, positions = self.positions
        normed.withUnsafeMutableBufferPointer { normed in
            qkv.withUnsafeMutableBufferPointer { qkv in
                keys.withUnsafeMutableBufferPointer { keys in
                    values.withUnsafeMutableBufferPointer { values in
                        VectorKernels.layerNorm(
                            hidden, normed.baseAddress!, rows: computed, width: d, weights: layer.attentionNorm)
                        layer.attentionQKV.apply(normed.baseAddress!, rows: computed, into: qkv.baseAddress!)
                        let contiguous = samples.isEmpty ? computed : self.contiguous
                        for row in 0..<computed {
                            let position = row < contiguous ? row : samples[row - contiguous]
                            (keys.baseAddress! + position * d).update(
                                from: qkv.baseAddress! + row * 3 * d + d, count: d)
                            (values.baseAddress! + position * d).update(
                                from: qkv.baseAddress! + row * 3 * d + 2 * d, count: d)
                        }
                        if contiguous < positions, let cachedKeys, let cachedValues {
                            cachedKeys.withUnsafeBufferPointer { cached in
                                PaddingInterpolation.copyGaps(
                                    keys.baseAddress!, from: cached.baseAddress!, after: contiguous,
                                    positions: positions, samples: samples, width: d)
                                PaddingInterpolation.fill(
                                    keys.baseAddress!, base: cached.baseAddress!, anchors: anchors, width: d)
                            }
                            cachedValues.withUnsafeBufferPointer { cached in
                                PaddingInterpolation.copyGaps(
                                    values.baseAddress!, from: cached.baseAddress!, after: contiguous,
                                    positions: positions, samples: samples, width: d)
                                PaddingInterpolation.fill(
                                    values.baseAddress!, base: cached.baseAddress!, anchors: anchors, width: d)
                            }
                        }
                        attention.withUnsafeMutableBufferPointer { attention in
                            scores.withUnsafeMutableBufferPointer { scores in
                                for head in 0..<a.heads {
                                    let offset = head * headWidth
                                    BLAS.multiplyTransposed(
                                        qkv.baseAddress! + offset, keys.baseAddress! + offset, scores.baseAddress!,
                                        m: computed, n: positions, k: headWidth, lda: 3 * d, ldb: d, alpha: scale)
                                    VectorKernels.softmaxRows(
                                        scores.baseAddress!, rows: computed, columns: positions, stride: positions)
                                    BLAS.multiply(
                                        scores.baseAddress!, values.baseAddress! + offset,
                                        attention.baseAddress! + offset,
                                        m: computed, n: headWidth, k: positions, ldb: d, ldc: d)
                                }
                                layer.attentionOut.apply(
                                    attention.baseAddress!, rows: computed, into: hidden, accumulate: true)
                            }
                        }
                    }
                }
            }
            feedForward.withUnsafeMutableBufferPointer { ff in
                VectorKernels.layerNorm(
                    hidden, normed.baseAddress!, rows: computed, width: d, weights: layer.feedForwardNorm)
                layer.feedForwardIn.apply(normed.baseAddress!, rows: computed, into: ff.baseAddress!)
                VectorKernels.gelu(ff.baseAddress!, count: computed * a.feedForwardWidth)
                layer.feedForwardOut.apply(ff.baseAddress!, rows: computed, into: hidden, accumulate: true)
            }
        }
    }
}
