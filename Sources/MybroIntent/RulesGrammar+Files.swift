import Foundation
import MybroCore

// Files (list, show, find, count) and search, with names resolved in the workspace.
extension RulesGrammar {
    static let fileTypes: [String: String] = [
        "swift": "swift", "python": "py", "py": "py", "markdown": "md", "md": "md", "javascript": "js", "js": "js",
        "typescript": "ts", "ts": "ts", "rust": "rs", "go": "go", "c": "c", "header": "h", "json": "json",
        "yaml": "yaml", "toml": "toml", "shell": "sh", "text": "txt", "html": "html", "css": "css",
    ]
    static let extensions: Set<String> = [
        "swift", "py", "md", "json", "txt", "toml", "yaml", "yml", "js", "ts", "rs", "go", "c", "h", "sh", "html",
        "css", "cpp", "java", "kt", "rb", "lock", "cfg", "ini",
    ]
    static let wellKnownFiles: [String: String] = [
        "readme": "README.md", "makefile": "Makefile", "license": "LICENSE", "licence": "LICENSE",
        "changelog": "CHANGELOG.md", "gitignore": ".gitignore", "dockerfile": "Dockerfile",
        "packageswift": "Package.swift", "packagemanifest": "Package.swift", "manifest": "Package.swift",
    ]
    static let nameFillers: Set<String> = [
        "the", "a", "an", "my", "this", "that", "file", "contents", "content", "of", "me", "our", "whole", "entire",
        "source", "code", "for", "in",
    ]

    /// The file named by the words from `index` on ("the readme file" → "README.md",
    /// "package dot swift" → "Package.swift"); nil when they name no file.
    /// The file the words from `index` name, up to the first of `until` ("the parser against
    /// main": the parser).
    func fileSlot(_ words: SpokenWords, from index: Int, skipping: Set<String>, until: Set<String> = []) -> String? {
        var slots = words.slots(from: index)
        if let end = slots.firstIndex(where: { until.contains(SpokenWords.key(for: $0)) }) {
            slots = Array(slots[..<end])
        }
        // A name ends with its clause ("the changes in the readme, I don't remember …")
        if index < words.originals.count,
            let last = words.originals[index...].firstIndex(where: { ",;?!".contains($0.last ?? " ") }),
            last - index + 1 < slots.count
        {
            slots = Array(slots[...(last - index)])
        }
        slots = slots.filter { !skipping.contains($0) }
        return file(named: slots.filter { !Self.nameFillers.contains(SpokenWords.key(for: $0)) && $0 != "dot" })
    }

    /// The file that up to three spoken name parts mean, fillers already left out.
    func file(named parts: [String]) -> String? {
        guard !parts.isEmpty, parts.count <= 3 else { return nil }
        let spoken = parts.joined(separator: " ")
        if let found = workspace.file(spoken) { return found }
        // "the deploy script", "the guide in docs": the name without the kind or the folder said with it
        let kinds: Set<String> = [
            "script", "doc", "document", "page", "docs", "folder", "directory", "dir", "sources", "tests", "scripts",
        ]
        let named = parts.filter { !kinds.contains(SpokenWords.key(for: $0)) }
        if !named.isEmpty, named.count < parts.count, let found = workspace.file(named.joined(separator: " ")) {
            return found
        }
        let key = WorkspaceNames.letters(spoken)
        if let known = Self.wellKnownFiles[key] { return known }
        if parts.count == 1, parts[0].contains("."), !parts[0].hasPrefix(".") || parts[0].count > 1 { return parts[0] }
        if parts.count >= 2, let last = parts.last, Self.extensions.contains(last) {
            return parts.dropLast().joined(separator: "_") + "." + last
        }
        return nil
    }

