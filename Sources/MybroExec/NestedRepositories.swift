import CMybroScan
import Foundation
import MybroCore

/// Repositories inside the workspace besides the one it lies in: a submodule, a checkout a
/// job cloned, a `git init` in a folder (or in a workspace that was in no repository), or a
/// folder a job filled with `HEAD`, `objects` and `config`, which git takes as a repository of
/// its own. The user's next `git status` there (a shell prompt runs one on `cd`, and git
/// recurses into a gitlink from the top) would run what their config or hooks name, outside
/// any sandbox.
///
/// One the job made is disabled (its `.git`, or a bare one's `HEAD`, renamed aside): unpicking
/// what git reads there (includes, subsections whose case matters, hooks behind links, git
/// directories in a writable cache) is a race the job sets the rules of. The exception is the
/// workspace's own repository where there was none (`git init` asked for): it keeps only the
/// benign settings of its config, and its hooks go aside. One that was there keeps its config
/// and hooks as recorded (the bytes, where they lie beneath the workspace or the top .git),
/// the code-running entries it gained are unset, and its config goes aside where any is left.
extension GitControlFiles {
    /// Records each nested repository's code-running entries, config and hooks.
    mutating func recordNested(budget: inout Int) {
        var links: [String] = []
        // Present even when empty: a record without them (from an older mybro-exec) means
        // "not known", and then nothing is set aside on their account.
        var gitFoldersBefore: [String: [String]] = [:]
        let found = Self.nestedRepositoriesAndLinks(workspace: workspace, gitDirectory: gitDirectory)
        for repository in found.repositories where !isTheWorkspacesOwn(repository) {
            _ = Self.removeBlockingConfigs(of: repository, workspace: workspace)
            let all = Self.allGitFolders(of: repository)
            gitFoldersBefore[repository] = all
            let folders = underRoots(all)
            for folder in folders {
                for name in ["config", "config.worktree", "commondir"] { watch(folder + "/" + name, budget: &budget) }
                if Self.isLink(folder + "/hooks") { links.append(folder + "/hooks") }
                watchFolder(folder + "/hooks", budget: &budget)
                watchRebaseTodos(in: folder)
            }
            // Its config put back byte for byte covers it, unless git reads more than that file.
            nestedBefore[repository] =
                readsBeyondItsConfig(folders) ? Self.nestedRunningEntries(repository, workspace: workspace) ?? [] : []
        }
        nestedGitFolders = gitFoldersBefore
        nestedHookLinks = links
        nestedLinksBefore = found.links
        // The submodule repositories of the top repository and the nested ones (a new one would
        // be adopted by `git submodule update --init`).
        modulesBefore = moduleFolders().flatMap { Self.moduleRepositories(in: $0, roots: roots, depth: 1) }
    }

    /// Whether git reads more for a repository than its watched config file: an include, a
    /// worktree config, a commondir, or a git directory whose config is not watched (outside
    /// the workspace and .git). Only then is git asked for its entries (a workspace with a
    /// SwiftPM `.build` holds dozens of repositories; a git run each costs every job).
    func readsBeyondItsConfig(_ folders: [String]) -> Bool {
        guard !folders.isEmpty else { return true }
        return folders.contains { folder in
            guard case .file(let data, _) = entries[folder + "/config"] else { return true }
            if case .file = entries[folder + "/config.worktree"] { return true }
            if case .file = entries[folder + "/commondir"] { return true }
            return Self.mentionsInclude(data)
        }
    }

    /// Whether a config's bytes hold "include" in any case (an `[include]` or `[includeIf …]`).
    static func mentionsInclude(_ data: Data) -> Bool {
        let word = Array("include".utf8)
        let bytes = [UInt8](data)
        guard bytes.count >= word.count else { return false }
        for start in 0...(bytes.count - word.count)
        where (0..<word.count).allSatisfy({ bytes[start + $0] | 0x20 == word[$0] }) {
            return true
        }
        return false
    }

    /// The workspace whose `.git` is a file (a linked worktree, a submodule) is the top
    /// repository's work tree, not a nested one: that file is put back from its recorded bytes.
    func isTheWorkspacesOwn(_ repository: String) -> Bool {
        guard repository == workspace, case .file = entries[workspace + "/.git"] else { return false }
        return true
    }

