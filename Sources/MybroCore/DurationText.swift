/// Durations as people type them: `90s`, `30m`, `2h`, `1h30m`, `1h 30m`, `2d`, `1w`, or plain
/// seconds. One parser for every command (mybro-gpu's --ttl, mybro-bench route's --deadline).
public enum DurationText {
    /// Seconds, or nil when the text is not a duration from `minimum` to `limit`.
    public static func seconds(_ text: String, minimum: Double = 0, limit: Double = 366 * 86400) -> Double? {
        let trimmed = text.lowercased().filter { $0 != " " }
        guard !trimmed.isEmpty, trimmed.count <= 64 else { return nil }
        if let plain = Double(trimmed) {
            return plain.isFinite && plain >= minimum && plain <= limit ? plain : nil
        }
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
            if total > limit { return nil }
        }
        guard digits.isEmpty, total.isFinite, total >= minimum, total <= limit else { return nil }
        return total
    }
}