    /// The folder named by the words ("the sources folder" → "Sources"); as spoken when the
    /// workspace has no such folder and the words call it one ("the vendor folder") or are one
    /// word: several other words ("we have in total", "did I touch") name no folder.
    func folderSlot(_ slots: [String]) -> String? {
        let parts = slots.filter { !Self.nameFillers.contains($0) && !["folder", "directory", "dir"].contains($0) }
        guard !parts.isEmpty, parts.count <= 3 || parts.contains("slash") else { return nil }
        // "the entire project altogether": the workspace itself
        if parts.allSatisfy({ Self.wholeWorkspaceWords.contains(SpokenWords.key(for: $0)) }) { return "." }
        let spoken = parts.joined(separator: " ")
        if let found = workspace.folder(spoken) { return found }
        // "sources app": a path said without its slashes
        if (2...3).contains(parts.count), !parts.contains("slash"),
            let found = workspace.folder(parts.joined(separator: " slash "))
        {
            return found
        }
        // "how many files Sources contains": a run of the words names a folder the workspace has
        if parts.count > 1 {
            for length in stride(from: parts.count - 1, through: 1, by: -1) {
                for start in 0...(parts.count - length) {
                    let run = parts[start..<(start + length)]
                    if run.contains("slash") && run.count == 1 { continue }
                    if let found = workspace.folder(run.joined(separator: " ")) { return found }
                }
            }
        }
        let calledAFolder = slots.contains { Self.folderWords.contains(SpokenWords.key(for: $0)) }
        guard calledAFolder || parts.count == 1 || parts.contains("slash") || !workspace.hasFolders else { return nil }
        return parts.joined(separator: "-")
    }

    /// The one workspace folder a request names anywhere in it ("in Tests? just curious how big
    /// it's gotten", "in AppTests, how many files"), the deepest where the names nest ("the App
    /// folder under Sources" → Sources/App); nil for none, or for two unrelated ones.
    func folderNamedAnywhere(_ words: SpokenWords) -> String? {
        let keys = words.keys
        var found: Set<String> = []
        for length in 1...3 where length <= keys.count {
            for start in 0...(keys.count - length) {
                let parts = (start..<start + length).map(words.slot)
                if parts.contains(where: { Self.nameFillers.contains(SpokenWords.key(for: $0)) }) { continue }
                if let folder = workspace.folder(parts.joined(separator: " ")) { found.insert(folder) }
                if length > 1, let folder = workspace.folder(parts.joined(separator: " slash ")) {
                    found.insert(folder)
                }
            }
        }
        guard let deepest = found.max(by: { ($0.count, $0) < ($1.count, $1) }) else { return nil }
        return found.allSatisfy({ deepest == $0 || deepest.hasPrefix($0 + "/") }) ? deepest : nil
    }

    /// The folder a list or count request reads: the one its place words name, unless that is
    /// none the workspace has (or only the whole workspace) while the request names exactly one
    /// elsewhere, or names a folder within it.
    func placeFolder(_ anchored: String?, _ words: SpokenWords) -> String? {
        guard let named = folderNamedAnywhere(words) else { return anchored }
        guard let anchored, anchored != "." else { return named }
        if workspace.folder(anchored) == nil || named.hasPrefix(anchored + "/") { return named }
        return anchored
    }

    static let folderWords: Set<String> = ["folder", "directory", "dir", "folders", "directories"]

    func fileCommand(_ words: SpokenWords) -> String? {
        let keys = words.keys
        guard let first = keys.first else { return nil }
        let countLead =
            keys.starts(with: ["how", "many"]) || first == "count" || keys.starts(with: ["number", "of"])
            || keys.starts(with: ["whats", "the", "number"]) || keys.starts(with: ["what", "is", "the", "number"])
            || keys.starts(with: ["line", "count"]) || keys.starts(with: ["how", "long", "is"])
            || keys.starts(with: ["the", "number", "of"])
            // "tell me the total number of files in docs"
            || zip(keys, zip(keys.dropFirst(), keys.dropFirst(2))).contains {
                $0 == "number" && $1.0 == "of" && ["files", "file"].contains($1.1)
            }
            || (keys.contains("count") && keys.contains(where: { $0 == "file" || $0 == "files" })
                && ["whats", "what", "show", "give", "get", "tell"].contains(first))
            // "tell me how many files are in tests"
            || zip(keys, zip(keys.dropFirst(), keys.dropFirst(2))).contains {
                $0 == "how" && $1.0 == "many" && $1.1 == "files"
            }
        if countLead { return countCommand(words) }
        if let find = nameContainmentFind(words) { return find }
        if let find = findCommand(words) { return find }
        if let list = listCommand(words) { return list }
        return showCommand(words)
    }

