import Foundation
import MybroCore

/// What the dashboard shows, folded from the loop's records as they arrive.
///
/// Every record gives one `update` message for the page: the sections it changed (`set`), and a
/// streamed output line or a request's timings where it has them. A new page gets a `snapshot`
/// of the whole state first. Times are wall-clock milliseconds since 1970 when the record
/// entered mybro-status (`received`), which the page compares with its own clock to measure
/// the event latency.
public struct DashboardState: Sendable {
    public static let outputLimit = 300
    public static let requestLimit = 20

    public var input: String
    var phase = "listening"
    var muted = false
    var level: Double?
    var speakingUntil = 0.0
    var partial = ""
    var transcript = ""
    var intent: JSONObject?
    var confirmation: JSONObject?
    var job: JSONObject?
    var output: [JSONObject] = []
    var requests: [RequestTiming] = []
    var lastPause: Double?
    var lastError: String?
    var nextRequestID = 1
    public private(set) var records = 0
    public private(set) var malformed = 0
    var inputEnded = false
    public private(set) var sequence = 0
    var jobs: [JSONValue] = []

    public init(input: String) { self.input = input }

    /// Per-request latency, in milliseconds after the end of speech.
    struct RequestTiming: Sendable {
        var id: Int
        var endOfSpeech: Double
        var text = ""
        var action = ""
        var transcriptAt: Double?
        var intentAt: Double?
        var replyAt: Double?
        /// Started at a pause, by an intent acted on before the end of speech.
        var early = false

        var json: JSONObject {
            var object = JSONObject()
            object["id"] = .number(Double(id))
            object["text"] = .string(text)
            object["action"] = .string(action)
            object["end_of_speech"] = .number(endOfSpeech)
            for (key, time) in [("transcript_ms", transcriptAt), ("intent_ms", intentAt), ("reply_ms", replyAt)] {
                object[key] = time.map { .number(($0 - endOfSpeech).rounded()) } ?? .null
            }
            return object
        }
    }

    // MARK: Records

    /// Folds `record` (received at `now`, ms) into the state; returns the page's update message.
    public mutating func apply(_ record: Record, at now: Double) -> String {
        records += 1
        sequence += 1
        var changed: [String] = []
        var streamed: JSONObject?
        var request: JSONObject?
        func text(_ key: String) -> String { record[key]?.stringValue ?? "" }

        switch record.type {
        case RecordType.speechStart:
            phase = "hearing"
            lastPause = nil
            changed.append("words")
            partial = ""
        case RecordType.speech, RecordType.utterance:
            if let pcm = record["pcm"]?.stringValue, let decibels = AudioLevel.decibels(base64: pcm) {
                level = decibels
            }
            if record.type == RecordType.utterance {
                phase = "thinking"
            } else if phase != "thinking" {
                phase = "hearing"
            }
        case RecordType.pause:
            lastPause = now
        case RecordType.partial:
            partial = text("text")
            changed.append("words")
        case RecordType.speechEnd:
            phase = "thinking"
            lastPause = nil
            // An intent acted on at a pause already started this utterance's request.
            if !(requests.last.map { $0.early && $0.transcriptAt == nil } ?? false) {
                request = startRequest(at: now)
            }
        case RecordType.transcript:
            transcript = text("text")
            partial = ""
            changed.append("words")
            if transcript.isEmpty && job == nil { phase = "listening" }
            if var last = requests.last, last.transcriptAt == nil {
                last.transcriptAt = now
                last.text = transcript
                request = update(last)
            }
        case RecordType.intent:
            intent = redactedCopy(record.fields)
            changed.append("intent")
            let action = text("action")
            if action == "confirm" || action == "deny" {
                confirmation = nil
                changed.append("confirmation")
            }
            if action == "none" && job == nil { phase = "listening" } else if job == nil { phase = "thinking" }
            if text("backend") != "control" {
                if requests.last.map({ $0.intentAt != nil }) ?? true, let pause = lastPause {
                    _ = startRequest(at: pause)  // acted on at a pause (semantic endpointing)
                    requests[requests.count - 1].early = true
                    lastPause = nil
                }
                if var last = requests.last, last.intentAt == nil {
                    last.intentAt = now
                    last.action = action
                    if last.text.isEmpty { last.text = text("transcript") }
                    request = update(last)
                }
            }
        case RecordType.confirm:
            var pending = redactedCopy(record.fields)
            pending["asked_at"] = .number(now)
            confirmation = pending
            changed.append("confirmation")
        case RecordType.jobStarted:
            job = redactedCopy(record.fields)
            job?["status"] = "running"
            job?["started_at"] = .number(now)
            output.removeAll()
            phase = "running"
            changed += ["job", "output"]
        case RecordType.jobOutput:
            var line = JSONObject()
            line["job"] = record["job"] ?? .null
            line["stream"] = .string(text("stream"))
            line["text"] = .string(SecretRedaction.redact(text("text")))
            if let skipped = record["skipped"] { line["skipped"] = skipped }
            output.append(line)
            if output.count > Self.outputLimit { output.removeFirst(output.count - Self.outputLimit) }
            streamed = line
        case RecordType.jobDone:
            var done = job ?? JSONObject()
            for (key, value) in redactedCopy(record.fields) where key != "type" { done[key] = value }
            job = done
            if phase == "running" { phase = "listening" }
            changed.append("job")
        case RecordType.say:
            phase = "speaking"
            // espeak-ng speaks about 15 characters a second; no record says when it is done.
            speakingUntil = now + 600 + Double(text("text").count) * 70
            if var last = requests.last, last.intentAt != nil, last.replyAt == nil {
                last.replyAt = now
                request = update(last)
            }
        case RecordType.interrupt:
            if phase == "speaking" { speakingUntil = now }
        case RecordType.mute:
            muted = record["muted"]?.boolValue ?? muted
        case RecordType.error:
            lastError = SecretRedaction.redact(text("message"))
        default:
            break
        }
        var set = JSONObject()
        set["status"] = .object(status(now: now))
        for name in changed { set[name] = section(name) }
        var message = JSONObject()
        message["kind"] = "update"
        message["seq"] = .number(Double(sequence))
        message["received"] = .number(now)
        message["type"] = .string(record.type)
        message["set"] = .object(set)
        if let streamed { message["output"] = .object(streamed) }
        if let request { message["request"] = .object(request) }
        return message.serialized()
    }

