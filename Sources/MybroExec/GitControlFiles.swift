import Foundation
import MybroCore

/// The files in a repository that make git run code: its config, hooks and `commondir` (which
/// sends git to another config and hooks), the same in each submodule under `.git/modules` and
/// each linked worktree, and the folder `core.hooksPath` names (husky's `.husky`).
///
/// A job may write the repository (git needs that for a commit), so something it plants there
/// would run later, outside any sandbox, at the user's next `git status` or `git commit`.
/// Read-only binds cover the config and hooks that exist before the job, but not a file it
/// creates (`commondir`) or a submodule's. So these files are recorded before every job and
/// put back as they were after it: changed ones rewritten, new ones removed.
struct GitControlFiles: Codable {
    /// The state of one watched path: its bytes and mode, or absent.
    enum Entry: Equatable, Codable {
        case file(Data, mode: mode_t)
        case absent
        /// Past the size budget: left as it is after the job.
        case unrecorded
    }

    let gitDirectory: String
    /// Paths watched one by one (present or not), absolute.
    private(set) var entries: [String: Entry] = [:]
    /// Folders whose every file is watched (hooks): a file added there is removed.
    private(set) var folders: [String] = []
    /// Whether the config is left to the job (one plain call of git's own config writers); its
    /// what it adds is still checked against the benign settings (`configBefore`).
    let configIsTheJobs: Bool
    /// The config's bytes and code-running entries before a job that may change it.
    struct ConfigState: Codable {
        var data: Data
        /// Every entry, its key in lower case.
        var entries: [Setting]
    }
    struct Setting: Codable, Hashable {
        var key: String
        var value: String
    }
    private(set) var configBefore: ConfigState?
    /// Repositories nested in the workspace (their work trees) and the code-running entries of
    /// each one's effective config before the job.
    var nestedBefore: [String: [String]] = [:]
    /// The lines of an interactive rebase's or sequencer's to-do list before the job (RebaseTodos).
    var rebaseTodosBefore: [String: [String]]?
    /// The nested repositories' hooks folders that were links before the job (the user's).
    var nestedHookLinks: [String]?
    /// The submodules' repositories in .git/modules before the job: one made during it would
    /// be taken as it is by the user's `git submodule update --init`, hooks and all.
    var modulesBefore: [String]?
    /// Each nested repository's git folders (its git directory and common directory) before the
    /// job: one whose `.git` now points elsewhere is a repository the job made.
    var nestedGitFolders: [String: [String]]?
    /// Links in the workspace that led to a repository before the job.
    var nestedLinksBefore: [String]?
    /// The commit HEAD named before the job: a control file in the work tree (`.husky/pre-commit`)
    /// the job committed is in the index and HEAD, where a checkout would bring it back.
    var headBefore: String?
    let workspace: String
    /// The folders (real paths, taken when recording) below which nothing is reached through a
    /// link: a job may replace a watched folder with a link to anywhere (`.husky` → the home
    /// directory), and mybro-exec, which runs unconfined, must then neither list, read, unlink
    /// nor write through it.
    private(set) var roots: [String] = []
    /// Each root's device and inode when recorded, for a put-back from disk by a later
    /// mybro-exec (PendingPutBack): a root replaced since (by a link, another user's folder,
    /// another repository) is not the one recorded.
    private(set) var rootIdentities: [[UInt64]] = []

    /// The most bytes recorded; a repository whose control files are larger is watched only up
    /// to this (a hooks folder does not come near it).
    static let maximumBytes = 16 << 20

