import Foundation
import MybroCore

/// How much of the 30 s window the encoder runs on.
public enum EncoderWindow: Sendable, Equatable {
    /// Always 30 s, as Whisper was trained (and as faster-whisper runs).
    case full
    /// A full window in which only the audio's rows (plus `marginPositions` encoder
    /// positions, 20 ms each) are computed; the padding's states come from a `PaddingCache`.
    case reusedPadding(marginPositions: Int)
}

public struct TranscriptionOptions: Sendable {
    /// Predict timestamp tokens and split windows into timed segments.
    public var timestamps = true
    /// Prompt each window with the text of the previous ones (long audio).
    public var conditionOnPreviousText = true
    /// A window is silent when its no-speech probability is above this and its average
    /// log-probability below `logProbabilityThreshold` (faster-whisper's defaults).
    public var noSpeechThreshold: Double? = 0.6
    public var logProbabilityThreshold: Double? = -1.0
    /// `.reusedPadding(marginPositions: 32)` is what the command uses unless --full-window.
    public var encoderWindow = EncoderWindow.full
    /// With `.reusedPadding`: every this-many-th padding position beyond the margin is computed
    /// too, and the others' states are the cached ones plus the content's change interpolated
    /// between computed positions (`PaddingInterpolation`); 0 reuses the cached states as they
    /// are. 16 matched --full-window on 98 % of short commands instead of 81 %.
    public var paddingSampleStride = 16
    /// With `.reusedPadding`: a window whose first result comes within this of the
    /// log-probability or compression ratio threshold is encoded again in full before the
    /// fallback and the no-speech test decide. On short commands the reused padding moved
    /// `avg_logprob` by up to 0.06 (99 % under 0.045), and most of the transcripts that
    /// differed from --full-window's were windows on either side of −1.
    public var exactDecisionMargin = 0.05
    /// With `.reusedPadding` and greedy decoding: a window whose first text had a step where the
    /// chosen token led the runner-up by less than this many logits, or the timestamp rule's
    /// choice was as close (`DecodingResult.closestCall`), is encoded again in full and decoded
    /// again: with a 0.64 s margin the reused padding moves such a lead by 0.037 logits at the
    /// median and 0.124 at the 90th percentile on the tuning commands, enough to go the other way.
    /// Decoding on the reused padding stops at such a step. Beam search reports no close calls.
    public var exactDecisionGap: Float = 0.1
    /// A window whose samples all stay below this peak (−60 dBFS) is silent without decoding:
    /// on pure digital silence the model's no-speech test is borderline and may emit ".".
    public var silencePeak: Float? = 0.001
    /// Temperatures tried in turn while a window's text fails the thresholds below
    /// (faster-whisper: 0, 0.2 … 1.0); `[0]` never falls back.
    public var temperatures: [Double] = [0]
    /// Fall back when the text's zlib compression ratio is above this (repetition).
    public var compressionRatioThreshold: Double? = 2.4
    /// Sequences sampled at each temperature above zero.
    public var bestOf = 5
    /// Previous-text conditioning stops after a window decoded above this temperature.
    public var promptResetTemperature = 0.5
    /// Language code for multilingual models ("de", "fr", …); nil detects it from the first
    /// window. English-only models always use English.
    public var language: String?
    /// Translate into English instead of transcribing (multilingual models).
    public var translate = false
    /// Hypotheses kept by beam search; 1 decodes greedily.
    public var beamSize = 1
    /// Tokens of a text that precedes the audio (`--initial-prompt`): steers spelling and
    /// vocabulary ("Swift, Makefile, README"), as faster-whisper's `initial_prompt`.
    public var initialPromptTokens: [Int] = []
    /// The first timestamp of a window may not be later than this.
    public var maxInitialTimestamp = 1.0

    public init() {}
}

/// Transcribes audio with a loaded model: 30 s windows, timestamp-driven seeking, greedy
/// decoding with Whisper's rules. One transcriber per thread; the model is shared.
public final class Transcriber: @unchecked Sendable {
    public let model: WhisperModel
    public var options: TranscriptionOptions
    /// Threads for the encoder's large products (the decoder's small ones use one).
    public let threads: Int
    public let mel: LogMelSpectrogram
    let encoder: AudioEncoder
    let decoder: TextDecoder

