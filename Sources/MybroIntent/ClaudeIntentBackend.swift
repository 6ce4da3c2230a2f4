import MybroCore

/// Turns a transcript into an intent with the Messages API, asking for structured output
/// that follows the intent schema.
public final class ClaudeIntentBackend {
    public static let backendName = "claude"
    public static let defaultModel = "claude-opus-4-6"

    /// How the model is made to answer in the intent schema.
    public enum StructuredOutput: String, CaseIterable, Sendable {
        /// `output_config.format` with a JSON schema; the intent arrives as JSON text.
        case jsonSchema = "json-schema"
        /// One tool the model must call; the intent arrives as the tool's input.
        case tool
    }

    public static let toolName = "emit_intent"

    let client: MessagesSending
    public let model: String
    public let rules: String
    public let structuredOutput: StructuredOutput
    public let maxTokens: Int
    public private(set) var memory: ConversationMemory

    public init(
        client: MessagesSending, model: String = ClaudeIntentBackend.defaultModel,
        rules: String = TechnologyRules.defaultText, structuredOutput: StructuredOutput = .jsonSchema,
        memory: ConversationMemory = ConversationMemory(), maxTokens: Int = 1024
    ) {
        self.client = client
        self.model = model
        self.rules = rules
        self.structuredOutput = structuredOutput
        self.memory = memory
        self.maxTokens = maxTokens
    }

    public func interpret(_ transcript: String) throws(MessagesAPIError) -> Intent {
        let response = try client.send(requestBody(for: transcript))
        let intent = try Self.intent(from: response, transcript: transcript)
        memory.remember(transcript: transcript, intent: intent)
        return intent
    }

    // MARK: request

    static var intentSchema: JSONObject {
        let actions = Intent.Action.allCases.map { JSONValue.string($0.rawValue) }
        let tasks = Intent.Task.allCases.map { JSONValue.string($0.rawValue) }
        func string(_ description: String) -> JSONValue {
            .object(JSONObject(["type": "string", "description": .string(description)]))
        }
        let properties = JSONObject([
            "action": .object(JSONObject(["type": "string", "enum": .array(actions)])),
            "prompt": string("for code: the task for Claude Code, complete and self-contained"),
            "command": string("for run: one shell command"),
            "task": .object(
                JSONObject([
                    "type": "string", "enum": .array(tasks),
                    "description":
                        "for run: the project's own test, build or lint command, when that is what was asked",
                ])),
            "text": string("for answer: what to say back, one or two short spoken sentences"),
            "job": .object(
                JSONObject([
                    "type": "integer",
                    "description": "for undo: the job number, only when the user named one (else the last job)",
                ])),
            "confidence": .object(JSONObject(["type": "number", "description": "0 to 1"])),
        ])
        return JSONObject([
            "type": "object", "additionalProperties": false, "properties": .object(properties),
            "required": .array(["action", "confidence"]),
        ])
    }

    func systemPrompt() -> String {
        var text = """
            You are the intent parser of a voice-driven coding companion. You receive one transcript of \
            speech (it may contain recognition errors) and answer with exactly one intent.
            Actions: code = a coding task or a question about the code for Claude Code (put it in prompt, \
            rewritten as a clear instruction); run = a shell command in the project (command), or task = \
            test/build/lint/format/start (start = run the app) for the project's own commands, mode = \
            release for a release build; stop = stop the running job or speech; status = asks what is \
            happening; history = asks how a past job went ("did the tests pass"; task when one is named); \
            ask = never use; confirm / deny = yes / no to a pending question; answer = a short spoken \
            reply you can give yourself (text); undo = put the files back as they were before the last job \
            ("undo that", "put it back", "revert the last change"; job = a job number only when one is named); \
            none = noise or nothing actionable.
            Never invent destructive commands. When unsure, answer none with a low confidence.
            When you write a prompt for Claude Code, follow these technology rules:

            """
        text += rules
        if !memory.exchanges.isEmpty {
            text += "\n\nRecent conversation, oldest first:\n" + memory.promptText
        }
        return text
    }

    func requestBody(for transcript: String) -> JSONObject {
        var body = JSONObject()
        body["model"] = .string(model)
        body["max_tokens"] = .number(Double(maxTokens))
        body["system"] = .string(systemPrompt())
        body["messages"] = .array([.object(JSONObject(["role": "user", "content": .string(transcript)]))])
        switch structuredOutput {
        case .jsonSchema:
            body["output_config"] = .object(
                JSONObject([
                    "format": .object(JSONObject(["type": "json_schema", "schema": .object(Self.intentSchema)]))
                ]))
        case .tool:
            body["tools"] = .array([
                .object(
                    JSONObject([
                        "name": .string(Self.toolName), "description": "Report the intent of the transcript.",
                        "input_schema": .object(Self.intentSchema), "strict": true,
                    ]))
            ])
            body["tool_choice"] = .object(JSONObject(["type": "tool", "name": .string(Self.toolName)]))
        }
        return body
    }

    // MARK: response

    static func intent(from response: MessagesResponse, transcript: String) throws(MessagesAPIError) -> Intent {
        func failure(_ kind: MessagesAPIError.Kind, _ message: String) -> MessagesAPIError {
            MessagesAPIError(kind: kind, message: message, requestID: response.requestID)
        }
        if response.stopReason == "refusal" {
            let text = response.content.compactMap { $0["text"]?.stringValue }.joined(separator: " ")
            throw failure(.refusal, text.isEmpty ? "no explanation given" : String(text.prefix(200)))
        }
        var object: JSONObject?
        if let call = response.content.first(where: {
            $0["type"]?.stringValue == "tool_use" && $0["name"]?.stringValue == toolName
        }) {
            object = call["input"]?.objectValue
        } else {
            let text = response.content.filter { $0["type"]?.stringValue == "text" }
                .compactMap { $0["text"]?.stringValue }.joined()
            object = (try? JSONParser.parse(text))?.objectValue
        }
        guard let object else {
            if response.stopReason == "max_tokens" { throw failure(.truncated, "no complete intent in the answer") }
            throw failure(.malformed, "the answer holds no intent object (stop_reason \(response.stopReason))")
        }
        var fields = object
        fields["type"] = .string(RecordType.intent)
        fields["backend"] = .string(backendName)
        fields["transcript"] = .string(transcript)
        let record = Record(type: RecordType.intent, fields: fields)
        switch Intent.parse(record) {
        case .success(var intent):
            intent.confidence = min(max(intent.confidence, 0), 1)
            return intent
        case .failure(let error):
            throw failure(.malformed, "the intent does not follow the schema: \(error.reason)")
        }
    }
}
