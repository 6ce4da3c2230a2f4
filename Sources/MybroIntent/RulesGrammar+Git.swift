import Foundation
import MybroCore

// Git: read-only commands and the writes (commit, branch, switch, pull, push, stash), which
// mybro-exec's policy judges like any other command.
extension RulesGrammar {
    static let gitNames: Set<String> = ["git", "get", "gets", "gitt"]
    static let gitSubcommands: Set<String> = [
        "status", "diff", "log", "push", "pull", "stash", "branch", "commit", "blame", "show", "checkout", "switch",
        "fetch",
    ]

    /// A shell word in single quotes when it needs them.
    static func quoted(_ text: String) -> String {
        let safe = text.unicodeScalars.allSatisfy { scalar in
            CharacterSet.alphanumerics.contains(scalar) || "-_./=@~".unicodeScalars.contains(scalar)
        }
        return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A branch name from spoken words: "login fix" → "login-fix", "feature slash login" → "feature/login".
    static func branchName(_ slots: [String]) -> String? {
        var parts: [String] = []
        var joinNext = false
        for slot in slots {
            if slot == "slash" {
                joinNext = true
                continue
            }
            let key = SpokenWords.key(for: slot)
            let word =
                SpokenWords.number(key).map(String.init)
                ?? slot.filter { $0.isLetter || $0.isNumber || "/._-".contains($0) }
            guard !word.isEmpty else { continue }
            if joinNext, let last = parts.popLast() {
                parts.append(last + "/" + word)
            } else {
                parts.append(word)
            }
            joinNext = false
        }
        return parts.isEmpty ? nil : parts.joined(separator: "-")
    }

    func gitCommand(_ words: SpokenWords) -> String? {
        var keys = words.keys
        var offset = 0
        // "run git status", "show me the git log": the lead words carry nothing.
        for lead in [
            ["run"], ["show", "me"], ["show"], ["give", "me"], ["let", "me", "see"], ["tell", "me"], ["display"],
        ]
        where keys.count > lead.count && keys.starts(with: lead) && Self.gitNames.contains(keys[lead.count]) {
            offset = lead.count
        }
        keys = Array(keys[offset...])
        guard let first = keys.first else { return nil }
        // "review my last commit" is work for Claude; "revert the last commit", "squash the last three
        // commits" are writes this grammar does not make, so they must not become a read ("git log -1").
        if [
            "review", "fix", "explain", "refactor", "document", "improve", "write", "rename", "remove", "delete",
            "debug", "optimize", "optimise", "implement", "revert", "reset", "squash", "amend", "rebase", "drop",
            "reword", "cherry", "cherrypick", "merge", "undo",
        ].contains(first) {
            return nil
        }
        // "find usages of log level", "any references to the commit hash": a search of the code
        if keys.contains(where: { ["usages", "usage", "references", "occurrences", "instances"].contains($0) }) {
            return nil
        }
        if Self.gitNames.contains(first), keys.count >= 2, first == "git" || Self.gitSubcommands.contains(keys[1]) {
            // "git push", "get status": the subcommand as said, then the natural forms below.
            keys[0] = "git"
        }
        let explicit = keys.first == "git"
        let body = explicit ? Array(keys.dropFirst()) : keys
        let bodyOffset = offset + (explicit ? 1 : 0)
        guard let verb = body.first else { return nil }

        // "how does this branch differ from main", "compare my work against main": the diff
        // against a branch every repository may have
        if let other = body.last, Self.branchNames.contains(other), body.count >= 3,
            body.contains(where: {
                ["differ", "differs", "compare", "compared", "different", "difference"].contains($0)
            })
        {
            return "git diff " + other
        }
        // "am I on main or the feature branch", "are we on develop": which branch this is
        if body.starts(with: ["am", "i", "on"]) || body.starts(with: ["are", "we", "on"]) {
            return "git branch --show-current"
        }
        if let commit = commitCommand(body, words: words, offset: bodyOffset) { return commit }
        if let branch = newBranchCommand(body, words: words, offset: bodyOffset) { return branch }
        if let target = switchCommand(body, words: words, offset: bodyOffset) { return target }
        if let stash = Self.stashCommand(body) { return stash }
        let pullRest: Set<String> = [
            "the", "latest", "changes", "from", "origin", "remote", "upstream", "code", "newest", "down", "main",
            "master", "it", "everything", "new", "commits", "in", "git", "my", "branch", "github", "gitlab", "server",
        ]
        // "what changed since the last commit", "what's different since my last commit": the
        // working tree against HEAD
        let sinceLastCommit = ["since the last commit", "since last commit", "since my last commit"].contains {
            body.joined(separator: " ").contains($0)
        }
        if sinceLastCommit,
            body.contains(where: {
                [
                    "changed", "changes", "change", "different", "difference", "differences", "differs", "modified",
                    "touched", "edited", "diff",
                ].contains($0)
            })
        {
            return "git diff"
        }
        if body == ["show", "me", "head"] || body == ["show", "head"] || body == ["show", "the", "head"] {
            return "git show HEAD"
        }
        if let back = Self.commitsBeforeHead(body) { return "git show HEAD~\(back)" }
        // "what's in commit deadbeef", "what commit 4e7b2 changed": one commit by its hash
        if let at = body.firstIndex(of: "commit"), at + 1 < body.count, Self.looksLikeHash(body[at + 1]) {
            return "git show " + body[at + 1]
        }
        // "the commits on the parser file", "history of the config": the log of one file
        if body.first != "commit",
            let at = body.firstIndex(where: { ["on", "for", "to", "touching", "of", "in"].contains($0) }), at > 0,
            body[..<at].contains(where: { ["commits", "history", "log"].contains($0) }),
            !body[..<at].contains(where: { SpokenWords.number($0, loose: true) != nil }),
            let file = fileSlot(words, from: bodyOffset + at + 1, skipping: ["file", "the"])
        {
            return "git log " + Self.quoted(file)
        }
        if verb == "pull", body.dropFirst().allSatisfy({ pullRest.contains($0) }) { return "git pull" }
        // "pull with rebase", "pull and rebase on top": git's own --rebase
        if body.contains("pull"), ["pull", "rebase"].contains(verb), body.count <= 8,
            body.contains(where: { ["rebase", "rebasing"].contains($0) }),
            body.dropFirst().allSatisfy({
                pullRest.contains($0) || ["rebase", "rebasing", "with", "and", "a", "on", "top", "by"].contains($0)
            })
        {
            return "git pull --rebase"
        }
        // "pull that down", "pull in the team's changes": pulling down or in is git's, whatever follows
        // ("pull up the readme" shows a file, "pull out a helper" is work on the code)
        if verb == "pull", body.count >= 2, body.count <= 10,
            body.dropFirst().prefix(2).contains(where: { ["down", "in"].contains($0) }),
            !body.contains(where: { ["request", "requests", "function", "method", "class", "helper"].contains($0) })
        {
            return "git pull"
        }
        // "update my branch from upstream", "refresh it with origin"
        if ["update", "refresh", "sync", "resync"].contains(verb), body.count <= 6,
            let at = body.lastIndex(where: { ["from", "with"].contains($0) }),
            body[(at + 1)...].allSatisfy({ ["the", "upstream", "origin", "remote", "main", "master"].contains($0) }),
            body[(at + 1)...].contains(where: { ["upstream", "origin", "remote"].contains($0) })
        {
            return "git pull"
        }
        // "the latest changes from the remote"
        if body.contains("latest"), body.contains(where: { ["origin", "remote", "upstream"].contains($0) }),
            body.allSatisfy({ pullRest.contains($0) || ["get", "grab", "fetch", "bring", "down"].contains($0) })
        {
            return "git pull"
        }
        // "sync with upstream by pulling", "pull down the latest from the remote"
        if body.contains(where: { ["pull", "pulling"].contains($0) }), body.count <= 9,
            body.allSatisfy({
                pullRest.contains($0) || ["pull", "pulling", "sync", "with", "by", "and", "do", "a"].contains($0)
            })
        {
            return "git pull"
        }
        if body.starts(with: ["get", "the", "latest"]) || body.starts(with: ["fetch", "and", "merge"])
            || body == ["update", "from", "origin"] || body == ["update", "from", "the", "remote"]
            || body == ["sync", "with", "the", "remote"]
        {
            return "git pull"
        }
        let pushRest: Set<String> = [
            "it", "my", "the", "changes", "commits", "to", "origin", "remote", "github", "gitlab", "upstream", "branch",
            "up", "everything", "this", "code", "work", "them", "all", "main", "master", "git", "central", "shared",
            "repository", "repo", "server", "stuff",
        ]
        if verb == "push", body.dropFirst().allSatisfy({ pushRest.contains($0) }) { return "git push" }
        // "push the tag", "push the new tags up": tags go with --tags
        if verb == "push", body.count <= 6, body.contains(where: { ["tag", "tags"].contains($0) }),
            body.dropFirst().allSatisfy({ pushRest.contains($0) || ["tag", "tags", "new", "release"].contains($0) })
        {
            return "git push --tags"
        }
        // "my commits pushed", "get my changes pushed"
        if body.last == "pushed", body.count >= 2,
            body.dropLast().allSatisfy({ pushRest.contains($0) || ["get", "have"].contains($0) })
        {
            return "git push"
        }
        // "send my commits to origin", "upload my changes": another verb, with an object that is git's
        if ["send", "upload", "publish", "ship"].contains(verb), body.count >= 2,
            body.dropFirst().allSatisfy({ pushRest.contains($0) }),
            body.contains(where: {
                [
                    "commits", "changes", "origin", "remote", "github", "gitlab", "upstream", "repo", "repository",
                    "server",
                ]
                .contains($0)
            })
        {
            return "git push"
        }
        if verb == "blame"
            || (["who", "whom"].contains(verb) && body.count >= 3
                && ["changed", "wrote", "touched", "edited", "modified", "last", "made"].contains(body[1]))
        {
            let start = bodyOffset + (verb == "blame" ? 1 : 2)
            if let file = fileSlot(
                words, from: start,
                skipping: [
                    "last", "touched", "changed", "edited", "for", "blame", "each", "every", "line", "lines", "of",
                    "in", "on", "all",
                ])
            {
                return "git blame " + Self.quoted(file)
            }
            if verb == "blame" { return nil }
        }
        // "show me the blame for the makefile", "run blame on the parser"
        if let blame = body.firstIndex(of: "blame"), blame > 0, blame + 1 < body.count,
            body[..<blame].allSatisfy({
                ["show", "me", "the", "give", "run", "a", "get", "git", "display"].contains($0)
            }),
            ["for", "of", "on"].contains(body[blame + 1])
        {
            if let file = fileSlot(words, from: bodyOffset + blame + 2, skipping: []) {
                return "git blame " + Self.quoted(file)
            }
        }
        if let blame = authorshipQuestion(words) { return blame }
        if let log = Self.logCommand(body, explicit: explicit) { return log }
        if let diff = diffCommand(body, words: words, offset: bodyOffset, explicit: explicit) { return diff }
        if Self.isStatusQuestion(body, explicit: explicit) { return "git status" }
        if let branch = Self.branchQuestion(body, explicit: explicit) { return branch }
        if explicit, body.count == 1 {
            switch verb {
            case "fetch": return "git fetch"
            case "show": return "git show"
            default: return nil
            }
        }
        return nil
    }

    /// A commit's abbreviated hash as a recogniser writes it: 5 to 40 hex digits with a digit
    /// among them, or 7 and more hex letters (few words are spelt only with a to f).
    static func looksLikeHash(_ word: String) -> Bool {
        guard word.count <= 40, word.allSatisfy(\.isHexDigit) else { return false }
        return (word.count >= 5 && word.contains(where: \.isNumber) && word.contains(where: \.isLetter))
            || word.count >= 7
    }

    /// Branch names every repository may have, which said alone are the branch, not a file
    /// ("what's different from main" is not main.swift's diff).
    static let branchNames: Set<String> = ["main", "master", "develop", "dev", "trunk"]

    // MARK: writes

    static let messageMarkers: Set<String> = ["message", "saying", "called", "named", "titled", "as"]

    func commitCommand(_ body: [String], words: SpokenWords, offset: Int) -> String? {
        let leads: [[String]] = [
            ["commit"], ["make", "a", "commit"], ["do", "a", "commit"], ["create", "a", "commit"],
            ["make", "a", "new", "commit"],
        ]
        guard let lead = leads.first(where: { body.starts(with: $0) }) else { return nil }
        var start: Int?
        if lead == ["commit"], words.originals[offset].hasSuffix(":") {
            start = offset + 1
        } else if let call = body.firstIndex(where: { ["call", "calling"].contains($0) }), call + 2 < body.count,
            body[call + 1] == "it"
        {
            // "commit all and call it wip"
            start = offset + call + 2
        } else if let marker = Self.markerEnd(body, Self.commitMarkers) {
            start = offset + marker
        } else if let marker = body.firstIndex(where: { Self.messageMarkers.contains($0) }) {
            start = offset + marker + 1
        }
        guard let start, start < words.keys.count else { return nil }
        var message = words.original(from: start).trimmingCharacters(in: .whitespaces)
        while let last = message.last, ".!?,;\"'".contains(last) { message.removeLast() }
        while let first = message.first, ":\"'".contains(first) { message.removeFirst() }
        message = message.trimmingCharacters(in: .whitespaces)
        guard !message.isEmpty else { return nil }
        return Self.commitLine(message)
    }

    func newBranchCommand(_ body: [String], words: SpokenWords, offset: Int) -> String? {
        // "switch dash c login fix", "checkout dash b login fix": the flag that makes one
        if body.count > 2, (body[0] == "switch" && body[1] == "c") || (body[0] == "checkout" && body[1] == "b"),
            words.originals[offset + 1].hasPrefix("-"), let name = Self.branchName(Array(words.slots(from: offset + 2)))
        {
            return "git switch -c " + Self.quoted(name)
        }
        guard let branchIndex = body.firstIndex(where: { $0 == "branch" }) else { return nil }
        let before = body[..<branchIndex]
        let creation: Set<String> = ["create", "make", "new", "start", "open", "add", "cut", "do", "set"]
        let isNew =
            before.contains(where: { creation.contains($0) })
            && before.allSatisfy({
                creation.contains($0)
                    || [
                        "a", "an", "the", "git", "me", "and", "switch", "to", "check", "out", "fresh", "brand", "us",
                        "one", "another", "separate", "up", "quick",
                    ].contains($0)
            })
        // "branch off as …", "let me branch off as …"
        let branchOff =
            body.count > branchIndex + 1 && body[branchIndex + 1] == "off"
            && before.allSatisfy({ ["let", "me", "lets", "i", "will", "ill", "want", "to"].contains($0) })
        guard isNew || branchOff else { return nil }
        var nameStart = offset + branchIndex + 1
        var rest = Array(body[(branchIndex + 1)...])
        if branchOff {
            rest = Array(rest.dropFirst())
            nameStart += 1
        }
        // "a fresh branch for this, call it retry logic": the name is what it is called
        if let named = Self.markerEnd(
            rest, [["call", "it"], ["name", "it"], ["called"], ["named"], ["the", "name", "is"], ["name", "is"]]),
            named > 1,
            named < rest.count
        {
            nameStart += named
            rest = Array(rest[named...])
        } else if let marker = rest.first, ["called", "named", "for", "as", "titled", "with", "name"].contains(marker) {
            rest = Array(rest.dropFirst())
            nameStart += 1
            // "with the name cache layer"
            while let next = rest.first, next == "the" || next == "name" {
                rest = Array(rest.dropFirst())
                nameStart += 1
            }
        }
        // The name ends where a purpose or another request begins ("… called copy changes for my
        // text edits", "… named hotfix and switch to it").
        let ends: Set<String> = ["for", "so", "because", "and", "then", "where", "which", "please"]
        var slots = Array(words.slots(from: nameStart))
        if let end = slots.indices.dropFirst().first(where: { ends.contains(SpokenWords.key(for: slots[$0])) }) {
            slots = Array(slots[..<end])
        }
        guard !rest.isEmpty, let name = Self.branchName(slots) else { return nil }
        return "git switch -c " + Self.quoted(name)
    }

    func switchCommand(_ body: [String], words: SpokenWords, offset: Int) -> String? {
        // "switch me over to develop", "take me back to main": the one moved is the speaker
        if body.count > 2, body[1] == "me", ["switch", "move", "take", "bring", "get", "put"].contains(body[0]) {
            let kept = SpokenWords(
                ([words.originals[offset]] + words.originals[(offset + 2)...]).joined(separator: " "))
            return switchCommand(
                Array([body[0]] + body[2...]).map { $0 == "take" || $0 == "bring" ? "go" : $0 }, words: kept, offset: 0)
        }
        let leads: [[String]] = [
            ["switch", "branches", "to"], ["switch", "to"], ["switch", "back", "to"], ["check", "out"], ["checkout"],
            ["switch"], ["go", "back", "to"], ["go", "to"], ["change", "to"], ["move", "to"], ["jump", "to"],
            ["change", "branch", "to"], ["change", "branches", "to"], ["switch", "over", "to"], ["hop", "over", "to"],
            ["hop", "to"], ["head", "over", "to"], ["head", "to"], ["go", "over", "to"], ["move", "over", "to"],
            ["jump", "over", "to"], ["change", "over", "to"], ["be", "on"], ["get", "on"], ["get", "me", "on"],
            ["put", "me", "on"], ["go", "on"], ["go", "into"], ["move", "in"], ["move", "into"], ["switch", "into"],
            ["change", "into"], ["put", "on"], ["back", "to"], ["get", "back", "on"], ["get", "back", "to"],
            ["go", "back", "on"], ["hop", "back", "onto"], ["hop", "back", "on"], ["hop", "back", "to"],
            ["hop", "onto"],
            ["get", "back", "onto"], ["go", "back", "onto"], ["flip", "over", "to"], ["flip", "to"],
            ["jump", "back", "to"],
            ["need", "to", "be", "on"], ["i", "need", "to", "be", "on"], ["want", "to", "be", "on"],
        ]
        // the longest lead first: "switch over to" before "switch"
        guard let lead = leads.sorted(by: { $0.count > $1.count }).first(where: { body.starts(with: $0) }) else {
            return nil
        }
        var rest = Array(body.dropFirst(lead.count))
        var start = offset + lead.count
        let weakLead =
            ["go", "change", "move", "jump", "hop", "head", "be", "get", "put", "back", "flip", "need", "i", "want"]
            .contains(lead[0])
            && !lead.contains("branch")
            && !lead.contains("branches")
        if rest.first == "the" {
            rest.removeFirst()
            start += 1
        }
        // "go to the branch login fix": the word names what follows as a branch, as after the name
        var namedBranch = false
        if rest.first == "branch" {
            rest.removeFirst()
            start += 1
            namedBranch = true
            if let marker = rest.first, ["called", "named"].contains(marker) {
                rest.removeFirst()
                start += 1
            }
        }
        var hasBranchWord =
            namedBranch || lead.contains("branch") || lead.contains("branches")
            || body[..<lead.count].contains("checkout")
        if rest.last == "branch" {
            rest.removeLast()
            hasBranchWord = true
        } else if body.dropFirst(lead.count).first == "branch" {
            hasBranchWord = true
        }
        guard !rest.isEmpty, rest.count <= 4 else { return nil }
        if rest == ["previous"] || rest == ["last"] || rest == ["previous", "one"] || rest == ["last", "one"] {
            return hasBranchWord ? "git switch -" : nil
        }
        let wellKnown: Set<String> = ["main", "master", "develop", "dev", "trunk"]
        if weakLead && !hasBranchWord && !(rest.count == 1 && wellKnown.contains(rest[0])) { return nil }
        if lead == ["switch"] && !hasBranchWord && !(rest.count == 1 && wellKnown.contains(rest[0])) { return nil }
        guard let name = Self.branchName(Array(words.slots(from: start).prefix(rest.count))) else { return nil }
        return "git switch " + Self.quoted(name)
    }

    static func stashCommand(_ body: [String]) -> String? {
        let popPhrases: [[String]] = [
            ["stash", "pop"], ["pop", "the", "stash"], ["pop", "stash"], ["unstash"], ["restore", "the", "stash"],
            ["apply", "the", "stash"], ["pop", "my", "stash"], ["restore", "my", "stash"],
            ["unstash", "my", "changes"],
        ]
        if popPhrases.contains(body) { return "git stash pop" }
        if body.contains(where: { $0 == "stashes" }) || body == ["stash", "list"] { return "git stash list" }
        // "what's in my stash", "show me what's in the stash": what it holds
        if ["what", "whats", "show", "list", "anything"].contains(body[0]),
            let at = body.firstIndex(where: { $0 == "in" || $0 == "on" }), at <= 4,
            body[(at + 1)...].prefix(2).last == "stash"
        {
            return "git stash list"
        }
        // "do I have anything stashed away", "I'd love to see what's stashed": asked about, not done
        if body.contains("stashed"), body.count <= 9,
            body.contains(where: { ["what", "whats", "anything", "have", "see", "show", "any"].contains($0) }),
            !body.contains(where: { ["pop", "apply", "restore", "bring", "back", "unstash", "get"].contains($0) })
        {
            return "git stash list"
        }
        let rest: Set<String> = [
            "my", "the", "changes", "everything", "it", "this", "work", "all", "away", "them", "current",
        ]
        if body.first == "stash", body.dropFirst().allSatisfy({ rest.contains($0) }) { return "git stash" }
        // Other verbs around the stash: "put my changes in the stash", "bring back my stashed
        // changes", "apply the stash and drop it", "shelve my work", "set my changes aside".
        let popVerbs: Set<String> = [
            "pop", "restore", "apply", "bring", "get", "unstash", "reapply", "recover", "retrieve", "take",
        ]
        let stashVerbs: Set<String> = [
            "stash", "put", "save", "move", "stick", "shelve", "tuck", "park", "set", "throw",
        ]
        let objectWords: Set<String> = rest.union([
            "change", "stuff", "edits", "uncommitted", "local", "those", "these", "back", "in", "into", "to", "on",
            "out", "of", "from", "and", "drop", "latest", "last", "top", "most", "recent", "aside", "stash", "stashed",
            "a", "for", "now", "later", "progress", "wip", "what", "i", "ive", "had", "with", "git", "using", "unstash",
            // "… I've got for now", "… somewhere safe for a minute"
            "got", "have", "somewhere", "safe", "safely", "minute", "moment", "bit", "while", "second", "temporarily",
            "just",
        ])
        guard body.count >= 2, body.count <= 10,
            body.allSatisfy({ objectWords.contains($0) || popVerbs.contains($0) || stashVerbs.contains($0) })
        else { return nil }
        let aboutStash = body.contains("stash") || body.contains("stashed") || body.first == "unstash"
        if aboutStash,
            popVerbs.contains(body[0]) || body[0] == "unstash" || body.contains("stashed") && body[0] != "stash"
        {
            return "git stash pop"
        }
        if stashVerbs.contains(body[0]),
            aboutStash || ["shelve", "park"].contains(body[0]) || body.contains("aside")
                || body.contains("safe") && body.contains("somewhere")
        {
            return "git stash"
        }
        return nil
    }

    // MARK: read-only

    static let weekdays: Set<String> = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// "since yesterday" → "yesterday", "last week" → "'last week'", "the last three days" → "'3 days ago'".
    static func sinceDate(_ keys: [String]) -> String? {
        // Each place a date may start, "since" first ("what went in over the last three days":
        // not at "in"; "last week's commits": at "last")
        let starts =
            keys.indices.filter { keys[$0] == "since" }
            + keys.indices.filter {
                ["from", "in", "during", "over", "today", "yesterday", "last", "past", "this"].contains(keys[$0])
            }
        for index in starts {
            if let date = date(startingAt: index, in: keys) { return date }
        }
        return nil
    }

    static func date(startingAt index: Int, in keys: [String]) -> String? {
        var rest = Array(keys[index...])
        if ["since", "from", "in", "during", "over"].contains(rest[0]) { rest.removeFirst() }
        if rest.first == "the" { rest.removeFirst() }
        guard let first = rest.first else { return nil }
        switch first {
        case "yesterday": return "yesterday"
        case "today", "midnight": return "midnight"
        case "this":
            if rest.count > 1, ["morning", "afternoon"].contains(rest[1]) { return "midnight" }
            // the week so far, or the last seven days: a speaker means the recent days either way
            if rest.count > 1, ["week", "month", "year"].contains(rest[1]) { return "'1 \(rest[1]) ago'" }
            return nil
        case _ where weekdays.contains(first): return first
        case "last", "past":
            guard rest.count > 1 else { return nil }
            // ("last week's commits": the week's)
            if ["week", "month", "year", "weeks", "months", "years"].contains(rest[1]) {
                return "'1 \(rest[1].hasSuffix("s") ? String(rest[1].dropLast()) : rest[1]) ago'"
            }
            if rest.count > 2, let count = SpokenWords.number(rest[1], loose: true),
                ["days", "hours", "weeks", "day", "hour", "week"].contains(rest[2])
            {
                let unit = rest[2].hasSuffix("s") ? String(rest[2].dropLast()) : rest[2]
                return "'\(count) \(unit)\(count == 1 ? "" : "s") ago'"
            }
            return nil
        default:
            if rest.count > 2, let count = SpokenWords.number(first, loose: true),
                ["days", "hours", "weeks", "day", "hour", "week"].contains(rest[1]), rest[2] == "ago"
            {
                let unit = rest[1].hasSuffix("s") ? String(rest[1].dropLast()) : rest[1]
                return "'\(count) \(unit)\(count == 1 ? "" : "s") ago'"
            }
            return nil
        }
    }

    /// "head minus one", "head tilde two", "the commit two before head", "one before the last
    /// commit": how many commits back from HEAD (nil when the words say no such thing).
    static func commitsBeforeHead(_ body: [String]) -> Int? {
        if let head = body.firstIndex(of: "head"), head + 1 < body.count,
            ["minus", "tilde", "caret"].contains(body[head + 1])
        {
            if head + 2 < body.count, let count = SpokenWords.number(body[head + 2], loose: true), count > 0,
                count < 1000
            {
                return count
            }
            return body[head + 1] == "caret" ? 1 : nil
        }
        // "the commit two back", "three commits ago" (not "since two days ago": a count of days)
        if let back = body.firstIndex(where: { ["back", "ago"].contains($0) }), back > 0, !body.contains("since"),
            let count = SpokenWords.number(body[back - 1], loose: true)
                ?? (back > 1 && ["commit", "commits"].contains(body[back - 1])
                    ? SpokenWords.number(body[back - 2], loose: true) : nil),
            count > 0, count < 1000, body.contains(where: { ["commit", "commits"].contains($0) })
        {
            return count
        }
        if let before = body.firstIndex(of: "before"), before > 0, before + 1 < body.count,
            body[(before + 1)...].drop(while: { $0 == "the" }).first.map({ ["head", "last", "latest"].contains($0) })
                == true,
            let count = SpokenWords.number(body[before - 1], loose: true), count > 0, count < 1000,
            body.contains(where: { ["commit", "commits", "head", "one", "ones"].contains($0) })
        {
            return count
        }
        return nil
    }

    static func logCommand(_ body: [String], explicit: Bool) -> String? {
        let commitWords: Set<String> = ["commit", "commits", "committed", "log", "history", "changed", "changes"]
        let hasCommit = body.contains { $0 == "commit" || $0 == "commits" || $0 == "committed" }
        let isLogWord =
            body.contains("log") || (body.contains("history") && (hasCommit || explicit || body.contains("repo")))
        // "git log dash five", "log dash n three": the count as a flag
        if body.first == "log", body.count == 2 || (body.count == 3 && body[1] == "n"),
            let count = SpokenWords.number(body[body.count - 1], loose: true), count > 0, count <= 1000
        {
            return "git log -\(count)"
        }
        // "what came in since friday", "what landed since yesterday": what others committed
        if body.contains("since") || body.contains("over"), let date = sinceDate(body),
            ["what", "whats", "anything", "show"].contains(body[0]),
            body.contains(where: { ["came", "landed", "arrived", "merged", "new", "went", "gone", "got"].contains($0) })
        {
            return "git log --since=\(date)"
        }
        guard hasCommit || isLogWord || body.contains("changed") || body.contains("changes") else { return nil }
        if body.contains(where: { ["function", "file", "class", "message"].contains($0) }) && !isLogWord { return nil }
        if let date = sinceDate(body), body.contains(where: { commitWords.contains($0) }) {
            return "git log --since=\(date)"
        }
        // "the commit before the last one" (not "the commits people made before")
        if let before = body.firstIndex(of: "before"), hasCommit,
            body[(before + 1)...].drop(while: { $0 == "the" }).first.map({
                ["last", "latest", "head", "that", "this", "previous", "it"].contains($0)
            }) == true
        {
            return "git show HEAD~1"
        }
        // "show commit abc123"
        if let hash = body.first(where: {
            $0.count >= 6 && $0.count <= 40 && $0.allSatisfy(\.isHexDigit) && $0.contains(where: \.isNumber)
        }) {
            return "git show \(hash)"
        }
        guard hasCommit || isLogWord else { return nil }
        if body.contains("head"), body.contains("commit"), !body.contains("before") { return "git show HEAD" }
        // "the last five commits", "3 most recent commits"
        for (index, key) in body.enumerated() where key == "commits" || key == "commit" || key == "entries" {
            var scan = index - 1
            while scan >= 0,
                ["most", "recent", "latest", "last", "previous", "past", "of", "git", "new", "newest"].contains(
                    body[scan])
            {
                scan -= 1
            }
            if scan >= 0, let count = SpokenWords.number(body[scan], loose: true), count > 0, count <= 1000 {
                return "git log -\(count)"
            }
            // "what was in the previous commit": what it holds
            if key == "commit", index > 1, ["last", "latest", "previous"].contains(body[index - 1]),
                body[..<(index - 1)].contains("in"), ["what", "whats"].contains(body[0])
            {
                return "git show"
            }
            // "what did the last commit change", "the latest commit's changes": what it changed
            if ["commits", "commit"].contains(key), index > 0,
                ["last", "latest", "recent", "previous", "newest"].contains(body[index - 1]),
                body[(index + 1)...].contains(where: {
                    ["change", "changes", "changed", "do", "touch", "diff"].contains($0)
                })
            {
                return "git show"
            }
            // "the last commit", but not "the recent commit history"
            if key == "commit", index > 0,
                ["last", "latest", "recent", "previous", "newest"].contains(body[index - 1]),
                index + 1 == body.count || !["history", "log", "messages", "list"].contains(body[index + 1])
            {
                return "git log -1"
            }
        }
        // "log, last twenty": a count after "last" without the word commits
        if isLogWord, let last = body.firstIndex(where: { ["last", "past", "latest"].contains($0) }),
            last + 1 < body.count, let count = SpokenWords.number(body[last + 1], loose: true), count > 0,
            count <= 1000
        {
            return "git log -\(count)"
        }
        if let with = body.firstIndex(of: "with"), with + 1 < body.count,
            let count = SpokenWords.number(body[with + 1], loose: true)
        {
            return "git log -\(count)"
        }
        if isLogWord || body.contains(where: { ["recent", "latest", "last"].contains($0) }) && hasCommit {
            return "git log -10"
        }
        return nil
    }

    func diffCommand(_ body: [String], words: SpokenWords, offset: Int, explicit: Bool) -> String? {
        // "what haven't I staged yet": the unstaged changes, which plain git diff shows
        let notStaged =
            body.contains("unstaged")
            || body.indices.contains {
                body[$0] == "staged" && $0 > 0 && ["havent", "not", "isnt", "arent"].contains(body[$0 - 1])
            }
            || body.indices.contains {
                body[$0] == "staged" && $0 > 1 && ["havent", "not", "isnt", "arent"].contains(body[$0 - 2])
            }
        let staged = (body.contains("staged") || body.contains("cached")) && !notStaged
        // "what's different from main", "what's different in the config file"
        let diffWord =
            body.contains { ["diff", "difference", "differences", "diffs", "dif"].contains($0) }
            || (body.contains("different") && body.contains { ["between", "from", "in", "on"].contains($0) })
        let phrases: [[String]] = [
            ["what", "did", "you", "change"], ["what", "did", "i", "change"], ["show", "me", "the", "changes"],
            ["show", "the", "changes"], ["what", "are", "my", "changes"], ["what", "are", "the", "changes"],
            ["show", "me", "what", "changed"], ["show", "what", "changed"], ["what", "changed"], ["changes"],
            ["show", "me", "my", "changes"], ["what", "have", "i", "changed"], ["what", "have", "you", "changed"],
            ["show", "the", "current", "changes"], ["show", "me", "the", "current", "changes"],
            ["what", "is", "staged"],
            ["whats", "staged"], ["show", "the", "staged", "changes"], ["show", "me", "the", "staged", "changes"],
        ]
        // "show me my uncommitted changes", "show me what changed in the code"
        let showsChanges =
            ["show", "what", "whats", "list", "display", "view", "see"].contains(body.first ?? "")
            && body.contains(where: { ["changes", "changed", "modifications", "edits"].contains($0) })
            && !body.contains(where: {
                [
                    "commit", "commits", "committed", "log", "history", "since", "files", "file", "branch", "stash",
                    "stashed",
                ]
                .contains($0)
            })
        // "show me what changed in the server file", "the changes in the readme": one file's diff
        if !diffWord, !staged, !notStaged,
            body.contains(where: { ["changes", "changed", "change", "modifications", "edits"].contains($0) }),
            !body.contains(where: {
                ["commit", "commits", "committed", "log", "history", "since", "files", "branch", "stash"].contains($0)
            }),
            let at = body.lastIndex(where: { ["in", "to", "on", "of"].contains($0) }), at + 1 < body.count,
            let file = fileSlot(words, from: offset + at + 1, skipping: ["the", "file"])
        {
            return "git diff " + Self.quoted(file)
        }
        guard diffWord || phrases.contains(body) || showsChanges || notStaged else { return nil }
        if staged { return "git diff --staged" }
        if notStaged { return "git diff" }
        // "show the changes to the readme": a file after the word is the file's diff
        if let to = body.firstIndex(where: { ["to", "from", "on"].contains($0) }), to + 1 < body.count,
            !Self.branchNames.contains(body[to + 1]),
            let file = fileSlot(words, from: offset + to + 1, skipping: ["the", "file"]),
            file.contains("/") || file.contains(".") || file.first?.isUppercase == true
        {
            return "git diff " + Self.quoted(file)
        }
        if let against = body.firstIndex(where: { ["against", "with", "between", "to", "from"].contains($0) }),
            against + 1 < body.count
        {
            var rest = Array(body[(against + 1)...])
            // "between this branch and main": the other side is the branch to compare with
            if body[against] == "between", let and = rest.firstIndex(of: "and"),
                rest[..<and].allSatisfy({
                    ["this", "my", "the", "current", "branch", "here", "head", "one"].contains($0)
                })
            {
                rest = Array(rest[(and + 1)...])
            }
            if rest.first == "the" { rest.removeFirst() }
            if rest.last == "branch" { rest.removeLast() }
            if rest.count == 1 { return "git diff " + Self.quoted(rest[0]) }
        }
        // "diff the changelog", "git diff the config": the file right after the word
        if let at = body.firstIndex(where: { ["diff", "dif", "diffs"].contains($0) }), at + 1 < body.count,
            !["of", "for", "in", "against", "with", "between", "to"].contains(body[at + 1]),
            let file = fileSlot(
                words, from: offset + at + 1, skipping: ["the", "file", "please", "now"],
                until: ["against", "with", "versus", "vs", "compared", "to", "from"])
        {
            return "git diff " + Self.quoted(file)
        }
        if let of = body.firstIndex(where: { ["of", "for", "in", "on"].contains($0) }), of + 1 < body.count,
            let file = fileSlot(words, from: offset + of + 1, skipping: [])
        {
            return "git diff " + Self.quoted(file)
        }
        return "git diff"
    }

    static func isStatusQuestion(_ body: [String], explicit: Bool) -> Bool {
        if explicit && body.first == "status" { return true }
        let repo = body.contains { ["repo", "repository", "git", "tree"].contains($0) }
        if body.contains("status") && (repo || explicit) { return true }
        if body.contains("uncommitted") || body.contains("unstaged") { return true }
        if body.contains("working"), body.contains("tree") || body.contains("copy") { return true }
        if body.contains(where: { $0 == "files" || $0 == "file" }),
            body.contains(where: { ["changed", "modified", "touched", "edited", "change", "dirty"].contains($0) }),
            !body.contains(where: { ["since", "count", "many", "number", "list"].contains($0) })
        {
            return true
        }
        if repo, body.contains(where: { ["state", "clean", "dirty"].contains($0) }) { return true }
        return false
    }

    static func branchQuestion(_ body: [String], explicit: Bool) -> String? {
        if body.contains("branches") { return "git branch" }
        guard body.contains("branch") else { return nil }
        if body.contains(where: { ["what", "which", "whats", "current", "this", "name"].contains($0) }) {
            return "git branch --show-current"
        }
        if explicit && body == ["branch"] { return "git branch" }
        return nil
    }
}
