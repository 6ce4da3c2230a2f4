import Foundation

/// Judges a task for Claude Code by what it asks for: a destructive action on something outside
/// the code (the home directory, the system, other projects, history, secrets…), or a request to
/// show secrets, waits for a yes. A small rule-based classifier: normalised tokens, lexicons of
/// actions and protected targets, negation, and the paths in the prompt checked against the
/// workspace.
struct PromptClassifier {
    let workspace: String
    let home: String

    func verdict(for prompt: String) -> PolicyVerdict {
        for clause in Self.clauses(of: prompt) {
            if let reason = judge(clause) { return .confirm(reason: reason) }
        }
        return .allow
    }

    // MARK: text

    /// Lower-cased clauses of tokens: split at sentence punctuation, commas and "but", "then".
    static func clauses(of prompt: String) -> [[String]] {
        let text = prompt.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        var clauses: [[String]] = []
        var current: [String] = []
        for raw in text.split(whereSeparator: { $0.isWhitespace }) {
            var token = String(raw)
            var ends = false
            while let last = token.last, ",;:!?\"()".contains(last) || (last == "." && token.count > 1) {
                if ",;!?.".contains(last) { ends = true }
                token.removeLast()
            }
            while let first = token.first, "\"(".contains(first) { token.removeFirst() }
            if ["but", "then", "afterwards", "except"].contains(token) {
                if !current.isEmpty { clauses.append(current) }
                current = []
                continue
            }
            if !token.isEmpty { current.append(token) }
            if ends {
                clauses.append(current)
                current = []
            }
        }
        if !current.isEmpty { clauses.append(current) }
        return clauses
    }

    /// The dictionary forms a word may come from: "wiping" → wipe, "emptied" → empty.
    static func lemmas(_ word: String) -> [String] {
        let irregular = [
            "overwrote": "overwrite", "overwritten": "overwrite", "rewrote": "rewrite", "rewritten": "rewrite",
            "emptied": "empty", "empties": "empty", "threw": "throw", "thrown": "throw", "blew": "blow",
            "got": "get", "getting": "get", "took": "take", "shown": "show", "told": "tell", "sent": "send",
        ]
        if let base = irregular[word] { return [base] }
        var forms = [word]
        func addStem(_ stem: Substring) {
            forms += [String(stem), String(stem) + "e"]
            if let last = stem.last, stem.dropLast().last == last { forms.append(String(stem.dropLast())) }
        }
        if word.hasSuffix("ing") { addStem(word.dropLast(3)) }
        if word.hasSuffix("ed") { addStem(word.dropLast(2)) }
        if word.hasSuffix("ies") { forms.append(String(word.dropLast(3)) + "y") }
        if word.hasSuffix("es") { forms.append(String(word.dropLast(2))) }
        if word.hasSuffix("s") { forms.append(String(word.dropLast())) }
        return forms
    }

    // MARK: lexicons

    static let destructive: Set<String> = [
        "delete", "remove", "rm", "rmdir", "unlink", "wipe", "erase", "clear", "empty", "clean", "purge", "nuke",
        "destroy", "trash", "overwrite", "truncate", "reset", "move", "mv", "rename", "drop", "shred", "format",
        "reformat", "zap", "obliterate", "scrap", "discard", "ditch", "eliminate", "expunge", "annihilate", "blank",
        "rewrite", "squash", "chmod", "chown", "kill", "uninstall", "dump", "delet", "tidy", "declutter", "prune",
    ]
    /// Phrasal verbs: "get rid of", "blow away".
    static let phrases: [[String]] = [
        ["get", "rid", "of"], ["blow", "away"], ["throw", "away"], ["throw", "out"], ["wipe", "out"],
        ["do", "away", "with"], ["zero", "out"], ["tear", "down"], ["take", "out"], ["start", "over"],
    ]
    static let revealing: Set<String> = [
        "read", "print", "show", "display", "cat", "echo", "dump", "list", "output", "log", "send", "upload", "post",
        "email", "reveal", "tell", "copy", "paste", "leak", "expose", "share", "give", "what", "grep", "open",
        "export", "commit", "push", "find", "look", "get", "fetch", "see", "check", "type", "say", "spell", "read out",
    ]
    static let negations: Set<String> = [
        "don't", "dont", "not", "never", "without", "avoid", "no", "nothing", "won't", "shouldn't", "mustn't",
        "can't", "cannot", "neither", "nor",
    ]
    static let determiners: Set<String> = [
        "the", "a", "an", "my", "this", "that", "these", "those", "our", "your", "whole", "entire", "all", "of",
        "every", "current", "local", "out", "up", "away", "completely", "just", "everything's", "its", "their",
    ]
    static let homeNotFollowedBy: Set<String> = [
        "page", "pages", "screen", "view", "button", "component", "route", "link", "tab", "icon", "section",
        "controller", "feed", "layout", "template", "menu", "banner", "url", "row", "card", "key", "assistant",
    ]
    static let folderWords: Set<String> = [
        "folder", "folders", "directory", "directories", "dir", "dirs", "tree", "files", "contents",
    ]
    static let dotfiles: Set<String> = [
        ".ssh", ".bashrc", ".zshrc", ".profile", ".bash_profile", ".config", ".gitconfig", ".aws", ".gnupg",
        ".kube", ".docker", ".npmrc", ".netrc", ".vimrc", ".bash_history", ".zsh_history", ".local", ".cache",
        ".pypirc", ".git-credentials", "dotfiles", "dotfile", "bashrc", "zshrc", "gnupg", "keychain", "known_hosts",
        "authorized_keys", "id_rsa", "id_ed25519", ".git",
    ]
    static let personalFolders: Set<String> = [
        "desktop", "documents", "downloads", "pictures", "photos", "music", "videos", "movies",
    ]
    static let secretWords: Set<String> = [
        "secret", "secrets", "credential", "credentials", "password", "passwords", "passwd", "shadow", ".env",
        "keychain", "id_rsa", "id_ed25519", ".netrc", ".aws", "token", "tokens", "apikey", "api_key", "env",
    ]

