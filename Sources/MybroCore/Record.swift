/// One JSON Lines record: a JSON object with a `type` string.
///
/// A record read from input keeps its original line, so one that is forwarded goes out
/// byte for byte as it came in.
public struct Record: Sendable, Equatable {
    public private(set) var fields: JSONObject
    /// The exact input line (without its newline) while the record is unchanged.
    public private(set) var originalLine: String?

    public init(type: String, fields: JSONObject = JSONObject()) {
        var object = JSONObject()
        object["type"] = .string(type)
        for (key, value) in fields where key != "type" { object[key] = value }
        self.fields = object
        self.originalLine = nil
    }

    public init(type: String, _ pairs: KeyValuePairs<String, JSONValue>) {
        self.init(type: type, fields: JSONObject(pairs))
    }

    /// A record parsed from input; `fields` must hold a string `type`.
    init(parsed fields: JSONObject, line: String) {
        self.fields = fields
        self.originalLine = line
    }

    public var type: String { fields["type"]?.stringValue ?? "" }

    public subscript(key: String) -> JSONValue? {
        get { fields[key] }
        set {
            fields[key] = newValue
            originalLine = nil
        }
    }

    /// The record as one line of JSON, without the newline.
    public func serialized() -> String { originalLine ?? fields.serialized() }

    public static func == (lhs: Record, rhs: Record) -> Bool { lhs.fields == rhs.fields }
}

/// The record types the toolkit uses (see mybro-protocol(7)).
public enum RecordType {
    public static let speechStart = "speech_start"
    public static let speechEnd = "speech_end"
    public static let utterance = "utterance"
    /// The speech so far while it goes on (mybro-vad), and its words (mybro-transcribe).
    public static let speech = "speech"
    public static let pause = "pause"
    public static let partial = "partial"
    public static let transcript = "transcript"
    public static let intent = "intent"
    public static let say = "say"
    public static let interrupt = "interrupt"
    public static let confirm = "confirm"
    public static let jobStarted = "job_started"
    public static let jobOutput = "job_output"
    public static let jobDone = "job_done"
    public static let error = "error"
    public static let undo = "undo"
    /// Listening muted or unmuted through the control channel (`muted`: true or false).
    public static let mute = "mute"
}
