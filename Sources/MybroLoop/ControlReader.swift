import Foundation
import MybroCore
import Synchronization

/// `mybro listen --control PATH`: a FIFO whose records are merged into the loop (see
/// mybro-protocol(7), CONTROL CHANNEL). Only stop, confirm and deny intents (rebuilt afresh,
/// whatever else the line held) go on to mybro-exec's input, and mute records change the
/// loop's own mute; every other line is counted, warned about and dropped.
final class ControlReader: Sendable {
    let path: String
    private let fd: Int32
    private let createdFIFO: Bool
    let muted = Atomic<Bool>(false)
    let dropped = Atomic<Int>(0)

    /// Creates the FIFO (mode 0600) unless one is there; refuses any other kind of file.
    init(path: String) throws {
        self.path = path
        var info = stat()
        if lstat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFIFO else {
                throw MybroError("--control \(path) exists and is not a FIFO; give a new path", status: .usage)
            }
            createdFIFO = false
        } else {
            guard mkfifo(path, 0o600) == 0 else {
                throw MybroError(
                    "cannot create the control FIFO \(path): \(String(cString: strerror(errno)))", status: .ioError)
            }
            createdFIFO = true
        }
        // Read and write: the FIFO never reports end of file when a writer closes it.
        fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            throw MybroError(
                "cannot open the control FIFO \(path): \(String(cString: strerror(errno)))", status: .ioError)
        }
    }

    /// Reads control lines until a stop signal or `finish`; `forward` gets each intent line
    /// for mybro-exec, `announce` each accepted line for the event log.
    func run(forward: @escaping @Sendable (String) -> Void, announce: @escaping @Sendable (String) -> Void) {
        Thread.detachNewThread { [self] in
            let lines = LineReader(fd: fd, maximumLineBytes: ControlCommand.maximumLineBytes)
            while let line = try? lines.next() {
                guard case .line(let bytes, let number) = line,
                    let text = String(validating: bytes, as: UTF8.self),
                    let command = ControlCommand.parse(text)
                else {
                    if case .line(let bytes, _) = line, bytes.isEmpty { continue }
                    let count = dropped.add(1, ordering: .relaxed).newValue
                    Log.shared.warning(
                        "control line dropped (\(count) so far): only stop, confirm, deny and mute records pass")
                    continue
                }
                _ = number
                let record = command.record.serialized()
                if command.isForLoop {
                    muted.store(command == .mute, ordering: .relaxed)
                } else {
                    forward(record)
                }
                announce(record)
            }
        }
    }

    func finish() {
        if createdFIFO { unlink(path) }
    }

    /// Whether a record line from mybro-vad is speech that a muted loop does not hear.
    static func isSpeech(_ line: String) -> Bool {
        guard line.hasPrefix("{\"type\":\"") else {
            guard case .object(let object)? = try? JSONParser.parse(line) else { return false }
            return speechTypes.contains(object["type"]?.stringValue ?? "")
        }
        let rest = line.utf8.dropFirst(9)
        guard let quote = rest.firstIndex(of: 0x22) else { return false }
        return speechTypes.contains(String(decoding: rest[..<quote], as: UTF8.self))
    }

    static let speechTypes: Set<String> = [
        RecordType.speechStart, RecordType.speech, RecordType.pause, RecordType.utterance, RecordType.speechEnd,
        "segment",
    ]
}