    /// Records the control files of the repository `gitDirectory` (nil for a workspace in none,
    /// where a repository the job makes is judged like any other nested one).
    static func record(gitDirectory: String?, workspace: String, configIsTheJobs: Bool) -> GitControlFiles {
        let workspace = LandlockRuleset.realPath(workspace) ?? workspace
        var budget = maximumBytes
        guard let given = gitDirectory else {
            var files = GitControlFiles(gitDirectory: "", configIsTheJobs: false, workspace: workspace)
            files.roots = [workspace]
            files.recordNested(budget: &budget)
            files.rootIdentities = files.roots.map(identity)
            return files
        }
        let gitDirectory = LandlockRuleset.realPath(given) ?? given
        var files = GitControlFiles(gitDirectory: gitDirectory, configIsTheJobs: configIsTheJobs, workspace: workspace)
        files.roots = [gitDirectory, workspace]
        files.watchRepository(gitDirectory, budget: &budget, depth: 0)
        files.watchRebaseTodos()
        // A workspace that is a linked worktree (or a submodule) has a `.git` file: a job may
        // point it at a repository of its own making.
        for folder in [workspace, URL(fileURLWithPath: gitDirectory).deletingLastPathComponent().path] {
            var info = stat()
            if lstat(folder + "/.git", &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                files.watch(folder + "/.git", budget: &budget)
            }
        }
        files.headBefore = Self.head(of: gitDirectory)
        if configIsTheJobs, let data = FileManager.default.contents(atPath: gitDirectory + "/config") {
            files.configBefore = ConfigState(data: data, entries: allEntries(gitDirectory + "/config") ?? [])
        }
        // A file the config includes (it may lie in the workspace, which jobs write).
        for included in GitConfigKeys.includedFiles(gitDirectory: gitDirectory) {
            files.addRoot(containing: URL(fileURLWithPath: included).deletingLastPathComponent().path)
            files.watch(included, budget: &budget)
        }
        files.recordNested(budget: &budget)
        for worktree in subfolders(gitDirectory + "/worktrees", roots: files.roots) {
            for name in ["commondir", "gitdir", "config.worktree"] {
                files.watch(worktree + "/" + name, budget: &budget)
            }
        }
        if let hooksPath = configuredHooksPath(workspace: workspace) {
            files.addRoot(containing: hooksPath)
            files.watchFolder(hooksPath, budget: &budget)
            // husky 9 sets `.husky/_`, whose scripts run the hooks one folder up.
            if (hooksPath as NSString).lastPathComponent == "_" {
                files.watchFolder((hooksPath as NSString).deletingLastPathComponent, budget: &budget)
            }
        }
        files.rootIdentities = files.roots.map(identity)
        return files
    }

    private static func identity(_ root: String) -> [UInt64] {
        var info = stat()
        return lstat(root, &info) == 0 ? [UInt64(info.st_dev), UInt64(info.st_ino)] : []
    }

    /// Where the record belongs, for messages: the repository's .git, or the workspace.
    var place: String { gitDirectory.isEmpty ? workspace : gitDirectory }

