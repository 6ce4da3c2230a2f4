import Foundation
import MybroCore

/// Which backend understands the transcripts.
public enum IntentBackendChoice: String, CaseIterable, Sendable {
    /// The Messages API when a key is set, otherwise the rules; the rules also answer any
    /// request the API fails on after its retries.
    case auto
    case claude
    case rules
}

/// Everything `mybro-intent` needs to run.
public struct IntentFilterConfiguration: Sendable {
    public var backend: IntentBackendChoice = .auto
    public var model = ClaudeIntentBackend.defaultModel
    public var baseURL: URL
    public var apiKey: String?
    public var rules = TechnologyRules.prompt(stack: .builtIn)
    public var structuredOutput = ClaudeIntentBackend.StructuredOutput.jsonSchema
    public var connectTimeout: TimeInterval = 10
    public var attemptTimeout: TimeInterval = 30
    public var maxRetries = 2
    public var memory = 6
    public var strict = false
    /// The workspace's file and folder names, for the rules grammar's slots.
    public var workspace = WorkspaceNames.empty
    /// Say "I didn't catch that: …" for a `none` intent.
    public var replyToNone = true
    /// Seconds between two such replies at least (a noisy room must not make it chatter).
    public var noneReplyInterval: TimeInterval = 10
    /// A `run` or `code` intent under this confidence is asked about first ("did you mean …?");
    /// 0: never ask.
    public var askBelow = IntentFilterConfiguration.defaultAskBelow
    public static let defaultAskBelow = 0.5
    /// Seconds a question about a guess waits for its yes or no.
    public var askTimeout: TimeInterval = 30
    /// Seconds a spoken transcript that stops mid-sentence ("please build the") waits for the
    /// rest of the sentence; 0: act on it at once.
    public var continuation: TimeInterval = 1.5
    /// Paraphrases the grammar does not know, by sentence embeddings; nil: the grammar alone.
    public var paraphrases: ParaphraseMatcher?
    /// The least cosine with an example request that the paraphrase matcher acts on.
    public var paraphraseThreshold = OfflineIntentReader.defaultThreshold
    /// The least lead of the best kind of request over the second.
    public var paraphraseMargin = OfflineIntentReader.defaultMargin

    public init(baseURL: URL, apiKey: String?) {
        self.baseURL = baseURL
        self.apiKey = apiKey
    }
}

/// The `mybro-intent` filter: `transcript` records and plain text lines become `intent`
/// records; every other record goes through unchanged and in order.
public final class IntentFilter {
    let configuration: IntentFilterConfiguration
    let rules: RulesGrammar
    /// The grammar and, when a model is loaded, the paraphrase matcher: what answers a request offline.
    /// Early endpointing and the yes or no to a pending question keep to the grammar (`rules`):
    /// they act on partial words at once, where a guess by closeness would act on half a sentence.
    let offline: OfflineIntentReader
    var claude: ClaudeIntentBackend?
    /// The replies and the pending guess (IntentReplies.swift).
    var replies: IntentReplies
    let output: OutputSink
    let log: Log
    /// Ends turns early on complete partial transcripts (EarlyEndpointer.swift).
    var endpointer = EarlyEndpointer()
    /// Holds transcripts that stop mid-sentence for their rest (ContinuationHold.swift).
    var hold: ContinuationHold