    func countCommand(_ words: SpokenWords) -> String? {
        let keys = words.keys
        if keys.contains("lines") || keys.contains("line") || keys.starts(with: ["how", "long", "is"]) {
            // "how many lines of code is the server": one file's, where the words name one
            let anchor =
                keys.lastIndex(where: { ["in", "of", "does", "is"].contains($0) }).map { $0 + 1 } ?? keys.count
            let skip: Set<String> = ["have", "has", "contain", "got"]
            if let file = fileSlot(words, from: anchor, skipping: skip) { return "wc -l " + Self.quoted(file) }
            // "how many lines of code in the whole repo", "how big is the codebase in lines"
            if keys.contains(where: { ["code", "codebase"].contains($0) }),
                keys.allSatisfy({ !["in", "of"].contains($0) })
                    || keys[anchor...].allSatisfy({
                        Self.wholeWorkspaceWords.contains($0)
                            || [
                                "lines", "line", "total", "do", "we", "have", "does", "are", "there", "is", "got", "in",
                            ].contains(
                                $0)
                    })
            {
                return "git ls-files | xargs wc -l"
            }
            return nil
        }
        guard keys.contains("files") || keys.contains("file") else { return nil }
        if let type = keys.first(where: { Self.fileTypes[$0] != nil && $0 != "go" && $0 != "c" }),
            let ext = Self.fileTypes[type]
        {
            return "find . -name '*.\(ext)' | wc -l"
        }
        var folder = "."
        // "how many test files do we have": the kind names the workspace's folder of them
        if let filesIndex = keys.firstIndex(where: { $0 == "files" }), filesIndex > 0,
            ["test", "tests", "source", "doc", "docs", "script", "scripts"].contains(keys[filesIndex - 1]),
            !keys.contains(where: { ["in", "inside", "under", "within"].contains($0) }),
            let named = workspace.folder(keys[filesIndex - 1]) ?? workspace.folder(keys[filesIndex - 1] + "s")
        {
            return "find \(Self.quoted(named)) -type f | wc -l"
        }
        if let anchor = keys.lastIndex(where: { ["in", "inside", "under", "for", "within"].contains($0) }) {
            folder = folderSlot(words.slots(from: anchor + 1)) ?? "."
        } else if let filesIndex = keys.firstIndex(of: "files"), filesIndex + 1 < keys.count {
            let rest = Array(words.slots(from: filesIndex + 1)).filter {
                !["are", "there", "has", "have", "does"].contains($0)
            }
            if !rest.isEmpty { folder = folderSlot(rest) ?? "." }
        } else if keys.starts(with: ["count", "how", "many", "files"]) == false, keys.last != "files" {
            return nil
        }
        if keys.starts(with: ["count", "how", "many", "files"]), keys.count > 4 {
            let rest = words.slots(from: 4).filter { !["are", "there", "has", "have", "does"].contains($0) }
            folder = folderSlot(rest) ?? "."
        }
        // "how many files does the project have": the whole workspace
        if ["project", "codebase", "repo", "repository", "workspace", "whole", "total", "all"].contains(
            folder.lowercased())
        {
            folder = "."
        }
        folder = placeFolder(folder, words) ?? "."
        return "find \(Self.quoted(folder)) -type f | wc -l"
    }

    /// "files with swift in their name", "whose names contain server", "filenames containing
    /// test": files asked for by what their name holds are a find, whatever the sentence's lead.
    func nameContainmentFind(_ words: SpokenWords) -> String? {
        let keys = words.keys
        let nameWords: Set<String> = ["name", "names", "filename", "filenames"]
        let fileWords: Set<String> = ["file", "files", "filename", "filenames", "script", "scripts", "anything"]
        // "any files matching schema": what follows the word names them
        if let at = keys.indices.dropLast().first(where: { ["files", "file"].contains(keys[$0]) }),
            keys[at + 1] == "matching", !keys.contains(where: nameWords.contains)
        {
            let name = keys[(at + 2)...].prefix { !["in", "please", "anywhere", "somewhere", "and"].contains($0) }
            guard (1...2).contains(name.count) else { return nil }
            return "find . -iname '*\(name.map { SpokenWords.key(for: $0) }.joined(separator: "*"))*'"
        }
        guard let at = keys.firstIndex(where: { nameWords.contains($0) }), keys.contains(where: fileWords.contains)
        else { return nil }
        let noise: Set<String> = ["the", "word", "words", "a", "string", "text", "letters", "term"]
        let boundary: Set<String> = [
            "have", "has", "with", "got", "contain", "contains", "containing", "include", "includes", "including",
            "file", "files", "that", "which", "any", "all", "every", "in", "anywhere", "somewhere", "please", "and",
        ]
        var name: [String] = []
        if at >= 3, keys[at - 2] == "in", ["its", "their", "the", "his", "her"].contains(keys[at - 1]) {
            // "… swift in their name": the words before, back to the verb
            var index = at - 3
            while index >= 0, name.count < 2, !boundary.contains(keys[index]) {
                if !noise.contains(keys[index]) { name.insert(keys[index], at: 0) }
                index -= 1
            }
        } else if at + 1 < keys.count,
            [
                "contain", "contains", "containing", "include", "includes", "including", "with", "has", "have", "for",
                "matching", "like",
            ].contains(keys[at + 1])
        {
            // "… names contain server": the words after
            var index = at + 2
            while index < keys.count, name.count < 2, !boundary.contains(keys[index]) {
                if !noise.contains(keys[index]) { name.append(keys[index]) }
                index += 1
            }
        }
        guard !name.isEmpty else { return nil }
        return "find . -iname '*\(name.map { SpokenWords.key(for: $0) }.joined(separator: "*"))*'"
    }

