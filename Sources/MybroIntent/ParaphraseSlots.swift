import Foundation
import MybroCore

// Slots for a request the grammar could not read but the paraphrase matcher placed. The kind is
// known, so a slot is looked for by what marks it wherever it stands ("… with the message X",
// "… call it X", a workspace file named anywhere in the sentence), not by the grammar's sentence
// shapes. Nothing is made up: without a marked or recognisable slot the request stays `none`,
// and a slot that runs into a second clause ("… and then push") is cut there.
extension RulesGrammar {
    /// The command for a request of a slot kind, or nil when its slot cannot be found.
    func slotCommand(for kind: IntentExamples.Kind, transcript: String) -> String? {
        let words = SpokenWords(transcript).strippingFillers()
        switch kind {
        case .gitCommit:
            return commitMessage(words).map(Self.commitLine)
        case .gitNewBranch: return markedBranch(words, creating: true).map { "git switch -c " + Self.quoted($0) }
        case .gitSwitch: return markedBranch(words, creating: false).map { "git switch " + Self.quoted($0) }
        case .gitBlame: return namedFile(words).map { "git blame " + Self.quoted($0) }
        case .filesShow: return namedFile(words).map { "cat " + Self.quoted($0) }
        case .filesList: return namedFolder(words).map { "ls " + Self.quoted($0) } ?? "ls"
        case .filesCount: return "find \(Self.quoted(namedFolder(words) ?? ".")) -type f | wc -l"
        case .filesFind: return findPattern(words).map { "find . -iname '*\($0)*'" }
        case .search: return searchTerm(words).map(Self.searchLine)
        default: return nil
        }
    }

    /// Words that end a slot: what follows them is another clause or a place, not the name.
    static let clauseBreaks: Set<String> = [
        "and", "then", "so", "please", "because", "but", "let", "lets", "thanks", "thank", "okay", "ok", "before",
        "after", "when", "once", "if",
    ]

    /// The words from `start` up to the first clause break, without the punctuation a
    /// recogniser puts at the end of a sentence; a comma or full stop also ends the slot.
    static func slotWords(_ words: SpokenWords, from start: Int, breaks: Set<String> = clauseBreaks) -> [Int] {
        var indices: [Int] = []
        var index = start
        while index < words.keys.count, !breaks.contains(words.keys[index]) {
            indices.append(index)
            if let last = words.originals[index].last, ".,;!?".contains(last) { break }
            index += 1
        }
        return indices
    }

    /// Where a marker phrase ends (the index of the word after it), first occurrence; the
    /// longest marker wins at one position ("the message is" before "message").
    static func markerEnd(_ keys: [String], _ markers: [[String]], after: Int = 0) -> Int? {
        let ordered = markers.sorted { $0.count > $1.count }
        for position in after..<max(after, keys.count) {
            for marker in ordered
            where position + marker.count <= keys.count && Array(keys[position..<position + marker.count]) == marker {
                return position + marker.count
            }
        }
        return nil
    }

    // MARK: commit

    static let commitMarkers: [[String]] = [
        ["message", "is"], ["message", "of"], ["message", "should", "be"], ["message", "will", "be"], ["message"],
        ["message", "could", "be"], ["message", "would", "be"], ["message", "can", "be"], ["message", "being"],
        ["note", "saying"], ["a", "note", "saying"], ["with", "the", "note"],
        ["that", "says"], ["saying"], ["call", "it"], ["calling", "it"], ["name", "it"], ["titled"], ["title"],
        ["described", "as"], ["labeled"], ["labelled"], ["and", "say"], ["say"], ["called"], ["named"],
        // the flag said aloud: "commit dash a m fix typo", "commit a m, tweak readme"
        ["a", "m"], ["am"], ["m"], ["message", "reads"], ["the", "message", "reads"],
    ]
    /// What "commit" may take as its object without it being the message.
    static let commitObjects: Set<String> = [
        "it", "this", "that", "these", "those", "everything", "all", "the", "my", "our", "changes", "work", "stuff",
        "with", "and", "now", "them", "files", "file", "everythings", "of",
    ]