    // MARK: judging

    private func judge(_ tokens: [String]) -> String? {
        let text = tokens.joined(separator: " ")
        // History rewriting, however it is said.
        for phrase in [
            "force push", "force-push", "force pushing", "force-pushing", "force pushed", "push --force", "push -f",
            "push --force-with-lease", "reset --hard", "hard reset", "reset hard", "git clean", "filter-branch",
            "filter-repo", "rm -rf", "rm -fr", "push force", "free up disk", "free up space", "free up some space",
            "free some space", "free disk space", "reclaim disk", "reclaim space", "make room on",
        ] where Self.contains(text, phrase) && !negated(tokens, at: Self.index(of: phrase, in: tokens)) {
            return "it asks to \(phrase.replacingOccurrences(of: "-", with: " ").trimmingCharacters(in: .whitespaces))"
        }
        for (index, _) in tokens.enumerated() {
            guard let (action, end) = action(in: tokens, at: index), !negated(tokens, at: index) else { continue }
            if let target = protectedTarget(in: tokens, action: index, after: end) {
                return "it asks to \(action) \(target)"
            }
        }
        for (index, token) in tokens.enumerated() where Self.lemmas(token).contains(where: Self.revealing.contains) {
            guard !negated(tokens, at: index) else { continue }
            if let secret = secret(in: tokens) { return "it asks to \(token) \(secret)" }
        }
        return nil
    }

    private static func contains(_ text: String, _ phrase: String) -> Bool {
        (" " + text + " ").contains(" " + phrase + " ")
    }

    private static func index(of phrase: String, in tokens: [String]) -> Int {
        let first = phrase.split(separator: " ").first.map(String.init) ?? phrase
        return tokens.firstIndex(of: first) ?? 0
    }

    /// A destructive action starting at `index`: its name and the index after it.
    private func action(in tokens: [String], at index: Int) -> (String, Int)? {
        for phrase in Self.phrases where index + phrase.count <= tokens.count {
            if zip(phrase, tokens[index...]).allSatisfy({ $0 == $1 || Self.lemmas($1).contains($0) }) {
                return (phrase.joined(separator: " "), index + phrase.count)
            }
        }
        let token = tokens[index]
        if let lemma = Self.lemmas(token).first(where: Self.destructive.contains) {
            return (lemma == "rm" || lemma == "delet" ? "delete" : lemma, index + 1)
        }
        return nil
    }

    /// "don't delete", "never remove", "make sure not to wipe".
    private func negated(_ tokens: [String], at index: Int) -> Bool {
        tokens[max(0, index - 4)..<index].contains(where: Self.negations.contains)
    }