    func findCommand(_ words: SpokenWords) -> String? {
        let keys = words.keys
        let leads: [[String]] = [
            ["find"], ["locate"], ["where", "is"], ["wheres"], ["look", "for"], ["search", "for"], ["where", "are"],
            ["is", "there", "a"], ["is", "there", "any"], ["do", "we", "have", "a"], ["do", "we", "have", "any"],
            ["are", "there", "any"], ["are", "there"],
        ]
        guard let lead = leads.first(where: { keys.starts(with: $0) }) else { return nil }
        let fileWords: Set<String> = ["file", "files", "script", "scripts", "anything", "something"]
        // "find me the dockerfile": a file's well-known name says it is a file
        if !keys.contains(where: { fileWords.contains($0) }), ["find", "locate"].contains(lead[0]) {
            let named = keys.dropFirst().filter { !["me", "the", "a", "our", "my", "please", "us"].contains($0) }
            if named.count == 1, Self.wellKnownFiles[named[0]] != nil, workspace.file(named[0]) == nil {
                return "find . -iname '*\(named[0])*'"
            }
        }
        guard keys.contains(where: { fileWords.contains($0) }) else { return nil }
        // "search for deploy in the scripts folder": a folder to search in, not files to find
        if lead == ["search", "for"], keys.contains(where: { Self.folderWords.contains($0) }) { return nil }
        var rest = Array(words.slots(from: lead.count))
        rest.removeAll {
            [
                "the", "a", "an", "all", "any", "my", "called", "named", "every", "of", "with", "in", "its", "name",
                "matching", "containing", "whose", "that", "has", "have", "contains", "is", "it", "where", "which",
                "me", "located", "for",
            ].contains($0)
        }
        // where to look, when it is everywhere: "… in here", "… in the project"
        if let place = rest.indices.dropFirst().last(where: {
            Self.placePrepositions.contains(rest[$0]) || rest[$0] == "here"
        }),
            rest[place...].allSatisfy({ Self.placeWords.contains($0) || Self.placePrepositions.contains($0) })
        {
            rest.removeLast(rest.count - place)
        }
        // "find all swift files", "find every swift file", "the shell scripts": a type by its name
        if rest.count == 2, ["files", "file", "scripts", "script"].contains(rest[1]), let ext = Self.fileTypes[rest[0]]
        {
            return "find . -name '*.\(ext)'"
        }
        let name = rest.filter { !fileWords.contains($0) && !Self.findNoise.contains(SpokenWords.key(for: $0)) }
        // "is there a file named cache somewhere in the project": the name among other words
        guard name.count == 1 || name.count == 2 else { return findPattern(words).map { "find . -iname '*\($0)*'" } }
        let pattern = name.map { SpokenWords.key(for: $0) }.joined(separator: "*")
        guard !pattern.isEmpty else { return nil }
        return "find . -iname '*\(pattern)*'"
    }