    /// "let's commit it with the message X", "make commit with message X": "commit" said as a
    /// verb (first, or after a word that leads into one) with a marked message is a commit, even
    /// where the sentence also reads as a coding request ("commit" and "make" are coding verbs).
    func spokenCommit(_ words: SpokenWords) -> String? {
        let keys = words.keys
        // "check in with message X" is the older name of a commit ("check this in as X" too)
        // (where "check" is, and where its "in" is)
        let checkIn: (check: Int, in: Int)? =
            zip(keys, keys.dropFirst()).enumerated().first { $0.element == ("check", "in") }.map {
                ($0.offset, $0.offset + 1)
            }
            ?? keys.indices.first { index in
                index + 2 < keys.count && keys[index] == "check" && keys[index + 2] == "in"
                    && ["this", "it", "that", "everything", "these"].contains(keys[index + 1])
            }.map { ($0, $0 + 2) }
        guard let commit = keys.firstIndex(of: "commit") ?? checkIn?.in else { return nil }
        let verbStart = checkIn.map { $0.in == commit ? $0.check : commit } ?? commit
        let verbLeads: Set<String> = [
            "lets", "let", "us", "to", "and", "then", "now", "please", "make", "do", "create",
        ]
        let isVerb =
            verbStart == 0 || verbLeads.contains(keys[verbStart - 1])
            || (keys[verbStart - 1] == "a" && verbStart >= 2
                && ["make", "do", "create", "save", "as", "add", "in", "into"].contains(keys[verbStart - 2]))
        // ("check this in as fix the crash": "as" names it after a check-in)
        let markers = Self.commitMarkers + (checkIn?.in == commit ? [["as"]] : [])
        if isVerb, let marker = Self.markerEnd(keys, markers, after: commit + 1),
            let message = commitMessage(words, from: marker)
        {
            return Self.commitLine(message)
        }
        // "refactor done, commit with remove dead code": the words after "commit with"
        if isVerb, commit + 2 < keys.count, keys[commit + 1] == "with",
            !["the", "a", "an", "message", "note", "title", "my", "this", "that", "all"].contains(keys[commit + 2]),
            let message = commitMessage(words, from: commit + 2)
        {
            return Self.commitLine(message)
        }
        return nil
    }

    /// "lock this in, message is fix crash", "save my progress with a note saying wip": a
    /// message said with a verb of keeping work is a commit, though "commit" is not said.
    func keepingCommit(_ words: SpokenWords) -> String? {
        let keys = words.keys
        guard !keys.contains("commit"),
            keys.contains(where: { ["save", "lock", "checkpoint", "snapshot", "record"].contains($0) }),
            let marker = Self.markerEnd(
                keys, Self.commitMarkers.filter { $0.contains("message") || $0.contains("note") }),
            let message = commitMessage(words, from: marker)
        else { return nil }
        return Self.commitLine(message)
    }

