import CMybroScan
import Foundation
import MybroCore

/// Repositories inside the workspace besides the one it lies in: a submodule, a checkout a
/// job cloned, a `git init` in a folder (or in a workspace that was in no repository), or a
/// folder a job filled with `HEAD`, `objects` and `config`, which git takes as a repository of
/// its own. The user's next `git status` there (a shell prompt runs one on `cd`) would run
/// what their config or hooks name, outside any sandbox. So each one's code-running config
/// entries are recorded before a job and those it gained are unset after it, its hooks are
/// watched like the top repository's, and every hook of one that appeared during the job goes.
extension GitControlFiles {
    /// Records each nested repository's code-running entries, and watches its hooks.
    mutating func recordNested(budget: inout Int) {
        for repository in Self.nestedRepositories(workspace: workspace, gitDirectory: gitDirectory) {
            _ = Self.removeBlockingConfigs(of: repository, workspace: workspace)
            nestedBefore[repository] = Self.nestedRunningEntries(repository, workspace: workspace) ?? []
            for hooks in hookFolders(of: repository) { watchFolder(hooks, budget: &budget) }
        }
    }

    /// The hooks folders of repositories that were not there before the job: every hook in
    /// them is the job's.
    func nestedHookFolders() -> (all: [String], new: [String]) {
        var all: [String] = []
        var new: [String] = []
        for repository in Self.nestedRepositories(workspace: workspace, gitDirectory: gitDirectory) {
            let hooks = hookFolders(of: repository)
            all += hooks
            if nestedBefore[repository] == nil { new += hooks }
        }
        return (all, new)
    }

    /// Unsets the code-running entries each nested repository gained; returns what it changed.
    func restoreNested() -> [String] {
        var changed: [String] = []
        for repository in Self.nestedRepositories(workspace: workspace, gitDirectory: gitDirectory) {
            changed += Self.removeBlockingConfigs(of: repository, workspace: workspace)
            let had = Set(nestedBefore[repository] ?? [])
            guard let now = Self.nestedRunningEntries(repository, workspace: workspace) else {
                changed.append(repository + " (git cannot read its config: check it)")
                continue
            }
            let added = Set(
                now.filter { !had.contains($0) }.map { String($0.split(separator: "=", maxSplits: 1)[0]) })
            guard !added.isEmpty else { continue }
            for key in added {
                _ = GitConfigKeys.git(["-C", repository, "config", "--local", "--unset-all", key])
            }
            // What came from elsewhere (an include, a commondir's config) could not be unset.
            let left = Set(Self.nestedRunningEntries(repository, workspace: workspace) ?? []).subtracting(had)
            changed.append(left.isEmpty ? repository : repository + " (could not be put back: check its config)")
        }
        return changed
    }

    /// The code-running entries of a nested repository's own config (its includes, worktree
    /// config and commondir followed, as git reads them; not the user's global or system
    /// config, which jobs cannot write, nor mybro's hardening); nil when git cannot read it.
    static func nestedRunningEntries(_ repository: String, workspace: String) -> [String]? {
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
        return running(own, workspace: workspace)
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
            guard regular, let entries = GitConfigKeys.entries(ofFile: path) else { continue }
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

    /// Its hooks folders as git finds them (its git directory's, and the common one's where a
    /// `.git` file or a `commondir` points elsewhere), where they lie beneath the workspace or
    /// the top repository's .git: a job can write nowhere else.
    func hookFolders(of repository: String) -> [String] {
        var folders: [String] = []
        if let output = GitConfigKeys.git(["-C", repository, "rev-parse", "--git-dir", "--git-common-dir"], timeout: 5)
        {
            for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
                let path = line.hasPrefix("/") ? String(line) : repository + "/" + line
                folders.append(URL(fileURLWithPath: path).standardizedFileURL.path + "/hooks")
            }
        } else {
            folders.append(Self.gitDirectory(of: repository) + "/hooks")
        }
        return Array(Set(folders)).sorted().filter { Self.root(of: $0 + "/x", in: roots) != nil }
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
        var found = Set(findRepositories(in: workspace))
        guard !gitDirectory.isEmpty else { return found.sorted() }
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
        return found.sorted()
    }

    /// The most entries one walk reads (a workspace with a large node_modules has a few hundred
    /// thousand), and how deep it goes.
    static let walkLimit = 2_000_000
    static let walkDepth = 24

    /// The repositories below `workspace` (CMybroScan's walk); those whose path Swift cannot name
    /// are made inert there (their config and hooks renamed aside), which is said.
    static func findRepositories(in workspace: String) -> [String] {
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
                "\(workspace) has more than \(walkLimit) entries: not all of it was searched for repositories")
        }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
        return bytes.split(separator: 0).compactMap { entry in
            entry.count > 1 ? String(decoding: entry.dropFirst(), as: UTF8.self) : nil
        }
    }
}