    private var cachedPadding: PaddingCache?
    private var lastDecodeDuration = Duration.zero
    private var lastTemperature = 0.0
    /// Windows that the default encoder mode encoded again in full because their first result
    /// was near a decision threshold (`TranscriptionOptions.exactDecisionMargin`) or had a close
    /// call (`exactDecisionGap`).
    public private(set) var exactWindows = 0
    /// The language of the input being transcribed (detected or given).
    private var currentLanguage: String?
    /// The extra decoders beam search needs (2·beam − 1), made on first use.
    private var beamDecoders: [TextDecoder] = []

    /// The all-padding window's states, computed on first use (one full encoder pass).
    public func preparePaddingCache() {
        if case .reusedPadding = options.encoderWindow { _ = paddingCache() }
    }

    func paddingCache() -> PaddingCache {
        if let cachedPadding { return cachedPadding }
        let store = PaddingCacheStore.path(for: model)
        let fingerprint = PaddingCacheStore.fingerprint(of: model)
        let clock = ContinuousClock.now
        if let store,
            let stored = PaddingCacheStore.load(path: store, architecture: model.architecture, fingerprint: fingerprint)
        {
            Log.shared.debug("padding cache read and verified in \(ContinuousClock.now - clock)")
            cachedPadding = stored
            return stored
        }
        BLAS.setThreads(threads)
        var cache = encoder.paddingStates()
        decoder.start(encoderOutput: cache.output, positions: cache.positions)
        cache.crossKeyValues = decoder.currentCrossKeyValues
        cachedPadding = cache
        if let store { PaddingCacheStore.save(cache, path: store, fingerprint: fingerprint) }
        return cache
    }

    static let framesPerSecond = 100
    static let secondsPerTimestamp = 0.02

    public init(model: WhisperModel, options: TranscriptionOptions = TranscriptionOptions(), threads: Int = 1) {
        self.model = model
        self.options = options
        self.threads = threads
        mel = LogMelSpectrogram(bins: model.architecture.melBins)
        encoder = AudioEncoder(weights: model.weights)
        decoder = TextDecoder(weights: model.weights)
        decoder.logitThreads = threads
    }

    /// Transcribes samples already in memory (an utterance, a raw stream). `draft` is the
    /// tokens the first window is expected to start with (a partial transcript's segment
    /// tokens for the same utterance): its greedy decode checks them in one pass
    /// (`GreedyDecoder.draft`) and chooses as it would without them, sooner.
    public func transcribe(samples: [Float], draft: [Int] = []) throws -> Transcript {
        // one window (an utterance) finds its maximum itself; longer input needs a first pass
        var maximum: Float?
        if samples.count > model.architecture.melFrames * LogMelSpectrogram.hop {
            var scan = MemorySampleSource(samples)
            maximum = try mel.maximum(of: &scan)
        }
        var source = MemorySampleSource(samples)
        return try transcribe(source: &source, logMelMaximum: maximum, draft: draft)
    }

