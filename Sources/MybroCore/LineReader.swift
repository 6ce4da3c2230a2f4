import Foundation

/// Splits a file descriptor into lines, with a hard limit on line length so a missing
/// newline cannot make a command buffer without bound.
public final class LineReader {
    public enum Line {
        /// A complete line (without its newline) and its 1-based number.
        case line(ArraySlice<UInt8>, number: Int)
        /// A line longer than the limit, which was skipped whole.
        case tooLong(number: Int, bytes: Int)
    }

    public let fd: Int32
    public let maximumLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next newline resumes: bytes before it (from `start` on) hold
    /// none, so a long line is searched once, not again after every read.
    private var searched = 0
    private var lineNumber = 0
    private var atEnd = false
    private var skippingBytes: Int? = nil

    public init(fd: Int32, maximumLineBytes: Int = RecordReader.maximumLineBytes) {
        self.fd = fd
        self.maximumLineBytes = maximumLineBytes
        buffer.reserveCapacity(1 << 16)
    }

    /// The bytes of the first read (without consuming them), or nil at once at end of input.
    /// Waits for that one read only, so a writer that sends one short line and then waits for
    /// an answer is never blocked.
    public func peekFirstRead() throws -> ArraySlice<UInt8>? {
        if buffer.count == start && !atEnd && lineNumber == 0 {
            if try !fill() { return nil }
        }
        return start < buffer.count ? buffer[start...] : nil
    }

    /// Waits until a whole line (or the end of input) can be read without blocking, a stop is
    /// requested (both `.readable`: `next()` then answers), or `deadline` passes (`.timedOut`).
    public func waitForLine(deadline: Double) -> Signals.ReadinessWait {
        // An over-long line is next()'s to skip: stop buffering it here.
        while !atEnd && nextNewline() == nil && buffer.count - start <= maximumLineBytes {
            switch Signals.waitUntilReadable(fd, deadline: deadline) {
            case .timedOut: return .timedOut
            case .stopped: return .readable
            case .readable:
                // Take what came: it may complete a line, or only part of one.
                if (try? fill()) != true { return .readable }
            }
        }
        return .readable
    }

    /// The next line, or nil at end of input (or when a stop signal arrives while waiting).
    public func next() throws -> Line? {
        while true {
            if let newline = nextNewline() {
                lineNumber += 1
                let line = buffer[start..<newline]
                start = newline + 1
                searched = start
                if let skipped = skippingBytes {
                    skippingBytes = nil
                    return .tooLong(number: lineNumber, bytes: skipped + line.count)
                }
                return .line(line, number: lineNumber)
            }
            if buffer.count - start > maximumLineBytes {
                // Keep no more of an oversized line than we must: count it and drop it.
                skippingBytes = (skippingBytes ?? 0) + (buffer.count - start)
                buffer.removeAll(keepingCapacity: true)
                start = 0
                searched = 0
            }
            if atEnd {
                guard start < buffer.count || skippingBytes != nil else { return nil }
                lineNumber += 1
                let line = buffer[start...]
                start = buffer.count
                searched = start
                if let skipped = skippingBytes {
                    skippingBytes = nil
                    return .tooLong(number: lineNumber, bytes: skipped + line.count)
                }
                return .line(line, number: lineNumber)
            }
            if start > 0 && start == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                start = 0
                searched = 0
            } else if start > 1 << 20 {
                buffer.removeSubrange(0..<start)
                searched -= start
                start = 0
            }
            if try !fill() { return nil }
        }
    }

    /// The index of the next newline from `start`, searching only bytes not searched before.
    private func nextNewline() -> Int? {
        let from = max(start, searched)
        if let newline = buffer[from...].firstIndex(of: 0x0A) { return newline }
        searched = buffer.count
        return nil
    }

    /// Reads more input; false when a stop was requested.
    private func fill() throws -> Bool {
        let chunk = 1 << 16
        guard Signals.waitUntilReadable(fd) else { return false }
        let oldCount = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        let result = buffer.withUnsafeMutableBytes {
            SystemIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[oldCount...]), interruptible: true)
        }
        switch result {
        case .bytes(let n):
            buffer.removeSubrange((oldCount + n)...)
        case .end:
            buffer.removeSubrange(oldCount...)
            atEnd = true
        case .stopped:
            buffer.removeSubrange(oldCount...)
            return false
        case .failed(let code):
            buffer.removeSubrange(oldCount...)
            throw MybroError("cannot read input: \(SystemIO.describe(code))", status: .ioError)
        }
        return true
    }
}