    /// Whether every root is still the folder recorded: a real folder (no link in its place),
    /// the user's own, with the same device and inode.
    func rootsAreAsRecorded() -> Bool {
        guard rootIdentities.count == roots.count else { return false }
        return zip(roots, rootIdentities).allSatisfy { root, identity in
            var info = stat()
            return lstat(root, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR && info.st_uid == getuid()
                && identity == [UInt64(info.st_dev), UInt64(info.st_ino)]
        }
    }

    /// A folder outside the repository and workspace (a global hooks folder, an included file's
    /// folder) is a root of its own, as its real path: jobs cannot write there.
    private mutating func addRoot(containing folder: String) {
        guard Self.root(of: folder + "/x", in: roots) == nil, let real = LandlockRuleset.realPath(folder) else {
            return
        }
        roots.append(real)
    }

    /// The deepest root `path` lies beneath.
    static func root(of path: String, in roots: [String]) -> String? {
        roots.filter { path.hasPrefix($0 + "/") }.max { $0.count < $1.count }
    }

    /// The folders from `path`'s root (exclusive) down to its parent; nil when it lies under no root.
    static func folders(above path: String, roots: [String]) -> [String]? {
        guard let root = root(of: path, in: roots) else { return nil }
        var current = root
        return path.dropFirst(root.count + 1).split(separator: "/").dropLast().map {
            current += "/" + $0
            return current
        }
    }

    /// Whether every folder from its root down to `path`'s parent is a real folder (no link):
    /// only then may `path` be listed, read, unlinked or written.
    static func isReachedWithoutLinks(_ path: String, roots: [String]) -> Bool {
        guard let folders = folders(above: path, roots: roots) else { return false }
        return folders.allSatisfy { folder in
            var info = stat()
            return lstat(folder, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
        }
    }

    /// Makes every folder from its root down to `path`'s parent a real folder again: a link or
    /// file a job put in the place of one is removed (the link itself, never its target) and
    /// the folder made anew. False when `path` lies under no root.
    static func makeRealFolders(above path: String, roots: [String]) -> Bool {
        guard let folders = folders(above: path, roots: roots) else { return false }
        for folder in folders {
            var info = stat()
            if lstat(folder, &info) == 0 {
                if info.st_mode & S_IFMT == S_IFDIR { continue }
                unlink(folder)
            }
            guard mkdir(folder, 0o755) == 0 else { return false }
        }
        return true
    }

    /// config, config.worktree, commondir and hooks of a repository, and of its submodules.
    private mutating func watchRepository(_ directory: String, budget: inout Int, depth: Int) {
        for name in ["commondir", "config.worktree"] { watch(directory + "/" + name, budget: &budget) }
        if !configIsTheJobs || depth > 0 { watch(directory + "/config", budget: &budget) }
        watchFolder(directory + "/hooks", budget: &budget)
        guard depth < 8 else { return }
        for module in Self.subfolders(directory + "/modules", roots: roots) {
            watchModules(module, budget: &budget, depth: depth + 1)
        }
    }

    /// `.git/modules/NAME` holds a submodule's repository, or (nested names) folders of them.
    private mutating func watchModules(_ directory: String, budget: inout Int, depth: Int) {
        if FileManager.default.fileExists(atPath: directory + "/HEAD") {
            watchRepository(directory, budget: &budget, depth: depth)
        } else if depth < 8 {
            for inner in Self.subfolders(directory, roots: roots) {
                watchModules(inner, budget: &budget, depth: depth + 1)
            }
        }
    }

    mutating func watch(_ path: String, budget: inout Int) {
        entries[path] = Self.read(path, budget: &budget, roots: roots)
    }

    mutating func watchFolder(_ folder: String, budget: inout Int) {
        folders.append(folder)
        // git's `.sample` files never run (and dozens of nested repositories' would make every
        // record megabytes): only the others are kept.
        for path in Self.files(in: folder, roots: roots) where !path.hasSuffix(".sample") {
            watch(path, budget: &budget)
            // A hook that is a link to a script in the workspace (tools/pre-commit) runs what
            // the job writes there: the target is watched too.
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK, let target = LandlockRuleset.realPath(path),
                Self.root(of: target, in: roots) != nil
            {
                watch(target, budget: &budget)
            }
        }
    }

    /// Puts every watched path back as it was; returns those that had changed (relative to the
    /// repository's .git where they lie in it).
    func restore() -> [String] { restore(jobEndedAt: nil).putBack }

    /// What a put-back did, each path relative to the repository's .git where it lies in it.
    struct PutBack {
        var putBack: [String] = []
        /// Changed after the job had ended (the user's doing), so left as they are.
        var leftAlone: [String] = []
        /// Changed after the job had ended but put back all the same; their bytes then were
        /// saved beside them (`LaterChange.savedSuffix`).
        var saved: [String] = []
    }

    /// Puts every watched path back as it was. `ended`, known to a later mybro-exec that replays
    /// the record of one that was killed (PendingPutBack), is when the last of the job's
    /// processes was gone: a path the user changed after it is left as it is (LaterChange), and
    /// one put back all the same has its bytes saved beside it, so nothing of the user's is lost.
    func restore(jobEndedAt ended: timespec?) -> PutBack {
        var result = PutBack()
        var budget = Int.max
        // The config git's own writers changed: kept, when every entry they added or changed is
        // a benign setting (GitConfigKeys.benignSettings); otherwise put back whole.
        let config = gitDirectory + "/config"
        if let before = configBefore, Self.isReachedWithoutLinks(config, roots: roots) {
            let after = Self.allEntries(config)
            let later = ended.map { LaterChange(config, after: $0) }
            if let later, later.changedAfter, later.byUser,
                !Self.addsRunningCode(before: before.entries, after: after, workspace: workspace)
            {
                result.leftAlone.append(config)
            } else if !Self.addsOnlyBenign(before: before.entries, after: after) {
                if later?.changedAfter == true, later?.save() == true { result.saved.append(config) }
                unlink(config)
                FileManager.default.createFile(atPath: config, contents: before.data)
                result.putBack.append(config)
            }
        }
        let nested = restoreNested()
        result.putBack += nested.changed
        // What lay in a repository now disabled stays where it went (not made anew).
        let gone = nested.disabled.map { $0 + "/" }
        result.putBack += restoreRebaseTodos()
        result.putBack += resetCommittedControlFiles()
        // Files added to a watched folder (a new hook) are removed (git's `.sample` files never
        // run); so is the worktree config of a worktree the job added.
        result.putBack += setAsideNewWorktreeConfigs()
        result.putBack += setAsideNewModules()
        for folder in folders {
            for path in Self.files(in: folder, roots: roots) where entries[path] == nil && !path.hasSuffix(".sample") {
                if let ended, Self.isReachedWithoutLinks(path, roots: roots) {
                    let later = LaterChange(path, after: ended)
                    if later.changedAfter, later.byUser {
                        result.leftAlone.append(path)
                        continue
                    }
                    if later.changedAfter, later.save() { result.saved.append(path) }
                }
                unlink(path)
                result.putBack.append(path)
            }
        }
        for (path, before) in entries.sorted(by: { $0.key < $1.key })
        where before != .unrecorded && !gone.contains(where: { path.hasPrefix($0) }) {
            guard Self.read(path, budget: &budget, roots: roots) != before else { continue }
            if let ended, Self.isReachedWithoutLinks(path, roots: roots) {
                let later = LaterChange(path, after: ended)
                if later.changedAfter, later.byUser,
                    !isConfig(path)
                        || !Self.addsRunningCode(
                            before: Self.entries(ofConfig: before), after: Self.allEntries(path), workspace: workspace)
                {
                    result.leftAlone.append(path)
                    continue
                }
                if later.changedAfter, later.save() { result.saved.append(path) }
            }
            result.putBack.append(path)
            // A folder on the way that became a link is a folder again before anything is
            // unlinked or written there; then the file or link in the path's place goes.
            guard Self.makeRealFolders(above: path, roots: roots) else { continue }
            unlink(path)
            if case .file(let data, let mode) = before {
                FileManager.default.createFile(atPath: path, contents: data)
                chmod(path, mode)
            }
        }
        let prefix = gitDirectory + "/"
        func relative(_ paths: [String]) -> [String] {
            paths.map { !gitDirectory.isEmpty && $0.hasPrefix(prefix) ? ".git/" + $0.dropFirst(prefix.count) : $0 }
                .sorted()
        }
        return PutBack(
            putBack: relative(result.putBack), leftAlone: relative(result.leftAlone), saved: relative(result.saved))
    }

    static func head(of gitDirectory: String) -> String? {
        guard let output = GitConfigKeys.git(["--git-dir", gitDirectory, "rev-parse", "-q", "--verify", "HEAD"]) else {
            return nil
        }
        let head = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return head.isEmpty ? nil : head
    }

    /// The watched paths in the work tree (a hooks folder such as `.husky`, an included config
    /// file) that the job committed: their index entries go back to the commit before the job,
    /// so a checkout, restore or commit of them brings back the recorded bytes, and the commit is
    /// named in the warning (a `git reset --hard` would still bring the job's version back).
    func resetCommittedControlFiles() -> [String] {
        guard !gitDirectory.isEmpty, let before = headBefore, let now = Self.head(of: gitDirectory), now != before
        else { return [] }
        let top = URL(fileURLWithPath: gitDirectory).deletingLastPathComponent().path
        let inGit = gitDirectory + "/"
        let watched = (folders + Array(entries.keys)).filter { $0.hasPrefix(top + "/") && !$0.hasPrefix(inGit) }
        guard !watched.isEmpty else { return [] }
        let paths = watched.map { String($0.dropFirst(top.count + 1)) }
        guard
            let output = GitConfigKeys.git(
                ["-C", top, "diff", "--name-only", "-z", before, now, "--"] + paths.map { ":(literal)" + $0 })
        else { return [] }
        let committed = output.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard !committed.isEmpty else { return [] }
        _ = GitConfigKeys.git(["-C", top, "reset", "-q", before, "--"] + committed.map { ":(literal)" + $0 })
        let short = String(now.prefix(12))
        return committed.map {
            top + "/" + $0 + " (committed by the job in \(short): its index entry put back; revert that commit)"
        }
    }

    /// A submodule repository made in .git/modules during the job goes aside whole
    /// (`NAME.mybro-saved`): the user's `git submodule update --init` would adopt it.
    /// The same in each nested repository that was there: a `git submodule update --init` run
    /// there would adopt one too.
    func setAsideNewModules() -> [String] {
        guard let modulesBefore else { return [] }
        let had = Set(modulesBefore)
        return moduleFolders().flatMap { Self.moduleRepositories(in: $0, roots: roots, depth: 1) }.compactMap {
            module in
            guard !had.contains(module), Self.setAside(module) else { return nil }
            return module + " (a submodule repository the job made: set aside)"
        }
    }

    /// The `modules` folders of the top repository and of the nested ones recorded, where they
    /// lie beneath the roots.
    func moduleFolders() -> [String] {
        let nested = underRoots((nestedGitFolders ?? [:]).values.flatMap { $0 })
        return Array(Set((gitDirectory.isEmpty ? [] : [gitDirectory]) + nested)).sorted().map { $0 + "/modules" }
    }

    static func moduleRepositories(in folder: String, roots: [String], depth: Int) -> [String] {
        guard depth <= 8 else { return [] }
        return subfolders(folder, roots: roots).flatMap { inner -> [String] in
            if FileManager.default.fileExists(atPath: inner + "/HEAD") {
                return [inner] + moduleRepositories(in: inner + "/modules", roots: roots, depth: depth + 1)
            }
            return moduleRepositories(in: inner, roots: roots, depth: depth + 1)
        }
    }

    /// A worktree added during the job has a folder in .git/worktrees that was not recorded:
    /// its `config.worktree` (read where the repository has extensions.worktreeConfig) goes aside.
    func setAsideNewWorktreeConfigs() -> [String] {
        guard !gitDirectory.isEmpty else { return [] }
        return Self.subfolders(gitDirectory + "/worktrees", roots: roots).compactMap { worktree in
            guard entries[worktree + "/commondir"] == nil, Self.setAside(worktree + "/config.worktree") else {
                return nil
            }
            return worktree + "/config.worktree"
        }
    }

    /// Whether a watched path is read by git as a config (a repository's config or worktree
    /// config, an included file), not a hook or a pointer to another repository.
    private func isConfig(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        guard name != "commondir", name != "gitdir" else { return false }
        return !folders.contains { path.hasPrefix($0 + "/") }
    }

    /// The entries of a config recorded as bytes (none for one that was absent).
    private static func entries(ofConfig entry: Entry) -> [Setting] {
        guard case .file(let data, _) = entry else { return [] }
        return GitConfigKeys.entries(ofData: data)?.map { Setting(key: $0.key.lowercased(), value: $0.value) } ?? []
    }

    /// Whether `after` holds a code-running entry (GitConfigKeys.runsCode, a remote URL that
    /// runs code) that `before` lacks; a config git cannot read counts as one.
    static func addsRunningCode(before: [Setting], after: [Setting]?, workspace: String) -> Bool {
        guard let after else { return true }
        let had = Set(before)
        return after.contains { entry in
            !had.contains(entry) && !running([(entry.key, entry.value)], workspace: workspace).isEmpty
        }
    }

    /// A regular file's bytes and mode; anything else (a link, a folder, nothing) reads as
    /// absent, so that it is removed if it was not there before.
    static func read(_ path: String, budget: inout Int, roots: [String]) -> Entry {
        var info = stat()
        guard isReachedWithoutLinks(path, roots: roots), lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
            let data = FileManager.default.contents(atPath: path)
        else { return .absent }
        guard data.count <= budget else { return .unrecorded }
        budget -= data.count
        return .file(data, mode: info.st_mode & 0o7777)
    }

    /// Regular files and links below a folder (links not followed, the folder itself reached
    /// without one), at most 4 levels down.
    static func files(in folder: String, roots: [String], depth: Int = 0) -> [String] {
        var folderInfo = stat()
        guard depth < 4, isReachedWithoutLinks(folder + "/x", roots: roots), lstat(folder, &folderInfo) == 0,
            folderInfo.st_mode & S_IFMT == S_IFDIR,
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder)
        else { return [] }
        var found: [String] = []
        for name in names {
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                found += files(in: path, roots: roots, depth: depth + 1)
            } else {
                found.append(path)
            }
        }
        return found
    }

