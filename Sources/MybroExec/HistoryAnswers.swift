import Foundation
import MybroCore
import MybroStore

/// Spoken answers to status and history questions ("did the tests pass", "how long did the
/// last build take"), from the jobs of this run and the job history.
public enum HistoryAnswers {
    /// The jobs a question may be about, newest first: `session` (finished in this run, known at
    /// once) before the database's `recent` rows, without repeats.
    public static func merged(session: [JobEntry], stored: [JobEntry]) -> [JobEntry] {
        var seen = Set<Int64>()
        var result: [JobEntry] = []
        for entry in session.reversed() + stored where seen.insert(entry.id).inserted { result.append(entry) }
        return result.sorted { $0.id > $1.id }
    }

    /// Whether `entry` ran `task`: its command is one the workspace uses for the task, or its
    /// words name it.
    static func entry(_ entry: JobEntry, ran task: Intent.Task, directory: String) -> Bool {
        let commands = Intent.Mode.allCases.compactMap { ProjectTasks.command(for: task, mode: $0, in: directory) }
        if commands.contains(entry.command) { return true }
        let words = entry.command.lowercased()
        switch task {
        case .test: return words.contains(" test") || words.hasPrefix("pytest")
        case .build: return words.contains(" build") || words == "make"
        case .lint: return words.contains(" lint") || words.contains("clippy") || words.contains(" vet")
        case .format: return words.contains("format") || words.contains("fmt")
        case .start: return words.contains(" run") && !words.contains("run build")
        }
    }

    /// One sentence: how the last job (of `task`, when given) ended and how long it took.
    public static func sentence(task: Intent.Task?, entries: [JobEntry], directory: String) -> String {
        let finished = entries.filter { $0.action == "run" || $0.action == "code" }
        let name = task.map { CommandSummary.spokenName(task: $0, command: "") } ?? "job"
        guard
            let last = finished.first(where: { entry in
                task.map { Self.entry(entry, ran: $0, directory: directory) } ?? true
            })
        else {
            return task == nil ? "No job has run yet." : "I have no record of \(name) running."
        }
        let subject =
            task == nil
            ? "The last job, \(CommandSummary.clip(last.command, 40)),"
            : "The last run of \(name)"
        let took = last.endedAt.map { spokenDuration($0.timeIntervalSince(last.startedAt)) }
        let ago = spokenAgo(Date().timeIntervalSince(last.endedAt ?? last.startedAt))
        switch last.status {
        case "succeeded": return "\(subject) passed and took \(took ?? "an unknown time"), \(ago)."
        case "failed":
            let exit = last.exitCode.map { " with exit status \($0)" } ?? ""
            return "\(subject) failed\(exit) after \(took ?? "an unknown time"), \(ago)."
        case "stopped": return "\(subject) was stopped after \(took ?? "an unknown time"), \(ago)."
        case "timeout": return "\(subject) timed out after \(took ?? "an unknown time"), \(ago)."
        case "running": return "\(subject) is still running."
        case "refused", "declined", "unconfirmed": return "\(subject) did not run: it was \(last.status)."
        default: return "\(subject) ended with status \(last.status), \(ago)."
        }
    }

    /// "under a second", "42 seconds", "3 minutes and 5 seconds".
    static func spokenDuration(_ seconds: Double) -> String {
        if seconds < 1 { return "under a second" }
        let whole = Int(seconds.rounded())
        if whole < 120 { return whole == 1 ? "1 second" : "\(whole) seconds" }
        let minutes = whole / 60, rest = whole % 60
        return rest == 0 ? "\(minutes) minutes" : "\(minutes) minutes and \(rest) seconds"
    }

    /// "just now", "5 minutes ago", "2 hours ago", "3 days ago".
    static func spokenAgo(_ seconds: Double) -> String {
        if seconds < 60 { return "just now" }
        if seconds < 3600 { return plural(Int(seconds / 60), "minute") + " ago" }
        if seconds < 86400 { return plural(Int(seconds / 3600), "hour") + " ago" }
        return plural(Int(seconds / 86400), "day") + " ago"
    }

    private static func plural(_ count: Int, _ unit: String) -> String {
        count == 1 ? "1 \(unit)" : "\(count) \(unit)s"
    }
}
