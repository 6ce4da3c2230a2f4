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

    /// `text` safe for a terminal and for one tab-separated line: C0 and C1 controls, DEL and
    /// the invisible line and direction controls print as escapes (`\e`, `\n`, `\t`, `\x07`,
    /// `\x9b`, `\u{202e}`), never raw.
    public static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x1B: result += "\\e"
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0x00...0x1F, 0x7F...0x9F: result += "\\x" + hex(scalar.value, width: 2)
            case 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                result += "\\u{" + hex(scalar.value, width: 4) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
