import MybroKernels

/// Cuts a stream of frame decisions into utterances, live.
///
/// A ring of the last `window` decisions starts speech when enough of it is voiced; speech
/// starts at the ring's first voiced frame. It ends when at least `endRatio` of the last
/// `silence` is unvoiced (so a stray noise frame does not hold it open), at the end of the last
/// voiced frame; frames voiced only by the detector's hangover count as unvoiced here. Each utterance carries `pad` of audio on either side (at the
/// end, as much as has arrived when the end is decided: nothing is ever waited for). Speech
/// shorter than `minimum` is dropped; speech reaching `maximum` is split at the quietest
/// unvoiced frame of its second half (the quietest frame if none is unvoiced).
/// Events go to the callback the moment they are known.
public final class UtteranceSegmenter {
    public let configuration: SegmenterConfiguration

    private let frameLength: Int
    /// Audio since `bufferStart` (a sample index of the stream).
    private var buffer: [Int16] = []
    private var bufferStart = 0
    /// Frames seen so far.
    private var frameCount = 0
    /// The last `windowFrames` decisions (idle only), oldest first, as a ring.
    private var ring: [Bool]
    private var ringNext = 0
    private var ringFilled = 0
    /// Beside `ring`: whether each frame stood out from the noise floor.
    private var loudRing: [Bool]

    // Speech in progress.
    private var speaking = false
    private var announced = false
    private var speechStartFrame = 0
    private var paddedStartSample = 0
    private var lastVoicedFrame = 0
    /// During speech: the last `silenceFrames` frames' evidence of speech, as a ring.
    private var tail: [Bool]
    private var tailNext = 0
    private var tailVoiced = 0
    /// The background level, for telling frames at the noise floor from louder ones.
    private var floor: NoiseFloorTracker
    /// Per frame of the current speech: energy and decision, for choosing a split point.
    private var frameEnergies: [Int64] = []
    private var frameVoiced: [Bool] = []

    public init(configuration: SegmenterConfiguration) {
        self.configuration = configuration
        frameLength = configuration.frameLength
        ring = [Bool](repeating: false, count: configuration.windowFrames)
        loudRing = [Bool](repeating: false, count: configuration.windowFrames)
        tail = [Bool](repeating: true, count: configuration.silenceFrames)
        floor = NoiseFloorTracker(
            frames: max(1, configuration.floorWindowMilliseconds / configuration.frameMilliseconds))
        buffer.reserveCapacity(configuration.sampleRate * 4)
        frameEnergies.reserveCapacity(configuration.maximumFrames + 1)
        frameVoiced.reserveCapacity(configuration.maximumFrames + 1)
    }

    /// Adds one frame (exactly `frameLength` samples) with the detector's decision for it.
    /// `hangover` tells a speech decision the detector made only from its hangover; such frames
    /// keep speech going but do not move its end.
    public func process<E: Error>(
        frame: UnsafeBufferPointer<Int16>, isSpeech: Bool, hangover: Bool = false,
        emit: (SegmenterEvent) throws(E) -> Void
    ) throws(E) {
        precondition(frame.count == frameLength, "a segmenter frame has \(frameLength) samples")
        let index = frameCount
        frameCount += 1
        buffer.append(contentsOf: frame)
        // With a floor margin set, a frame no louder than the background is not evidence of
        // speech, whatever the detector says.
        let atFloor = isAtNoiseFloor(frame)

        if !speaking {
            pushRing(isSpeech, loud: !atFloor)
            let voiced = ringVoicedCount()
            let loud = loudRing.reduce(0) { $0 + ($1 ? 1 : 0) }
            if ringFilled == ring.count && Double(voiced) >= configuration.startRatio * Double(ring.count)
                && Double(loud) >= configuration.floorStartShare * Double(ring.count)
            {
                beginSpeech(firstVoicedFrame: firstVoicedFrameInRing(lastIndex: index))
                // The ring's frames from the first voiced one on belong to the new speech.
                for frameIndex in speechStartFrame...index {
                    let voiced = ringDecision(frameIndex: frameIndex, lastIndex: index)
                    appendFrameStatistics(frameIndex: frameIndex, voiced: voiced)
                    if voiced { lastVoicedFrame = frameIndex }
                }
                resetRing()
                try announceIfLongEnough(emit: emit)
            } else {
                trimIdleBuffer()
            }
            return
        }

        appendFrameStatistics(frameIndex: index, voiced: isSpeech)
        let evidence = isSpeech && !(hangover && configuration.endAtEvidence) && !atFloor
        if evidence { lastVoicedFrame = index }
        pushTail(evidence)
        let unvoiced = tail.count - tailVoiced
        if Double(unvoiced) >= configuration.endRatio * Double(tail.count) {
            try endSpeech(endFrame: lastVoicedFrame + 1, emit: emit)
            return
        }
        try announceIfLongEnough(emit: emit)
        if announced { try reportPause(index: index, emit: emit) }
        if index + 1 - speechStartFrame >= configuration.maximumFrames {
            try splitLongSpeech(emit: emit)
        }
    }

