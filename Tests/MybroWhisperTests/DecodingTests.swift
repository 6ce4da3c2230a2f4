import Foundation
import MybroTestSupport
import Testing

@testable import MybroWhisper

@Suite struct DecodingTests {
    static func noise(seconds: Double, seed: UInt64 = 3) -> [Float] {
        var state = seed
        return (0..<Int(seconds * 16000)).map { index in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let noise = Float(Int64(bitPattern: state >> 11) % 1000) / 20000
            return 0.3 * sinf(Float(index) * 0.07) + noise
        }
    }

    /// Fallback through temperatures 0, 0.4 and 1.0 (best of 3) where nothing passes the
    /// log-probability threshold, so every window tries every temperature.
    static func everyTemperatureTried() -> TranscriptionOptions {
        var options = TranscriptionOptions()
        options.noSpeechThreshold = nil
        options.timestamps = false
        options.temperatures = [0, 0.4, 1.0]
        options.bestOf = 3
        options.logProbabilityThreshold = 10
        return options
    }

    /// A made-up encoder output in [0, 2), the same for the same seed.
    static func encoderOutput(for a: WhisperArchitecture, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<(a.audioContext * a.modelWidth)).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2000) / 1000
        }
    }

    /// The model's logit rules with timestamps, the first one by 1.0 s.
    static func timestampFilters(for model: WhisperModel) -> LogitFilters {
        LogitFilters(
            special: model.vocabulary.special, vocabularySize: model.architecture.vocabularySize,
            suppressTokens: model.config.suppressTokens, suppressAtBegin: model.config.suppressAtBegin,
            timestamps: true, maxInitialTimestampIndex: 50)
    }

    func model() throws -> WhisperModel {
        try WhisperModel.load(directory: TinyModel.write(to: TinyModel.temporaryDirectory()))
    }

    @Test(arguments: [true, false])
    func aRandomModelDecodesDeterministically(timestamps: Bool) throws {
        var options = TranscriptionOptions()
        options.timestamps = timestamps
        options.noSpeechThreshold = nil
        let transcriber = Transcriber(model: try model(), options: options)
        let audio = Self.noise(seconds: 7.3)
        let first = try transcriber.transcribe(samples: audio)
        let second = try transcriber.transcribe(samples: audio)
        // the same tokens and times; log-probabilities may differ in the last bits when another
        // test changes OpenBLAS's (process-wide) thread count in between
        #expect(first.segments.map(\.tokens) == second.segments.map(\.tokens))
        #expect(first.segments.map(\.start) == second.segments.map(\.start))
        #expect(abs(first.averageLogProbability - second.averageLogProbability) < 1e-5)
        #expect(abs(first.duration - 7.3) < 1e-6)
        let vocabularySize = TinyModel.architecture.vocabularySize
        for segment in first.segments {
            #expect(segment.tokens.allSatisfy { $0 >= 0 && $0 < vocabularySize && $0 != 256 })
            #expect(segment.start >= 0 && segment.start <= segment.end)
        }
        // 3 s windows over 7.3 s: windows start in order and stay inside the audio
        #expect(zip(first.segments, first.segments.dropFirst()).allSatisfy { $0.start <= $1.start })
    }

    @Test func halfAndSinglePrecisionDecodersAgree() throws {
        let half = try model()
        let single = try WhisperModel.load(
            directory: TinyModel.write(
                to: TinyModel.temporaryDirectory(), modelBin: TinyModel.modelBin(TinyModel.variables(float32: true))))
        #expect(!half.weights.tokenEmbeddingsHalf.isEmpty && !half.weights.decoderLayers[0].feedForwardIn.half.isEmpty)
        #expect(
            single.weights.tokenEmbeddingsHalf.isEmpty && single.weights.decoderLayers[0].feedForwardIn.half.isEmpty)
        var options = TranscriptionOptions()
        options.noSpeechThreshold = nil
        let audio = Self.noise(seconds: 2.5, seed: 11)
        let a = try Transcriber(model: half, options: options).transcribe(samples: audio)
        let b = try Transcriber(model: single, options: options).transcribe(samples: audio)
        #expect(a.segments.map(\.tokens) == b.segments.map(\.tokens))
        #expect(abs(a.averageLogProbability - b.averageLogProbability) < 1e-3)
    }

    @Test func beamSearchFindsASequenceAtLeastAsLikelyPerTokenAsGreedy() throws {
        let model = try model()
        var options = TranscriptionOptions()
        options.noSpeechThreshold = nil
        options.timestamps = false
        let audio = Self.noise(seconds: 2, seed: 5)
        let greedy = try Transcriber(model: model, options: options).transcribe(samples: audio)
        options.beamSize = 4
        let transcriber = Transcriber(model: model, options: options)
        let beam = try transcriber.transcribe(samples: audio)
        let again = try transcriber.transcribe(samples: audio)
        #expect(beam.segments.map(\.tokens) == again.segments.map(\.tokens))
        #expect(beam.segments.flatMap(\.tokens).allSatisfy { ![256, 257, 259, 260, 261, 262, 263].contains($0) })
        // greedy's sequence is one of the candidates beam search weighs
        #expect(beam.averageLogProbability >= greedy.averageLogProbability - 0.5)
    }

    @Test func compressionRatioFlagsRepetition() {
        #expect(CompressionRatio.of("And so my fellow Americans, ask not what your country can do for you.") < 2.4)
        #expect(CompressionRatio.of(String(repeating: "In being comparatively modern. ", count: 20)) > 2.4)
        #expect(CompressionRatio.of("") == 0)
    }

    @Test func temperatureFallbackSamplesReproducibly() throws {
        let model = try model()
        let options = Self.everyTemperatureTried()
        let transcriber = Transcriber(model: model, options: options)
        let audio = Self.noise(seconds: 2, seed: 9)
        let first = try transcriber.transcribe(samples: audio)
        let second = try transcriber.transcribe(samples: audio)
        #expect(first.segments.map(\.tokens) == second.segments.map(\.tokens))
        #expect(first.segments.flatMap(\.tokens).allSatisfy { ![256, 257, 259, 260, 261, 262, 263].contains($0) })
        var greedyOptions = options
        greedyOptions.temperatures = [0]
        let greedy = try Transcriber(model: model, options: greedyOptions).transcribe(samples: audio)
        // the kept attempt is the likeliest of the three
        #expect(first.averageLogProbability >= greedy.averageLogProbability - 1e-9)
    }

    /// The candidates' draws run on the decoder's threads (one lane per thread at a time), and
    /// the output projection splits the vocabulary between them: the sampled sequences and their
    /// log-probabilities must not depend on how many threads there are. Only the decoder's
    /// thread count varies here (a Transcriber's would also set OpenBLAS's, process-wide).
    @Test func samplingGivesTheSameCandidatesOnAnyNumberOfThreads() throws {
        let model = try model()
        let a = model.architecture
        let special = model.vocabulary.special
        let encoderOutput = Self.encoderOutput(for: a, seed: 17)
        let filters = Self.timestampFilters(for: model)
        let results = [1, 2, 3].map { threads -> DecodingResult in
            let decoders = (0..<5).map { _ in TextDecoder(weights: model.weights) }
            decoders[0].start(encoderOutput: encoderOutput, positions: a.audioContext)
            for decoder in decoders { decoder.logitThreads = threads }
            let sampler = SamplingDecoder(
                decoders: decoders, filters: filters, vocabularySize: a.vocabularySize, endOfText: special.endOfText,
                noSpeech: special.noSpeech, temperature: 1.0, seed: 42)
            return sampler.decode(prompt: [special.startOfTranscript], startIndex: 0, maxTokens: 12)
        }
        for result in results.dropFirst() {
            #expect(result.tokens == results[0].tokens)
            #expect(result.sumLogProbability == results[0].sumLogProbability)
        }
        #expect(!results[0].tokens.isEmpty)
    }

    @Test func lanesStepTogetherAsTheyWouldAlone() throws {
        let model = try model()
        let a = model.architecture
        let vocabulary = a.vocabularySize
        let encoderOutput = Self.encoderOutput(for: a, seed: 5)
        let prompt = [257, 3, 4]
        func started() -> TextDecoder {
            let decoder = TextDecoder(weights: model.weights)
            decoder.start(encoderOutput: encoderOutput, positions: a.audioContext)
            var scratch = [Float](repeating: 0, count: vocabulary)
            decoder.forward(prompt, logitRows: [2], logits: &scratch)
            return decoder
        }
        // lanes of unequal lengths, in two steps, against each lane stepped on its own
        let steps: [[[Int]]] = [[[5], [9, 10], [5]], [[6], [11], [7, 8]]]
        let lead = started()
        let lanes = [lead] + (0..<2).map { _ in TextDecoder(weights: model.weights) }
        for lane in lanes.dropFirst() { lane.copyState(from: lead) }
        let alone = (0..<3).map { _ in started() }
        for step in steps {
            let rows = step.map(\.count).reduce(0, +)
            var together = [Float](repeating: 0, count: rows * vocabulary)
            lead.forward(lanes: lanes, tokens: step, logitRows: Array(0..<rows), logits: &together)
            var row = 0
            for (lane, tokens) in step.enumerated() {
                var own = [Float](repeating: 0, count: tokens.count * vocabulary)
                alone[lane].forward(tokens, logitRows: Array(0..<tokens.count), logits: &own)
                for index in 0..<(tokens.count * vocabulary) {
                    let expected = own[index], actual = together[row * vocabulary + index]
                    #expect(abs(expected - actual) <= 1e-4 * max(1, abs(expected)))
                }
                row += tokens.count
                #expect(lanes[lane].length == alone[lane].length)
            }
        }
    }

    @Test func reusedPaddingAndFullEncoderWindowsBothRun() throws {
        let model = try model()
        var options = TranscriptionOptions()
        options.encoderWindow = .reusedPadding(marginPositions: 4)
        options.noSpeechThreshold = nil
        let fitted = try Transcriber(model: model, options: options).transcribe(samples: Self.noise(seconds: 1))
        #expect(fitted.duration == 1)
        let empty = try Transcriber(model: model).transcribe(samples: [])
        #expect(empty.segments.isEmpty && empty.text == "")
    }

    /// An utterance transcribed with its partial's tokens as the draft (what the stream stage
    /// does) gives what it gives without them, in either encoder mode, whatever the draft.
    @Test(arguments: [true, false])
    func aPartialsTokensChangeNoTranscript(fullWindow: Bool) throws {
        let model = try model()
        var options = TranscriptionOptions()
        options.noSpeechThreshold = nil
        options.logProbabilityThreshold = -1000  // greedy only: the draft is for greedy decoding
        options.compressionRatioThreshold = nil
        if !fullWindow { options.encoderWindow = .reusedPadding(marginPositions: 4) }
        let audio = Self.noise(seconds: 1.5, seed: 11)
        let partial = try Transcriber(model: model, options: options).transcribe(samples: Array(audio.prefix(16_000)))
        let partialTokens = partial.segments.flatMap(\.tokens)
        let plain = try Transcriber(model: model, options: options).transcribe(samples: audio)
        let plainTokens = plain.segments.flatMap(\.tokens)
        #expect(plainTokens.count >= 3)
        for draft in [partialTokens, plainTokens, plainTokens.reversed(), [400, 401]] {
            let transcriber = Transcriber(model: model, options: options)
            let drafted = try transcriber.transcribe(samples: audio, draft: draft)
            #expect(drafted.segments.flatMap(\.tokens) == plainTokens, "draft \(draft)")
            #expect(abs(drafted.averageLogProbability - plain.averageLogProbability) < 1e-3)
            if draft == plainTokens && fullWindow {
                // the right draft costs one pass (prompt and draft) and the step after it, if
                // the decode went on past the draft (a first try on the reused padding chooses
                // otherwise here, so it steps on its own)
                #expect(transcriber.decoder.passes <= 2, "\(transcriber.decoder.passes) passes")
            }
        }
    }

    @Test func aWindowNearTheFallbackIsEncodedInFullBeforeItSamples() throws {
        let model = try model()
        var options = Self.everyTemperatureTried()
        let audio = Self.noise(seconds: 1, seed: 9)
        let full = try Transcriber(model: model, options: options).transcribe(samples: audio)
        options.encoderWindow = .reusedPadding(marginPositions: 4)
        options.paddingSampleStride = 8
        let reused = Transcriber(model: model, options: options)
        // sampling amplifies any difference in the states: only the full window gives full's text
        #expect(try reused.transcribe(samples: audio).segments.map(\.tokens) == full.segments.map(\.tokens))
        #expect(reused.exactWindows == 1)

        // A window the audio fills is computed whole already: it is not encoded a second time.
        let filled = Transcriber(model: model, options: options)
        _ = try filled.transcribe(samples: Self.noise(seconds: 3, seed: 9))
        #expect(filled.exactWindows == 0)

        options.exactDecisionMargin = -.infinity  // never: the window samples on reused padding
        options.exactDecisionGap = 0
        let approximate = Transcriber(model: model, options: options)
        _ = try approximate.transcribe(samples: audio)
        #expect(approximate.exactWindows == 0)

        options.exactDecisionMargin = 0.05
        options.logProbabilityThreshold = -1000  // far from any decision: nothing is encoded again
        let confident = Transcriber(model: model, options: options)
        _ = try confident.transcribe(samples: audio)
        #expect(confident.exactWindows == 0)
    }

    @Test func aCloseCallBetweenTwoTokensIsDecodedAgainOnTheFullWindow() throws {
        let model = try model()
        var options = TranscriptionOptions()
        options.logProbabilityThreshold = -1000  // no fallback, no silence: only the lead decides
        options.compressionRatioThreshold = nil
        options.noSpeechThreshold = nil
        let audio = Self.noise(seconds: 1, seed: 9)
        let full = try Transcriber(model: model, options: options).transcribe(samples: audio)
        options.encoderWindow = .reusedPadding(marginPositions: 4)
        options.paddingSampleStride = 8

        // No lead is under 0: the first text stands.
        options.exactDecisionGap = 0
        let measured = Transcriber(model: model, options: options)
        _ = try measured.transcribe(samples: audio)
        #expect(measured.exactWindows == 0)

        // Every lead under the limit: the window is encoded again and decoded as the full window.
        options.exactDecisionGap = .infinity
        let cautious = Transcriber(model: model, options: options)
        #expect(try cautious.transcribe(samples: audio).segments.map(\.tokens) == full.segments.map(\.tokens))
        #expect(cautious.exactWindows == 1)
    }

    /// The greedy decoder's closest call is the smallest lead of a chosen text (or end) token
    /// over the runner-up, recomputed here by replaying its steps; with a limit just above it,
    /// decoding stops at that step.
    @Test func theGreedyDecoderReportsItsClosestCallAndStopsThere() throws {
        let model = try model()
        let a = model.architecture
        let special = model.vocabulary.special
        let encoderOutput = Self.encoderOutput(for: a, seed: 23)
        let filters = Self.timestampFilters(for: model)
        func greedy(limit: Float) -> DecodingResult {
            let decoder = TextDecoder(weights: model.weights)
            decoder.start(encoderOutput: encoderOutput, positions: a.audioContext)
            return GreedyDecoder(
                decoder: decoder, filters: filters, vocabularySize: a.vocabularySize, endOfText: special.endOfText,
                noSpeech: special.noSpeech, timestampBegin: special.timestampBegin, closeCallLimit: limit
            ).decode(prompt: [special.startOfTranscript], startIndex: 0, maxTokens: 20)
        }
        let result = greedy(limit: -.infinity)
        #expect(result.tokens.count >= 3)

        // replay: the same steps, each one's two best tokens found by sorting
        let decoder = TextDecoder(weights: model.weights)
        decoder.start(encoderOutput: encoderOutput, positions: a.audioContext)
        var logits = [Float](repeating: 0, count: a.vocabularySize)
        var closest = Float.infinity
        var closestStep = -1
        var timestampPairs = 0  // steps whose two best are timestamps: not close calls
        var input = [special.startOfTranscript]
        // a decode that reached its 20 tokens never took the step after them
        let steps = result.tokens.count == 20 ? result.tokens.count : result.tokens.count + 1
        for step in 0..<steps {
            decoder.forward(input, logitRows: [0], logits: &logits)
            var ruleLead = Double.infinity
            _ = filters.apply(&logits, sampled: Array(result.tokens.prefix(step)), timestampRuleLead: &ruleLead)
            let ranked = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
            let chosen = step < result.tokens.count ? result.tokens[step] : special.endOfText
            #expect(ranked[0] == chosen)
            var lead = Float(ruleLead)
            if ranked[0] < special.timestampBegin || ranked[1] < special.timestampBegin {
                lead = min(lead, logits[ranked[0]] - logits[ranked[1]])
            } else {
                timestampPairs += 1
            }
            if lead < closest {
                closest = lead
                closestStep = step
            }
            if step < result.tokens.count { input = [result.tokens[step]] }
        }
        #expect(result.closestCall == closest && !result.stoppedAtCloseCall)
        #expect(closest >= 0 && closest.isFinite)
        #expect(timestampPairs > 0)
        // a step before the end, so that stopping there shows
        #expect(closestStep < result.tokens.count)

        let stopped = greedy(limit: closest.nextUp)
        #expect(stopped.tokens == Array(result.tokens.prefix(closestStep)))
        #expect(stopped.closestCall == closest && stopped.stoppedAtCloseCall)
        #expect(!greedy(limit: closest).stoppedAtCloseCall)
    }

    /// A draft (the first try's tokens) is checked in one pass and changes no choice: a draft
    /// that is right, one that goes wrong halfway, one that runs past the end and one that is
    /// wrong from the start all give the tokens and figures of a decode without one.
    @Test func aDraftChangesNoChoice() throws {
        let model = try model()
        let a = model.architecture
        let special = model.vocabulary.special
        let encoderOutput = Self.encoderOutput(for: a, seed: 23)
        let prompt = [special.startOfPrevious, 300, 301, special.startOfTranscript]
        func greedy(draft: [Int], maxTokens: Int = 20, closeCallLimit: Float = -.infinity) -> (
            DecodingResult, cached: Int
        ) {
            let decoder = TextDecoder(weights: model.weights)
            decoder.start(encoderOutput: encoderOutput, positions: a.audioContext)
            var greedy = GreedyDecoder(
                decoder: decoder, filters: Self.timestampFilters(for: model), vocabularySize: a.vocabularySize,
                endOfText: special.endOfText, noSpeech: special.noSpeech, timestampBegin: special.timestampBegin,
                draft: draft)
            greedy.closeCallLimit = closeCallLimit
            let result = greedy.decode(prompt: prompt, startIndex: 3, maxTokens: maxTokens)
            return (result, decoder.length)
        }
        func expectSame(_ result: DecodingResult, _ plain: DecodingResult, _ label: String) {
            #expect(result.tokens == plain.tokens, "\(label)")
            #expect(abs(result.sumLogProbability - plain.sumLogProbability) < 1e-3, "\(label)")
            #expect(abs(result.noSpeechProbability - plain.noSpeechProbability) < 1e-6, "\(label)")
            #expect(abs(result.closestCall - plain.closestCall) < 1e-3, "\(label)")
            #expect(result.stoppedAtCloseCall == plain.stoppedAtCloseCall, "\(label)")
        }
        let (plain, plainCached) = greedy(draft: [])
        let tokens = plain.tokens
        #expect(tokens.count >= 4)
        let half = tokens.count / 2
        let wrong = tokens[half] == 400 ? 401 : 400
        let drafts = [
            tokens, Array(tokens.prefix(half)) + [wrong] + Array(tokens.suffix(from: half + 1)),
            tokens + [special.endOfText, 500, 501], [wrong, 402, 403],
            // a caller's tokens outside the vocabulary end the draft there, and do no harm
            Array(tokens.prefix(half)) + [a.vocabularySize, 7], [-1] + tokens,
        ]
        for draft in drafts {
            let (result, cached) = greedy(draft: draft)
            expectSame(result, plain, "draft \(draft)")
            // no draft token past the chosen ones stays in the cache (a decode that reaches its
            // limit may hold its last token, which one without a draft never ran)
            #expect(cached >= plainCached && cached <= prompt.count + tokens.count, "draft \(draft): \(cached)")
        }
        // a token limit inside the draft
        let (short, _) = greedy(draft: [], maxTokens: half)
        let (shortDrafted, shortCached) = greedy(draft: tokens, maxTokens: half)
        expectSame(shortDrafted, short, "limit \(half)")
        #expect(shortDrafted.tokens.count == half && shortCached <= prompt.count + half)
        // a close call inside the draft stops the decode where it stops without one: the limit
        // sits just above the lead of a step after the draft's first token
        let (firstStep, _) = greedy(draft: [], maxTokens: 1)
        try #require(plain.closestCall < firstStep.closestCall, "this seed's closest call is past the first step")
        let limit = plain.closestCall + 1e-3
        let (stopped, _) = greedy(draft: [], closeCallLimit: limit)
        let (stoppedDrafted, stoppedCached) = greedy(draft: tokens, closeCallLimit: limit)
        #expect(stopped.stoppedAtCloseCall && stopped.tokens.count >= 1 && stopped.tokens.count < tokens.count)
        expectSame(stoppedDrafted, stopped, "close call")
        #expect(stoppedCached <= prompt.count + stopped.tokens.count)
    }

    @Test func theEncoderIgnoresFeaturesPastTheContent() throws {
        let model = try model()
        let encoder = AudioEncoder(weights: model.weights)
        var features = [Float](repeating: 0.1, count: 80 * 300)
        let a = features.withUnsafeBufferPointer {
            encoder.encode(features: $0.baseAddress!, featureStride: 300, contentFrames: 100, windowFrames: 300)
        }
        for channel in 0..<80 { for frame in 100..<300 { features[channel * 300 + frame] = 9 } }
        let b = features.withUnsafeBufferPointer {
            encoder.encode(features: $0.baseAddress!, featureStride: 300, contentFrames: 100, windowFrames: 300)
        }
        #expect(a == b)
        #expect(a.count == 150 * 8)
    }

    @Test func reusingPaddingOnPaddingGivesThePaddingStates() throws {
        let model = try model()
        let encoder = AudioEncoder(weights: model.weights)
        let cache = encoder.paddingStates()
        let zeros = [Float](repeating: 0, count: 80 * 300)
        let reused = zeros.withUnsafeBufferPointer {
            encoder.encode(features: $0.baseAddress!, featureStride: 300, contentFrames: 40, computed: 30, cache: cache)
        }
        let full = zeros.withUnsafeBufferPointer {
            encoder.encode(features: $0.baseAddress!, featureStride: 300, contentFrames: 40, windowFrames: 300)
        }
        #expect(reused.count == full.count)
        #expect(zip(reused, full).allSatisfy { abs($0 - $1) < 1e-4 })
        #expect(zip(reused, cache.output).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func paddingStatesRoundTripThroughTheDiskCache() throws {
        let model = try model()
        let transcriber = Transcriber(model: model, options: TranscriptionOptions())
        let cache = transcriber.paddingCache()
        try withTemporaryDirectory("mybro-padding") { directory in
            let path = directory + "/padding.bin"
            let fingerprint = PaddingCacheStore.fingerprint(of: model)
            #expect(PaddingCacheStore.save(cache, path: path, fingerprint: fingerprint))
            let loaded = try #require(
                PaddingCacheStore.load(path: path, architecture: model.architecture, fingerprint: fingerprint))
            #expect(
                loaded.output == cache.output && loaded.keys == cache.keys
                    && loaded.crossKeyValues == cache.crossKeyValues)
            // another model's cache is not used
            #expect(
                PaddingCacheStore.load(path: path, architecture: model.architecture, fingerprint: fingerprint ^ 1)
                    == nil)
            // a cache of the right size with flipped bytes is rejected by its checksum
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            for index in bytes.count / 2..<bytes.count / 2 + 64 { bytes[index] ^= 0xFF }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(
                PaddingCacheStore.load(path: path, architecture: model.architecture, fingerprint: fingerprint) == nil)
            // a truncated file is ignored, not trusted
            try Data("MYBROPAD".utf8).write(to: URL(fileURLWithPath: path))
            #expect(
                PaddingCacheStore.load(path: path, architecture: model.architecture, fingerprint: fingerprint) == nil)
            #expect(
                PaddingCacheStore.path(for: model, environment: ["XDG_CACHE_HOME": "/c"])?.hasPrefix("/c/mybro/")
                    == true)
        }
    }

    func filters(timestamps: Bool) throws -> (LogitFilters, SpecialTokens) {
        let special = try Vocabulary(tokens: TinyModel.vocabulary).special
        return (
            LogitFilters(
                special: special, vocabularySize: TinyModel.vocabulary.count, suppressTokens: [1, 2],
                suppressAtBegin: [220, 256], timestamps: timestamps, maxInitialTimestampIndex: 50), special
        )
    }

    @Test func suppressionAndTheFirstStepRules() throws {
        let (rules, special) = try filters(timestamps: true)
        var logits = [Float](repeating: 0, count: TinyModel.vocabulary.count)
        rules.apply(&logits, sampled: [])
        #expect(logits[1] == -.infinity && logits[2] == -.infinity)
        // the first token must be a timestamp no later than 1.0 s
        #expect(logits[0..<special.timestampBegin].allSatisfy { $0 == -.infinity })
        #expect(logits[special.timestampBegin + 50] == 0)
        #expect(logits[special.timestampBegin + 51] == -.infinity)
    }

    @Test func timestampsComeInPairsAndNeverDecrease() throws {
        let (rules, special) = try filters(timestamps: true)
        let t = special.timestampBegin
        let count = TinyModel.vocabulary.count
        // after text then one timestamp: a timestamp (>= it) or end-of-text must follow
        var logits = [Float](repeating: 0, count: count)
        rules.apply(&logits, sampled: [t, 65, t + 10])
        #expect(logits[65] == -.infinity)
        #expect(logits[t + 9] == -.infinity && logits[t + 10] == 0)
        // after a pair of timestamps: text must follow
        logits = [Float](repeating: 0, count: count)
        rules.apply(&logits, sampled: [t, 65, t + 10, t + 10])
        #expect(logits[t...].allSatisfy { $0 == -.infinity })
        #expect(logits[65] == 0)
        // without timestamps only the suppression lists apply
        let (plain, _) = try filters(timestamps: false)
        logits = [Float](repeating: 0, count: count)
        plain.apply(&logits, sampled: [65])
        #expect(logits[65] == 0 && logits[t] == 0 && logits[1] == -.infinity && logits[220] == 0)
    }

    @Test func segmentsSplitAtConsecutiveTimestamps() throws {
        let transcriber = Transcriber(model: try model())
        let t = transcriber.model.vocabulary.special.timestampBegin
        let result = DecodingResult(
            tokens: [t, 65, 66, t + 50, t + 50, 67, t + 120], sumLogProbability: -1,
            noSpeechProbability: 0)
        let split = transcriber.splitSegments(result, timeOffset: 10, segmentFrames: 300)
        #expect(split.segments.count == 2)
        #expect(split.segments[0].start == 10 && abs(split.segments[0].end - 11) < 1e-9)
        #expect(abs(split.segments[1].end - 12.4) < 1e-9)
        #expect(split.advance == 300)  // a single timestamp at the end: the whole window is done
        let open = DecodingResult(tokens: [t, 65, t + 50, t + 50, 67], sumLogProbability: -1, noSpeechProbability: 0)
        #expect(transcriber.splitSegments(open, timeOffset: 0, segmentFrames: 300).advance == 100)
    }
}