    /// Disables the repositories the job made, and unsets what those that were there gained;
    /// returns what it changed.
    func restoreNested() -> (changed: [String], disabled: [String]) {
        var changed: [String] = []
        var disabled: [String] = []
        // A link the job made to a repository elsewhere (in a writable cache): `cd` into it
        // runs a prompt's git status there.
        let found = Self.nestedRepositoriesAndLinks(workspace: workspace, gitDirectory: gitDirectory)
        for link in found.links where nestedLinksBefore.map({ !$0.contains(link) }) == true && Self.setAside(link) {
            changed.append(link + " (a link the job made to a repository: set aside)")
        }
        for repository in found.repositories where !isTheWorkspacesOwn(repository) {
            changed += Self.removeBlockingConfigs(of: repository, workspace: workspace)
            // One whose `.git` now leads elsewhere (a submodule's retargeted, an empty gitlink
            // filled) is the job's, like a new one.
            let all = Self.allGitFolders(of: repository)
            let pointedElsewhere = nestedGitFolders.map { ($0[repository] ?? []) != all } ?? false
            guard let had = nestedBefore[repository].map(Set.init), !pointedElsewhere else {
                if gitDirectory.isEmpty && repository == workspace {
                    changed.append(Self.keepBenign(workspaceRepository: repository))
                } else if Self.isToolOutput(repository, workspace: workspace) {
                    changed += defuse(repository, gitFolders: all)
                } else {
                    changed.append(Self.disable(repository))
                    disabled.append(repository)
                }
                continue
            }
            // A hooks folder that became a link (to a folder the job filled) goes aside.
            let folders = underRoots(all)
            for folder in folders {
                let hooks = folder + "/hooks"
                if Self.isLink(hooks), !(nestedHookLinks ?? []).contains(hooks), Self.setAside(hooks) {
                    changed.append(hooks + " (a link the job made: set aside)")
                }
            }
            // Its config and hooks are put back from their bytes (the watched entries).
            if !readsBeyondItsConfig(folders) { continue }
            guard let now = Self.nestedRunningEntries(repository, workspace: workspace) else {
                changed.append(repository + " (git cannot read its config: check it)")
                continue
            }
            let added = now.filter { !had.contains($0) }
            guard !added.isEmpty else { continue }
            for key in Set(added.map { String($0.split(separator: "=", maxSplits: 1)[0]) }) {
                _ = GitConfigKeys.git(["-C", repository, "config", "--local", "--unset-all", key])
            }
            // What could not be unset (an include's, a commondir's): the config goes aside.
            let left = Set(Self.nestedRunningEntries(repository, workspace: workspace) ?? ["unreadable"])
                .subtracting(had)
            if left.isEmpty {
                changed.append(repository)
            } else if Self.setAside(Self.gitDirectory(of: repository) + "/config") {
                changed.append(repository + " (its config set aside as config.mybro-saved: check it)")
            } else {
                changed.append(repository + " (could not be put back: check its config)")
            }
        }
        return (changed, disabled)
    }

    /// Folders where tools keep the repositories they fetch (SwiftPM's `.build/checkouts` and
    /// `.build/repositories`, vendored and installed dependencies, build output).
    static let toolOutputFolders: Set<String> = [
        ".build", "node_modules", "vendor", "target", "build", "dist", "Pods", ".venv", "venv", "third_party",
    ]

    static func isToolOutput(_ repository: String, workspace: String) -> Bool {
        guard repository.hasPrefix(workspace + "/") else { return false }
        return repository.dropFirst(workspace.count + 1).split(separator: "/").dropLast().contains {
            toolOutputFolders.contains(String($0))
        }
    }

