import Foundation

/// A transcript split into words, each with a matching key (lower case, no punctuation or
/// apostrophes) beside the word as it was heard, so extracted prompts keep file names and case.
struct SpokenWords {
    private(set) var originals: [String]
    private(set) var keys: [String]
    /// Whether flags were said aloud ("dash dash release"), not typed: a typed flag asks for the
    /// command as written, a spoken one only says how.
    private(set) var saidFlags = false

    init(_ transcript: String) {
        originals = []
        keys = []
        // A word with no letters or digits ("/", "-rf"'s neighbours, "&&") has no key of its own:
        // it rides on the word before it, so extracted commands and prompts keep it.
        var pending = ""
        let heard = transcript.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        let words = SpokenWords.symbolized(heard)
        saidFlags = words != heard
        for (index, word) in words.enumerated() {
            let key = SpokenWords.key(for: String(word))
            if key.isEmpty {
                if originals.isEmpty {
                    pending += word + " "
                } else {
                    originals[originals.count - 1] += " " + word
                }
                continue
            }
            // A recogniser's near-miss for one of git's or the shell's words ("comet with message
            // …", "new brunch called …", "the confit file") is read as the word meant.
            if let last = keys.last, let joined = SpokenWords.splitWords[[last, key]] {
                // "a d bug build", "the make file", "the get ignore": one word heard as two
                originals[originals.count - 1] = joined
                keys[keys.count - 1] = joined
            } else if key == "get", index + 1 < words.count,
                SpokenWords.gitWords.contains(SpokenWords.key(for: String(words[index + 1])))
            {
                // "get status", "get stash pop": git, which no request says "get" before
                originals.append(pending + "git")
                keys.append("git")
            } else if let meant = SpokenWords.misheard[key] {
                originals.append(pending + meant)
                keys.append(meant)
            } else if key == "me", keys.last == "read", keys.count >= 2,
                ["the", "a", "our", "your", "this", "that"].contains(keys[keys.count - 2])
            {
                // "the read me": the readme file, not "read me the …"
                originals[originals.count - 1] = "readme"
                keys[keys.count - 1] = "readme"
            } else {
                originals.append(pending + word)
                keys.append(key)
            }
            pending = ""
        }
    }

    /// Words a recogniser hears for git's and the shell's vocabulary, which no request means as
    /// themselves.
    static let misheard: [String: String] = [
        "comet": "commit", "comit": "commit", "commet": "commit", "brunch": "branch", "confit": "config",
        "maine": "main", "grip": "grep", "dif": "diff", "stach": "stash", "rebass": "rebase",
    ]

    /// Flags and globs said aloud, as typed: "dash dash staged" → "--staged", "dash five" → "-5",
    /// "dash c" → "-c", "star dot swift" → "*.swift".
    static func symbolized(_ words: [String]) -> [String] {
        func bare(_ word: String) -> String { key(for: word) }
        var result: [String] = []
        var index = 0
        while index < words.count {
            let word = bare(words[index])
            if word == "dash", index + 2 < words.count, bare(words[index + 1]) == "dash",
                !bare(words[index + 2]).isEmpty
            {
                result.append("--" + bare(words[index + 2]))
                index += 3
            } else if word == "dash", index + 1 < words.count, !bare(words[index + 1]).isEmpty {
                let next = bare(words[index + 1])
                result.append("-" + (number(next).map(String.init) ?? next))
                index += 2
            } else if word == "star", index + 2 < words.count, bare(words[index + 1]) == "dot",
                !bare(words[index + 2]).isEmpty
            {
                result.append("*." + bare(words[index + 2]))
                index += 3
            } else {
                result.append(words[index])
                index += 1
            }
        }
        return result
    }