    /// Transcribes everything `source` delivers, holding at most one window of samples.
    /// `logMelMaximum` is the largest log-mel value of the whole input (`LogMelSpectrogram.
    /// maximum(of:)`, a first pass), which faster-whisper's normalisation uses; without it each
    /// window uses its own. `progress` gets the seconds done so far after each window.
    public func transcribe<Source: SampleSource>(
        source: inout Source,
        logMelMaximum: Float? = nil,
        progress: ((Double) -> Void)? = nil,
        draft: [Int] = []
    ) throws -> Transcript {
        let a = model.architecture
        let windowFrames = a.melFrames
        let windowSamples = windowFrames * LogMelSpectrogram.hop
        var buffer: [Float] = []
        var bufferStart = 0  // sample index of buffer[0]
        var ended = false
        var seek = 0  // in mel frames
        var segments: [TranscriptSegment] = []
        var allTokens: [Int] = options.initialPromptTokens
        currentLanguage = model.architecture.isMultilingual ? options.language : "en"
        var logProbabilities: [Double] = []
        var firstNoSpeech: Double?
        var totalSamples = 0
        BLAS.setThreads(threads)

        while true {
            if Signals.stopRequested { break }
            let windowStart = seek * LogMelSpectrogram.hop
            // frames near the window's start look 200 samples back, as in one whole-signal STFT
            let lookback = LogMelSpectrogram.fftSize / 2
            func dropBefore(_ sample: Int) {
                if sample > bufferStart {
                    let drop = min(sample - bufferStart, buffer.count)
                    buffer.removeFirst(drop)
                    bufferStart += drop
                }
            }
            dropBefore(windowStart - lookback)
            while !ended && bufferStart + buffer.count < windowStart + windowSamples + lookback {
                let wanted = windowStart + windowSamples + lookback - (bufferStart + buffer.count)
                let got = try source.read(into: &buffer, count: min(wanted, 1 << 16))
                if got == 0 { ended = true }
                totalSamples += got
            }
            // skip what seeking jumped over without buffering it
            dropBefore(windowStart - lookback)
            let contentFrames =
                ended
                ? LogMelSpectrogram.frames(forSamples: totalSamples) - seek
                : windowFrames
            let segmentFrames = min(windowFrames, contentFrames)
            if segmentFrames <= 0 { break }

            let windowOffset = max(0, windowStart - bufferStart)
            let windowEnd = min(buffer.count, windowOffset + windowSamples)
            if let floor = options.silencePeak,
                buffer[windowOffset..<max(windowOffset, windowEnd)].allSatisfy({ abs($0) < floor })
            {
                // no signal at all (digital silence): nothing to decode, nothing to hallucinate
                seek += segmentFrames
                progress?(Double(seek) / Double(Self.framesPerSecond))
                continue
            }
            BLAS.setThreads(threads)
            let clock = ContinuousClock.now
            // when this window holds the whole input, its frames (and the one past the content
            // that faster-whisper's maximum also covers) give the maximum without a first pass
            let wholeInput = logMelMaximum == nil && seek == 0 && ended
            let frameCount = wholeInput ? LogMelSpectrogram.frameCount(forSignal: totalSamples) : segmentFrames
            var features = buffer.withUnsafeBufferPointer {
                mel.logFrames(
                    first: seek, count: frameCount, signalLength: ended ? totalSamples : nil, window: $0,
                    windowStart: bufferStart)
            }
            LogMelSpectrogram.normalize(&features, maximum: logMelMaximum ?? features.max() ?? 0)
            if frameCount != segmentFrames {
                features = (0..<model.architecture.melBins).flatMap { bin in
                    features[(bin * frameCount)..<(bin * frameCount + segmentFrames)]
                }
            }
            let window = (features: features, frameCount: segmentFrames)
            let exactBefore = exactWindows
            let result = decodeWindow(
                features: window.features, featureStride: window.frameCount,
                contentFrames: segmentFrames, previousTokens: allTokens, draft: seek == 0 ? draft : [])
            Log.shared.debug(
                "window at \(seek) frames: \(segmentFrames) frames, \(result.tokens.count) tokens, "
                    + "mel+encode+decode \(ContinuousClock.now - clock) (decode \(lastDecodeDuration))"
                    + (exactWindows > exactBefore
                        ? ", encoded again in full near a decision (a threshold or a close call)" : ""))
            // Sound weights give finite probabilities for any audio; NaN or infinity means
            // flipped bytes in a model that CHECKSUMS did not cover.
            guard result.sumLogProbability.isFinite, result.noSpeechProbability.isFinite
            else {
                throw MybroError(
                    "model file is corrupt: run make setup-model (\(model.directory): "
                        + "the model computed NaN or infinite probabilities)", status: .dataError)
            }
            if firstNoSpeech == nil { firstNoSpeech = result.noSpeechProbability }
            let timeOffset = Double(seek) / Double(Self.framesPerSecond)

            if isSilence(result) {
                seek += segmentFrames
                progress?(Double(seek) / Double(Self.framesPerSecond))
                continue
            }
            logProbabilities.append(result.averageLogProbability)
            let split = splitSegments(result, timeOffset: timeOffset, segmentFrames: segmentFrames)
            for segment in split.segments {
                let text = model.vocabulary.text(of: segment.tokens)
                if segment.start == segment.end || text.allSatisfy(\.isWhitespace) { continue }
                allTokens.append(contentsOf: segment.tokens)
                segments.append(
                    TranscriptSegment(
                        start: segment.start, end: segment.end, text: text, tokens: segment.tokens,
                        averageLogProbability: result.averageLogProbability,
                        noSpeechProbability: result.noSpeechProbability))
            }
            seek += max(split.advance, 1)
            if !options.conditionOnPreviousText || lastTemperature > options.promptResetTemperature {
                allTokens.removeAll()
            }
            progress?(Double(seek) / Double(Self.framesPerSecond))
        }
        let average = logProbabilities.isEmpty ? 0 : logProbabilities.reduce(0, +) / Double(logProbabilities.count)
        return Transcript(
            segments: segments, language: currentLanguage ?? options.language ?? "en",
            duration: Double(totalSamples) / Double(LogMelSpectrogram.sampleRate),
            averageLogProbability: average, noSpeechProbability: firstNoSpeech ?? 1)
    }

