/// Text safe for a terminal and for one tab-separated line: what a job chose (a file name, a
/// command) must never reach the user's terminal raw, where an escape sequence could set the
/// clipboard (OSC 52), clear the screen or draw a fake prompt.
public enum TerminalText {
    /// `text` with C0 and C1 controls, DEL and the invisible line and direction controls printed
    /// as escapes (`\e`, `\n`, `\t`, `\x07`, `\x9b`, `\u{202e}`), never raw.
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
