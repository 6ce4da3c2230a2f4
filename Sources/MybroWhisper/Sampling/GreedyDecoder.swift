import Foundation

/// The outcome of decoding one window.
public struct DecodingResult: Sendable {
    /// Generated tokens, without the prompt and the end-of-text.
    public var tokens: [Int]
    /// Sum of the chosen tokens' log-probabilities, end-of-text included.
    public var sumLogProbability: Double
    /// Probability of the no-speech token at the start-of-transcript position.
    public var noSpeechProbability: Double
    /// Greedy decoding: the smallest lead of a chosen token's logit over the runner-up's, after
    /// Whisper's logit rules, at the steps where either of them is text or end-of-text, and of
    /// the timestamp rule's choice (`LogitFilters.apply`, in log-probability, the same unit).
    /// Infinite for sampling and beam search.
    public var closestCall: Float = .infinity
    /// Greedy decoding stopped at a close call (`GreedyDecoder.closeCallLimit`): the tokens are
    /// the ones before it, and the result is only good for deciding to decode again.
    public var stoppedAtCloseCall = false
    /// Log-probability per token, counting the end-of-text (faster-whisper's `avg_logprob`).
    public var averageLogProbability: Double { sumLogProbability / Double(tokens.count + 1) }
}

/// Greedy decoding: at each step the likeliest token after Whisper's logit rules.
struct GreedyDecoder {
    let decoder: TextDecoder
    let filters: LogitFilters
    let vocabularySize: Int
    let endOfText: Int
    let noSpeech: Int
    /// Tokens from here on are timestamps.
    let timestampBegin: Int
    /// Decoding stops at the first step whose lead is below this (the caller will decode the
    /// window again on exact states, so the rest would be wasted).
    var closeCallLimit = -Float.infinity

    /// Decodes after `prompt`, whose start-of-transcript is at `startIndex`.
    func decode(prompt: [Int], startIndex: Int, maxTokens: Int) -> DecodingResult {
        var logits = [Float](repeating: 0, count: 2 * vocabularySize)
        var tokens: [Int] = []
        var sum: Double = 0
        var noSpeechProbability: Double = 0
        var closest = Float.infinity
        var stopped = false
        logits.withUnsafeMutableBufferPointer { buffer in
            let logits = buffer.baseAddress!
            let last = prompt.count - 1
            let rows = startIndex == last ? [last] : [startIndex, last]
            decoder.forward(prompt, logitRows: rows, logits: logits)
            noSpeechProbability = Self.probability(of: noSpeech, in: logits, count: vocabularySize)
            var step = logits + (rows.count - 1) * vocabularySize
            while tokens.count < maxTokens {
                var ruleLead = Double.infinity
                let normalizer = filters.apply(step, sampled: tokens, timestampRuleLead: &ruleLead)
                var best = 0
                var bestValue = -Float.infinity
                var second = -Float.infinity
                var secondToken = 0
                for token in 0..<vocabularySize where step[token] > second {
                    if step[token] > bestValue {
                        second = bestValue
                        secondToken = best
                        bestValue = step[token]
                        best = token
                    } else {
                        second = step[token]
                        secondToken = token
                    }
                }
                // A close call between two timestamps moves a time, not the text; the rule that
                // chose between timestamps and text is a close call of its own.
                if best < timestampBegin || secondToken < timestampBegin { closest = min(closest, bestValue - second) }
                closest = min(closest, Float(ruleLead))
                if closest < closeCallLimit {
                    stopped = true
                    break
                }
                sum += (normalizer ?? LogitNormalizer(step, count: vocabularySize)).logProbability(of: step[best])
                // NaN logits come only from broken weights: the caller reports them at once.
                if best == endOfText || !sum.isFinite || !noSpeechProbability.isFinite { break }
                tokens.append(best)
                if tokens.count == maxTokens { break }
                decoder.forward([best], logitRows: [0], logits: logits)
                step = logits
            }
        }
        return DecodingResult(
            tokens: tokens, sumLogProbability: sum, noSpeechProbability: noSpeechProbability, closestCall: closest,
            stoppedAtCloseCall: stopped)
    }

    static func probability(of token: Int, in logits: UnsafePointer<Float>, count: Int) -> Double {
        exp(logSoftmax(at: token, in: logits, count: count))
    }

    static func logSoftmax(at token: Int, in logits: UnsafePointer<Float>, count: Int) -> Double {
        LogitNormalizer(logits, count: count).logProbability(of: logits[token])
    }
}