    /// faster-whisper's rule: skip a window whose no-speech probability is high unless its
    /// text is confident.
    func isSilence(_ result: DecodingResult) -> Bool {
        guard let threshold = options.noSpeechThreshold, result.noSpeechProbability > threshold else { return false }
        if let logThreshold = options.logProbabilityThreshold, result.averageLogProbability > logThreshold {
            return false
        }
        return true
    }

    /// Whether a window's first (temperature 0) result is past, or within `exactDecisionMargin`
    /// of, a threshold that decides what happens next: temperature fallback below the
    /// log-probability threshold or above the compression ratio threshold, and the no-speech
    /// test (which needs the log-probability below its threshold too). Past one, the window is
    /// sampled, and sampling turns the reused padding's small differences into other texts.
    /// Also whether a greedy choice was a close call (`exactDecisionGap`), which the reused
    /// padding may have decided the other way.
    func isNearDecision(_ result: DecodingResult, compression: Double) -> Bool {
        let margin = options.exactDecisionMargin
        if let threshold = options.logProbabilityThreshold, result.averageLogProbability < threshold + margin {
            return true
        }
        if let threshold = options.compressionRatioThreshold, compression > threshold - margin { return true }
        return result.stoppedAtCloseCall || result.closestCall < options.exactDecisionGap
    }

    /// Encodes a window (all of it when `exact`, else as `options.encoderWindow` says) and
    /// starts the decoder on it.
    private func startDecoder(features: [Float], featureStride: Int, contentFrames: Int, exact: Bool) {
        let a = model.architecture
        BLAS.setThreads(threads)
        // per-token products are small: waking the pool would cost more than it saves
        defer { BLAS.setThreads(1) }
        if !exact, case .reusedPadding(let margin) = options.encoderWindow {
            let cache = paddingCache()
            let computed = min(a.audioContext, (contentFrames + 1) / 2 + margin)
            let encoded = features.withUnsafeBufferPointer {
                encoder.encode(
                    features: $0.baseAddress!, featureStride: featureStride, contentFrames: contentFrames,
                    computed: computed, cache: cache, sampleStride: options.paddingSampleStride)
            }
            // The padding's cross-attention keys/values come from the cache, with the content's
            // change interpolated between the sampled positions as in the encoder.
            let (samples, anchors) = PaddingInterpolation.plan(
                computed: computed, contentFrames: contentFrames, positions: a.audioContext,
                stride: options.paddingSampleStride)
            decoder.start(
                encoderOutput: encoded, positions: a.audioContext, computed: computed, cache: cache, samples: samples,
                anchors: anchors)
        } else {
            let encoded = features.withUnsafeBufferPointer {
                encoder.encode(
                    features: $0.baseAddress!, featureStride: featureStride,
                    contentFrames: contentFrames, windowFrames: a.melFrames)
            }
            decoder.start(encoderOutput: encoded, positions: a.audioContext)
        }
    }

