import Foundation
import MybroCore

/// Seconds on a clock that never jumps.
func monotonicNow() -> TimeInterval { Signals.monotonicSeconds() }

/// Every utterance gets a reply: a throttled "I didn't catch that: …" for `none`, and for a
/// low-confidence guess a question ("Did you mean run the tests?") whose yes or no this keeps
/// and settles: a yes sends the guessed intent, a no a `deny`.
///
/// The pending guess lives here, in mybro-intent, not in mybro-exec: the guess is an intent
/// not yet sent, and only this stage can still take it back. Replies are `say` records.
struct IntentReplies {
    var replyToNone: Bool
    var noneReplyInterval: TimeInterval
    var askBelow: Double
    var askTimeout: TimeInterval

    private(set) var pending: (intent: Intent, deadline: TimeInterval)?
    private var lastNoneReply: TimeInterval?

    init(replyToNone: Bool, noneReplyInterval: TimeInterval, askBelow: Double, askTimeout: TimeInterval) {
        self.replyToNone = replyToNone
        self.noneReplyInterval = noneReplyInterval
        self.askBelow = askBelow
        self.askTimeout = askTimeout
    }

    static func say(_ text: String) -> Record {
        Record(type: RecordType.say, fields: JSONObject(["text": .string(text)]))
    }

    /// The records that settle a pending guess when `heard` (the rules' reading of the new
    /// transcript) is a yes or a no; nil when nothing is pending or `heard` is something else
    /// (then the guess is dropped and the transcript is read as usual).
    mutating func answer(_ heard: Intent, now: TimeInterval) -> [Record]? {
        guard let waiting = pending else { return nil }
        pending = nil
        guard now < waiting.deadline else { return nil }
        switch heard.action {
        case .confirm:
            var intent = waiting.intent
            intent.confidence = max(intent.confidence, heard.confidence)
            return [intent.record]
        case .deny:
            return [Self.say("OK, I dropped it."), heard.record]
        default:
            return nil
        }
    }

    /// The records for a new intent: the intent itself, with a spoken reply before it when it
    /// is `none`, or an `ask` intent and its question instead of a guess.
    mutating func records(for intent: Intent, now: TimeInterval) -> [Record] {
        switch intent.action {
        case .none:
            guard replyToNone, !intent.transcript.isEmpty else { return [intent.record] }
            if let last = lastNoneReply, now - last < noneReplyInterval { return [intent.record] }
            lastNoneReply = now
            let heard = intent.transcript.count <= 80 ? intent.transcript : String(intent.transcript.prefix(80)) + "…"
            return [Self.say("I didn't catch that: \(heard)"), intent.record]
        case .run where intent.confidence < askBelow, .code where intent.confidence < askBelow:
            pending = (intent, now + askTimeout)
            let question = "Did you mean \(Self.describe(intent))? Say yes or no."
            let ask = Intent(
                action: .ask, text: question, confidence: intent.confidence, backend: intent.backend,
                transcript: intent.transcript)
            return [Self.say(question), ask.record]
        default:
            return [intent.record]
        }
    }

    /// "run the tests", "build in release mode", "run git status", "ask Claude to …".
    static func describe(_ intent: Intent) -> String {
        if intent.action == .code { return "ask Claude to \(intent.prompt ?? intent.transcript)" }
        if let command = intent.command { return "run \(command)" }
        let release = intent.mode == .release ? " in release mode" : ""
        switch intent.task {
        case .test: return "run the tests" + release
        case .build: return "build" + (intent.mode == .release ? " in release mode" : "")
        case .lint: return "run the linter"
        case .format: return "format the code"
        case .start: return "start the app" + release
        case nil: return intent.transcript
        }
    }
}
