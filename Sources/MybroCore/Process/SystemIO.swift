import CMybroProcess
import Foundation

/// The toolkit's read and write loops: every `read(2)`/`write(2)` on a pipe or file goes
/// through here, so EINTR is retried in one place and `errno` is captured before anything
/// else can change it.
public enum SystemIO {
    public enum ReadResult: Equatable {
        /// `count` bytes arrived (never 0).
        case bytes(Int)
        /// End of file.
        case end
        /// A signal interrupted the read and a stop was requested (interruptible reads only).
        case stopped
        /// The read failed with this errno.
        case failed(Int32)
    }

    /// One read of at most `buffer.count` bytes, retried after EINTR; an `interruptible` read
    /// gives up when SIGINT/SIGTERM/SIGHUP asked the command to stop.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, interruptible: Bool = false)
        -> ReadResult
    {
        while true {
            let n = Foundation.read(fd, buffer.baseAddress, buffer.count)
            let code = errno
            if n > 0 { return .bytes(n) }
            if n == 0 { return .end }
            if code == EINTR {
                if interruptible && Signals.stopRequested { return .stopped }
                continue
            }
            return .failed(code)
        }
    }

    /// Writes all of `bytes`; 0, or the errno that stopped it (EPIPE when the reader is gone).
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            let code = errno
            if n < 0 {
                if code == EINTR { continue }
                return code
            }
            offset += n
        }
        return 0
    }

    @discardableResult
    public static func writeAll(_ fd: Int32, _ text: String) -> Int32 {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Waits for `fd` to become readable for at most `milliseconds` (-1: no limit), retrying
    /// after EINTR: true when it is readable (or hung up).
    public static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, milliseconds)
            let code = errno
            if ready < 0 && code == EINTR { continue }
            return ready > 0
        }
    }

    /// A pipe whose ends are close-on-exec: only a child that is handed an end (by dup2) has it.
    public static func makePipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard mybro_pipe_cloexec(&ends) == 0 else {
            throw MybroError("cannot create a pipe: \(describe(errno))", status: .software)
        }
        return (ends[0], ends[1])
    }

    /// The text for an errno value.
    public static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
