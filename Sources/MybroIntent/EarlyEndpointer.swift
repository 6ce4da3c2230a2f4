import Foundation
import MybroCore

/// Semantic endpointing: ends the turn before the VAD's full end silence when the words so far
/// are a complete request and the speaker has paused.
///
/// mybro-vad reports a short pause (`pause {t0, t1}`, `t1` the end of the last voiced frame)
/// and, just before it, the speech so far, which mybro-transcribe turns into a `partial
/// {t0, t1, text}`. Once a pause and a partial of the same speech (`t0`) have both arrived, in
/// either order, and the partial's audio reaches the pause's last voiced frame (no word was
/// spoken after the words transcribed), the partial's text is judged: a complete request acts at
/// once. Anything else ("run the", "can you") waits for the utterance as before. The final
/// transcript of speech already acted on is dropped when it means the same; when the speaker
/// went on and said something else, it is a new request.
public struct EarlyEndpointer: Sendable {
    struct Partial: Sendable {
        var t0: Double
        var t1: Double
        var text: String
    }

    /// The latest partial and pause of the speech in progress.
    var partial: Partial?
    var pause: (t0: Double, t1: Double)?
    /// Speech acted on early (by `t0`), with the intent that acted, until its final transcript.
    var acted: [(t0: Double, intent: Intent)] = []

    public init() {}

    /// Intents complete enough to end a turn on: control words, status and history questions,
    /// undo, and project tasks or commands the grammar is sure of. Code tasks and guesses are
    /// sentences that often go on, so they wait for the end of the utterance.
    public static func isComplete(_ intent: Intent) -> Bool {
        guard intent.confidence >= 0.85 else { return false }
        switch intent.action {
        case .stop, .confirm, .deny, .status, .history, .undo: return true
        case .run: return intent.task != nil || intent.command != nil
        default: return false
        }
    }

    /// New speech: what was heard of the last one no longer counts.
    public mutating func speechStarted() {
        partial = nil
        pause = nil
    }

    /// A partial transcript arrived; returns the text to act on now, if any.
    public mutating func heard(partialText text: String, t0: Double, t1: Double, judge: (String) -> Intent?)
        -> (text: String, intent: Intent)?
    {
        partial = Partial(t0: t0, t1: t1, text: text)
        return decide(judge: judge)
    }

    /// A pause arrived; returns the text to act on now, if any.
    public mutating func heard(pauseAt t1: Double, t0: Double, judge: (String) -> Intent?)
        -> (text: String, intent: Intent)?
    {
        pause = (t0, t1)
        return decide(judge: judge)
    }

    /// Whether the final transcript of speech `t0`, meaning `intent`, was already acted on early
    /// (then it is dropped). Forgets the speech either way.
    public mutating func alreadyActed(t0: Double?, intent: Intent) -> Bool {
        guard let t0, let index = acted.firstIndex(where: { Self.same($0.t0, t0) }) else { return false }
        let early = acted.remove(at: index).intent
        return Self.sameRequest(early, intent)
    }

    /// Whether two intents ask for the same thing (the transcripts may differ).
    public static func sameRequest(_ a: Intent, _ b: Intent) -> Bool {
        a.action == b.action && a.task == b.task && a.mode == b.mode && a.command == b.command && a.job == b.job
    }

    private mutating func decide(judge: (String) -> Intent?) -> (text: String, intent: Intent)? {
        guard let partial, let pause, Self.same(partial.t0, pause.t0), partial.t1 >= pause.t1 - 0.0005 else {
            return nil
        }
        guard !acted.contains(where: { Self.same($0.t0, partial.t0) }) else { return nil }
        let text = partial.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, let intent = judge(text), Self.isComplete(intent) else { return nil }
        acted.append((partial.t0, intent))
        if acted.count > 8 { acted.removeFirst() }  // utterances that never came (input cut short)
        return (text, intent)
    }

    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 0.0005 }
}