    public init(
        configuration: IntentFilterConfiguration, output: OutputSink = .standardOutput, log: Log = .shared,
        client: MessagesSending? = nil
    ) throws {
        self.configuration = configuration
        self.output = output
        self.log = log
        self.rules = RulesGrammar(workspace: configuration.workspace)
        self.offline = OfflineIntentReader(
            grammar: rules, matcher: configuration.paraphrases, threshold: configuration.paraphraseThreshold,
            margin: configuration.paraphraseMargin)
        self.hold = ContinuationHold(seconds: configuration.continuation)
        self.replies = IntentReplies(
            replyToNone: configuration.replyToNone, noneReplyInterval: configuration.noneReplyInterval,
            askBelow: configuration.askBelow, askTimeout: configuration.askTimeout)
        let key = configuration.apiKey ?? ""
        switch configuration.backend {
        case .rules:
            claude = nil
        case .claude where key.isEmpty && client == nil:
            throw MybroError(
                "--backend claude needs an API key: set ANTHROPIC_API_KEY (or use --backend rules)",
                status: .configuration)
        case .auto where key.isEmpty && client == nil:
            log.info("no ANTHROPIC_API_KEY set: using the offline rules grammar")
            claude = nil
        default:
            let sender =
                client
                ?? MessagesClient(
                    configuration: MessagesAPIConfiguration(
                        baseURL: configuration.baseURL, apiKey: key, connectTimeout: configuration.connectTimeout,
                        attemptTimeout: configuration.attemptTimeout,
                        retry: RetryPolicy(maxRetries: configuration.maxRetries)),
                    onRetry: { message in log.warning(message) })
            claude = ClaudeIntentBackend(
                client: sender, model: configuration.model, rules: configuration.rules,
                structuredOutput: configuration.structuredOutput,
                memory: ConversationMemory(capacity: configuration.memory))
        }
    }

    /// Reads records from `fd` until the end of input (or a stop signal).
    public func run(fd: Int32 = 0) throws {
        let reader = RecordReader(fd: fd, acceptsText: true, strict: configuration.strict)
        while true {
            if let deadline = hold.deadline, reader.waitForInput(deadline: deadline) == .timedOut {
                if let beginning = hold.release() { try handle(unfinished: beginning) }
                continue
            }
            guard let input = try reader.next() else { break }
            if Signals.stopRequested { return }
            switch input {
            case .text(let line):
                try handle(transcript: hold.complete(line, t0: nil))
            case .record(let record):
                if record.type == RecordType.transcript, isFinal(record) {
                    guard let heard = record["text"]?.stringValue else {
                        try malformed("transcript record has no \"text\" string")
                        continue
                    }
                    // Nothing heard (noise): no reply, and a held beginning keeps waiting.
                    if heard.allSatisfy(\.isWhitespace) { continue }
                    let t0 = record["t0"]?.doubleValue
                    let text = hold.complete(heard, t0: t0)
                    if endpointer.alreadyActed(t0: t0, intent: rules.interpret(text)) {
                        log.debug("\"\(text)\": acted on already, at its pause")
                        continue
                    }
                    // Only speech is held: a typed line or a record without timing is complete as it is.
                    if t0 != nil, hold.holdIfUnfinished(text, now: monotonicNow()) {
                        log.debug("\"\(text)\" stops mid-sentence: waiting for the rest")
                        continue
                    }
                    try handle(transcript: text)
                } else {
                    try output.write(record: record)
                    try endpoint(record)
                }
            }
        }
        // The end of input: a beginning still held is all there will be.
        if !Signals.stopRequested, let beginning = hold.release() { try handle(unfinished: beginning) }
    }

