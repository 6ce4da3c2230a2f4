import Foundation
import MybroCore

/// Every record of the loop, once: the `--events` log and the live status.
///
/// A record forwarded unchanged by later stages passes several links byte for byte; it is
/// logged on the first link it appears on and recognised on the following ones by its
/// line's hash.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private let file: OutputSink?
    private let statusLine: StatusLine?
    /// The records for mybro-status (`mybro listen --status`), when it runs beside the loop.
    private let statusSink: OutputSink?
    /// Per link, hashes of lines seen on the link before it and not yet seen here.
    private var expected: [Int: [Int: Int]] = [:]
    private static let maximumExpected = 4096

    init(file: OutputSink?, statusLine: StatusLine?, statusSink: OutputSink? = nil) {
        self.file = file
        self.statusLine = statusLine
        self.statusSink = statusSink
    }

    func observe(link: Int, line: String) {
        lock.lock()
        defer { lock.unlock() }
        let hash = line.hashValue
        var isNew = true
        if let count = expected[link]?[hash], count > 0 {
            expected[link]![hash] = count - 1
            isNew = false
        }
        var next = expected[link + 1, default: [:]]
        if next.count > EventLog.maximumExpected { next.removeAll() }  // consumed records never arrive
        next[hash, default: 0] += 1
        expected[link + 1] = next
        guard isNew else { return }
        try? file?.write(line: line)
        try? statusSink?.write(line: line)
        if let statusLine, case .object(let object)? = try? JSONParser.parse(line),
            let type = object["type"]?.stringValue
        {
            if let status = LoopStatus.status(after: Record(type: type, fields: object)) {
                statusLine.show(status)
            }
        }
    }
}

/// A one-line status on a terminal's stderr, redrawn in place.
final class StatusLine: @unchecked Sendable {
    private let lock = NSLock()

    init?(fd: Int32 = 2) {
        guard isatty(fd) == 1 else { return nil }
    }

    func show(_ status: String) {
        lock.lock()
        defer { lock.unlock() }
        var text = "\r\u{1B}[Kmybro: \(status)"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    func finish() {
        var text = "\r\u{1B}[K"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