    /// The command line for a commit with `message`, quoted for the shell.
    static func commitLine(_ message: String) -> String {
        "git commit -am '" + message.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The spoken commit message, as heard: after a marker ("with the message X", "call it X",
    /// "Commit: X"), else the words right after "commit" when they are not its object.
    func commitMessage(_ words: SpokenWords, from marker: Int? = nil) -> String? {
        let keys = words.keys
        var start = marker ?? Self.markerEnd(keys, Self.commitMarkers)
        if start == nil, let colon = words.originals.firstIndex(where: { $0.hasSuffix(":") }) {
            start = colon + 1
        }
        if start == nil, let commit = keys.firstIndex(of: "commit"), commit + 1 < keys.count,
            !Self.commitObjects.contains(keys[commit + 1])
        {
            start = commit + 1
        }
        guard var start, start < keys.count else { return nil }
        while start < keys.count, ["the", "a", ":"].contains(keys[start]) || keys[start].isEmpty { start += 1 }
        // A message runs to the end of the sentence; only trailing politeness is left out, and a
        // clause that asks for the commit again (", commit it now").
        var end = keys.count
        if let asked = (start..<max(start, end - 1)).first(where: { index in
            words.originals[index].hasSuffix(",")
                && ["commit", "and", "then", "go", "do", "please"].contains(keys[index + 1])
        }) {
            end = asked + 1
        }
        while end > start, ["please", "thanks", "thank", "you"].contains(keys[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        var message = words.originals[start..<end].joined(separator: " ")
        while let last = message.last, ".!?,;\"'".contains(last) { message.removeLast() }
        while let first = message.first, ":\"',".contains(first) { message.removeFirst() }
        message = message.trimmingCharacters(in: .whitespaces)
        return message.isEmpty ? nil : message
    }

    // MARK: branches

    static let branchMarkers: [[String]] = [
        ["called"], ["named"], ["call", "it"], ["name", "it"], ["with", "the", "name"], ["the", "name"], ["name"],
        ["titled"],
    ]
    static let branchNoise: Set<String> = ["the", "a", "an", "new", "fresh", "my", "our", "existing", "old"]

    /// The branch a request names: after "called" or "named", else between "to"/"out"/"the" and
    /// "branch" ("the release candidate branch"), else after "branch", else (switching) after "to".
    func markedBranch(_ words: SpokenWords, creating: Bool) -> String? {
        let keys = words.keys
        var indices: [Int] = []
        if let start = Self.markerEnd(keys, Self.branchMarkers) {
            indices = Self.slotWords(words, from: start, breaks: Self.clauseBreaks.union(["for", "from", "off", "to"]))
        } else if let branch = keys.firstIndex(where: { $0 == "branch" }) {
            let leads: Set<String> = ["to", "out", "onto", "on", "the", "a", "new", "back", "over", "into"]
            if let lead = keys[..<branch].lastIndex(where: { leads.contains($0) }), lead + 1 < branch {
                indices = Array(lead + 1..<branch)
            } else if branch + 1 < keys.count {
                indices = Self.slotWords(
                    words, from: branch + 1, breaks: Self.clauseBreaks.union(["for", "from", "off"]))
            }
        } else if !creating, let to = keys.lastIndex(where: { ["to", "onto", "out"].contains($0) }), to + 1 < keys.count
        {
            indices = Self.slotWords(words, from: to + 1)
        }
        indices = Array(indices.drop { Self.branchNoise.contains(keys[$0]) })
        guard !indices.isEmpty, indices.count <= 4 else { return nil }
        // "is", "me", "it" inside a name are words of a sentence that was not parsed, not a name.
        let sentenceWords: Set<String> = ["is", "are", "me", "it", "you", "i", "we", "this", "that", "there", "branch"]
        guard !indices.contains(where: { sentenceWords.contains(keys[$0]) }) else { return nil }
        return Self.branchName(indices.map(words.slot))
    }

    /// "show me who changed every line in the readme", "the author of each line in deploy.sh":
    /// who wrote a file is its blame, wherever the file is named.
    func authorshipQuestion(_ words: SpokenWords) -> String? {
        let keys = words.keys
        let authorship: Set<String> = [
            "wrote", "changed", "touched", "edited", "modified", "authored", "made", "write", "written",
        ]
        // "who wrote", "who last changed", "who has written": an adverb or an auxiliary between
        let between: Set<String> = [
            "last", "first", "originally", "actually", "recently", "has", "had", "have", "even",
        ]
        let asksWho =
            keys.indices.contains { at in
                guard ["who", "whos"].contains(keys[at]) else { return false }
                return keys[(at + 1)...].drop(while: between.contains).first.map(authorship.contains) == true
            }
            || (keys.contains(where: { ["who", "whos"].contains($0) }) && keys.contains("responsible"))
        guard asksWho || keys.contains(where: { ["author", "authors", "authored"].contains($0) }),
            let file = namedFile(words)
        else { return nil }
        return "git blame " + Self.quoted(file)
    }

    // MARK: files and folders

    /// Word positions that carry a name: neither fillers nor "dot".
    func nameWords(_ words: SpokenWords) -> [Int] {
        words.keys.indices.filter { !Self.nameFillers.contains(words.keys[$0]) && words.keys[$0] != "dot" }
    }

    /// The workspace file a request names anywhere in it ("who wrote each line of server.swift",
    /// "the readme", "parser dot swift"), the longest run of name words first.
    func namedFile(_ words: SpokenWords) -> String? {
        let names = nameWords(words)
        for length in stride(from: 3, through: 1, by: -1) where length <= names.count {
            for start in 0...(names.count - length) {
                let run = Array(names[start..<start + length])
                // adjacent in the sentence but for fillers and "dot": "package dot swift"
                guard run.last! - run.first! <= 2 * (length - 1) else { continue }
                let parts = run.map(words.slot)
                if let file = workspace.file(parts.joined(separator: " ")) { return file }
                if length == 1, let known = Self.wellKnownFiles[WorkspaceNames.letters(parts[0])] { return known }
                if length >= 2, let last = parts.last, Self.extensions.contains(last),
                    let file = file(named: parts), workspace.paths.isEmpty || workspace.file(file) != nil
                {
                    return file
                }
            }
        }
        return nil
    }

    /// The workspace folder a request names anywhere in it; nil for none (the whole project).
    func namedFolder(_ words: SpokenWords) -> String? {
        let names = nameWords(words)
        for length in stride(from: 3, through: 1, by: -1) where length <= names.count {
            for start in 0...(names.count - length) {
                let parts = names[start..<start + length].map(words.slot)
                if let folder = workspace.folder(parts.joined(separator: " ")) { return folder }
            }
        }
        return nil
    }

    /// Words of a find request that are not the name looked for.
    static let findNoise: Set<String> = [
        "the", "a", "an", "all", "any", "my", "our", "called", "named", "every", "of", "with", "in", "its", "it",
        "name", "names", "matching", "containing", "whose", "that", "has", "have", "contains", "is", "are", "where",
        "which", "find", "locate", "me", "file", "files", "located", "did", "i", "we", "put", "somewhere", "project",
        "there", "exists", "exist", "look", "looking", "for", "search", "let", "help", "to", "see", "if", "whats",
        "what", "path", "location", "do", "does", "keep", "kept", "codebase", "repo", "repository", "lives", "live",
        "sits", "get", "can", "you", "tell", "show", "whole", "this", "thing", "again", "think", "know", "want",
        "need", "wheres", "hiding", "hidden", "go", "went", "stored", "store", "saved", "anywhere", "got", "some",
        "kind", "sort", "probably", "maybe", "like", "one", "ones", "on", "disk", "here", "source", "code", "at",
        "by", "up", "out", "or", "be", "should", "would", "could", "might", "word", "part", "pattern", "their",
        "his", "her", "whose", "remember", "cant", "forgot", "where", "lives",
    ]

    /// The name a find request looks for: what is left once its other words are set aside, one
    /// or two words ("is there a file named cache somewhere" → cache).
    func findPattern(_ words: SpokenWords) -> String? {
        let name = words.keys.enumerated().filter { !Self.findNoise.contains($0.element) }.map(\.offset)
        guard name.count == 1 || name.count == 2 else { return nil }
        if name.count == 2, name[1] != name[0] + 1 { return nil }
        let pattern = name.map { words.keys[$0] }.joined(separator: "*")
        return pattern.isEmpty ? nil : pattern
    }

    // MARK: search

    static let searchMarkers: [[String]] = [
        ["for"], ["word"], ["text"], ["string"], ["term"], ["phrase"], ["reference"], ["references"],
        ["referenced"], ["mentions", "of"], ["mention", "of"], ["mentions"], ["mentioned"], ["uses", "of"],
        ["usages", "of"], ["used"], ["calls", "to"], ["occurrences", "of"], ["instances", "of"], ["containing"],
        ["contains"], ["says"], ["with"], ["grep"], ["rg"], ["search"], ["use"], ["define"], ["call"], ["set"],
    ]
    /// Verbs that ask where something is used, in a question ("where do we call parse").
    static let usageVerbs: Set<String> = [
        "use", "reference", "call", "define", "set", "mention", "read", "import", "handle", "throw", "log",
    ]
    static let searchNoise: Set<String> = [
        "the", "a", "an", "all", "any", "every", "function", "method", "class", "struct", "variable", "type",
        "symbol", "constant", "identifier", "definition", "word", "words", "text", "string", "term", "phrase",
        "code", "codebase", "project", "repo", "sources", "source", "places", "place", "where", "is", "are", "we",
        "do", "does", "it", "in", "of", "files", "file", "lines", "line", "everywhere", "our", "my", "called",
        "named", "for",
    ]

    /// The words a search looks for: after the last marker that is followed by something other
    /// than a pronoun ("… for that" points back at an earlier "where do we reference X").
    func searchTerm(_ words: SpokenWords) -> [String]? {
        let keys = words.keys
        let ordered = Self.searchMarkers.sorted { $0.count > $1.count }
        var candidates: [Int] = []
        for position in keys.indices {
            if let marker = ordered.first(where: {
                position + $0.count <= keys.count && Array(keys[position..<position + $0.count]) == $0
            }) {
                candidates.append(position + marker.count)
            }
        }
        let places: Set<String> = ["in", "inside", "across", "throughout", "within", "from", "under"]
        for start in candidates.reversed() {
            var term = Self.slotWords(words, from: start, breaks: Self.clauseBreaks.union(places))
                .filter { !Self.searchNoise.contains(keys[$0]) }
            // "… in the code" never names the term
            term = Array(term.prefix { !places.contains(keys[$0]) })
            guard !term.isEmpty, term.count <= 4 else { continue }
            if term.allSatisfy({
                ["that", "this", "it", "them", "those", "these", "something", "stuff"].contains(keys[$0])
            }) {
                continue
            }
            return term.map { keys[$0] }
        }
        return nil
    }
}
