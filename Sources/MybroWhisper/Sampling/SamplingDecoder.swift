import CZlib
import Foundation

/// Decoding at a temperature above zero: `bestOf` sequences sampled from the filtered
/// distribution (softmax of logits / temperature), the one with the best log-probability
/// per token kept (faster-whisper's fallback with best_of 5). Sampling is seeded, so a run
/// is reproducible.
struct SamplingDecoder {
    /// One decoder per sequence; the first holds the prompt when `decode` starts.
    let decoders: [TextDecoder]
    let filters: LogitFilters
    let vocabularySize: Int
    let endOfText: Int
    let noSpeech: Int
    let temperature: Double
    let seed: UInt64

    func decode(prompt: [Int], startIndex: Int, maxTokens: Int) -> DecodingResult {
        var logits = [Float](repeating: 0, count: 2 * vocabularySize)
        var first = [Float](repeating: 0, count: vocabularySize)
        let last = prompt.count - 1
        let rows = startIndex == last ? [last] : [startIndex, last]
        var noSpeechProbability = 0.0
        logits.withUnsafeMutableBufferPointer { buffer in
            decoders[0].forward(prompt, logitRows: rows, logits: buffer.baseAddress!)
            noSpeechProbability = GreedyDecoder.probability(of: noSpeech, in: buffer.baseAddress!, count: vocabularySize)
            first.withUnsafeMutableBufferPointer {
                $0.baseAddress!.update(from: buffer.baseAddress! + (rows.count - 1) * vocabularySize, count: vocabularySize)
            }
        }
        for other in decoders.dropFirst() { other.copyState(from: decoders[0]) }
        var generator = SplitMix(state: seed)
        var best: (tokens: [Int], sum: Double)?
        var probabilities = [Double](repeating: 0, count: vocabularySize)
        for decoder in decoders {
            var tokens: [Int] = []
            var sum = 0.0
            var step = first
            while tokens.count < maxTokens {
                let chosen = step.withUnsafeMutableBufferPointer { buffer -> Int in
                    let logits = buffer.baseAddress!
                    filters.apply(logits, sampled: tokens)
                    var maximum = -Float.infinity
                    for i in 0..<vocabularySize where logits[i] > maximum { maximum = logits[i] }
                    var total = 0.0
                    for i in 0..<vocabularySize {
                        let p = Double(expf((logits[i] - maximum) / Float(temperature)))
                        probabilities[i] = p
                        total += p
                    }
                    var target = generator.nextUnit() * total
                    var token = endOfText
                    for i in 0..<vocabularySize where probabilities[i] > 0 {
                        target -= probabilities[i]
                        token = i
                        if target <= 0 { break }
                    }
                    sum += GreedyDecoder.logSoftmax(at: token, in: logits, count: vocabularySize)
                    return token
                }
                if chosen == endOfText { break }
                tokens.append(chosen)
                if tokens.count == maxTokens { break }
                step.withUnsafeMutableBufferPointer { decoder.forward([chosen], logitRows: [0], logits: $0.baseAddress!) }
            }
            if let current = best, current.sum / Double(max(1, current.tokens.count)) >= sum / Double(max(1, tokens.count)) {
                continue
            }
            best = (tokens, sum)
        }
        return DecodingResult(tokens: best?.tokens ?? [], sumLogProbability: best?.sum ?? 0,
                              noSpeechProbability: noSpeechProbability)
    }
}

/// A small deterministic random generator (SplitMix64).
struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// Whisper's repetition test: the text's UTF-8 size over its zlib-compressed size.
enum CompressionRatio {
    static func of(_ text: String) -> Double {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return 0 }
        var size = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(size))
        let status = compress2(&output, &size, bytes, uLong(bytes.count), Z_DEFAULT_COMPRESSION)
        guard status == Z_OK, size > 0 else { return 0 }
        return Double(bytes.count) / Double(size)
    }
}
