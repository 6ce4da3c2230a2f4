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
    /// Tokens this decode is expected to choose: an earlier decode of the same window on
    /// approximate states. They go through the decoder with the prompt in one pass, and the
    /// steps read their logits from it while each draft token is the step's own choice, so
    /// steps that agree cost a share of one batched pass instead of a pass over the weights
    /// each. From the first step that chooses otherwise on, decoding goes on one step at a
    /// time. Every choice is still the step's own argmax; only the logits' last bits differ
    /// (batched against stepwise products), which changes no choice unless two tokens tie
    /// to those bits (measured: identical transcripts on three 160-clip command sets).
    var draft: [Int] = []
    /// At most this many draft tokens are checked in the one pass (its logits take
    /// `vocabularySize` floats per token).
    static let draftLimit = 64

    /// Decodes after `prompt`, whose start-of-transcript is at `startIndex`.
    func decode(prompt: [Int], startIndex: Int, maxTokens: Int) -> DecodingResult {
        // a caller's draft is only a guess: it ends at the first token outside the vocabulary
        let draft = Array(
            self.draft.prefix(min(maxTokens, Self.draftLimit)).prefix { (0..<vocabularySize).contains($0) })
        let last = prompt.count - 1
        // the logits of the start of transcript (for no-speech), then of every position
        // from the prompt's last on: each predicts the token after it
        let rows = (startIndex == last ? [] : [startIndex]) + Array(last...last + draft.count)
        var logits = [Float](repeating: 0, count: max(2, rows.count) * vocabularySize)
        var tokens: [Int] = []
        var sum: Double = 0
        var noSpeechProbability: Double = 0
        var closest = Float.infinity
        var stopped = false
        logits.withUnsafeMutableBufferPointer { buffer in
            let logits = buffer.baseAddress!
            decoder.forward(prompt + draft, logitRows: rows, logits: logits)
            noSpeechProbability = Self.probability(of: noSpeech, in: logits, count: vocabularySize)
            var step = logits + (startIndex == last ? 0 : vocabularySize)
            // the draft tokens in the decoder's cache, all chosen so far
            var drafted = draft.count
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
                let index = tokens.count
                tokens.append(best)
                if tokens.count == maxTokens { break }
                if index < drafted {
                    if draft[index] == best {
                        // this token is in the cache and its logits were computed with the prompt's
                        step += vocabularySize
                        continue
                    }
                    // the draft went another way: forget it from here
                    decoder.truncate(to: prompt.count + index)
                    drafted = index
                }
                decoder.forward([best], logitRows: [0], logits: logits)
                step = logits
            }
            // a decode that ended inside the draft keeps only its own tokens in the cache
            if drafted > tokens.count { decoder.truncate(to: prompt.count + tokens.count) }
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
