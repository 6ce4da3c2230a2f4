import Foundation
import MybroCore
import MybroStore

/// `mybro-exec --history`: the recent jobs, newest first, one per line.
public enum HistoryListing {
    /// Opens the history (marking jobs whose supervisor died) and writes its recent jobs.
    public static func write(path: String, limit: Int, to output: OutputSink, log: Log = .shared) throws {
        let history = try JobHistory(path: path)
        if history.interruptedAtOpen > 0 {
            log.warning(
                "\(history.interruptedAtOpen) job(s) were still running when mybro-exec last stopped: marked interrupted"
            )
        }
        for line in lines(try history.recent(limit: limit)) { try output.write(line: line) }
    }

    public static func lines(_ entries: [JobEntry]) -> [String] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return entries.map { entry in
            let duration = entry.endedAt.map { String(format: "%.1fs", $0.timeIntervalSince(entry.startedAt)) } ?? "-"
            let exit = entry.exitCode.map(String.init) ?? "-"
            let command = entry.command.replacingOccurrences(of: "\n", with: " ")
            return
                "\(entry.id)\t\(formatter.string(from: entry.startedAt))\t\(entry.status)\texit \(exit)\t\(duration)\t\(entry.action)\t\(command)"
        }
    }
}
