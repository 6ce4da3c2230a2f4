import Dispatch
import MybroKernels

/// Whisper's text decoder with its caches: the cross-attention keys/values of the encoder
/// output are computed once per window, and each self-attention layer keeps the keys/values
/// of every token seen so far, so a step costs only the new token's work.
public final class TextDecoder: @unchecked Sendable {
    let weights: WhisperWeights
    let architecture: WhisperArchitecture
    /// Per layer: `[textContext × d]` keys and values of the tokens so far.
    private var selfKeys: [[Float]]
    private var selfValues: [[Float]]
    /// Per layer, head by head: `[heads × audioPositions × headWidth]` keys of the encoder
    /// output, then the values the same way, so that a head's keys and values are each one
    /// contiguous block that a step reads as a stream (row by row, as the projection writes
    /// them, a head's 64 columns are a 256-byte piece of every 3 KB row, and reading them that
    /// way cost most of a step).
    private var crossHeads: [[Float]]
    /// One layer's keys and values row by row (`[audioPositions × 2d]`, keys in the first d
    /// columns), as the projection and the padding cache give them, before `crossHeads`.
    private var crossRows: [Float] = []
    private var audioPositions = 0
    /// Threads for the output projection (the vocabulary is split between them).
    public var logitThreads = 1
    /// Tokens in the self-attention cache.
    public private(set) var length = 0
    /// Passes through the decoder so far (each reads its weights once), for tests.
    private(set) var passes = 0

    // Scratch, sized for the longest prompt.
    private var hidden: [Float]
    private var normed: [Float]
    private var qkv: [Float]
    private var attention: [Float]
    private var scores: [Float]
    private var feedForward: [Float]

    public init(weights: WhisperWeights) {
        self.weights = weights
        let a = weights.architecture
        architecture = a
        let d = a.modelWidth, rows = a.textContext
        selfKeys = Array(repeating: [Float](repeating: 0, count: rows * d), count: a.decoderLayers)
        selfValues = selfKeys
        crossHeads = Array(repeating: [], count: a.decoderLayers)
        hidden = [Float](repeating: 0, count: rows * d)
        normed = hidden
        attention = hidden
        qkv = [Float](repeating: 0, count: rows * 3 * d)
        scores = []
        feedForward = [Float](repeating: 0, count: rows * a.feedForwardWidth)
    }

    /// Starts a new window: computes the cross-attention keys/values of `encoderOutput`
    /// (`[positions × d]`) and empties the self-attention cache. With `cache`, only the first
    /// `computed` rows are projected; the others are the all-padding window's.
    public func start(encoderOutput: [Float], positions: Int) {
        start(encoderOutput: encoderOutput, positions: positions, computed: positions, cache: nil)
    }

    ///
    /// With `samples` (sorted positions beyond `computed`, see `PaddingInterpolation`), those rows
    /// are projected too, and the rows between `anchors` get the cached keys/values plus the
    /// interpolated change: the projection is affine, so this equals projecting the encoder's
    /// interpolated rows, at a fraction of the cost.
    func start(
        encoderOutput: [Float], positions: Int, computed: Int, cache: PaddingCache?, samples: [Int] = [],
        anchors: [Int] = []
    ) {
        let d = architecture.modelWidth
        audioPositions = positions
        length = 0
        let scoreCount = architecture.textContext * max(positions, architecture.textContext)
        if scores.count < scoreCount { scores = [Float](repeating: 0, count: scoreCount) }
        var sampledRows = [Float](repeating: 0, count: samples.count * d)
        var sampledKeyValues = [Float](repeating: 0, count: samples.count * 2 * d)
        encoderOutput.withUnsafeBufferPointer { input in
            for (row, position) in samples.enumerated() {
                for c in 0..<d { sampledRows[row * d + c] = input[position * d + c] }
            }
            for (index, layer) in weights.decoderLayers.enumerated() {
                if crossRows.count != positions * 2 * d { crossRows = [Float](repeating: 0, count: positions * 2 * d) }
                crossRows.withUnsafeMutableBufferPointer { out in
                    layer.cross!.keyValue.apply(input.baseAddress!, rows: computed, into: out.baseAddress!)
                    guard let cache, computed < positions else { return }
                    cache.crossKeyValues[index].withUnsafeBufferPointer { cached in
                        guard !samples.isEmpty else {
                            (out.baseAddress! + computed * 2 * d).update(
                                from: cached.baseAddress! + computed * 2 * d, count: (positions - computed) * 2 * d)
                            return
                        }
                        sampledRows.withUnsafeBufferPointer { rows in
                            sampledKeyValues.withUnsafeMutableBufferPointer { projected in
                                layer.cross!.keyValue.apply(
                                    rows.baseAddress!, rows: samples.count, into: projected.baseAddress!)
                                for (row, position) in samples.enumerated() {
                                    (out.baseAddress! + position * 2 * d).update(
                                        from: projected.baseAddress! + row * 2 * d, count: 2 * d)
                                }
                            }
                        }
                        PaddingInterpolation.copyGaps(
                            out.baseAddress!, from: cached.baseAddress!, after: computed, positions: positions,
                            samples: samples, width: 2 * d)
                        PaddingInterpolation.fill(
                            out.baseAddress!, base: cached.baseAddress!, anchors: anchors, width: 2 * d)
                    }
                }
                if crossHeads[index].count != positions * 2 * d {
                    crossHeads[index] = [Float](repeating: 0, count: positions * 2 * d)
                }
                crossRows.withUnsafeBufferPointer { rows in
                    crossHeads[index].withUnsafeMutableBufferPointer { heads in
                        regroup(rows.baseAddress!, into: heads.baseAddress!, toHeads: true)
                    }
                }
            }
        }
    }