    /// A repository a tool fetched during the job (`swift build` resolving its dependencies):
    /// disabling it would break the tool, so only what runs code goes: its hooks aside, the
    /// code-running keys it holds unset (its remote, a path into the workspace where SwiftPM
    /// keeps its mirrors, stays: it runs nothing but at a push), and its config aside where any
    /// is left. One whose git directory lies outside the workspace and .git is disabled.
    func defuse(_ repository: String, gitFolders all: [String]) -> [String] {
        let folders = underRoots(all)
        // A git or common directory outside the workspace and .git (a commondir into a cache):
        // nothing there is the tool's.
        if folders.isEmpty || folders.count != all.count { return [Self.disable(repository)] }
        var changed: [String] = []
        for folder in folders where Self.setAside(folder + "/hooks") { changed.append(folder + "/hooks (set aside)") }
        for folder in folders { Self.setAsideSequencerState(in: folder) }
        // Its remote URLs stay (judged by the parsed key, part by part: `remote.<name>.url` and
        // `.pushurl` alone, never a key whose text merely holds ".url=").
        func isRemoteURL(_ key: String) -> Bool {
            let key = key.lowercased()
            return key.hasPrefix("remote.") && (key.hasSuffix(".url") || key.hasSuffix(".pushurl"))
        }
        let running = (Self.nestedRunningPairs(repository, workspace: workspace) ?? [("unreadable", "")]).filter {
            !isRemoteURL($0.key)
        }
        for key in Set(running.map(\.key)) {
            _ = GitConfigKeys.git(["-C", repository, "config", "--local", "--unset-all", key])
        }
        let left = (Self.nestedRunningPairs(repository, workspace: workspace) ?? [("unreadable", "")]).filter {
            !isRemoteURL($0.key)
        }
        if !left.isEmpty, Self.setAside(Self.gitDirectory(of: repository) + "/config") {
            changed.append(repository + " (its config set aside as config.mybro-saved: check it)")
        } else if !running.isEmpty {
            changed.append(repository)
        }
        return changed
    }

    /// A repository the job made, disabled: `.git` (folder, file or link) or a bare one's
    /// `HEAD` renamed aside, so git takes the folder for a plain one.
    static func disable(_ repository: String) -> String {
        var info = stat()
        let git = lstat(repository + "/.git", &info) == 0 ? repository + "/.git" : repository + "/HEAD"
        // A folder that is a bare repository besides holding a `.git` (a decoy) loses its HEAD too.
        if git.hasSuffix("/.git"), looksLikeGitDirectory(repository) { _ = setAside(repository + "/HEAD") }
        return setAside(git)
            ? repository + " (a repository the job made: disabled, \((git as NSString).lastPathComponent)"
                + " renamed \((git as NSString).lastPathComponent)\(LaterChange.savedSuffix))"
            : repository + " (a repository the job made, which could not be disabled: check it)"
    }

    /// The repository a job made where the workspace was in none (`git init`): its config
    /// keeps only benign settings (the whole of it saved beside), and its hooks, worktree
    /// config and commondir go aside. One whose `.git` is no folder is disabled.
    static func keepBenign(workspaceRepository repository: String) -> String {
        var info = stat()
        let git = repository + "/.git"
        guard lstat(git, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, !looksLikeGitDirectory(repository) else {
            return disable(repository)
        }
        for name in ["hooks", "config.worktree", "commondir"] { _ = setAside(git + "/" + name) }
        setAsideSequencerState(in: git)
        let config = git + "/config"
        let kept = (GitConfigKeys.entries(ofFile: config) ?? []).filter {
            GitConfigKeys.isBenign(key: $0.key.lowercased(), value: $0.value)
        }
        guard setAside(config) else { return repository + " (its config could not be put back: check it)" }
        FileManager.default.createFile(atPath: config, contents: Data(configText(kept).utf8))
        return repository + " (a repository the job made: benign settings kept, config and hooks saved aside)"
    }

    /// Entries written back as a config file, each value quoted.
    static func configText(_ entries: [(key: String, value: String)]) -> String {
        func quoted(_ text: Substring) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
        }
        var text = ""
        var header = ""
        for (key, value) in entries {
            guard let first = key.firstIndex(of: "."), let last = key.lastIndex(of: "."), !key.contains("\n") else {
                continue
            }
            let section = key[..<first]
            let name = key[key.index(after: last)...]
            let wanted =
                first == last
                ? "[\(section)]" : "[\(section) \"\(quoted(key[key.index(after: first)..<last]))\"]"
            if wanted != header {
                text += wanted + "\n"
                header = wanted
            }
            text += "\t\(name) = \"\(quoted(value[...]))\"\n"
        }
        return text
    }

    /// Renames `path` to `path.mybro-saved` (replacing an older one); false where it is absent.
    static func setAside(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        let target = path + LaterChange.savedSuffix
        if lstat(target, &info) == 0 { _ = try? FileManager.default.removeItem(atPath: target) }
        return rename(path, target) == 0
    }