    /// Semantic endpointing: a `partial` that is a complete request acts once its `pause` came.
    func endpoint(_ record: Record) throws {
        let judge: (String) -> Intent? = { text in
            // A sentence that stops on "the" or "can you" goes on: never end the turn there.
            if UnfinishedSentence.isUnfinished(text) { return nil }
            let intent = self.rules.interpret(text)
            // With Claude, only what the rules answer themselves anyway may end a turn early.
            if self.claude != nil && ![.stop, .confirm, .deny, .status, .history, .undo].contains(intent.action) {
                return nil
            }
            return intent
        }
        let early: (text: String, intent: Intent)?
        switch record.type {
        case RecordType.speechStart:
            endpointer.speechStarted()
            hold.speechStarted(now: monotonicNow())
            return
        case RecordType.speechEnd:
            hold.speechEnded(now: monotonicNow())
            return
        case RecordType.partial:
            guard let text = record["text"]?.stringValue, let t0 = record["t0"]?.doubleValue,
                let t1 = record["t1"]?.doubleValue
            else { return }
            // The partial continues a held beginning: judge the whole sentence.
            early = endpointer.heard(partialText: hold.withBeginning(text), t0: t0, t1: t1, judge: judge)
        case RecordType.pause:
            guard let t0 = record["t0"]?.doubleValue, let t1 = record["t1"]?.doubleValue else { return }
            early = endpointer.heard(pauseAt: t1, t0: t0, judge: judge)
        default:
            return
        }
        guard let early else { return }
        if let t0 = record["t0"]?.doubleValue { hold.joinedEarly(t0: t0) }
        log.debug("\"\(early.text)\" is a complete request: acting at the pause")
        try handle(transcript: early.text)
    }

    /// Partial transcripts (`"final": false`, `"partial": true`) pass through: only final words are acted on.
    func isFinal(_ record: Record) -> Bool {
        record["final"]?.boolValue != false && record["partial"]?.boolValue != true
    }

    /// A beginning nothing followed ("can you", "please build the") is not a request: it gets
    /// the "I didn't catch that" reply with what was heard, never a guess at its end.
    func handle(unfinished text: String) throws {
        log.debug("\"\(text)\": nothing followed the unfinished sentence")
        let intent = Intent(action: .none, confidence: 0, backend: RulesGrammar.backendName, transcript: text)
        for record in replies.records(for: intent, now: monotonicNow()) { try output.write(record: record) }
    }

    func handle(transcript raw: String) throws {
        let transcript = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !transcript.isEmpty else { return }
        let now = monotonicNow()
        // A yes or no to the guess asked about is settled here, before any backend.
        if let settled = replies.answer(rules.interpret(transcript), now: now) {
            for record in settled { try output.write(record: record) }
            return
        }
        let intent = try interpret(transcript)
        log.debug("\"\(transcript)\" → \(intent.action.rawValue) (\(intent.backend), confidence \(intent.confidence))")
        for record in replies.records(for: intent, now: now) { try output.write(record: record) }
    }

    /// The intent for one transcript under the chosen backend.
    public func interpret(_ transcript: String) throws -> Intent {
        guard let claude else {
            let reading = offline.read(transcript)
            if let match = reading.match {
                log.debug(
                    "\"\(transcript)\": closest to \(match.kind.rawValue) examples (cosine "
                        + String(format: "%.3f, next kind %.3f)", match.similarity, match.runnerUp))
            }
            return reading.intent
        }
        let ruled = rules.interpret(transcript)
        // Control words must act at once: a spoken "stop" never waits for a network round trip.
        // "Undo that" is as short and as fixed, and the rules read a named job number themselves.
        if [.stop, .confirm, .deny, .status, .history, .undo].contains(ruled.action), ruled.confidence >= 0.85 {
            return ruled
        }
        do {
            return try claude.interpret(transcript)
        } catch {
            if error.kind == .missingKey { throw MybroError(error.description, status: .configuration) }
            switch configuration.backend {
            case .auto:
                if error.isPermanent {
                    log.error("\(error); using the offline rules grammar from now on")
                    self.claude = nil
                } else {
                    log.warning("\(error); using the offline rules grammar for this request")
                }
                return offline.interpret(transcript)
            default:
                if error.isPermanent { throw MybroError(error.description, status: error.exitStatus) }
                log.error("\(error); no intent for \"\(transcript)\"")
                return Intent(
                    action: .none, confidence: 0, backend: ClaudeIntentBackend.backendName,
                    transcript: transcript)
            }
        }
    }

    private func malformed(_ message: String) throws {
        if configuration.strict { throw MybroError(message + " (stopping: --strict)", status: .dataError) }
        log.warning(message + "; skipped")
    }
}
