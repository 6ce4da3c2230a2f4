import Foundation
import MybroCore

/// Reads mybro-doctor's JSON Lines from a job's output and says what it found, worst first:
/// "two secrets, the worst an AWS access key ID in config dot py line 12; three security problems."
struct DoctorSummary {
    private struct Seen {
        var count = 0
        var worst: (rank: Int, label: String, file: String?, line: Int?)?
    }

    private var categories: [String: Seen] = [:]
    private(set) var sawSummary = false

    static let severityRank = ["critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0]
    static let categoryOrder = ["secret", "security", "policy", "health"]

    mutating func observe(_ line: String) {
        guard line.hasPrefix("{\"type\":\"finding\"") || line.hasPrefix("{\"type\":\"summary\""),
            case .object(let record)? = try? JSONParser.parse(line)
        else { return }
        if record["type"]?.stringValue == "summary" {
            sawSummary = true
            return
        }
        guard let category = record["category"]?.stringValue else { return }
        let rank = Self.severityRank[record["severity"]?.stringValue ?? ""] ?? 0
        var seen = categories[category, default: Seen()]
        seen.count += 1
        if seen.worst == nil || rank > seen.worst!.rank {
            seen.worst = (
                rank, Self.label(record["message"]?.stringValue ?? ""), record["file"]?.stringValue,
                record["line"]?.intValue
            )
        }
        categories[category] = seen
    }

    /// The message without the redacted secret ("AWS access key ID AKIA… (20 characters)" → "AWS access key ID").
    static func label(_ message: String) -> String {
        guard let ellipsis = message.firstIndex(of: "…"), let space = message[..<ellipsis].lastIndex(of: " ") else {
            return message
        }
        return String(message[..<space])
    }

    var sentence: String {
        let present = categories.filter { $0.value.count > 0 }
        if present.isEmpty { return "The codebase looks healthy: no problems found." }
        let ordered = present.sorted { left, right in
            let l = left.value.worst?.rank ?? 0
            let r = right.value.worst?.rank ?? 0
            if l != r { return l > r }
            return (Self.categoryOrder.firstIndex(of: left.key) ?? 9)
                < (Self.categoryOrder.firstIndex(of: right.key) ?? 9)
        }
        var parts: [String] = []
        for (index, (category, seen)) in ordered.enumerated() {
            let noun =
                category == "secret"
                ? (seen.count == 1 ? "secret" : "secrets")
                : "\(category) problem" + (seen.count == 1 ? "" : "s")
            var part = "\(Self.number(seen.count)) \(noun)"
            if index == 0, let worst = seen.worst {
                part += seen.count == 1 ? ", " : ", the worst "
                let article = "AEIOUaeiou".contains(worst.label.first ?? "x") ? "an" : "a"
                part += "\(article) \(worst.label)"
                if let file = worst.file {
                    part += " in \(Self.spoken(file))"
                    if let line = worst.line { part += " line \(line)" }
                }
            }
            parts.append(part)
        }
        let text = parts.joined(separator: "; ") + "."
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    static func number(_ value: Int) -> String {
        let words = [
            "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        ]
        return value < words.count ? words[value] : String(value)
    }

    /// A file name as it is said: the last part, dots read as "dot" (config.py → config dot py).
    static func spoken(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.replacingOccurrences(of: ".", with: " dot ").replacingOccurrences(of: "_", with: " ")
            .trimmingCharacters(in: .whitespaces)
    }
}