    func listCommand(_ words: SpokenWords) -> String? {
        let keys = words.keys
        guard let first = keys.first else { return nil }
        if keys == ["ls"] || keys == ["files"] { return "ls" }
        // "what's in here", "a directory listing", "the top level of the repo": the workspace itself
        if keys == ["whats", "in", "here"] || keys == ["what", "is", "in", "here"] { return "ls" }
        if let at = keys.firstIndex(where: { ["dir", "directory", "folder"].contains($0) }), at + 1 < keys.count,
            keys[at + 1] == "listing"
        {
            return listCommand(SpokenWords("list " + words.original(from: at + 2)))
        }
        if let at = keys.indices.dropLast().first(where: { keys[$0] == "top" && keys[$0 + 1] == "level" }),
            keys[..<at].contains(where: { ["what", "whats", "show", "list", "see", "ls"].contains($0) }),
            keys[(at + 2)...].allSatisfy({
                ["of", "the", "this", "our"].contains($0) || Self.wholeWorkspaceWords.contains($0)
            })
        {
            return "ls"
        }
        // "the list of files in the tests folder": a list asked for by its name
        if keys.count > 3, ["the", "a"].contains(first), keys[1] == "list", keys[2] == "of" {
            return listCommand(SpokenWords("list " + words.original(from: 3)))
        }
        let listLeads: Set<String> = [
            "list", "show", "what", "whats", "ls", "display", "which", "give", "tell", "print", "open",
        ]
        guard listLeads.contains(first) else { return nil }
        let hasFolderWord = keys.contains { Self.folderWords.contains($0) }
        let hasFiles = keys.contains("files")
        // "what's in docs": a question about a folder the workspace has
        let asksAboutFolder =
            ["what", "whats"].contains(first) && keys.count <= 5 && (keys.contains("in") || keys.contains("inside"))
            && namedFolder(words) != nil
        guard hasFolderWord || hasFiles || first == "list" || first == "ls" || asksAboutFolder else { return nil }
        if keys.contains(where: { ["changed", "modified", "touched", "edited"].contains($0) }) { return nil }
        // "which files mention localhost": a search
        if keys.count > 2, ["files", "file", "places", "lines"].contains(keys[1]), Self.mentionVerbs.contains(keys[2]) {
            return nil
        }
        if !hasFolderWord && !hasFiles && first != "ls" {
            // "list docs": a folder the workspace has, else not ours.
            // "list everything under tests": the words after the place word name the folder
            let from = keys.lastIndex(where: { ["in", "inside", "under"].contains($0) }).map { $0 + 1 } ?? 1
            let rest = words.slots(from: from).filter { !Self.nameFillers.contains($0) && $0 != "everything" }
            guard !rest.isEmpty, let folder = workspace.folder(rest.joined(separator: " ")) else { return nil }
            return "ls " + Self.quoted(folder)
        }
        let dropped: Set<String> = [
            "list", "show", "what", "whats", "ls", "display", "which", "give", "tell", "print", "me", "the", "files",
            "file", "is", "are", "in", "inside", "of", "there", "contents", "content", "all", "open", "us", "here",
            "current", "this", "that", "everything", "whole", "listing", "list", "for", "please",
        ]
        var slots = words.slots(from: 0)
        if let anchor = keys.lastIndex(where: { ["in", "inside", "under"].contains($0) }) {
            slots = Array(slots[(anchor + 1)...])
        }
        let rest = slots.filter { !dropped.contains(SpokenWords.key(for: $0)) }
        guard let folder = placeFolder(folderSlot(rest), words), folder != "." else { return "ls" }
        return "ls " + Self.quoted(folder)
    }

    func showCommand(_ words: SpokenWords) -> String? {
        let keys = words.keys
        let leads: [[String]] = [
            ["open", "up"], ["open"], ["show", "me"], ["show"], ["read", "me"], ["read"], ["print", "out"], ["print"],
            ["display"], ["cat"], ["view"], ["let", "me", "see"], ["can", "i", "see"], ["pull", "up"], ["bring", "up"],
            ["dump"], ["whats", "in"], ["what", "is", "in"], ["whats", "inside"], ["what", "is", "inside"],
        ]
        // "what does the license say", "what's the gitignore got in it": the file's words asked for
        if keys.count > 3, keys.starts(with: ["what", "does"]) || keys.starts(with: ["what", "do"]),
            ["say", "says", "contain", "contains"].contains(keys.last),
            let file = file(
                named: words.slots(from: 2).dropLast().filter { !Self.nameFillers.contains(SpokenWords.key(for: $0)) })
        {
            return "cat " + Self.quoted(file)
        }
        guard let lead = leads.first(where: { keys.starts(with: $0) && keys.count > $0.count }) else { return nil }
        guard let file = fileSlot(words, from: lead.count, skipping: []) else { return nil }
        return "cat " + Self.quoted(file)
    }

