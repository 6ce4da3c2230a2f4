import Foundation
import MybroStore

/// `mybro-exec --history`: the recent jobs, newest first, one per line.
public enum HistoryListing {
    public static func lines(_ entries: [JobEntry]) -> [String] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return entries.map { entry in
            let duration = entry.endedAt.map { String(format: "%.1fs", $0.timeIntervalSince(entry.startedAt)) } ?? "-"
            let exit = entry.exitCode.map(String.init) ?? "-"
            let command = entry.command.replacingOccurrences(of: "\n", with: " ")
            return "\(entry.id)\t\(formatter.string(from: entry.startedAt))\t\(entry.status)\texit \(exit)\t\(duration)\t\(entry.action)\t\(command)"
        }
    }
}
