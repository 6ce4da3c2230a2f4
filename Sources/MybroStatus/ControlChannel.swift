import Foundation
import MybroCore

/// The way back to the loop: control records written to the FIFO that `mybro listen
/// --control PATH` reads (mybro-protocol(7), CONTROL CHANNEL). Each record is one `write` of
/// less than PIPE_BUF bytes, so records from several writers never interleave.
public struct ControlChannel: Sendable {
    public let path: String?

    public init(path: String?) { self.path = path }

    /// Sends one command; throws an `APIError` that says why the loop cannot get it.
    public func send(_ command: ControlCommand) throws {
        guard let path else {
            throw APIError(
                .serviceUnavailable, "no_control_channel",
                "mybro-status has no control channel: start it with --control PATH (or run mybro listen --status)")
        }
        let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw APIError(
                .serviceUnavailable, "loop_not_listening",
                code == ENXIO || code == ENOENT
                    ? "the loop is not reading \(path) (is mybro listen --control running?)"
                    : "cannot open \(path): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFIFO else {
            throw APIError(.serviceUnavailable, "bad_control_channel", "\(path) is not a FIFO")
        }
        let line = command.record.serialized() + "\n"
        let status = SystemIO.writeAll(fd, line)
        guard status == 0 else {
            throw APIError(
                .serviceUnavailable, "loop_busy", "the loop is not reading its control channel now; try again")
        }
    }
}