    /// Encodes one window and decodes it greedily.
    func decodeWindow(
        features: [Float], featureStride: Int, contentFrames: Int, previousTokens: [Int], draft: [Int] = []
    ) -> DecodingResult {
        let a = model.architecture
        let special = model.vocabulary.special
        // A window the audio fills is computed whole in either mode: nothing to encode again.
        var exact = true
        if case .reusedPadding(let margin) = options.encoderWindow {
            exact = (contentFrames + 1) / 2 + margin >= a.audioContext
        }
        startDecoder(features: features, featureStride: featureStride, contentFrames: contentFrames, exact: exact)

        var prompt: [Int] = []
        if !previousTokens.isEmpty {
            prompt.append(special.startOfPrevious)
            prompt.append(contentsOf: previousTokens.suffix(a.textContext / 2 - 1))
        }
        let startIndex = prompt.count
        prompt.append(special.startOfTranscript)
        if a.isMultilingual {
            let code = currentLanguage ?? detectLanguage()
            currentLanguage = code
            prompt.append(special.languages[code] ?? special.startOfTranscript + 1)
            prompt.append(options.translate ? special.translate : special.transcribe)
        }
        if !options.timestamps { prompt.append(special.noTimestamps) }
        let filters = LogitFilters(
            special: special, vocabularySize: a.vocabularySize,
            suppressTokens: model.config.suppressTokens, suppressAtBegin: model.config.suppressAtBegin,
            timestamps: options.timestamps,
            maxInitialTimestampIndex: Int((options.maxInitialTimestamp / Self.secondsPerTimestamp).rounded()))
        let maxTokens = min(a.textContext / 2, a.textContext - prompt.count)
        let clock = ContinuousClock.now
        defer { lastDecodeDuration = ContinuousClock.now - clock }
        // faster-whisper's generate_with_fallback
        var attempts: [(result: DecodingResult, compression: Double)] = []
        // tokens the greedy decode checks in one pass (`GreedyDecoder.draft`): the caller's, or
        // the first try's when the window is encoded again
        var draft = draft
        decoding: while true {
            attempts = []
            for (attempt, temperature) in options.temperatures.enumerated() {
                if attempt > 0 { decoder.resetTokens() }
                lastTemperature = temperature
                let result = decode(
                    prompt: prompt, startIndex: startIndex, maxTokens: maxTokens, filters: filters,
                    temperature: temperature, seed: UInt64(attempt) &* 0x9E37_79B9 &+ UInt64(previousTokens.count),
                    closeCallLimit: exact || attempt > 0 ? -.infinity : options.exactDecisionGap,
                    draft: attempt == 0 ? draft : [])
                // NaN from broken weights: no temperature helps (transcribe reports it)
                if !result.sumLogProbability.isFinite || !result.noSpeechProbability.isFinite { return result }
                let text = model.vocabulary.text(of: result.tokens).trimmingCharacters(in: .whitespaces)
                let compression = CompressionRatio.of(text)
                if attempt == 0, !exact, isNearDecision(result, compression: compression) {
                    // The approximate padding states move these figures a little. Near a threshold
                    // that chooses between this text, sampling and silence, or after a close call
                    // between two tokens, the window is encoded in full, so that the choice (and
                    // any sampling) is --full-window's.
                    exact = true
                    exactWindows += 1
                    // the first try's tokens, unless they begin the caller's draft, which goes on
                    // past a close call where the first try stopped
                    if !draft.starts(with: result.tokens) { draft = result.tokens }
                    startDecoder(
                        features: features, featureStride: featureStride, contentFrames: contentFrames, exact: true)
                    continue decoding
                }
                attempts.append((result, compression))
                var needsFallback = false
                if let threshold = options.compressionRatioThreshold, compression > threshold { needsFallback = true }
                if let threshold = options.logProbabilityThreshold, result.averageLogProbability < threshold {
                    needsFallback = true
                }
                if let silence = options.noSpeechThreshold, result.noSpeechProbability > silence,
                    let threshold = options.logProbabilityThreshold, result.averageLogProbability < threshold
                {
                    needsFallback = false  // silence: the no-speech test decides
                }
                if !needsFallback { return result }
            }
            break
        }
        // every temperature failed: the likeliest result that is not repetitive, if any
        let repetitionFree = attempts.filter {
            options.compressionRatioThreshold == nil || $0.compression <= options.compressionRatioThreshold!
        }
        let pool = repetitionFree.isEmpty ? attempts : repetitionFree
        return pool.max { $0.result.averageLogProbability < $1.result.averageLogProbability }!.result
    }

