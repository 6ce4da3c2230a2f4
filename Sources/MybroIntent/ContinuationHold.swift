/// A spoken transcript that stopped mid-sentence ("please build the"), held a moment for the
/// rest: a speaker who pauses to think longer than the VAD's end silence is not cut off.
///
/// The beginning waits `seconds` for more speech. When the speaker starts again, it waits for
/// that speech's transcript (at most `speakingCap`) and the two become one request. When no
/// more speech comes in time, the beginning is acted on alone, as it would have been without
/// the hold (usually an "I didn't catch that").
struct ContinuationHold {
    struct Held {
        var text: String
        var deadline: Double
    }

    /// How long a beginning waits for more speech (0: never hold).
    let seconds: Double
    /// The longest wait once the speaker has started again (an utterance is rarely longer).
    static let speakingCap = 30.0

    private(set) var held: Held?
    /// Beginnings already joined to speech that semantic endpointing acted on early, by that
    /// speech's `t0`, for its final transcript.
    private var joined: [(t0: Double, beginning: String)] = []

    init(seconds: Double) { self.seconds = seconds }

    var deadline: Double? { held?.deadline }

    /// Holds `text` when it ends mid-sentence; false when it should be acted on now.
    mutating func holdIfUnfinished(_ text: String, now: Double) -> Bool {
        guard seconds > 0, UnfinishedSentence.isUnfinished(text) else { return false }
        held = Held(text: text, deadline: now + seconds)
        return true
    }

    /// The speaker started again: wait for what they say.
    mutating func speechStarted(now: Double) {
        if held != nil { held?.deadline = now + Self.speakingCap }
    }

    /// The speech ended (its transcript may never come, if it was too short to keep).
    mutating func speechEnded(now: Double) {
        if let deadline = held?.deadline { held?.deadline = min(deadline, now + seconds) }
    }

    /// The transcript `text` of speech `t0` with any beginning put before it (the beginning is
    /// used up).
    mutating func complete(_ text: String, t0: Double?) -> String {
        if let t0, let index = joined.firstIndex(where: { EarlyEndpointer.same($0.t0, t0) }) {
            return UnfinishedSentence.join(joined.remove(at: index).beginning, text)
        }
        guard let held else { return text }
        self.held = nil
        return UnfinishedSentence.join(held.text, text)
    }

    /// What a partial transcript means with the held beginning before it.
    func withBeginning(_ partial: String) -> String {
        guard let held else { return partial }
        return UnfinishedSentence.join(held.text, partial)
    }

    /// Semantic endpointing acted on speech `t0` with the beginning before it: keep the
    /// beginning for that speech's final transcript only.
    mutating func joinedEarly(t0: Double) {
        guard let held else { return }
        joined.append((t0, held.text))
        if joined.count > 8 { joined.removeFirst() }  // final transcripts that never came
        self.held = nil
    }

    /// The beginning, once its wait is over (or at the end of input): to be acted on alone.
    mutating func release() -> String? {
        defer { held = nil }
        return held?.text
    }
}
