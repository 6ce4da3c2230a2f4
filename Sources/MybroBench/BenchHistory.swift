import Foundation
import MybroCore

/// The history of full runs on this machine: one compact JSON line per run, appended to
/// `BenchRun.historyPath()`, read back by `--report` for the history plot.
///
/// A line: `{"type":"bench_history","date":…,"version":…,"cpu_model":…,"threads":…,
/// "figures":{"memory.triad threads=2":12.3,…}}` (medians by `Measurement.key`).
///
/// Appending is one `write` under an advisory lock on a file opened with `O_APPEND`, so earlier
/// lines are never rewritten in place. A kill during the write can leave at most a partial last
/// line; the next append first ends it with a newline so it stays one corrupt line, which the
/// reader skips with a warning. The file is bounded: past `maximumEntries` lines it is rewritten
/// (to a temporary file, then renamed over) keeping the newest half.
public enum BenchHistory {
    public static let recordType = "bench_history"
    /// Runs kept: years of daily runs, a few megabytes at most.
    public static let maximumEntries = 1000
    /// A line longer than this is not one of ours (a full run's line is a few kilobytes).
    public static let maximumLineBytes = 1 << 20

    public struct Entry: Sendable, Equatable {
        public var date: String
        public var version: String
        public var cpuModel: String
        public var threads: Int
        /// Median by figure key.
        public var figures: [String: Double]

        public init(date: String, version: String, cpuModel: String, threads: Int, figures: [String: Double]) {
            self.date = date
            self.version = version
            self.cpuModel = cpuModel
            self.threads = threads
            self.figures = figures
        }

        public init(run: BenchRun) {
            var figures: [String: Double] = [:]
            for measurement in run.measurements where measurement.median.isFinite {
                figures[measurement.key] = Measurement.rounded(measurement.median)
            }
            self.init(
                date: run.date, version: run.version, cpuModel: run.hardware?.cpuModel ?? "",
                threads: run.hardware?.threads ?? 0, figures: figures)
        }

        public var line: String {
            var figureObject = JSONObject()
            for key in figures.keys.sorted() { figureObject[key] = .number(figures[key]!) }
            var fields = JSONObject()
            fields["date"] = .string(date)
            fields["version"] = .string(version)
            fields["cpu_model"] = .string(cpuModel)
            fields["threads"] = .number(Double(threads))
            fields["figures"] = .object(figureObject)
            return Record(type: BenchHistory.recordType, fields: fields).serialized()
        }

        /// Nil for a line that is not a history entry with a date and figures.
        public init?(line: String) {
            guard line.utf8.count <= BenchHistory.maximumLineBytes,
                let object = (try? JSONParser.parse(line))?.objectValue,
                object["type"]?.stringValue == BenchHistory.recordType, let date = object["date"]?.stringValue,
                let figureObject = object["figures"]?.objectValue
            else { return nil }
            var figures: [String: Double] = [:]
            for (key, value) in figureObject {
                guard let number = value.doubleValue, number.isFinite else { continue }
                figures[key] = number
            }
            self.init(
                date: date, version: object["version"]?.stringValue ?? "",
                cpuModel: object["cpu_model"]?.stringValue ?? "", threads: object["threads"]?.intValue ?? 0,
                figures: figures)
        }
    }

    /// What reading gave: the entries in file order, and one warning per skipped line.
    public struct Contents: Sendable {
        public var entries: [Entry]
        public var warnings: [String]
    }

    /// Appends the run's entry (a quick run is not history: its sizes differ).
    public static func append(_ run: BenchRun, to path: String) throws(MybroError) {
        guard !run.quick else { return }
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw MybroError("cannot create \(folder) (\(error.localizedDescription))", status: .ioError)
        }
        let fd = try openLocked(path)
        defer { close(fd) }
        var text = Entry(run: run).line + "\n"
        if !endsWithNewline(path) { text = "\n" + text }
        let error = SystemIO.writeAll(fd, text)
        guard error == 0 else { throw ioError(path, error) }
        try trimIfNeeded(path)
    }

    /// Reads the history; a missing file is an empty history, a corrupt line a warning.
    public static func read(_ path: String) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else { return Contents(entries: [], warnings: []) }
        var entries: [Entry] = []
        var warnings: [String] = []
        let text = String(decoding: data, as: UTF8.self)
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            if let entry = Entry(line: String(line)) {
                entries.append(entry)
            } else {
                warnings.append("\(path):\(index + 1): not a history entry, skipped")
            }
        }
        return Contents(entries: entries, warnings: warnings)
    }

    /// Keeps the newest half once the file holds more than `maximumEntries` lines. Called with
    /// the append lock held; the rename replaces the file whole, so a kill leaves either file.
    static func trimIfNeeded(_ path: String) throws(MybroError) {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let lines = data.split(separator: UInt8(ascii: "\n"))
        guard lines.count > maximumEntries else { return }
        let kept = lines.suffix(maximumEntries / 2).map { String(decoding: $0, as: UTF8.self) + "\n" }.joined()
        try BenchFiles.write(kept, to: path)
    }

    /// Opens the file for appending under an exclusive lock: one writer at a time, so two runs
    /// finishing together never interleave. A writer that waited while another trimmed the file
    /// (renamed a new one over it) opens the new file instead of appending to the old one.
    static func openLocked(_ path: String) throws(MybroError) -> Int32 {
        while true {
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw ioError(path, errno) }
            while flock(fd, LOCK_EX) != 0 {
                let code = errno
                guard code == EINTR else {
                    close(fd)
                    throw ioError(path, code)
                }
            }
            var opened = stat()
            var named = stat()
            if fstat(fd, &opened) == 0, stat(path, &named) == 0, opened.st_ino == named.st_ino,
                opened.st_dev == named.st_dev
            {
                return fd
            }
            close(fd)
        }
    }

    static func endsWithNewline(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return true }
        var last: UInt8 = 0
        return pread(fd, &last, 1, size - 1) == 1 && last == UInt8(ascii: "\n")
    }

    static func ioError(_ path: String, _ code: Int32) -> MybroError {
        MybroError("cannot append to \(path): \(String(cString: strerror(code)))", status: .ioError)
    }
}
