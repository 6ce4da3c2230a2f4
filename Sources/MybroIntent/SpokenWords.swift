import Foundation

/// A transcript split into words, each with a matching key (lower case, no punctuation or
/// apostrophes) beside the word as it was heard, so extracted prompts keep file names and case.
struct SpokenWords {
    private(set) var originals: [String]
    private(set) var keys: [String]

    init(_ transcript: String) {
        originals = []
        keys = []
        // A word with no letters or digits ("/", "-rf"'s neighbours, "&&") has no key of its own:
        // it rides on the word before it, so extracted commands and prompts keep it.
        var pending = ""
        for word in transcript.split(whereSeparator: { $0.isWhitespace }) {
            let key = SpokenWords.key(for: String(word))
            if key.isEmpty {
                if originals.isEmpty {
                    pending += word + " "
                } else {
                    originals[originals.count - 1] += " " + word
                }
                continue
            }
            originals.append(pending + word)
            keys.append(key)
            pending = ""
        }
    }

    static func key(for word: String) -> String {
        let lowered = word.lowercased()
        var key = ""
        for scalar in lowered.unicodeScalars where CharacterSet.alphanumerics.contains(scalar) {
            key.unicodeScalars.append(scalar)
        }
        return key
    }

    /// Leading fillers and politeness ("um, could you please …") and trailing ones ("… now please").
    static let leadingFillers: [[String]] = [
        ["um"], ["uh"], ["er"], ["erm"], ["ah"], ["hmm"], ["so"], ["well"], ["please"], ["mybro"], ["bro"],
        ["hey", "mybro"], ["hey", "bro"], ["can", "you"], ["could", "you"], ["would", "you"], ["will", "you"],
        ["i", "want", "you", "to"], ["i", "would", "like", "you", "to"], ["i", "need", "you", "to"],
        ["go", "ahead", "and"], ["lets"], ["let", "us"], ["now"], ["alright"], ["all", "right"], ["and"],
        ["okay", "so"], ["ok", "so"], ["okay", "now"], ["ok", "now"],
    ]
    static let trailingFillers: [[String]] = [
        ["please"], ["now"], ["for", "me"], ["thanks"], ["thank", "you"], ["again"], ["right", "now"], ["then"],
    ]

    func strippingFillers() -> SpokenWords {
        var copy = self
        var changed = true
        while changed && copy.keys.count > 1 {
            changed = false
            for filler in SpokenWords.leadingFillers
            where filler.count < copy.keys.count && Array(copy.keys.prefix(filler.count)) == filler {
                copy.originals.removeFirst(filler.count)
                copy.keys.removeFirst(filler.count)
                changed = true
                break
            }
            for filler in SpokenWords.trailingFillers
            where filler.count < copy.keys.count && Array(copy.keys.suffix(filler.count)) == filler {
                copy.originals.removeLast(filler.count)
                copy.keys.removeLast(filler.count)
                changed = true
                break
            }
        }
        return copy
    }

    /// The words as heard from `index` on, joined by spaces.
    func original(from index: Int) -> String {
        index < originals.count ? originals[index...].joined(separator: " ") : ""
    }

    /// A prompt without the separators a recogniser leaves around it (", fix it." → "fix it").
    static func trimmedPrompt(_ text: String) -> String {
        var result = text.trimmingCharacters(in: .whitespaces)
        while let first = result.first, ",:;-".contains(first) { result.removeFirst() }
        while let last = result.last, ",;:".contains(last) { result.removeLast() }
        return result.trimmingCharacters(in: .whitespaces)
    }
}
