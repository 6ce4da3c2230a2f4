/// A deadline as people type it: `90m`, `24h`, `1h30m`, `2d`, `45s`, or plain seconds.
///
/// mybro-gpu reads `--ttl` the same way with its own `DurationText`; that type lives in MybroGPU,
/// which would bring SQLite and the HTTP stack into mybro-bench, so routing parses here.
public enum DeadlineText {
    /// Seconds, or nil for anything that is not a duration from a second to `limit`.
    public static func seconds(_ text: String, limit: Double = 366 * 86400) -> Double? {
        let trimmed = text.lowercased().filter { $0 != " " }
        guard !trimmed.isEmpty, trimmed.count <= 64 else { return nil }
        if let plain = Double(trimmed) { return plain.isFinite && plain >= 1 && plain <= limit ? plain : nil }
        var total = 0.0
        var digits = ""
        for character in trimmed {
            if character.isASCII, character.isNumber || character == "." {
                digits.append(character)
                continue
            }
            guard let value = Double(digits), value.isFinite else { return nil }
            let unit: Double
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86400
            case "w": unit = 7 * 86400
            default: return nil
            }
            total += value * unit
            digits = ""
        }
        guard digits.isEmpty, total.isFinite, total >= 1, total <= limit else { return nil }
        return total
    }
}