    // MARK: search

    static let symbolKinds: Set<String> = [
        "function", "method", "class", "struct", "variable", "string", "word", "text", "type", "symbol", "constant",
        "func", "enum", "protocol", "property", "field", "name", "term", "phrase", "identifier", "call", "calls",
    ]

    /// The search for spoken words: between them a space, an underscore, a dash or nothing, so
    /// "api key" also finds api_key and apiKey (rg -i).
    static func searchLine(_ words: [String]) -> String {
        "rg -n -i '" + words.joined(separator: "[ _-]?") + "'"
    }

    /// "search the project for the function parse config" → `rg -n -i 'parse[ _-]?config'`.
    static let mentionVerbs: Set<String> = [
        "mention", "mentions", "reference", "references", "use", "uses", "call", "calls", "contain", "contains",
        "import", "imports",
    ]
    static let placePrepositions: Set<String> = [
        "in", "across", "throughout", "within", "inside", "through", "anywhere", "everywhere", "somewhere",
    ]
    static let placeWords: Set<String> = [
        "the", "our", "my", "this", "whole", "entire", "code", "codebase", "base", "source", "sources", "project",
        "repo", "repository", "files", "tree", "workspace", "app", "everywhere", "anywhere", "somewhere", "here",
    ]

    /// "find every place that mentions deprecated", "show me all the lines that still say
    /// legacy auth": places asked for by what they say are a search for it, whatever the lead.
    func placesSayingSearch(_ words: SpokenWords) -> String? {
        let keys = words.keys
        let places: Set<String> = ["place", "places", "spot", "spots", "line", "lines", "file", "files", "everywhere"]
        let says: Set<String> = Self.mentionVerbs.union(["say", "says", "said", "mentioned", "referenced"])
        for at in keys.indices where places.contains(keys[at]) {
            var index = at + 1
            while index < keys.count,
                ["that", "which", "where", "it", "we", "still", "the", "code"].contains(keys[index])
            {
                index += 1
            }
            guard index < keys.count, says.contains(keys[index]) else { continue }
            var term = Array(keys[(index + 1)...])
            while let head = term.first, ["about", "the", "a", "an", "word", "string", "phrase", "text"].contains(head)
            {
                term.removeFirst()
            }
            while let last = term.last, Self.placeWords.contains(last) || Self.placePrepositions.contains(last) {
                term.removeLast()
            }
            guard (1...4).contains(term.count) else { return nil }
            return Self.searchLine(term)
        }
        return nil
    }