    /// Counts a malformed input line; returns the status update for the page.
    public mutating func countMalformed(at now: Double) -> String {
        malformed += 1
        return statusMessage(now: now)
    }

    /// Marks the end of the loop's records.
    public mutating func endInput(at now: Double) -> String {
        inputEnded = true
        return statusMessage(now: now)
    }

    /// Replaces the recent jobs (from the history); returns the page's update.
    public mutating func setJobs(_ entries: [JSONValue], at now: Double) -> String {
        jobs = entries
        sequence += 1
        var message = JSONObject()
        message["kind"] = "update"
        message["seq"] = .number(Double(sequence))
        message["received"] = .number(now)
        message["set"] = .object(JSONObject(["jobs": .array(entries)]))
        return message.serialized()
    }

    private mutating func startRequest(at time: Double) -> JSONObject {
        let timing = RequestTiming(id: nextRequestID, endOfSpeech: time)
        nextRequestID += 1
        requests.append(timing)
        if requests.count > Self.requestLimit { requests.removeFirst(requests.count - Self.requestLimit) }
        return timing.json
    }

    private mutating func update(_ timing: RequestTiming) -> JSONObject {
        requests[requests.count - 1] = timing
        return timing.json
    }

    private func redactedCopy(_ fields: JSONObject) -> JSONObject {
        var copy = JSONObject()
        for (key, value) in fields where key != "pcm" && key != "segments" {
            if case .string(let text) = value {
                copy[key] = .string(SecretRedaction.redact(text))
            } else {
                copy[key] = value
            }
        }
        return copy
    }

    // MARK: Views

    func status(now: Double) -> JSONObject {
        var object = JSONObject()
        let speaking = phase == "speaking" && now < speakingUntil
        object["phase"] = .string(phase == "speaking" && !speaking ? "listening" : phase)
        object["speaking_until"] = .number(speakingUntil)
        object["muted"] = .bool(muted)
        object["level"] = level.map { .number(($0 * 10).rounded() / 10) } ?? .null
        object["records"] = .number(Double(records))
        object["malformed"] = .number(Double(malformed))
        object["input"] = .string(input)
        object["input_ended"] = .bool(inputEnded)
        object["error"] = lastError.map { .string($0) } ?? .null
        return object
    }

    func section(_ name: String) -> JSONValue {
        switch name {
        case "words": return .object(JSONObject(["partial": .string(partial), "transcript": .string(transcript)]))
        case "intent": return intent.map { .object($0) } ?? .null
        case "confirmation": return confirmation.map { .object($0) } ?? .null
        case "job": return job.map { .object($0) } ?? .null
        case "output": return .array(output.map { .object($0) })
        default: return .null
        }
    }

    private mutating func statusMessage(now: Double) -> String {
        sequence += 1
        var message = JSONObject()
        message["kind"] = "update"
        message["seq"] = .number(Double(sequence))
        message["received"] = .number(now)
        message["set"] = .object(JSONObject(["status": .object(status(now: now))]))
        return message.serialized()
    }

    /// The whole state, as `/v1/state` serves it and a new page receives it first.
    public func snapshot(now: Double, extra: JSONObject = JSONObject()) -> JSONObject {
        var state = JSONObject()
        state["status"] = .object(status(now: now))
        for name in ["words", "intent", "confirmation", "job", "output"] { state[name] = section(name) }
        state["requests"] = .array(requests.map { .object($0.json) })
        state["jobs"] = .array(jobs)
        for (key, value) in extra { state[key] = value }
        return state
    }

    /// The job now shown, when it has this id (for `/v1/jobs/{id}` while it runs).
    func liveJob(id: Int) -> (job: JSONObject, output: [JSONObject])? {
        guard let job, job["job"]?.intValue == id else { return nil }
        return (job, output)
    }
}