    /// Copies one layer's keys and values from the row-by-row layout to the head-by-head one
    /// (`toHeads`), or back.
    private func regroup(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, toHeads: Bool) {
        let d = architecture.modelWidth, width = architecture.headWidth, positions = audioPositions
        for part in 0..<2 * architecture.heads {  // the keys' heads, then the values'
            for position in 0..<positions {
                let row = position * 2 * d + part * width, head = (part * positions + position) * width
                (target + (toHeads ? head : row)).update(from: source + (toHeads ? row : head), count: width)
            }
        }
    }

    /// The cross-attention keys/values of each layer for the current window, row by row (to
    /// cache them).
    var currentCrossKeyValues: [[Float]] {
        crossHeads.map { layer in
            var rows = [Float](repeating: 0, count: layer.count)
            rows.withUnsafeMutableBufferPointer { rows in
                layer.withUnsafeBufferPointer { regroup($0.baseAddress!, into: rows.baseAddress!, toHeads: false) }
            }
            return rows
        }
    }

    /// Takes over `other`'s window: its cross-attention keys/values (shared, not copied) and
    /// a copy of its self-attention cache, so a beam hypothesis can continue from it.
    func copyState(from other: TextDecoder) {
        if audioPositions != other.audioPositions || scores.count < other.scores.count {
            scores = [Float](repeating: 0, count: other.scores.count)
        }
        audioPositions = other.audioPositions
        crossHeads = other.crossHeads
        copyCache(from: other)
    }

    /// Copies only `other`'s self-attention cache (same window).
    func copyCache(from other: TextDecoder) {
        let count = other.length * architecture.modelWidth
        for layer in 0..<selfKeys.count {
            other.selfKeys[layer].withUnsafeBufferPointer { source in
                selfKeys[layer].withUnsafeMutableBufferPointer {
                    $0.baseAddress!.update(from: source.baseAddress!, count: count)
                }
            }
            other.selfValues[layer].withUnsafeBufferPointer { source in
                selfValues[layer].withUnsafeMutableBufferPointer {
                    $0.baseAddress!.update(from: source.baseAddress!, count: count)
                }
            }
        }
        length = other.length
    }

    /// Up to this many rows (a step, sampling's lanes) take the cross-attention one row at a
    /// time; a longer prompt or draft takes it as one matrix product.
    static let vectorRows = 8

    /// Forgets every token, keeping the window (to decode it again).
    func resetTokens() { length = 0 }

    /// Forgets the tokens after the first `count` (the cache keeps a shared prompt).
    public func truncate(to count: Int) { length = min(length, count) }

    /// Runs `tokens` (appended after the cached ones) through the decoder and writes the
    /// logits of the rows listed in `logitRows` (indices into `tokens`) to `logits`
    /// (`[logitRows.count × vocabulary]`).
    public func forward(_ tokens: [Int], logitRows: [Int], logits: UnsafeMutablePointer<Float>) {
        forward(lanes: [self], tokens: [tokens], logitRows: logitRows, logits: logits)
    }

