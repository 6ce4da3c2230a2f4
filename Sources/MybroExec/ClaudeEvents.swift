import Foundation
import MybroCore

/// Follows Claude Code's stream-json output (`--output-format stream-json --verbose`): turns
/// each event into a progress line and gathers what the spoken summary needs.
struct ClaudeEvents {
    /// The final `result` event, when it has arrived.
    struct Result: Equatable {
        var subtype: String
        var isError: Bool
        var text: String?
        var costUSD: Double?
        var turns: Int?
        var errors: [String]
    }

    private(set) var sessionID: String?
    private(set) var model: String?
    private(set) var result: Result?
    /// Files written or edited, in the order first touched.
    private(set) var changedFiles: [String] = []

    static let editingTools: Set<String> = ["Write", "Edit", "MultiEdit", "NotebookEdit"]

    /// One stream-json line; returns the progress lines it gives (none for bookkeeping events).
    mutating func observe(_ line: String) -> [String] {
        guard let object = (try? JSONParser.parse(line))?.objectValue else {
            return line.trimmingCharacters(in: .whitespaces).isEmpty ? [] : [line]
        }
        if let session = object["session_id"]?.stringValue { sessionID = session }
        switch object["type"]?.stringValue {
        case "system":
            guard object["subtype"]?.stringValue == "init" else { return [] }
            model = object["model"]?.stringValue
            return ["Claude Code started" + (model.map { " (\($0))" } ?? "")]
        case "assistant":
            var lines: [String] = []
            for block in object["message"]?.objectValue?["content"]?.arrayValue ?? [] {
                guard let block = block.objectValue else { continue }
                switch block["type"]?.stringValue {
                case "text":
                    if let text = block["text"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines),
                        !text.isEmpty
                    {
                        lines.append("Claude: " + Self.clip(text, 300))
                    }
                case "tool_use":
                    let name = block["name"]?.stringValue ?? "tool"
                    let input = block["input"]?.objectValue ?? JSONObject()
                    if Self.editingTools.contains(name),
                        let path = input["file_path"]?.stringValue ?? input["notebook_path"]?.stringValue,
                        !changedFiles.contains(path)
                    {
                        changedFiles.append(path)
                    }
                    lines.append(Self.describeTool(name: name, input: input))
                default:
                    break
                }
            }
            return lines
        case "user":
            var lines: [String] = []
            for block in object["message"]?.objectValue?["content"]?.arrayValue ?? [] {
                guard let block = block.objectValue, block["type"]?.stringValue == "tool_result",
                    block["is_error"]?.boolValue == true
                else { continue }
                lines.append("tool error: " + Self.clip(Self.text(of: block["content"]), 200))
            }
            return lines
        case "result":
            let errors = (object["errors"]?.arrayValue ?? []).compactMap(\.stringValue)
            result = Result(
                subtype: object["subtype"]?.stringValue ?? "",
                isError: object["is_error"]?.boolValue ?? (object["subtype"]?.stringValue != "success"),
                text: object["result"]?.stringValue, costUSD: object["total_cost_usd"]?.doubleValue,
                turns: object["num_turns"]?.intValue, errors: errors)
            return []
        default:
            return []
        }
    }

    static func describeTool(name: String, input: JSONObject) -> String {
        if let command = input["command"]?.stringValue { return "\(name): \(clip(command, 160))" }
        if let path = input["file_path"]?.stringValue ?? input["notebook_path"]?.stringValue
            ?? input["path"]?.stringValue
        {
            return "\(name) \(path)"
        }
        if let pattern = input["pattern"]?.stringValue { return "\(name) \(clip(pattern, 120))" }
        return name
    }

    static func text(of content: JSONValue?) -> String {
        if let text = content?.stringValue { return text }
        return (content?.arrayValue ?? []).compactMap { $0.objectValue?["text"]?.stringValue }.joined(separator: " ")
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        let oneLine = text.replacingOccurrences(of: "\n", with: " ")
        return oneLine.count <= limit ? oneLine : String(oneLine.prefix(limit)) + "…"
    }

    /// The spoken summary of the turn.
    func sentence(status: JobStatus, exit: Int32?, stderrTail: String, duration: Double) -> String {
        switch status {
        case .stopped: return "Stopped Claude."
        case .timeout: return "Claude timed out after \(Int(duration.rounded())) seconds."
        case .error: return "Could not start Claude Code."
        default: break
        }
        guard let result else {
            let reason = stderrTail.split(separator: "\n").last.map { ": " + Self.clip(String($0), 160) } ?? "."
            return "Claude Code ended without a result, exit status \(exit ?? -1)\(reason)"
        }
        if result.isError {
            let reason = result.errors.first ?? result.text ?? result.subtype
            return "Claude Code failed: " + Self.clip(reason, 160)
        }
        var sentence: String
        switch changedFiles.count {
        case 0: sentence = "Claude finished."
        case 1: sentence = "Claude changed \((changedFiles[0] as NSString).lastPathComponent)."
        default: sentence = "Claude changed \(changedFiles.count) files."
        }
        if let text = result.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            sentence += " " + Self.firstSentence(of: text)
        }
        return sentence
    }

    static func firstSentence(of text: String) -> String {
        let oneLine = text.replacingOccurrences(of: "\n", with: " ")
        if let end = oneLine.range(of: #"[.!?](\s|$)"#, options: .regularExpression) {
            return clip(String(oneLine[..<end.upperBound]).trimmingCharacters(in: .whitespaces), 200)
        }
        return clip(oneLine, 200)
    }
}
