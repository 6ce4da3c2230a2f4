/// Whether a transcript stops where no English sentence ends, so the speaker is still in the
/// middle of it: "please build the", "can you", "switch to", "run the tests and".
///
/// The test is grammatical, not a list of requests: a sentence does not end on an article, a
/// possessive, a preposition, a conjunction, a filler, or a polite opener with nothing after
/// it. The words that can close a request ("undo that", "explain this", "what is it") are left
/// out, so a finished request is never held back. Used twice: semantic endpointing never acts
/// early on such words, and mybro-intent holds such a final transcript a moment for the rest.
public enum UnfinishedSentence {
    /// Articles, possessives, prepositions, conjunctions and fillers: no sentence ends on them.
    static let danglingWords: Set<String> = [
        "a", "an", "the", "my", "your", "our", "their", "its", "some", "every", "each",
        // Not "in", "on", "up" or "about": they close phrasal verbs ("log in", "go on", "what is it about").
        "to", "of", "for", "into", "onto", "at", "with", "from", "by", "than",
        "and", "or", "but", "because", "if", "whether", "unless", "while",
        "um", "uh", "er", "erm", "hmm", "uhm",
        "called", "named",
    ]
    /// Openers that ask for something not yet said: "can you", "could you", "i want to".
    static let openers: [[String]] = [
        ["can", "you"], ["could", "you"], ["would", "you"], ["will", "you"], ["i", "want"], ["i", "need"],
        ["i'd", "like"], ["let's"], ["lets"], ["go", "ahead", "and"], ["show", "me"], ["tell", "me"],
        ["give", "me"], ["what", "is"], ["what's"], ["how", "do", "i"], ["where", "is"], ["okay", "so"], ["so"],
        ["please"],
    ]

    /// True when `text` ends mid-sentence.
    public static func isUnfinished(_ text: String) -> Bool {
        let words = self.words(text)
        guard let last = words.last else { return false }
        if danglingWords.contains(last) { return true }
        // A whole transcript that is only an opener ("can you", "show me", "so").
        return openers.contains { $0 == words }
    }

    /// Joins a held beginning and its continuation into one transcript: the beginning loses the
    /// full stop Whisper puts at every utterance's end.
    public static func join(_ beginning: String, _ rest: String) -> String {
        var head = Substring(beginning.trimmingCharacters(in: .whitespacesAndNewlines))
        while let last = head.last, ".,;:!?…".contains(last) { head = head.dropLast() }
        let tail = rest.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !head.isEmpty else { return tail }
        guard !tail.isEmpty else { return String(head) }
        return head + " " + tail
    }

    /// Lower-case words without punctuation ("Please build the." → please, build, the).
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "’") }
            .map { $0.replacingOccurrences(of: "’", with: "'") }
    }
}
