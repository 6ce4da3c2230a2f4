/// What a control channel (`mybro listen --control PATH`) may carry back into the loop: stop the
/// job, answer a confirmation, mute or unmute listening. Anything else is refused, so a writer
/// to the channel can never inject a command, a prompt or any other record (mybro-protocol(7)).
public enum ControlCommand: String, CaseIterable, Sendable {
    case stop, confirm, deny, mute, unmute

    /// The longest control line accepted: one write to a FIFO up to PIPE_BUF is atomic.
    public static let maximumLineBytes = 4096

    /// The canonical record for this command. Intents are built afresh here, whatever fields
    /// the writer sent, with `backend` "control" so the history shows where they came from.
    public var record: Record {
        switch self {
        case .stop, .confirm, .deny:
            Intent(action: Intent.Action(rawValue: rawValue)!, confidence: 1, backend: "control", transcript: "")
                .record
        case .mute: Record(type: RecordType.mute, ["muted": true])
        case .unmute: Record(type: RecordType.mute, ["muted": false])
        }
    }

    /// Whether the loop itself handles the command (mute) rather than mybro-exec.
    public var isForLoop: Bool { self == .mute || self == .unmute }

    /// The command a control line asks for, or nil when the line is not one: an `intent`
    /// record whose action is stop, confirm or deny, or a `mute` record with a boolean `muted`.
    public static func parse(_ line: some StringProtocol) -> ControlCommand? {
        guard line.utf8.count <= maximumLineBytes, case .object(let object)? = try? JSONParser.parse(String(line))
        else { return nil }
        switch object["type"]?.stringValue {
        case RecordType.intent:
            switch object["action"]?.stringValue {
            case "stop": return .stop
            case "confirm": return .confirm
            case "deny": return .deny
            default: return nil
            }
        case RecordType.mute:
            guard let muted = object["muted"]?.boolValue else { return nil }
            return muted ? .mute : .unmute
        default: return nil
        }
    }
}
