/// Reads JSON Lines records (and, where a command takes them, plain text lines) and applies
/// the protocol's rules for malformed input: each bad line gets a one-line diagnostic with
/// its line number and is skipped; with `strict`, the first one ends the command (status 65).
/// Used by one thread at a time; it may be handed to a reader thread, hence `@unchecked Sendable`.
public final class RecordReader: @unchecked Sendable {
    /// The longest line accepted: an utterance of several minutes in base64 fits.
    public static let maximumLineBytes = 32 << 20

    public enum Input: Sendable {
        case record(Record)
        /// A line that does not start with `{`, for commands that accept plain text.
        case text(String)
    }

    public let strict: Bool
    public let acceptsText: Bool
    /// Said when stdin turns out to be audio or other binary data (65, even without `strict`).
    public let binaryAdvice: String
    private let lines: LineReader
    private var checkedStart = false

    public init(
        fd: Int32 = 0, acceptsText: Bool, strict: Bool,
        maximumLineBytes: Int = RecordReader.maximumLineBytes, binaryAdvice: String? = nil
    ) {
        self.strict = strict
        self.acceptsText = acceptsText
        self.binaryAdvice = binaryAdvice ?? BinaryInputCheck.advice(for: Log.shared.toolName)
        self.lines = LineReader(fd: fd, maximumLineBytes: maximumLineBytes)
    }

    /// Waits until the next input can be read without blocking (`.readable`, also at the end of
    /// input, on an error or a stop request, which `next()` then reports) or `deadline` passes
    /// on the monotonic clock (`.timedOut`).
    public func waitForInput(deadline: Double) -> Signals.ReadinessWait {
        lines.waitForLine(deadline: deadline)
    }

    /// The next valid input, or nil at the end of input.
    public func next() throws -> Input? {
        if !checkedStart {
            checkedStart = true
            // A whole stream of the wrong kind is one error, not a warning per line.
            if let head = try lines.peekFirstRead(), let kind = BinaryInputCheck.describe(head) {
                throw MybroError("stdin looks like \(kind), not text: \(binaryAdvice)", status: .dataError)
            }
        }
        while let line = try lines.next() {
            switch line {
            case .tooLong(let number, let bytes):
                try malformed(
                    "line \(number): longer than \(RecordReader.maximumLineBytes) bytes (\(bytes) bytes)")
            case .line(let bytes, let number):
                if let input = try decode(bytes, number: number) { return input }
            }
        }
        return nil
    }

    private func decode(_ bytes: ArraySlice<UInt8>, number: Int) throws -> Input? {
        var content = bytes
        if content.last == 0x0D { content = content.dropLast() }  // tolerate CRLF
        guard let text = String(validating: content, as: UTF8.self) else {
            try malformed("line \(number): not valid UTF-8")
            return nil
        }
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        if trimmed.isEmpty { return nil }
        if trimmed.first != "{" {
            if acceptsText { return .text(text) }
            try malformed("line \(number): not a JSON object (records look like {\"type\":…})")
            return nil
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            try malformed("line \(number): invalid JSON: \(error)")
            return nil
        }
        guard case .object(let object) = value else {
            try malformed("line \(number): not a JSON object")
            return nil
        }
        guard object["type"]?.stringValue?.isEmpty == false else {
            try malformed("line \(number): record has no \"type\" string")
            return nil
        }
        return .record(Record(parsed: object, line: text))
    }

    private func malformed(_ message: String) throws {
        if strict { throw MybroError(message + " (stopping: --strict)", status: .dataError) }
        Log.shared.warning(message + "; skipped")
    }
}
