/// Text placed in the report's HTML and SVG: every string that comes from a run (a CPU model,
/// a disk model, a path, a figure's key) goes through `escaped` so that `<`, `&` or a quote in
/// it stays text and can never end an element or an attribute.
enum HTMLText {
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            // Control characters are not allowed in XML 1.0 (the inline SVG); show them as a mark.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": result += "\u{FFFD}"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// A number for SVG coordinates: two decimals, never `nan` or an exponent.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let clamped = min(max(value, -1e6), 1e6)
        return String(format: "%.2f", clamped)
    }
}