    /// Ends the stream: speech in progress becomes an utterance (if long enough).
    public func finish<E: Error>(emit: (SegmenterEvent) throws(E) -> Void) throws(E) {
        if speaking { try endSpeech(endFrame: lastVoicedFrame + 1, emit: emit) }
    }

    // MARK: - Speech boundaries

    private func beginSpeech(firstVoicedFrame: Int) {
        speaking = true
        announced = false
        speechStartFrame = firstVoicedFrame
        lastVoicedFrame = firstVoicedFrame
        paddedStartSample = max(bufferStart, max(0, firstVoicedFrame * frameLength - configuration.padSamples))
        frameEnergies.removeAll(keepingCapacity: true)
        frameVoiced.removeAll(keepingCapacity: true)
        for slot in 0..<tail.count { tail[slot] = true }
        tailVoiced = tail.count
        tailNext = 0
    }

    /// While announced speech goes on: the speech so far at half a pause (and every partial
    /// period), and the pause itself. Each fires once per gap, as the silence grows through it.
    private func reportPause<E: Error>(index: Int, emit: (SegmenterEvent) throws(E) -> Void) throws(E) {
        let quiet = index - lastVoicedFrame
        let pauseFrames = configuration.pauseFrames
        let periodic =
            configuration.partialFrames > 0 && quiet < max(1, configuration.snapshotFrames)
            && (index + 1 - speechStartFrame) % configuration.partialFrames == 0
        if periodic || (pauseFrames > 0 && quiet == configuration.snapshotFrames) {
            let now = (index + 1) * frameLength
            let lower = max(0, paddedStartSample - bufferStart)
            let upper = min(buffer.count, now - bufferStart)
            try emit(
                .speechSoFar(
                    Utterance(
                        start: seconds(paddedStartSample), end: seconds(now), sampleRate: configuration.sampleRate,
                        samples: Array(buffer[lower..<max(lower, upper)]))))
        }
        if pauseFrames > 0 && quiet == pauseFrames {
            try emit(
                .pause(
                    start: seconds(paddedStartSample), voicedEnd: seconds((lastVoicedFrame + 1) * frameLength),
                    silence: Double(quiet * configuration.frameMilliseconds) / 1000))
        }
    }

    private func announceIfLongEnough<E: Error>(emit: (SegmenterEvent) throws(E) -> Void) throws(E) {
        // Long enough means voiced long enough: trailing silence does not count.
        guard !announced, lastVoicedFrame + 1 - speechStartFrame >= configuration.minimumFrames else { return }
        announced = true
        try emit(.speechStart(time: seconds(paddedStartSample)))
    }

    private func endSpeech<E: Error>(endFrame: Int, emit: (SegmenterEvent) throws(E) -> Void) throws(E) {
        speaking = false
        let speechFrames = endFrame - speechStartFrame
        let available = bufferStart + buffer.count
        let paddedEnd = min(available, endFrame * frameLength + configuration.padSamples)
        if speechFrames >= configuration.minimumFrames {
            if !announced { try emit(.speechStart(time: seconds(paddedStartSample))) }
            try emitUtterance(from: paddedStartSample, to: paddedEnd, emit: emit)
            try emit(.speechEnd(time: seconds(paddedEnd)))
        }
        announced = false
        resetRing()
        trimIdleBuffer()
    }

    /// Speech reached the maximum length: cut at the quietest frame of its second half and go
    /// on with the rest as a new utterance, announced at once.
    private func splitLongSpeech<E: Error>(emit: (SegmenterEvent) throws(E) -> Void) throws(E) {
        let count = frameEnergies.count
        var best = -1
        for pass in 0..<2 {
            for offset in (count / 2)..<count where pass == 1 || !frameVoiced[offset] {
                if best < 0 || frameEnergies[offset] < frameEnergies[best] { best = offset }
            }
            if best >= 0 { break }
        }
        // The quiet frame itself starts the next part, so the cut falls at its beginning.
        let splitFrame = speechStartFrame + max(1, best)
        let splitSample = splitFrame * frameLength
        try emitUtterance(from: paddedStartSample, to: splitSample, emit: emit)
        try emit(.speechEnd(time: seconds(splitSample)))

        let carriedEnergies = Array(frameEnergies[(splitFrame - speechStartFrame)...])
        let carriedVoiced = Array(frameVoiced[(splitFrame - speechStartFrame)...])
        speechStartFrame = splitFrame
        paddedStartSample = splitSample
        frameEnergies.removeAll(keepingCapacity: true)
        frameVoiced.removeAll(keepingCapacity: true)
        frameEnergies.append(contentsOf: carriedEnergies)
        frameVoiced.append(contentsOf: carriedVoiced)
        dropBuffer(before: splitSample)
        announced = true
        try emit(.speechStart(time: seconds(splitSample)))
    }

