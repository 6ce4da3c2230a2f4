import Foundation
import MybroCore

/// What an undo did, as the `undo` and `say` records report it.
public struct UndoOutcome: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// The workspace is back as it was before the job.
        case undone
        /// The job (and those after it) changed nothing that undo keeps: nothing was touched.
        case unchanged
        /// No job to undo (none, or the one named is unknown or already undone).
        case nothing
        /// The job cannot be undone (no snapshot was taken, git is missing, a git step failed).
        case unavailable
    }

    public var status: Status
    public var job: Int64?
    public var description: String?
    /// Files written back from the snapshot (modified, deleted or changed in type since).
    public var restored: [String] = []
    /// Files the job added, removed (and the directories that left empty).
    public var removed: [String] = []
    /// Later jobs whose changes went too, oldest first.
    public var later: [Int64] = []
    /// Files the snapshot left out for their size: left as they are.
    public var skipped: [String] = []
    public var reason: String?

    public init(
        status: Status, job: Int64? = nil, description: String? = nil, reason: String? = nil
    ) {
        self.status = status
        self.job = job
        self.description = description
        self.reason = reason
    }

    /// `mybro-exec --undo`'s exit status: 0 undone; 1 nothing to undo (no job, or it changed
    /// nothing); 69 the job cannot be undone.
    public var exitStatus: Int32 {
        switch status {
        case .undone: return 0
        case .unchanged, .nothing: return 1
        case .unavailable: return ExitStatus.unavailable.rawValue
        }
    }

    /// The sentence to say.
    public var sentence: String {
        let laterText =
            later.isEmpty ? "" : later.count == 1 ? " and the job after it" : " and the \(later.count) jobs after it"
        switch status {
        case .undone:
            var text = "Undid job \(job ?? 0)"
            if let description, !description.isEmpty { text += ", \(description)" }
            text += later.isEmpty ? "" : "," + laterText
            var parts: [String] = []
            if !restored.isEmpty { parts.append("restored \(Self.count(restored.count, "file"))") }
            if !removed.isEmpty {
                parts.append(
                    restored.isEmpty ? "removed \(Self.count(removed.count, "file"))" : "removed \(removed.count)")
            }
            text += ": " + parts.joined(separator: " and ") + "."
            if !skipped.isEmpty {
                text +=
                    skipped.count == 1
                    ? " One file was too large to keep and was left as it is."
                    : " \(skipped.count) files were too large to keep and were left as they are."
            }
            return text
        case .unchanged:
            return later.isEmpty
                ? "Job \(job ?? 0) changed nothing to undo."
                : "Job \(job ?? 0)\(laterText) changed nothing to undo."
        case .nothing:
            guard let job else { return "There is nothing to undo." }
            return reason == "already undone"
                ? "Job \(job) is already undone." : "I have nothing to undo for job \(job)."
        case .unavailable:
            let what = job.map { "job \($0)" } ?? "that"
            return "I can't undo \(what): \(reason ?? "no snapshot was taken")."
        }
    }

    /// The `undo` record (see mybro-protocol(7)).
    public var record: Record {
        var fields = JSONObject()
        if let job { fields["job"] = .number(Double(job)) }
        fields["status"] = .string(status.rawValue)
        if status == .undone || status == .unchanged {
            fields["restored"] = .array(restored.map { .string($0) })
            fields["removed"] = .array(removed.map { .string($0) })
            if !later.isEmpty { fields["later"] = .array(later.map { .number(Double($0)) }) }
            if !skipped.isEmpty { fields["skipped"] = .array(skipped.map { .string($0) }) }
        }
        if let reason { fields["reason"] = .string(reason) }
        return Record(type: RecordType.undo, fields: fields)
    }

    /// The records to write: `undo`, then `say`.
    public var records: [Record] {
        var say = JSONObject()
        say["text"] = .string(sentence)
        if let job { say["job"] = .number(Double(job)) }
        return [record, Record(type: RecordType.say, fields: say)]
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