    /// The code-running entries of a config file, as `key=value`, sorted: keys that run a
    /// program, and remote URLs that lead to a repository a job could have written.
    /// Every entry of a config file (key in lower case), in file order; nil when git cannot
    /// read it. Kept as pairs: a key may hold `=` (in a subsection), so no joined form splits back.
    static func allEntries(_ config: String) -> [Setting]? {
        GitConfigKeys.entries(ofFile: config)?.map { Setting(key: $0.key.lowercased(), value: $0.value) }
    }

    /// Whether every entry in `after` that `before` lacks is a benign setting. A config that can
    /// no longer be read counts as harmful (it is put back).
    static func addsOnlyBenign(before: [Setting], after: [Setting]?) -> Bool {
        guard let after else { return false }
        let had = Set(before)
        return after.filter { !had.contains($0) }.allSatisfy { GitConfigKeys.isBenign(key: $0.key, value: $0.value) }
    }

    static func running(_ entries: [(key: String, value: String)], workspace: String) -> [String] {
        runningPairs(entries, workspace: workspace).map { $0.key + "=" + $0.value }.sorted()
    }

    static func runningPairs(
        _ entries: [(key: String, value: String)], workspace: String
    ) -> [(key: String, value: String)] {
        entries.filter { entry in
            let key = entry.key.lowercased()
            if key.hasPrefix("remote."), key.hasSuffix(".url") || key.hasSuffix(".pushurl") {
                return GitConfigKeys.urlRunsCode(entry.value, workspace: workspace)
            }
            return GitConfigKeys.runsCode(key)
        }
    }

    /// The real folders in `folder`, which must itself be reached without a link.
    static func subfolders(_ folder: String, roots: [String]) -> [String] {
        var info = stat()
        guard isReachedWithoutLinks(folder + "/x", roots: roots), lstat(folder, &info) == 0,
            info.st_mode & S_IFMT == S_IFDIR
        else { return [] }
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).map { folder + "/" + $0 }.filter {
            var info = stat()
            return lstat($0, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
        }
    }

    /// `core.hooksPath` as git resolves it for the workspace (absolute), if it is set.
    static func configuredHooksPath(workspace: String) -> String? {
        // Not hardened: the hardening itself sets core.hooksPath (rev-parse runs nothing).
        guard let output = GitConfigKeys.git(["-C", workspace, "rev-parse", "--git-path", "hooks"], hardened: false)
        else { return nil }
        let path = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .newlines)
        guard !path.isEmpty else { return nil }
        let absolute = path.hasPrefix("/") ? path : workspace + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }
}
