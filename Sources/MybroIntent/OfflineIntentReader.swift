import Foundation
import MybroCore

/// The offline backend: the grammar first, since it reads slots exactly ("the last five
/// commits" → git log -5); then, for what it does not know or only guesses, the paraphrase
/// matcher, when a sentence-embedding model is installed. A match below `threshold`, or one
/// too close to a second kind, leaves the grammar's answer, so the usual "I didn't catch
/// that" reply still applies.
public struct OfflineIntentReader: Sendable {
    /// An intent and, when the matcher was asked, what it found (for the debug log).
    public struct Reading: Sendable {
        public var intent: Intent
        public var match: ParaphraseMatcher.Match?
    }

    public var grammar: RulesGrammar
    public var matcher: ParaphraseMatcher?
    /// The least cosine with an example that counts as a match (chosen on set B, see README).
    public var threshold: Double
    /// The least lead of the best kind over the next one: "pull" and "push" requests are close.
    public var margin: Double

    public static let defaultThreshold = 0.55
    public static let defaultMargin = 0.0
    /// A weaker match, up to `weakBand` under the threshold, still counts when the grammar found
    /// nothing at all and one kind stands clearly apart from the others (by `weakLead`): "let's
    /// pull before we start so we don't get conflicts later" lies nearest the pull examples at
    /// 0.545, the next kind at 0.42. Its confidence is under 0.3, so the loop asks back ("did
    /// you mean git pull?") before it acts.
    static let weakBand = 0.10
    static let weakLead = 0.06
    /// The grammar's loosest coding-request guess (a code word somewhere in a sentence it does
    /// not otherwise know, confidence 0.45) is weaker than a close paraphrase of another kind of
    /// request: "would you mind running the unit tests" is no request for Claude. A sentence that
    /// starts with a coding verb ("fix the build", 0.5), a question about the code (0.6) or
    /// "ask Claude" (0.9) is the grammar's own reading and is never overruled: on the grammar's
    /// tuning sets, overruling those turned "fix the build" into stop.
    static let guessedCodeConfidence = 0.5

    /// A yes or a no answers a pending question at once (a job runs or is dropped), and the
    /// grammar is strict about them on purpose ("uh huh, right" is no answer): a paraphrase of
    /// one must be closer than other kinds of request.
    static let leastSimilarity: [IntentExamples.Kind: Double] = [.confirm: 0.75, .deny: 0.75]

    public init(
        grammar: RulesGrammar, matcher: ParaphraseMatcher? = nil, threshold: Double = defaultThreshold,
        margin: Double = defaultMargin
    ) {
        self.grammar = grammar
        self.matcher = matcher
        self.threshold = threshold
        self.margin = margin
    }

    /// The request without the fillers and politeness the grammar skips ("hmm, could you …"):
    /// they carry no meaning, yet they pull a long sentence's embedding toward small talk.
    static func withoutFillers(_ transcript: String) -> String {
        let stripped = SpokenWords(transcript).strippingFillers().original(from: 0)
        return stripped.isEmpty ? transcript : stripped
    }

    /// How sure a paraphrase reading is, on the scale `--ask-below` reads: the cosine rescaled
    /// so that the threshold is 0.3 and a copy of an example 1. The weakest band of matches
    /// (cosine under about 0.68 at the default threshold) is below the default 0.5, so the loop
    /// asks "did you mean …?" before it acts on them.
    func confidence(_ similarity: Double) -> Double {
        let scaled = 0.3 + 0.7 * (similarity - threshold) / max(1 - threshold, 0.01)
        return (min(max(scaled, 0), 1) * 100).rounded() / 100
    }

    public func interpret(_ transcript: String, now: Date = Date()) -> Intent { read(transcript, now: now).intent }

    public func read(_ transcript: String, now: Date = Date()) -> Reading {
        let ruled = grammar.interpret(transcript, now: now)
        // A remark ("I think the tests are flaky") is surely no request: nothing to match.
        let guessed =
            (ruled.action == .none && ruled.confidence < RulesGrammar.remarkConfidence)
            || (ruled.action == .code && ruled.confidence < Self.guessedCodeConfidence)
        // Said to someone else in the room: nothing to match.
        guard guessed, !RulesGrammar.isSaidToSomeoneElse(transcript), let matcher,
            let match = matcher.nearest(Self.withoutFillers(transcript))
        else {
            return Reading(intent: ruled, match: nil)
        }
        let similarity = Double(match.similarity)
        let lead = similarity - Double(match.runnerUp)
        let strong = similarity >= max(threshold, Self.leastSimilarity[match.kind] ?? 0) && lead >= margin
        let weak =
            ruled.action == .none && Self.leastSimilarity[match.kind] == nil && similarity >= threshold - Self.weakBand
            && lead >= max(margin, Self.weakLead)
        guard strong || weak,
            let paraphrase = ParaphraseIntents.intent(
                for: match.kind, transcript: transcript, confidence: confidence(similarity), grammar: grammar)
        else { return Reading(intent: ruled, match: match) }
        // A guess at code stays code unless the match is another kind of request.
        if ruled.action == .code && paraphrase.action == .code { return Reading(intent: ruled, match: match) }
        return Reading(intent: paraphrase, match: match)
    }
}