    /// One word a recogniser heard as two: a compound or a prefixed word.
    static let splitWords: [[String]: String] = [
        ["d", "bug"]: "debug", ["de", "bug"]: "debug", ["re", "lease"]: "release", ["make", "file"]: "makefile",
        ["change", "log"]: "changelog", ["get", "ignore"]: "gitignore", ["git", "ignore"]: "gitignore",
        ["code", "base"]: "codebase", ["docker", "file"]: "dockerfile", ["re", "base"]: "rebase",
        ["un", "stash"]: "unstash", ["lint", "er"]: "linter",
    ]
    /// git's subcommands, after which "get" can only be "git".
    static let gitWords: Set<String> = [
        "status", "diff", "log", "stash", "blame", "push", "pull", "commit", "branch", "checkout", "rebase", "merge",
        "fetch", "ignore", "switch", "add", "reset", "restore",
    ]

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
        // who is spoken to: "Assistant, run the tests", "Computer, status"
        ["assistant"], ["hey", "assistant"], ["computer"], ["hey", "computer"],
        ["hey", "mybro"], ["hey", "bro"], ["can", "you"], ["could", "you"], ["would", "you"], ["will", "you"],
        ["i", "want", "you", "to"], ["i", "would", "like", "you", "to"], ["i", "need", "you", "to"],
        ["go", "ahead", "and"], ["lets"], ["let", "us"], ["now"], ["alright"], ["all", "right"], ["and"],
        ["okay", "so"], ["ok", "so"], ["okay", "now"], ["ok", "now"], ["okay"], ["ok"], ["hey"], ["just"],
        ["i", "want", "to"], ["i", "would", "like", "to"], ["id", "like", "to"], ["id", "like", "you", "to"],
        ["can", "we"], ["could", "we"], ["we", "need", "to"], ["i", "need", "to"], ["we", "should"], ["i", "wanna"],
        ["wanna"], ["we", "have", "to"], ["i", "have", "to"], ["we", "gotta"], ["i", "gotta"],
        ["hi"], ["hello"], ["oh"], ["sorry"], ["be", "able", "to"], ["are", "you", "able", "to"],
        ["is", "it", "possible", "to"], ["i", "wonder", "if", "you", "could"], ["help", "me"], ["maybe"],
        ["i", "was", "wondering", "if", "you", "could"], ["i", "was", "wondering", "whether", "you", "could"],
        ["i", "was", "wondering", "if", "you", "might"], ["i", "was", "wondering", "whether", "you", "might"],
        ["i", "wonder", "whether", "you", "could"], ["perhaps", "you", "could"], ["might", "you"],
        ["would", "it", "be", "possible", "to"], ["could", "it", "be", "possible", "to"], ["perhaps"],
        // Politeness as Indian English has it ("kindly push the code", "okay, kindly proceed").
        ["kindly"], ["please", "kindly"],
        // Asking leave for what the assistant would do ("is it okay if I run the tests now",
        // "can I commit now"): the request itself.
        ["is", "it", "okay", "if", "i"], ["is", "it", "ok", "if", "i"], ["is", "it", "alright", "if", "i"],
        ["is", "it", "fine", "if", "i"], ["is", "it", "okay", "to"], ["is", "it", "ok", "to"], ["id", "like"],
        ["is", "it", "alright", "to"], ["is", "it", "fine", "to"], ["would", "it", "be", "okay", "to"],
        ["would", "it", "be", "ok", "to"], ["can", "i"], ["could", "i"], ["may", "i"],
    ]
    /// Frames that end before a plain verb ("please you show me …", "I want see …", as
    /// speakers of other languages say them): dropped only when a verb follows.
    static let verbFrames: [[String]] = [
        ["you"], ["i", "want"], ["we", "want"], ["i", "need"], ["you", "can"], ["let", "me"],
    ]
    static let plainVerbs: Set<String> = Set(verbsByGerund.values).union(["see", "know", "read", "go", "look"])
    /// "make push of the branch", "make the formatting of the files", "do a stash": a general
    /// verb with the request as its object; the object is the verb.
    static let madeRequests: Set<String> = ["push", "pull", "stash", "formatting", "format", "undo", "diff"]
    /// "would you mind listing the files", "do you mind running the tests": the request is the
    /// verb after "mind", said as a gerund; it is read as the plain verb.
    static let mindFrames: [[String]] = [["would", "you", "mind"], ["do", "you", "mind"], ["mind"]]
    /// The verbs a request starts with, by their gerund: the doubled consonant and the dropped
    /// "e" make a general rule wrong as often as right ("adding", "committing", "creating").
    static let verbsByGerund: [String: String] = {
        let plain = [
            "add", "blame", "build", "check", "clean", "compile", "count", "create", "delete", "display", "do",
            "explain", "fetch", "find", "fix", "format", "give", "go", "launch", "lint", "list", "locate", "look",
            "make", "move", "open", "print", "pull", "push", "read", "refactor", "remove", "rename", "restart",
            "search", "show", "stash", "start", "switch", "tell", "test", "tidy", "undo", "update", "write",
            "execute", "rebuild", "revert", "bring", "kick", "fire", "change", "sync", "download", "send", "upload",
            "take", "throw", "save", "verify", "review", "describe", "summarize", "summarise", "clear", "reformat",
            "grab", "pop", "hop", "cut", "begin", "rerun",
        ]
        let doubled: Set<String> = [
            "run", "rerun", "commit", "get", "put", "stop", "grep", "grab", "pop", "hop", "cut", "begin",
        ]
        var map: [String: String] = [:]
        for verb in plain + Array(doubled) {
            let gerund: String
            if doubled.contains(verb), let last = verb.last {
                gerund = verb + String(last) + "ing"
            } else if verb.hasSuffix("e"), !verb.hasSuffix("ee") {
                gerund = verb.dropLast() + "ing"
            } else {
                gerund = verb + "ing"
            }
            map[gerund] = verb
        }
        return map
    }()
    /// Ways of asking to see something, said as "show" ("i need to see the diff", "let's look at
    /// the readme"); not before "if" or "whether", where they ask a question.
    static let seeFrames: [[String]] = [
        ["i", "need", "to", "see"], ["i", "want", "to", "see"], ["i", "would", "like", "to", "see"],
        ["id", "like", "to", "see"], ["lets", "see"], ["let", "me", "see"], ["can", "i", "see"],
        ["could", "i", "see"], ["may", "i", "see"], ["i", "need", "to", "look", "at"], ["lets", "look", "at"],
        ["let", "me", "look", "at"], ["take", "a", "look", "at"], ["have", "a", "look", "at"],
        ["i", "wanna", "see"], ["lets", "have", "a", "look", "at"], ["lets", "take", "a", "look", "at"], ["see"],
    ]
    static let trailingFillers: [[String]] = [
        ["right", "now"], ["please"], ["now"], ["for", "me"], ["thanks"], ["thank", "you"], ["again"], ["then"],
        ["real", "quick"], ["quickly"], ["to", "check"], ["to", "see"], ["first"], ["to", "make", "sure"],
        ["cheers"], ["would", "you"], ["will", "you"], ["could", "you"], ["roughly"], ["if", "you", "would"],
        ["when", "you", "get", "a", "moment"], ["when", "you", "can"], ["if", "you", "can"], ["ta"],
        // Whom the request is said to ("…, mate"), and "once" as Indian English ends a request
        // ("run the unit tests once"): inside a slot they would become part of a name.
        ["mate"], ["buddy"], ["dude"], ["pal"], ["boss"], ["bro"], ["man"], ["my", "friend"], ["yaar"], ["once"],
        // How long it is for ("switch to develop for a sec"): inside a slot, part of a name.
        ["for", "now"], ["for", "a", "sec"], ["for", "a", "second"], ["for", "a", "minute"],
        ["for", "a", "moment"], ["for", "a", "bit"],
    ]

    /// Sounds that hesitate, wherever they fall ("show me the, uh, the config file"): they carry
    /// nothing, and inside a slot they would become part of a name.
    static let hesitations: Set<String> = ["uh", "um", "er", "erm", "hmm", "ah", "uhm", "mm", "hm", "eh"]
    /// Small words a hesitating speaker says twice ("the, the server"); content words are kept
    /// twice ("stop stop" is its own phrase).
    static let repeatable: Set<String> = [
        "the", "a", "an", "to", "in", "of", "on", "for", "what", "did", "you", "i", "my", "it", "is", "and", "with",
    ]

    /// Without hesitations and a function word said twice in a row.
    func withoutHesitations() -> SpokenWords {
        var copy = self
        var index = 0
        while index < copy.keys.count {
            let repeated =
                index + 1 < copy.keys.count && copy.keys[index] == copy.keys[index + 1]
                && SpokenWords.repeatable.contains(copy.keys[index])
            if copy.keys.count > 1, SpokenWords.hesitations.contains(copy.keys[index]) || repeated {
                copy.keys.remove(at: index)
                copy.originals.remove(at: index)
                // "the, uh, the": the word before may now repeat the one after
                index = max(index - 1, 0)
            } else {
                index += 1
            }
        }
        return copy
    }

    func strippingFillers() -> SpokenWords {
        var copy = withoutHesitations()
        var changed = true
        while changed && copy.keys.count > 1 {
            changed = false
            for frame in SpokenWords.seeFrames
            where frame.count < copy.keys.count && Array(copy.keys.prefix(frame.count)) == frame
                && !["if", "whether"].contains(copy.keys[frame.count])
            {
                copy.originals.replaceSubrange(0..<frame.count, with: ["show"])
                copy.keys.replaceSubrange(0..<frame.count, with: ["show"])
                changed = true
                break
            }
            // "i need the number of files in docs": what is needed is the request
            if copy.keys.count > 3, copy.keys.starts(with: ["i", "need"]) || copy.keys.starts(with: ["we", "need"]),
                ["the", "a", "an", "my", "our", "git", "some"].contains(copy.keys[2])
            {
                copy.originals.removeFirst(2)
                copy.keys.removeFirst(2)
                changed = true
            }
            for frame in SpokenWords.verbFrames
            where frame.count + 1 < copy.keys.count && Array(copy.keys.prefix(frame.count)) == frame
                && SpokenWords.plainVerbs.contains(copy.keys[frame.count])
            {
                copy.originals.removeFirst(frame.count)
                copy.keys.removeFirst(frame.count)
                changed = true
                break
            }
            // "make a release build to check …", "do a build": a build made is a build (not
            // "make the build script faster", a change to it)
            if ["make", "do"].contains(copy.keys.first), copy.keys.count > 2, copy.keys[1] == "a" {
                let mode =
                    ["release", "production", "dev", "quick", "fresh", "full"].contains(
                        copy.keys[2]) ? 1 : 0
                if copy.keys.count > 2 + mode, copy.keys[2 + mode] == "build",
                    copy.keys.count == 3 + mode
                        || ["to", "and", "so", "first", "then", "of"].contains(copy.keys[3 + mode])
                {
                    copy.originals.removeFirst(2)
                    copy.keys.removeFirst(2)
                    changed = true
                }
            }
            if ["make", "do"].contains(copy.keys.first), copy.keys.count > 1 {
                let object = ["a", "the", "an"].contains(copy.keys[1]) ? 2 : 1
                if object < copy.keys.count, SpokenWords.madeRequests.contains(copy.keys[object]) {
                    copy.originals.removeFirst(object)
                    copy.keys.removeFirst(object)
                    if copy.keys.count > 1, copy.keys[1] == "of" {
                        copy.originals.remove(at: 1)
                        copy.keys.remove(at: 1)
                    }
                    changed = true
                }
            }
            for frame in SpokenWords.mindFrames
            where frame.count < copy.keys.count && Array(copy.keys.prefix(frame.count)) == frame {
                guard let verb = SpokenWords.verbsByGerund[copy.keys[frame.count]] else { continue }
                copy.originals.replaceSubrange(0...frame.count, with: [verb])
                copy.keys.replaceSubrange(0...frame.count, with: [verb])
                changed = true
                break
            }
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

    /// The word at `index` as heard, lower case, without the punctuation a recogniser puts
    /// around it ("Parser.swift," → "parser.swift"); dots, slashes and dashes inside stay.
    func slot(_ index: Int) -> String {
        var word = originals[index].lowercased()
        let edges = CharacterSet(charactersIn: "\"'`,;:!?()[]{}.")
        while let first = word.unicodeScalars.first, edges.contains(first), first != "." || word.count == 1 {
            word.removeFirst()
        }
        while let last = word.unicodeScalars.last, edges.contains(last) { word.removeLast() }
        return word
    }

    /// The words from `index` on as `slot` gives them.
    func slots(from index: Int) -> [String] {
        index < keys.count ? (index..<keys.count).map(slot) : []
    }

    static let numberWords: [String: Int] = [
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50,
        "hundred": 100, "couple": 2, "few": 3, "to": 2, "too": 2, "for": 4,
    ]

    /// A count spoken as digits or words ("5", "five"); `loose` also takes the homophones a
    /// recogniser writes for small numbers ("to", "for"), only where a count is expected.
    static func number(_ key: String, loose: Bool = false) -> Int? {
        if let value = Int(key) { return value }
        if !loose, ["a", "an", "to", "too", "for"].contains(key) { return nil }
        return numberWords[key]
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
