import Foundation

/// Durations as people type them: `90s`, `30m`, `2h`, `1h30m`, `1d`, or plain seconds.
public enum DurationText {
    /// Seconds, or nil when the text is not a duration (or longer than `limit`).
    public static func seconds(_ text: String, limit: Double = 366 * 86400) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty else { return nil }
        if let plain = Double(trimmed) { return plain.isFinite && plain >= 0 && plain <= limit ? plain : nil }
        var total = 0.0
        var number = ""
        for character in trimmed {
            if character.isASCIIDigit || character == "." {
                number.append(character)
                continue
            }
            guard let value = Double(number), value.isFinite else { return nil }
            switch character {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            case "d": total += value * 86400
            default: return nil
            }
            number = ""
            if total > limit { return nil }
        }
        guard number.isEmpty else { return nil }
        return total <= limit ? total : nil
    }
}