    static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// The code-running entries of a nested repository's own config (its includes, worktree
    /// config and commondir followed, as git reads them; not the user's global or system
    /// config, which jobs cannot write, nor mybro's hardening); nil when git cannot read it.
    static func nestedRunningEntries(_ repository: String, workspace: String) -> [String]? {
        nestedRunningPairs(repository, workspace: workspace)?.map { $0.key + "=" + $0.value }.sorted()
    }

    /// The same entries as parsed pairs, keys as git prints them.
    static func nestedRunningPairs(_ repository: String, workspace: String) -> [(key: String, value: String)]? {
        guard
            let output = GitConfigKeys.git(
                ["-C", repository, "config", "--show-scope", "--null", "--list", "--includes"], timeout: 5)
        else { return nil }
        // scope NUL key LF value NUL, repeated.
        let fields = output.split(separator: 0, omittingEmptySubsequences: false)
        var own: [(key: String, value: String)] = []
        var index = 0
        while index + 1 < fields.count {
            let scope = String(decoding: fields[index], as: UTF8.self)
            if scope == "local" || scope == "worktree" {
                own += GitConfigKeys.parseList(Data(fields[index + 1]))
            }
            index += 2
        }
        return runningPairs(own, workspace: workspace)
    }

    /// A config git would block on (a FIFO, a device, a link to one), or one that includes
    /// such a file, is a job's doing and would stall every later job and the user's own git:
    /// the first is removed, the second set aside as `config.mybro-saved`.
    static func removeBlockingConfigs(of repository: String, workspace: String) -> [String] {
        var changed: [String] = []
        let gitDirectory = gitDirectory(of: repository)
        for name in ["config", "config.worktree"] {
            let path = gitDirectory + "/" + name
            guard path.hasPrefix(workspace + "/") || path == workspace else { continue }
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            var target = stat()
            let regular =
                info.st_mode & S_IFMT == S_IFREG
                || (info.st_mode & S_IFMT == S_IFLNK && stat(path, &target) == 0 && target.st_mode & S_IFMT == S_IFREG)
            if !regular, info.st_mode & S_IFMT != S_IFDIR {
                unlink(path)
                changed.append(path + " (not a file: removed)")
                continue
            }
            // Only a config that names an include is asked of git (a git run per repository
            // would cost every job in a workspace with dozens).
            guard regular, let bytes = FileManager.default.contents(atPath: path), Self.mentionsInclude(bytes),
                let entries = GitConfigKeys.entries(ofFile: path)
            else { continue }
            let folder = (path as NSString).deletingLastPathComponent
            let blocking = entries.contains { entry in
                let key = entry.key.lowercased()
                guard key == "include.path" || (key.hasPrefix("includeif.") && key.hasSuffix(".path")) else {
                    return false
                }
                let included = entry.value.hasPrefix("/") ? entry.value : folder + "/" + entry.value
                var info = stat()
                return stat(included, &info) == 0 && info.st_mode & S_IFMT != S_IFREG
            }
            if blocking, rename(path, path + LaterChange.savedSuffix) == 0 {
                changed.append(path + " (includes a file git would block on: set aside)")
            }
        }
        return changed
    }

    /// The git directory of a nested repository: its `.git` folder, or the folder itself for
    /// one git takes as a bare repository.
    static func gitDirectory(of repository: String) -> String {
        var info = stat()
        if lstat(repository + "/.git", &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return repository + "/.git" }
        return repository
    }

    /// The git folders that lie beneath the workspace or the top repository's .git, whose files
    /// are recorded and put back (elsewhere a job writes only the caches, and a repository
    /// whose folders moved there counts as the job's).
    func underRoots(_ folders: [String]) -> [String] {
        folders.filter { Self.root(of: $0 + "/x", in: roots) != nil }
    }