    private func emitUtterance<E: Error>(from start: Int, to end: Int, emit: (SegmenterEvent) throws(E) -> Void)
        throws(E)
    {
        let lower = start - bufferStart
        let upper = end - bufferStart
        let samples = Array(buffer[max(0, lower)..<max(max(0, lower), min(buffer.count, upper))])
        try emit(
            .utterance(
                Utterance(
                    start: seconds(start), end: seconds(end), sampleRate: configuration.sampleRate,
                    samples: samples)))
    }

    // MARK: - Bookkeeping

    private func isAtNoiseFloor(_ frame: UnsafeBufferPointer<Int16>) -> Bool {
        guard let margin = configuration.floorMarginDecibels else { return false }
        let sum = Kernels.squareSum(frame)
        let level = NoiseFloorTracker.level(meanSquare: Double(sum) / Double(frame.count))
        let floorLevel = floor.add(level: level)
        return level < floorLevel + margin
    }

    private func seconds(_ sample: Int) -> Double {
        (Double(sample) * 1000 / Double(configuration.sampleRate)).rounded() / 1000
    }

    private func appendFrameStatistics(frameIndex: Int, voiced: Bool) {
        let offset = frameIndex * frameLength - bufferStart
        let energy = buffer.withUnsafeBufferPointer {
            Kernels.squareSum(UnsafeBufferPointer(rebasing: $0[offset..<(offset + frameLength)]))
        }
        frameEnergies.append(energy)
        frameVoiced.append(voiced)
    }

    private func pushRing(_ voiced: Bool, loud: Bool) {
        ring[ringNext] = voiced
        loudRing[ringNext] = loud
        ringNext = (ringNext + 1) % ring.count
        ringFilled = min(ring.count, ringFilled + 1)
    }

    private func pushTail(_ voiced: Bool) {
        if tail[tailNext] { tailVoiced -= 1 }
        tail[tailNext] = voiced
        if voiced { tailVoiced += 1 }
        tailNext = (tailNext + 1) % tail.count
    }

    private func resetRing() {
        ringNext = 0
        ringFilled = 0
    }

    private func ringVoicedCount() -> Int {
        var count = 0
        for slot in 0..<ringFilled where ring[slot] { count += 1 }
        return count
    }

    /// The decision the ring holds for `frameIndex`, the newest frame being `lastIndex`.
    private func ringDecision(frameIndex: Int, lastIndex: Int) -> Bool {
        ring[ringSlot(frameIndex: frameIndex, lastIndex: lastIndex)]
    }

    private func ringSlot(frameIndex: Int, lastIndex: Int) -> Int {
        let age = lastIndex - frameIndex  // 0 for the newest
        return ((ringNext - 1 - age) % ring.count + ring.count) % ring.count
    }

    /// The first frame of the ring that is voiced and (with the floor check on) stands out.
    private func firstVoicedFrameInRing(lastIndex: Int) -> Int {
        let oldest = lastIndex - ringFilled + 1
        for frameIndex in oldest...lastIndex where ringDecision(frameIndex: frameIndex, lastIndex: lastIndex) {
            if configuration.floorMarginDecibels == nil
                || loudRing[ringSlot(frameIndex: frameIndex, lastIndex: lastIndex)]
            {
                return frameIndex
            }
        }
        return lastIndex
    }

    /// While idle, only the start window and the padding before it can still be needed.
    private func trimIdleBuffer() {
        let keep = (configuration.windowFrames + 1) * frameLength + configuration.padSamples
        if buffer.count > keep + configuration.sampleRate {
            dropBuffer(before: bufferStart + buffer.count - keep)
        }
    }

    private func dropBuffer(before sample: Int) {
        let count = sample - bufferStart
        guard count > 0 else { return }
        buffer.removeFirst(min(count, buffer.count))
        bufferStart += count
    }
}