    /// What protected thing the clause names, described for the user.
    private func protectedTarget(in tokens: [String], action: Int, after end: Int) -> String? {
        func next(_ i: Int) -> String? { i + 1 < tokens.count ? tokens[i + 1] : nil }
        func previous(_ i: Int) -> String? { i > 0 ? tokens[i - 1] : nil }
        for (i, token) in tokens.enumerated() where i != action {
            if let place = pathPlace(token) { return place }
            switch token {
            case "home", "homedir", "$home":
                if let following = next(i), Self.homeNotFollowedBy.contains(following) { continue }
                return "the home directory"
            case "root":
                if let following = next(i), Self.folderWords.contains(following) || following == "filesystem" {
                    return "the root directory"
                }
                if next(i) == nil || ["of", "partition"].contains(next(i)!) && next(i + 1) != "the" {
                    return "the root directory"
                }
            case "filesystem", "file-system", "disk", "disks", "drive", "drives", "harddrive", "ssd", "partition",
                "partitions", "os", "computer", "machine", "laptop", "/":
                return "the \(token == "/" ? "root directory" : token)"
            case "system":
                if previous(i) == "file" || previous(i) == "operating"
                    || ["whole", "entire"].contains(previous(i) ?? "")
                    || next(i) == nil || Self.folderWords.contains(next(i)!) || next(i) == "config"
                {
                    return "the system"
                }
            case "parent", "parent's":
                if let following = next(i), Self.folderWords.contains(following) || following == "of" {
                    return "the parent directory"
                }
            case "above", "upstairs":
                if let before = previous(i), Self.folderWords.contains(before) || before == "level" {
                    return "the parent directory"
                }
            case "projects", "repos", "repositories", "workspaces", "checkouts":
                return "other projects"
            case "other", "another", "sibling", "neighbouring", "neighboring":
                if let following = next(i),
                    [
                        "project", "projects", "repo", "repos", "repository", "repositories",
                        "workspace", "workspaces", "folders", "directories",
                    ].contains(following)
                {
                    return "other projects"
                }
            case "history", "histories", "reflog", "commits", "bash_history", "zsh_history":
                return "history"
            case "commit":
                if let before = previous(i),
                    ["last", "previous", "recent", "latest", "first", "initial"].contains(before)
                {
                    return "history"
                }
            case "branch", "branches", "stash", "stashes", "tags":
                if let verb = Self.lemmas(tokens[action]).first(where: Self.destructive.contains),
                    ["delete", "remove", "rm", "drop", "reset", "nuke", "wipe", "destroy", "erase", "purge"].contains(
                        verb)
                {
                    return "git \(token)"
                }
            case "trash", "recycle", "wastebasket":
                return "the trash"
            case "config", "configs", "configuration", "settings", "preferences":
                if let before = previous(i),
                    ["my", "global", "user", "system", "shell", "ssh", "git", "editor"].contains(before)
                {
                    return "your \(token)"
                }
            case "keys", "key":
                if let before = previous(i),
                    ["ssh", "gpg", "private", "api", "secret", "access", "aws"].contains(before)
                {
                    return "your \(before) keys"
                }
            default:
                if Self.dotfiles.contains(token) { return "your \(token)" }
                if Self.personalFolders.contains(token) { return "your \(token.capitalized) folder" }
                if Self.secretWords.contains(token), token != "env", token != "token", token != "tokens" {
                    return "your \(token)"
                }
            }
        }
        // The object of the action: the whole workspace, or everything.
        var j = end
        var sweeping = false
        while j < tokens.count, Self.determiners.contains(tokens[j]) {
            if ["all", "every", "whole", "entire"].contains(tokens[j]) { sweeping = true }
            j += 1
        }
        let text = " " + tokens.joined(separator: " ") + " "
        if text.contains(" it all ") || text.contains(" them all ") || text.contains(" all of it ") {
            return "everything"
        }
        guard j < tokens.count else { return sweeping ? "everything" : nil }
        let object = tokens[j]
        if ["everything", "anything", "all", "*"].contains(object) { return "everything" }
        if ["repo", "repository", "project", "workspace", "codebase", "worktree", "working", "checkout"].contains(
            object)
        {
            return "the whole project"
        }
        if sweeping,
            [
                "files", "file", "folders", "folder", "directories", "directory", "code", "data", "contents", "stuff",
                "things", "source", "sources",
            ].contains(object)
        {
            return "all the files"
        }
        return nil
    }

    /// A path named in the prompt, when it is outside the workspace.
    private func pathPlace(_ token: String) -> String? {
        guard token.hasPrefix("/") || token.hasPrefix("~") || token.hasPrefix("$home") || token.hasPrefix("..")
        else { return nil }
        var path = token
        if path.hasPrefix("~") { path = home + path.dropFirst() }
        if path.hasPrefix("$home") { path = home + path.dropFirst(5) }
        if path.hasPrefix("..") { path = workspace + "/" + path }
        let resolved = CommandJudge.normalize(path, relativeTo: workspace)
        let root = CommandJudge.normalize(workspace, relativeTo: "/")
        if resolved == root || resolved.hasPrefix(root + "/") { return nil }
        if resolved == CommandJudge.normalize(home, relativeTo: "/") { return "the home directory" }
        return token
    }

    /// Secrets named in the clause.
    private func secret(in tokens: [String]) -> String? {
        for (i, token) in tokens.enumerated() {
            let following = i + 1 < tokens.count ? tokens[i + 1] : ""
            let before = i > 0 ? tokens[i - 1] : ""
            switch token {
            case "env" where ["vars", "variables", "variable", "file"].contains(following):
                return "the environment variables"
            case "environment" where ["vars", "variables", "variable"].contains(following):
                return "the environment variables"
            case "env", "printenv", "environment":
                if following.isEmpty { return "the environment" }
            case "key", "keys":
                if ["api", "ssh", "private", "secret", "access", "aws", "gpg", "signing"].contains(before) {
                    return "the \(before) key"
                }
            case "token", "tokens":
                if ["api", "access", "auth", "github", "gh", "npm", "bearer", "refresh", "my", "the", "your"].contains(
                    before) && !["count", "counts", "limit", "usage", "budget", "type", "types"].contains(following)
                {
                    return "the \(token)"
                }
            default:
                if Self.secretWords.contains(token), token != "env", token != "token", token != "tokens" {
                    return "the \(token)"
                }
                if token.contains(".ssh") || token.contains(".aws") || token.hasSuffix(".env")
                    || token.contains("id_rsa")
                {
                    return token
                }
            }
        }
        return nil
    }
}