    /// Runs several sequences of this decoder's window at once: lane `i` appends `tokens[i]`
    /// to `lanes[i]`'s self-attention cache. Every lane must hold this decoder's window
    /// (`copyState(from:)`); the first may be this decoder. The products run once over the rows
    /// of all lanes, so each step reads the weights once instead of once per lane (sampling's
    /// candidates are memory-bound); attention runs per lane over its own cache. `logitRows`
    /// index the lanes' rows laid end to end.
    func forward(lanes: [TextDecoder], tokens: [[Int]], logitRows: [Int], logits: UnsafeMutablePointer<Float>) {
        passes += 1
        let a = architecture
        let d = a.modelWidth, headWidth = a.headWidth
        precondition(lanes.count == tokens.count, "one token list per lane")
        var firstRows: [Int] = []
        var n = 0
        for (lane, laneTokens) in zip(lanes, tokens) {
            precondition(lane.length + laneTokens.count <= a.textContext, "decoder context exceeded")
            precondition(lane.audioPositions == audioPositions, "a lane holds another window")
            // the embedding rows are read through raw pointers: a token outside the table would read past it
            precondition(laneTokens.allSatisfy { (0..<a.vocabularySize).contains($0) }, "token outside the vocabulary")
            firstRows.append(n)
            n += laneTokens.count
        }
        precondition(n <= a.textContext, "more rows than the decoder's scratch holds")
        let scale = 1 / Float(headWidth).squareRoot()
        hidden.withUnsafeMutableBufferPointer { hidden in
            let h = hidden.baseAddress!
            weights.decoderPositions.withUnsafeBufferPointer { positions in
                for (laneIndex, laneTokens) in tokens.enumerated() {
                    let start = lanes[laneIndex].length
                    for (offset, token) in laneTokens.enumerated() {
                        let to = h + (firstRows[laneIndex] + offset) * d
                        if weights.tokenEmbeddingsHalf.isEmpty {
                            weights.tokenEmbeddings.withUnsafeBufferPointer {
                                to.update(from: $0.baseAddress! + token * d, count: d)
                            }
                        } else {
                            weights.tokenEmbeddingsHalf.withUnsafeBufferPointer {
                                Kernels.halfToFloat($0.baseAddress! + token * d, to, count: d)
                            }
                        }
                        VectorKernels.add(positions.baseAddress! + (start + offset) * d, to: to, count: d)
                    }
                }
            }
            normed.withUnsafeMutableBufferPointer { normedBuffer in
                let normed = normedBuffer.baseAddress!
                qkv.withUnsafeMutableBufferPointer { qkvBuffer in
                    let qkv = qkvBuffer.baseAddress!
                    attention.withUnsafeMutableBufferPointer { attentionBuffer in
                        let attention = attentionBuffer.baseAddress!
                        scores.withUnsafeMutableBufferPointer { scoresBuffer in
                            let scores = scoresBuffer.baseAddress!
                            for (index, layer) in weights.decoderLayers.enumerated() {
                                // causal self-attention, each lane over its own cache
                                VectorKernels.layerNorm(h, normed, rows: n, width: d, weights: layer.attentionNorm)
                                layer.attentionQKV.apply(normed, rows: n, into: qkv)
                                for (laneIndex, lane) in lanes.enumerated() {
                                    let rows = tokens[laneIndex].count
                                    guard rows > 0 else { continue }
                                    let q = qkv + firstRows[laneIndex] * 3 * d
                                    let out = attention + firstRows[laneIndex] * d
                                    let start = lane.length, total = start + rows
                                    lane.selfKeys[index].withUnsafeMutableBufferPointer { keys in
                                        lane.selfValues[index].withUnsafeMutableBufferPointer { values in
                                            for row in 0..<rows {
                                                (keys.baseAddress! + (start + row) * d).update(
                                                    from: q + row * 3 * d + d, count: d)
                                                (values.baseAddress! + (start + row) * d).update(
                                                    from: q + row * 3 * d + 2 * d, count: d)
                                            }
                                            for head in 0..<a.heads {
                                                let offset = head * headWidth
                                                BLAS.multiplyTransposed(
                                                    q + offset, keys.baseAddress! + offset, scores,
                                                    m: rows, n: total, k: headWidth, lda: 3 * d, ldb: d, alpha: scale)
                                                for row in 0..<rows {
                                                    // token start+row sees positions 0...start+row
                                                    let visible = start + row + 1
                                                    let r = scores + row * total
                                                    for column in visible..<total { r[column] = -.infinity }
                                                }
                                                VectorKernels.softmaxRows(
                                                    scores, rows: rows, columns: total, stride: total)
                                                BLAS.multiply(
                                                    scores, values.baseAddress! + offset, out + offset,
                                                    m: rows, n: headWidth, k: total, ldb: d, ldc: d)
                                            }
                                        }
                                    }
                                }
                                layer.attentionOut.apply(attention, rows: n, into: h, accumulate: true)

                                // attention over the encoder output, shared by the lanes
                                let cross = layer.cross!
                                VectorKernels.layerNorm(h, normed, rows: n, width: d, weights: cross.norm)
                                cross.query.apply(normed, rows: n, into: qkv)
                                crossHeads[index].withUnsafeBufferPointer { heads in
                                    let p = audioPositions
                                    for head in 0..<a.heads {
                                        let offset = head * headWidth
                                        let keys = heads.baseAddress! + head * p * headWidth
                                        let values = heads.baseAddress! + (a.heads + head) * p * headWidth
                                        if n <= Self.vectorRows {
                                            // a step's few rows: matrix-vector products read the
                                            // head's block straight, where sgemm would pack it first
                                            for row in 0..<n {
                                                BLAS.multiplyVector(
                                                    keys, qkv + row * d + offset, scores + row * p, m: p,
                                                    n: headWidth, alpha: scale)
                                            }
                                            VectorKernels.softmaxRows(scores, rows: n, columns: p, stride: p)
                                            for row in 0..<n {
                                                BLAS.multiplyVectorTransposed(
                                                    values, scores + row * p, attention + row * d + offset, m: p,
                                                    n: headWidth)
                                            }
                                        } else {
                                            BLAS.multiplyTransposed(
                                                qkv + offset, keys, scores, m: n, n: p, k: headWidth, lda: d,
                                                alpha: scale)
                                            VectorKernels.softmaxRows(scores, rows: n, columns: p, stride: p)
                                            BLAS.multiply(
                                                scores, values, attention + offset, m: n, n: headWidth, k: p, ldc: d)
                                        }
                                    }
                                }
                                cross.out.apply(attention, rows: n, into: h, accumulate: true)

                                feedForward.withUnsafeMutableBufferPointer { ff in
                                    VectorKernels.layerNorm(
                                        h, normed, rows: n, width: d, weights: layer.feedForwardNorm)
                                    layer.feedForwardIn.apply(normed, rows: n, into: ff.baseAddress!)
                                    VectorKernels.gelu(ff.baseAddress!, count: n * a.feedForwardWidth)
                                    layer.feedForwardOut.apply(ff.baseAddress!, rows: n, into: h, accumulate: true)
                                }
                            }
                            // final norm and the tied output projection, only for the rows asked for
                            for (slot, row) in logitRows.enumerated() {
                                VectorKernels.layerNorm(
                                    h + row * d, normed + slot * d, rows: 1, width: d, weights: weights.decoderNorm)
                            }
                            if !weights.tokenEmbeddingsHalf.isEmpty {
                                weights.tokenEmbeddingsHalf.withUnsafeBufferPointer { embeddings in
                                    // the largest per-token product (20 M multiply-adds): split over threads
                                    let parts = max(1, min(logitThreads, 8))
                                    let chunk = (a.vocabularySize + parts - 1) / parts
                                    nonisolated(unsafe) let base = embeddings.baseAddress!
                                    nonisolated(unsafe) let input = normed, output = logits
                                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                                        let first = part * chunk
                                        let count = min(chunk, a.vocabularySize - first)
                                        guard count > 0 else { return }
                                        Kernels.halfMatrixProduct(
                                            matrix: base + first * d, bias: nil, x: input, y: output + first,
                                            rows: count, columns: d, count: logitRows.count,
                                            outputStride: a.vocabularySize, accumulate: false)
                                    }
                                }
                            } else {
                                weights.tokenEmbeddings.withUnsafeBufferPointer { embeddings in
                                    if logitRows.count == 1 {
                                        BLAS.multiplyVector(
                                            embeddings.baseAddress!, normed, logits, m: a.vocabularySize, n: d)
                                    } else if !logitRows.isEmpty {
                                        BLAS.multiplyTransposed(
                                            normed, embeddings.baseAddress!, logits,
                                            m: logitRows.count, n: a.vocabularySize, k: d)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (lane, laneTokens) in zip(lanes, tokens) { lane.length += laneTokens.count }
    }
}
