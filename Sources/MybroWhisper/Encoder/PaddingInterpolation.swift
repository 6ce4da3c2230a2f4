/// The padding positions the default encoder mode computes beyond the audio's rows, and the
/// interpolation that gives the others their states.
///
/// In a full window every padding position attends to the content, so the content changes
/// the padding's states in every layer after the first; the decoder's cross-attention reads
/// them, and for a short clip they are most of the window. Reusing the all-padding states
/// unchanged (the cache) drops that change: the cause of short commands heard differently from
/// `--full-window`. Padding positions differ only by their positional embedding, so the
/// change varies slowly along them: computing every `stride`-th one exactly and interpolating
/// the change in between restores most of it at a fraction of the cost.
enum PaddingInterpolation {
    /// Every `stride`-th position after the contiguous rows `0..<computed`, and the last.
    static func samples(after computed: Int, positions: Int, stride: Int) -> [Int] {
        guard stride > 0, computed >= 1, computed < positions else { return [] }
        var result = Array(Swift.stride(from: computed - 1 + stride, to: positions - 1, by: stride))
        result.append(positions - 1)
        return result
    }

    /// The sampled positions and the anchors that bound interpolated gaps (the last contiguous
    /// row, then the samples) for a window whose first `computed` rows are computed; none when
    /// sampling is off or the computed rows do not reach past the content.
    static func plan(computed: Int, contentFrames: Int, positions: Int, stride: Int) -> (
        samples: [Int], anchors: [Int]
    ) {
        guard computed >= contentFrames / 2 + 2 else { return ([], []) }
        let samples = self.samples(after: computed, positions: positions, stride: stride)
        return (samples, samples.isEmpty ? [] : [computed - 1] + samples)
    }

    /// Copies `from`'s rows into `rows` at every position at or after `after` that is not in
    /// `samples` (sorted).
    static func copyGaps(
        _ rows: UnsafeMutablePointer<Float>, from: UnsafePointer<Float>, after: Int, positions: Int, samples: [Int],
        width: Int
    ) {
        var start = after
        for end in samples + [positions] {
            if end > start { (rows + start * width).update(from: from + start * width, count: (end - start) * width) }
            start = end + 1
        }
    }

    /// For each pair of consecutive `anchors` a < b, sets every row strictly between them to
    /// `base[p] + (1 − w)(rows[a] − base[a]) + w(rows[b] − base[b])`, w = (p − a)/(b − a).
    /// The rows between anchors must hold `base`'s values on entry.
    static func fill(_ rows: UnsafeMutablePointer<Float>, base: UnsafePointer<Float>, anchors: [Int], width: Int) {
        guard anchors.count >= 2 else { return }
        var left = [Float](repeating: 0, count: width)
        var right = [Float](repeating: 0, count: width)
        for c in 0..<width { right[c] = rows[anchors[0] * width + c] - base[anchors[0] * width + c] }
        for index in 1..<anchors.count {
            let a = anchors[index - 1], b = anchors[index]
            swap(&left, &right)
            for c in 0..<width { right[c] = rows[b * width + c] - base[b * width + c] }
            guard b - a > 1 else { continue }
            for p in (a + 1)..<b {
                let w = Float(p - a) / Float(b - a)
                let row = rows + p * width
                for c in 0..<width { row[c] += (1 - w) * left[c] + w * right[c] }
            }
        }
    }
}
