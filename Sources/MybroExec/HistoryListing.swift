import Foundation
import MybroCore
import MybroStore

/// `mybro-exec --history`: the recent jobs, newest first, one per line.
public enum HistoryListing {
    /// Opens the history (replaying spilled jobs, marking jobs whose supervisor died) and writes
    /// its recent jobs. A database that another process holds locked is still listed (WAL lets
    /// it be read), without the repairs.
    public static func write(path: String, limit: Int, to output: OutputSink, log: Log = .shared) throws {
        let history: JobHistory
        do {
            history = try JobHistory(path: path, busyTimeout: 2)
        } catch {
            throw MybroError("cannot open the job history \(path): \(error)", status: .ioError)
        }
        do {
            let recovery = try history.recover()
            if recovery.replayed > 0 {
                log.warning("\(recovery.replayed) job(s) saved while the history was locked are now written to it")
            }
            if recovery.damaged > 0 { log.warning("skipped \(recovery.damaged) damaged line(s) of the spill file") }
            if recovery.interrupted > 0 {
                log.warning(
                    "\(recovery.interrupted) job(s) were still running when mybro-exec last stopped: marked interrupted"
                )
            }
        } catch {
            log.warning("the job history is locked by another process: listed as it is")
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
            return [
                "\(entry.id)", formatter.string(from: entry.startedAt), escaped(entry.status), "exit \(exit)", duration,
                escaped(entry.action), escaped(entry.command),
            ].joined(separator: "\t")
        }
    }

    /// `text` safe for a terminal and for one tab-separated line (see `TerminalText`).
    public static func escaped(_ text: String) -> String { TerminalText.escaped(text) }
}
