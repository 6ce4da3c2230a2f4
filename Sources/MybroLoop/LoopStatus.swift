import MybroCore

/// The one-line live status `mybro listen` shows on a terminal, derived from the records
/// passing between the stages.
public enum LoopStatus {
    public static let initial = "listening"

    /// The status after `record`, or nil when the record changes nothing.
    public static func status(after record: Record) -> String? {
        switch record.type {
        case RecordType.speechStart: return "hearing"
        case RecordType.partial:
            // What is being heard, while the speaker is still talking.
            let text = record["text"]?.stringValue ?? ""
            return text.isEmpty ? nil : "hearing \"\(shortened(text))…\""
        case RecordType.utterance: return "transcribing"
        case RecordType.transcript:
            let text = record["text"]?.stringValue ?? ""
            return text.isEmpty ? "listening" : "heard \"\(shortened(text))\""
        case RecordType.intent:
            switch record["action"]?.stringValue {
            case "run": return "running `\(shortened(record["command"]?.stringValue ?? ""))`"
            case "code": return "asking Claude Code"
            case "none": return "listening"
            default: return "thinking"
            }
        case RecordType.jobStarted:
            if let command = record["command"]?.stringValue { return "running `\(shortened(command))`" }
            return "running"
        case RecordType.confirm: return "waiting for a yes or no"
        case RecordType.say: return "speaking"
        case RecordType.jobDone: return "listening"
        default: return nil
        }
    }

    static func shortened(_ text: String, limit: Int = 48) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
