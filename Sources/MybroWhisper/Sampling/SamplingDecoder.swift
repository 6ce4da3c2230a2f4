import CZlib
import Dispatch
import Foundation

/// Decoding at a temperature above zero: `bestOf` sequences sampled from the filtered
/// distribution (softmax of logits / temperature), the one with the best log-probability
/// per token kept (faster-whisper's fallback with best_of 5). The sequences step together
/// through one batched decoder pass (`TextDecoder.forward(lanes:…)`), so a step reads the
/// weights once rather than once per sequence. Each sequence draws from its own seeded
/// generator, so a run is reproducible.
struct SamplingDecoder {
    /// One decoder per sequence; the first holds the prompt when `decode` starts.
    let decoders: [TextDecoder]
    let filters: LogitFilters
    let vocabularySize: Int
    let endOfText: Int
    let noSpeech: Int
    let temperature: Double
    let seed: UInt64

    /// One sampled sequence while it grows.
    private struct Candidate {
        var tokens: [Int] = []
        var sumLogProbability = 0.0
        var generator: SplitMix
    }

    func decode(prompt: [Int], startIndex: Int, maxTokens: Int) -> DecodingResult {
        let lanes = decoders.count
        var logits = [Float](repeating: 0, count: max(2, lanes) * vocabularySize)
        let last = prompt.count - 1
        let rows = startIndex == last ? [last] : [startIndex, last]
        var noSpeechProbability = 0.0
        logits.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            decoders[0].forward(prompt, logitRows: rows, logits: base)
            noSpeechProbability = GreedyDecoder.probability(of: noSpeech, in: base, count: vocabularySize)
            // every candidate starts from the prompt's last row
            if rows.count > 1 { base.update(from: base + vocabularySize, count: vocabularySize) }
            for lane in 1..<max(1, lanes) { (base + lane * vocabularySize).update(from: base, count: vocabularySize) }
        }
        for other in decoders.dropFirst() { other.copyState(from: decoders[0]) }
        var candidates = (0..<lanes).map { lane in
            Candidate(generator: SplitMix(state: seed &+ UInt64(lane) &* 0xD1B5_4A32_D192_ED03))
        }
        // each lane's draw has its own logits row, generator and scratch row
        let probabilities = UnsafeMutablePointer<Double>.allocate(capacity: lanes * vocabularySize)
        let chosen = UnsafeMutablePointer<Int>.allocate(capacity: lanes)
        defer {
            probabilities.deallocate()
            chosen.deallocate()
        }
        let threads = max(1, min(decoders[0].logitThreads, lanes))
        // lanes still growing, in the order of their logits rows
        var active = maxTokens > 0 ? Array(0..<lanes) : []
        while !active.isEmpty {
            logits.withUnsafeMutableBufferPointer { logitsBuffer in
                candidates.withUnsafeMutableBufferPointer { candidateBuffer in
                    drawNext(
                        active, logits: logitsBuffer.baseAddress!, candidates: candidateBuffer.baseAddress!,
                        probabilities: probabilities, into: chosen, threads: threads)
                }
            }
            var next: [Int] = []
            var nextTokens: [[Int]] = []
            for (row, lane) in active.enumerated() {
                let token = chosen[row]
                if token == endOfText { continue }
                candidates[lane].tokens.append(token)
                if candidates[lane].tokens.count == maxTokens { continue }
                next.append(lane)
                nextTokens.append([token])
            }
            active = next
            guard !active.isEmpty else { break }
            logits.withUnsafeMutableBufferPointer {
                decoders[0].forward(
                    lanes: active.map { decoders[$0] }, tokens: nextTokens, logitRows: Array(0..<active.count),
                    logits: $0.baseAddress!)
            }
        }
        var best: Candidate?
        for candidate in candidates {
            if let current = best,
                current.sumLogProbability / Double(max(1, current.tokens.count))
                    >= candidate.sumLogProbability / Double(max(1, candidate.tokens.count))
            {
                continue
            }
            best = candidate
        }
        return DecodingResult(
            tokens: best?.tokens ?? [], sumLogProbability: best?.sumLogProbability ?? 0,
            noSpeechProbability: noSpeechProbability)
    }

    /// Draws the next token of each lane in `order` (row r of `logits` is lane order[r]'s) into
    /// `chosen[r]`. The draws are independent (each has its own logits row, candidate and
    /// scratch row), so they run on `threads` threads, each taking every threads-th row.
    private func drawNext(
        _ order: [Int], logits: UnsafeMutablePointer<Float>, candidates: UnsafeMutablePointer<Candidate>,
        probabilities: UnsafeMutablePointer<Double>, into chosen: UnsafeMutablePointer<Int>, threads: Int
    ) {
        nonisolated(unsafe) let (logits, candidates, probabilities, chosen) = (
            logits, candidates, probabilities, chosen
        )
        let parts = order.count == 1 ? 1 : threads
        let draw: @Sendable (Int) -> Void = { part in
            for row in stride(from: part, to: order.count, by: parts) {
                chosen[row] = sample(
                    logits + row * vocabularySize, candidate: &candidates[order[row]],
                    probabilities: probabilities + row * vocabularySize)
            }
        }
        if parts == 1 { draw(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: draw) }
    }

    /// Draws the next token of `candidate` from `logits` (filtered in place) and adds its
    /// log-probability to the candidate's sum.
    private func sample(
        _ logits: UnsafeMutablePointer<Float>, candidate: inout Candidate, probabilities: UnsafeMutablePointer<Double>
    ) -> Int {
        let normalizer =
            filters.apply(logits, sampled: candidate.tokens) ?? LogitNormalizer(logits, count: vocabularySize)
        let maximum = normalizer.maximum
        var total = 0.0
        for i in 0..<vocabularySize {
            let p = Double(expf((logits[i] - maximum) / Float(temperature)))
            probabilities[i] = p
            total += p
        }
        var target = candidate.generator.nextUnit() * total
        var token = endOfText
        for i in 0..<vocabularySize where probabilities[i] > 0 {
            target -= probabilities[i]
            token = i
            if target <= 0 { break }
        }
        candidate.sumLogProbability += normalizer.logProbability(of: logits[token])
        return token
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
