import Foundation

/// Whisper's rules on the logits of each step, in CTranslate2's order: suppressed tokens,
/// "suppress blank" at the first step, then the timestamp rules (OpenAI `ApplyTimestampRules`).
struct LogitFilters {
    let special: SpecialTokens
    let vocabularySize: Int
    let suppressTokens: [Int]
    let suppressAtBegin: [Int]
    let timestamps: Bool
    /// The first timestamp may not be later than this index (1.0 s → 50).
    let maxInitialTimestampIndex: Int?

    /// Applies the rules to `logits` for the step after `sampled` (the tokens generated so far).
    /// Returns the filtered logits' maximum and Σ exp(logit − maximum) when the timestamp rule
    /// computed them and left the logits as they were, so the caller's log-softmax need not
    /// pass over the vocabulary again (the same sum, in the same order).
    @discardableResult
    func apply(_ logits: UnsafeMutablePointer<Float>, sampled: [Int]) -> LogitNormalizer? {
        var ruleLead = Double.infinity
        return apply(logits, sampled: sampled, timestampRuleLead: &ruleLead)
    }

    /// The same, and sets `timestampRuleLead` to how far the timestamp rule's choice was from
    /// going the other way (|log P(any timestamp) − log P(likeliest text token)|) when it had
    /// both to choose from; it is left as it was otherwise.
    func apply(
        _ logits: UnsafeMutablePointer<Float>, sampled: [Int], timestampRuleLead: inout Double
    ) -> LogitNormalizer? {
        for token in suppressTokens where token < vocabularySize { logits[token] = -.infinity }
        if sampled.isEmpty {
            for token in suppressAtBegin where token < vocabularySize { logits[token] = -.infinity }
        }
        guard timestamps else { return nil }
        let begin = special.timestampBegin
        logits[special.noTimestamps] = -.infinity
        let lastWasTimestamp = sampled.count >= 1 && sampled[sampled.count - 1] >= begin
        let penultimateWasTimestamp = sampled.count < 2 || sampled[sampled.count - 2] >= begin
        if lastWasTimestamp {
            if penultimateWasTimestamp {
                for token in begin..<vocabularySize { logits[token] = -.infinity }
            } else {
                for token in 0..<special.endOfText { logits[token] = -.infinity }
            }
        }
        if let lastTimestamp = sampled.last(where: { $0 >= begin }) {
            // timestamps never decrease, and a segment has a non-zero length
            let floor = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1
            for token in begin..<min(floor, vocabularySize) { logits[token] = -.infinity }
        }
        if sampled.isEmpty {
            for token in 0..<begin { logits[token] = -.infinity }
            if let maxInitial = maxInitialTimestampIndex {
                for token in min(begin + maxInitial + 1, vocabularySize)..<vocabularySize { logits[token] = -.infinity }
            }
        }
        // when the timestamps together are likelier than any text token, sample a timestamp
        var maximum = -Float.infinity
        for token in 0..<vocabularySize where logits[token] > maximum { maximum = logits[token] }
        guard maximum > -.infinity else { return nil }
        var total: Double = 0
        for token in 0..<vocabularySize { total += Double(expf(logits[token] - maximum)) }
        let logTotal = log(total)
        var timestampSum: Double = 0
        for token in begin..<vocabularySize { timestampSum += Double(expf(logits[token] - maximum)) }
        var maxText = -Float.infinity
        for token in 0..<begin where logits[token] > maxText { maxText = logits[token] }
        let timestampLogProbability = log(timestampSum) - logTotal
        let maxTextLogProbability = Double(maxText - maximum) - logTotal
        if timestampSum > 0 && maxText > -.infinity {
            timestampRuleLead = abs(timestampLogProbability - maxTextLogProbability)
        }
        if timestampSum > 0 && timestampLogProbability > maxTextLogProbability {
            for token in 0..<begin { logits[token] = -.infinity }
            return nil
        }
        return LogitNormalizer(maximum: maximum, total: total)
    }
}

/// A row of logits' maximum and Σ exp(logit − maximum), summed in token order in double:
/// what a log-softmax over the row needs.
struct LogitNormalizer {
    let maximum: Float
    let total: Double

    init(maximum: Float, total: Double) {
        self.maximum = maximum
        self.total = total
    }

    /// Computes them over `count` logits.
    init(_ logits: UnsafePointer<Float>, count: Int) {
        var maximum = -Float.infinity
        for i in 0..<count where logits[i] > maximum { maximum = logits[i] }
        var total: Double = 0
        for i in 0..<count { total += Double(expf(logits[i] - maximum)) }
        self.init(maximum: maximum, total: total)
    }

    func logProbability(of logit: Float) -> Double { Double(logit - maximum) - log(total) }
}