    func searchCommand(_ words: SpokenWords) -> String? {
        let keys = words.keys
        guard let first = keys.first else { return nil }
        if let search = placesSayingSearch(words) { return search }
        var start: Int?
        switch first {
        case "search", "grep", "rg", "ripgrep", "look":
            if let forIndex = keys.firstIndex(of: "for") {
                start = forIndex + 1
            } else if first == "grep" || first == "rg" || first == "ripgrep" {
                start = 1
            } else if first == "search", let term = searchTerm(words) {
                // "search user name", "search the code where is used api key"
                return Self.searchLine(term)
            }
        case "hunt":
            // "hunt for the string connection refused"
            if let forIndex = keys.firstIndex(of: "for") { start = forIndex + 1 }
        case "find", "locate":
            if keys.count > 2, keys[1] == "where" {
                start = 2
            } else if let marker = keys.firstIndex(where: { ["of", "to", "for"].contains($0) }), marker <= 5 {
                start = marker + 1
            } else if keys.count > 2, keys[1] == "the" || keys[1] == "all", keys.count > 2,
                Self.symbolKinds.contains(keys[2]) || keys[2] == "definition"
            {
                start = 2
            }
        case "where":
            if keys.count > 2, keys[1] == "is" || keys[1] == "are" { start = 2 }
            // "where do we mention timeout": the word after the verb
            if keys.count > 3, ["do", "does", "did"].contains(keys[1]),
                let verb = keys.firstIndex(where: { Self.mentionVerbs.contains($0) }), verb + 1 < keys.count
            {
                start = verb + 1
            }
            // "where do we reference max retries", "where does the code call parse"
            if keys.count > 3, ["do", "does", "did"].contains(keys[1]),
                keys.contains(where: { Self.usageVerbs.contains($0) }), let term = searchTerm(words)
            {
                return Self.searchLine(term)
            }
        case "wheres":
            start = 1
        case "any":
            // "any references to retry count in the server"
            if keys.count > 2, ["references", "usages", "uses", "mentions", "occurrences"].contains(keys[1]) {
                start = 2
            }
        case "usages", "uses", "references", "occurrences", "mentions":
            // "usages of handle request"
            if keys.count > 2, keys[1] == "of" { start = 2 }
        case "which", "what":
            // "which files mention localhost", "what files reference the retry count"
            if keys.count > 3, ["files", "file", "places", "lines", "parts"].contains(keys[1]),
                Self.mentionVerbs.contains(keys[2])
            {
                start = 3
            }
        default:
            return nil
        }
        guard let start, start < keys.count else { return nil }
        // Where to look, when the words name a folder of the workspace: "search the docs for
        // install", "grep the sources for localhost", "search for install in the docs".
        var scope: String?
        if ["search", "grep", "rg", "ripgrep"].contains(first), start >= 3, keys[start - 1] == "for" {
            let place = Array(words.slots(from: 1).prefix(start - 2)).filter {
                !Self.nameFillers.contains(SpokenWords.key(for: $0)) && !["folder", "directory"].contains($0)
            }
            if !place.isEmpty, place.count <= 2 { scope = workspace.folder(place.joined(separator: " ")) }
        }
        var parts = Array(keys[start...])
        if scope == nil,
            let place = parts.indices.dropFirst().last(where: { Self.placePrepositions.contains(parts[$0]) })
        {
            let named = Array(words.slots(from: start + place + 1)).filter {
                !Self.nameFillers.contains(SpokenWords.key(for: $0)) && !["folder", "directory"].contains($0)
            }
            if !named.isEmpty, named.count <= 2, let folder = workspace.folder(named.joined(separator: " ")) {
                scope = folder
                parts.removeLast(parts.count - place)
            } else if !named.isEmpty, named.count <= 3, let file = workspace.file(named.joined(separator: " ")) {
                // "… in the server": the one file
                scope = file
                parts.removeLast(parts.count - place)
            }
        }
        let lead: Set<String> = [
            "the", "a", "an", "all", "any", "every", "uses", "usages", "references", "occurrences", "definition",
            "called", "named", "mentions", "instances", "used", "referenced", "defined", "mention", "reference",
            "occurrence", "instance", "usage", "string", "word", "text",
            // "find where we use the api key": who uses it is no part of it
            "we", "you", "i", "use", "call", "reference",
        ]
        while let head = parts.first,
            lead.contains(head) || Self.symbolKinds.contains(head) || head == "of" || head == "to"
        {
            parts.removeFirst()
        }
        let tails: [[String]] = [
            ["is", "used"], ["is", "defined"], ["is", "declared"], ["is", "called"], ["defined"], ["used"],
            ["declared"],
            ["in", "the", "code", "base"], ["in", "the", "codebase"], ["in", "the", "code"], ["in", "the", "project"],
            ["in", "the", "sources"], ["in", "the", "repo"], ["everywhere"], ["in", "here"], ["comments"],
            ["gets", "called"],
            ["are", "used"], ["are", "defined"], ["is"], ["comment"], ["statements"], ["statement"], ["calls"],
        ]
        var trimmed = true
        while trimmed {
            trimmed = false
            for tail in tails where parts.count > tail.count && Array(parts.suffix(tail.count)) == tail {
                parts.removeLast(tail.count)
                trimmed = true
            }
            // "… in the source", "… anywhere in our code base": where to look is no part of it
            if let place = parts.indices.dropFirst().last(where: { Self.placePrepositions.contains(parts[$0]) }),
                parts[(place + 1)...].allSatisfy(Self.placeWords.contains)
            {
                parts.removeLast(parts.count - place)
                trimmed = true
            }
        }
        guard !parts.isEmpty, parts.count <= 4 else { return nil }
        if parts.contains(where: { ["file", "files", "folder", "directory"].contains($0) }) { return nil }
        return Self.searchLine(parts) + (scope.map { " " + Self.quoted($0) } ?? "")
    }
}
