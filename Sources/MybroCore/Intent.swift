import Foundation

/// What the user asked for, as `mybro-intent` emits it and `mybro-exec` consumes it.
public struct Intent: Equatable, Sendable {
    public enum Action: String, CaseIterable, Sendable {
        /// A task for Claude Code (`prompt`).
        case code
        /// A shell command (`command`) or a well-known project task (`task`).
        case run
        /// Interrupt the running job and any speech.
        case stop
        /// What is happening now; with `task`, about that task (its last run when none runs).
        case status
        /// A question about past jobs ("did the tests pass", "how long did the last build take"),
        /// answered from the job history; `task` narrows it to that task's last run.
        case history
        /// A question back to the user about a low-confidence guess (`text`); the next yes or no
        /// answers it inside `mybro-intent`, which then sends the guessed intent or a `deny`.
        case ask
        case confirm
        case deny
        /// Something to say (`text`).
        case answer
        /// Put the workspace back as it was before the last job not yet undone (or job `job`).
        case undo
        case none
    }

    /// Project tasks that `mybro-exec` maps to the workspace's own test, build, lint, format
    /// and run-the-app (`start`) commands.
    public enum Task: String, CaseIterable, Sendable {
        case test, build, lint, format, start
    }

    /// How a task is built: `debug` (the default) or `release`.
    public enum Mode: String, CaseIterable, Sendable {
        case debug, release
    }

    public var action: Action
    public var prompt: String?
    public var command: String?
    public var task: Task?
    /// For a `run` task: debug or release (nil: the project's default).
    public var mode: Mode?
    public var text: String?
    /// For `undo`: the job to undo (nil: the last one not yet undone).
    public var job: Int?
    public var confidence: Double
    public var backend: String
    public var transcript: String

    public init(
        action: Action, prompt: String? = nil, command: String? = nil, task: Task? = nil, mode: Mode? = nil,
        text: String? = nil, job: Int? = nil, confidence: Double, backend: String, transcript: String
    ) {
        self.action = action
        self.prompt = prompt
        self.command = command
        self.task = task
        self.mode = mode
        self.text = text
        self.job = job
        self.confidence = confidence
        self.backend = backend
        self.transcript = transcript
    }

    /// The `intent` record (see mybro-protocol(7)).
    public var record: Record {
        var fields = JSONObject()
        fields["action"] = .string(action.rawValue)
        if let prompt { fields["prompt"] = .string(prompt) }
        if let command { fields["command"] = .string(command) }
        if let task { fields["task"] = .string(task.rawValue) }
        if let mode { fields["mode"] = .string(mode.rawValue) }
        if let text { fields["text"] = .string(text) }
        if let job { fields["job"] = .number(Double(job)) }
        fields["confidence"] = .number((confidence * 100).rounded() / 100)
        fields["backend"] = .string(backend)
        fields["transcript"] = .string(transcript)
        return Record(type: RecordType.intent, fields: fields)
    }

    /// Reads an `intent` record; nil with a reason when it cannot be acted on.
    public static func parse(_ record: Record) -> Result<Intent, IntentRecordError> {
        guard let name = record["action"]?.stringValue else {
            return .failure(IntentRecordError(reason: "intent record has no \"action\" string"))
        }
        guard let action = Action(rawValue: name) else {
            let known = Action.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(IntentRecordError(reason: "unknown intent action \"\(name)\" (expected one of \(known))"))
        }
        var task: Task? = nil
        if let taskName = record["task"]?.stringValue {
            guard let known = Task(rawValue: taskName) else {
                let names = Task.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(IntentRecordError(reason: "unknown task \"\(taskName)\" (expected one of \(names))"))
            }
            task = known
        }
        var mode: Mode? = nil
        if let modeName = record["mode"]?.stringValue {
            guard let known = Mode(rawValue: modeName) else {
                return .failure(IntentRecordError(reason: "unknown mode \"\(modeName)\" (expected debug or release)"))
            }
            mode = known
        }
        var job: Int? = nil
        if let value = record["job"], value != .null {
            guard let number = value.intValue, number > 0 else {
                return .failure(IntentRecordError(reason: "an intent's \"job\" must be a positive job number"))
            }
            job = number
        }
        let intent = Intent(
            action: action, prompt: nonEmpty(record["prompt"]), command: nonEmpty(record["command"]), task: task,
            mode: mode, text: nonEmpty(record["text"]), job: job, confidence: record["confidence"]?.doubleValue ?? 1,
            backend: record["backend"]?.stringValue ?? "", transcript: record["transcript"]?.stringValue ?? "")
        switch action {
        case .code where intent.prompt == nil:
            return .failure(IntentRecordError(reason: "a \"code\" intent needs a \"prompt\""))
        case .run where intent.command == nil && intent.task == nil:
            return .failure(IntentRecordError(reason: "a \"run\" intent needs a \"command\" or a \"task\""))
        case .answer where intent.text == nil:
            return .failure(IntentRecordError(reason: "an \"answer\" intent needs a \"text\""))
        case .ask where intent.text == nil:
            return .failure(IntentRecordError(reason: "an \"ask\" intent needs a \"text\""))
        default:
            return .success(intent)
        }
    }

    private static func nonEmpty(_ value: JSONValue?) -> String? {
        guard let text = value?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            return nil
        }
        return text
    }
}

public struct IntentRecordError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