    /// Its git directory and common directory wherever they lie (real paths): what the "does it
    /// lead elsewhere now" test compares, for a job may point a `.git` file at a repository
    /// in a writable cache.
    static func allGitFolders(of repository: String) -> [String] {
        // The common shapes, read without running git: a `.git` folder, or a bare repository,
        // with no commondir.
        var info = stat()
        let own = gitDirectory(of: repository)
        if lstat(own + "/commondir", &info) != 0,
            own != repository || lstat(repository + "/.git", &info) != 0
        {
            return [own]
        }
        var folders: [String] = []
        if let output = GitConfigKeys.git(["-C", repository, "rev-parse", "--git-dir", "--git-common-dir"], timeout: 5)
        {
            for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
                let path = line.hasPrefix("/") ? String(line) : repository + "/" + line
                folders.append(URL(fileURLWithPath: path).standardizedFileURL.path)
            }
        } else {
            folders.append(gitDirectory(of: repository))
        }
        return Array(Set(folders.map { LandlockRuleset.realPath($0) ?? $0 })).sorted()
    }

    /// Whether git would take `folder` as a repository itself (bare): a `HEAD` beside `objects`
    /// or a `commondir`. Looser than git's own test, on purpose.
    static func looksLikeGitDirectory(_ folder: String) -> Bool {
        var info = stat()
        guard lstat(folder + "/HEAD", &info) == 0 else { return false }
        return lstat(folder + "/objects", &info) == 0 || lstat(folder + "/commondir", &info) == 0
    }

    /// The repositories nested in the workspace that git reaches: every gitlink in the top
    /// repository's index (git status recurses into each, wherever it lies), and every folder
    /// holding a `.git` (folder, file or link) or taken by git as a repository itself, the
    /// workspace included, found by walking the whole workspace (build output and dependency
    /// folders too: a shell prompt runs `git status` on `cd build`).
    static func nestedRepositories(workspace: String, gitDirectory: String) -> [String] {
        nestedRepositoriesAndLinks(workspace: workspace, gitDirectory: gitDirectory).repositories
    }

    /// The nested repositories, and the links in the workspace that lead to one, in one walk.
    static func nestedRepositoriesAndLinks(
        workspace: String, gitDirectory: String
    ) -> (repositories: [String], links: [String]) {
        let walked = findRepositories(in: workspace)
        // Each link is followed by the repository it leads into; only one outside the workspace
        // counts (those inside are walked themselves, and the top one is the user's).
        var links: [String] = []
        for (index, entry) in walked.enumerated() where entry.kind == UInt8(ascii: "l") {
            guard index + 1 < walked.count, walked[index + 1].kind == UInt8(ascii: "r") else { continue }
            let repository = walked[index + 1].path
            let top = gitDirectory.isEmpty ? "" : URL(fileURLWithPath: gitDirectory).deletingLastPathComponent().path
            if repository == workspace || repository.hasPrefix(workspace + "/") || repository == top { continue }
            links.append(entry.path)
        }
        links.sort()
        var found = Set(walked.filter { $0.kind == UInt8(ascii: "w") || $0.kind == UInt8(ascii: "b") }.map(\.path))
        guard !gitDirectory.isEmpty else { return (found.sorted(), links) }
        let top = URL(fileURLWithPath: gitDirectory).deletingLastPathComponent().path
        found.remove(top)
        found.remove(gitDirectory)
        if let listing = GitConfigKeys.git(["-C", top, "ls-files", "--stage", "-z"]) {
            for entry in listing.split(separator: 0) {
                let text = String(decoding: entry, as: UTF8.self)
                guard text.hasPrefix("160000 "), let tab = text.firstIndex(of: "\t") else { continue }
                found.insert(top + "/" + text[text.index(after: tab)...])
            }
        }
        return (found.sorted(), links)
    }

    /// The most entries one walk reads (a workspace with a large node_modules has a few hundred
    /// thousand), and how deep it goes.
    static let walkLimit = 2_000_000
    static let walkDepth = 2048

    /// The repositories below `workspace` (CMybroScan's walk); those whose path Swift cannot name
    /// are made inert there (their config and hooks renamed aside), which is said.
    static func findRepositories(in workspace: String) -> [(kind: UInt8, path: String)] {
        var length = 0
        var setAside: Int32 = 0
        var truncated: Int32 = 0
        guard
            let buffer = mybro_find_repositories(workspace, Int32(walkDepth), walkLimit, &length, &setAside, &truncated)
        else { return [] }
        defer { free(buffer) }
        if setAside > 0 {
            Log.shared.warning(
                "\(setAside) repositories in folders whose names are not UTF-8 under \(workspace): their config and"
                    + " hooks renamed aside (.mybro-saved)")
        }
        if truncated != 0 {
            Log.shared.warning(
                "\(workspace) has more than \(walkLimit) entries or \(walkDepth) levels: not all of it was"
                    + " searched for repositories")
        }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
        return bytes.split(separator: 0).compactMap { entry in
            guard entry.count > 1, let kind = entry.first else { return nil }
            return (kind, String(decoding: entry.dropFirst(), as: UTF8.self))
        }
    }
}
