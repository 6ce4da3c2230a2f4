import Foundation

/// Beam search with patience 1: keep the `beamSize` likeliest unfinished sequences, extend
/// each by its `beamSize + 1` likeliest tokens, finish a sequence when its end-of-text ranks
/// among the step's best `beamSize` candidates (as CTranslate2, so a sentence's final period
/// is not cut off by an early end), stop with `beamSize` finished ones, and return the one
/// with the best log-probability per token (length penalty 1, as faster-whisper sets). The
/// hypotheses of a step run through the decoder together (`TextDecoder.forward(lanes:…)`).
struct BeamSearchDecoder {
    /// One decoder per hypothesis; the first holds the prompt when `decode` starts.
    let decoders: [TextDecoder]
    /// Spare decoders to rebuild the beam into (as many as `decoders`).
    let spares: [TextDecoder]
    let filters: LogitFilters
    let vocabularySize: Int
    let endOfText: Int
    let noSpeech: Int

    struct Hypothesis {
        var tokens: [Int]
        var score: Double
        var decoder: Int
    }

    func decode(prompt: [Int], startIndex: Int, maxTokens: Int) -> DecodingResult {
        let beamSize = decoders.count
        var logits = [Float](repeating: 0, count: 2 * vocabularySize)
        var stepLogits = [[Float]](repeating: [Float](repeating: 0, count: vocabularySize), count: beamSize)
        var batchLogits = [Float](repeating: 0, count: beamSize * vocabularySize)
        let last = prompt.count - 1
        let rows = startIndex == last ? [last] : [startIndex, last]
        var noSpeechProbability = 0.0
        logits.withUnsafeMutableBufferPointer { buffer in
            decoders[0].forward(prompt, logitRows: rows, logits: buffer.baseAddress!)
            noSpeechProbability = GreedyDecoder.probability(
                of: noSpeech, in: buffer.baseAddress!, count: vocabularySize)
            stepLogits[0].withUnsafeMutableBufferPointer {
                $0.baseAddress!.update(
                    from: buffer.baseAddress! + (rows.count - 1) * vocabularySize, count: vocabularySize)
            }
        }
        for other in decoders.dropFirst() + spares { other.copyState(from: decoders[0]) }
        var live = [Hypothesis(tokens: [], score: 0, decoder: 0)]
        var finished: [Hypothesis] = []
        var current = decoders, spare = spares
        var logProbabilities = [Double](repeating: 0, count: vocabularySize)

        for step in 0..<maxTokens {
            var candidates: [Hypothesis] = []
            for hypothesis in live {
                stepLogits[hypothesis.decoder].withUnsafeMutableBufferPointer { buffer in
                    filters.apply(buffer.baseAddress!, sampled: hypothesis.tokens)
                    Self.logSoftmax(buffer.baseAddress!, count: vocabularySize, into: &logProbabilities)
                }
                for token in Self.top(beamSize + 1, of: logProbabilities) where logProbabilities[token] > -.infinity {
                    candidates.append(
                        Hypothesis(
                            tokens: hypothesis.tokens + [token],
                            score: hypothesis.score + logProbabilities[token],
                            decoder: hypothesis.decoder))
                }
            }
            candidates.sort { $0.score > $1.score }
            var next: [Hypothesis] = []
            for (rank, candidate) in candidates.enumerated() {
                if candidate.tokens.last == endOfText {
                    // as CTranslate2: only an end among the best `beamSize` candidates finishes
                    if rank < beamSize && finished.count < beamSize { finished.append(candidate) }
                } else if next.count < beamSize {
                    next.append(candidate)
                }
                if next.count == beamSize && finished.count >= beamSize { break }
            }
            if finished.count >= beamSize || next.isEmpty || step == maxTokens - 1 {
                if finished.isEmpty { finished = next }
                break
            }
            // give each surviving hypothesis its own copy of its parent's cache
            for (slot, index) in next.indices.enumerated() {
                spare[slot].copyCache(from: current[next[index].decoder])
                next[index].decoder = slot
            }
            swap(&current, &spare)
            // every hypothesis steps in one batched pass (the weights are read once, not per hypothesis)
            batchLogits.withUnsafeMutableBufferPointer { batch in
                current[next[0].decoder].forward(
                    lanes: next.map { current[$0.decoder] }, tokens: next.map { [$0.tokens.last!] },
                    logitRows: Array(next.indices), logits: batch.baseAddress!)
                for (row, hypothesis) in next.enumerated() {
                    stepLogits[hypothesis.decoder].withUnsafeMutableBufferPointer {
                        $0.baseAddress!.update(from: batch.baseAddress! + row * vocabularySize, count: vocabularySize)
                    }
                }
            }
            live = next
        }
        func length(_ h: Hypothesis) -> Int { h.tokens.last == endOfText ? h.tokens.count - 1 : h.tokens.count }
        let best =
            finished.max { $0.score / Double(max(1, length($0))) < $1.score / Double(max(1, length($1))) }
            ?? Hypothesis(tokens: [], score: 0, decoder: 0)
        return DecodingResult(
            tokens: Array(best.tokens.prefix(length(best))), sumLogProbability: best.score,
            noSpeechProbability: noSpeechProbability)
    }

    static func logSoftmax(_ logits: UnsafePointer<Float>, count: Int, into result: inout [Double]) {
        var maximum = -Float.infinity
        for i in 0..<count where logits[i] > maximum { maximum = logits[i] }
        var total: Double = 0
        for i in 0..<count { total += Double(expf(logits[i] - maximum)) }
        let logTotal = log(total)
        for i in 0..<count { result[i] = Double(logits[i] - maximum) - logTotal }
    }

    /// Indices of the `k` largest values, largest first.
    static func top(_ k: Int, of values: [Double]) -> [Int] {
        var best: [Int] = []
        for index in values.indices {
            if best.count < k {
                best.append(index)
                best.sort { values[$0] > values[$1] }
            } else if values[index] > values[best[k - 1]] {
                best[k - 1] = index
                best.sort { values[$0] > values[$1] }
            }
        }
        return best
    }
}