    private func decode(
        prompt: [Int], startIndex: Int, maxTokens: Int, filters: LogitFilters, temperature: Double,
        seed: UInt64, closeCallLimit: Float, draft: [Int]
    ) -> DecodingResult {
        let a = model.architecture
        let special = model.vocabulary.special
        let extra = temperature > 0 ? options.bestOf - 1 : (options.beamSize > 1 ? 2 * options.beamSize - 1 : 0)
        while beamDecoders.count < extra {
            let decoder = TextDecoder(weights: model.weights)
            decoder.logitThreads = threads
            beamDecoders.append(decoder)
        }
        if temperature > 0 {
            let sampler = SamplingDecoder(
                decoders: [decoder] + beamDecoders.prefix(options.bestOf - 1), filters: filters,
                vocabularySize: a.vocabularySize, endOfText: special.endOfText, noSpeech: special.noSpeech,
                temperature: temperature, seed: seed)
            return sampler.decode(prompt: prompt, startIndex: startIndex, maxTokens: maxTokens)
        }
        if options.beamSize > 1 {
            let beam = BeamSearchDecoder(
                decoders: [decoder] + beamDecoders.prefix(options.beamSize - 1),
                spares: Array(beamDecoders.dropFirst(options.beamSize - 1).prefix(options.beamSize)),
                filters: filters, vocabularySize: a.vocabularySize, endOfText: special.endOfText,
                noSpeech: special.noSpeech)
            return beam.decode(prompt: prompt, startIndex: startIndex, maxTokens: maxTokens)
        }
        let greedy = GreedyDecoder(
            decoder: decoder, filters: filters, vocabularySize: a.vocabularySize,
            endOfText: special.endOfText, noSpeech: special.noSpeech, timestampBegin: special.timestampBegin,
            closeCallLimit: closeCallLimit, draft: draft)
        return greedy.decode(prompt: prompt, startIndex: startIndex, maxTokens: maxTokens)
    }

    /// The likeliest language token after `<|startoftranscript|>` for the current window.
    func detectLanguage() -> String {
        let a = model.architecture
        let special = model.vocabulary.special
        var logits = [Float](repeating: 0, count: a.vocabularySize)
        logits.withUnsafeMutableBufferPointer {
            decoder.forward([special.startOfTranscript], logitRows: [0], logits: $0.baseAddress!)
        }
        decoder.resetTokens()
        var best = "en", bestValue = -Float.infinity
        for (code, id) in special.languages where id < a.vocabularySize && logits[id] > bestValue {
            bestValue = logits[id]
            best = code
        }
        return best
    }

    /// faster-whisper's `_split_segments_by_timestamps`: timed segments and how far to seek.
    func splitSegments(_ result: DecodingResult, timeOffset: Double, segmentFrames: Int)
        -> (segments: [(start: Double, end: Double, tokens: [Int])], advance: Int)
    {
        let tokens = result.tokens
        let begin = model.vocabulary.special.timestampBegin
        let precision = Self.secondsPerTimestamp
        let framesPerTimestamp = 2
        let singleTimestampEnding =
            tokens.count >= 2 && tokens[tokens.count - 2] < begin && tokens[tokens.count - 1] >= begin
        let consecutive = tokens.indices.filter { $0 > 0 && tokens[$0] >= begin && tokens[$0 - 1] >= begin }
        var segments: [(start: Double, end: Double, tokens: [Int])] = []
        if !consecutive.isEmpty {
            var slices = consecutive
            if singleTimestampEnding { slices.append(tokens.count) }
            var lastSlice = 0
            for slice in slices {
                let piece = Array(tokens[lastSlice..<slice])
                segments.append(
                    (
                        timeOffset + Double(piece[0] - begin) * precision,
                        timeOffset + Double(piece[piece.count - 1] - begin) * precision, piece
                    ))
                lastSlice = slice
            }
            if singleTimestampEnding { return (segments, segmentFrames) }
            return (segments, (tokens[lastSlice - 1] - begin) * framesPerTimestamp)
        }
        var duration = Double(segmentFrames) / Double(Self.framesPerSecond)
        if let last = tokens.last(where: { $0 >= begin }), last != begin {
            duration = Double(last - begin) * precision
        }
        segments.append((timeOffset, timeOffset + duration, tokens))
        return (segments, segmentFrames)
    }
}
