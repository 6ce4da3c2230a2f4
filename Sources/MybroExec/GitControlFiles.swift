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
struct GitControlFiles {
    /// The state of one watched path: its bytes and mode, or absent.
    enum Entry: Equatable {
        case file(Data, mode: mode_t)
        case absent
    }

    let gitDirectory: String
    /// Paths watched one by one (present or not), absolute.
    private(set) var entries: [String: Entry] = [:]
    /// Folders whose every file is watched (hooks): a file added there is removed.
    private(set) var folders: [String] = []
    /// Whether the config is left to the job (one plain call of git's own config writers).
    let configIsTheJobs: Bool

    /// The most bytes recorded; a repository whose control files are larger is watched only up
    /// to this (a hooks folder does not come near it).
    static let maximumBytes = 16 << 20

    static func record(gitDirectory: String, workspace: String, configIsTheJobs: Bool) -> GitControlFiles {
        var files = GitControlFiles(gitDirectory: gitDirectory, configIsTheJobs: configIsTheJobs)
        var budget = maximumBytes
        files.watchRepository(gitDirectory, budget: &budget, depth: 0)
        for worktree in subfolders(gitDirectory + "/worktrees") {
            for name in ["commondir", "gitdir", "config.worktree"] {
                files.watch(worktree + "/" + name, budget: &budget)
            }
        }
        if let hooksPath = configuredHooksPath(workspace: workspace) {
            files.watchFolder(hooksPath, budget: &budget)
        }
        return files
    }

    /// config, config.worktree, commondir and hooks of a repository, and of its submodules.
    private mutating func watchRepository(_ directory: String, budget: inout Int, depth: Int) {
        for name in ["commondir", "config.worktree"] { watch(directory + "/" + name, budget: &budget) }
        if !configIsTheJobs || depth > 0 { watch(directory + "/config", budget: &budget) }
        watchFolder(directory + "/hooks", budget: &budget)
        guard depth < 8 else { return }
        for module in Self.subfolders(directory + "/modules") {
            watchModules(module, budget: &budget, depth: depth + 1)
        }
    }

    /// `.git/modules/NAME` holds a submodule's repository, or (nested names) folders of them.
    private mutating func watchModules(_ directory: String, budget: inout Int, depth: Int) {
        if FileManager.default.fileExists(atPath: directory + "/HEAD") {
            watchRepository(directory, budget: &budget, depth: depth)
        } else if depth < 8 {
            for inner in Self.subfolders(directory) { watchModules(inner, budget: &budget, depth: depth + 1) }
        }
    }

    private mutating func watch(_ path: String, budget: inout Int) {
        entries[path] = Self.read(path, budget: &budget)
    }

    private mutating func watchFolder(_ folder: String, budget: inout Int) {
        folders.append(folder)
        for path in Self.files(in: folder) { watch(path, budget: &budget) }
    }

    /// Puts every watched path back as it was; returns those that had changed (relative to the
    /// repository's .git where they lie in it).
    func restore() -> [String] {
        var changed: [String] = []
        var budget = Int.max
        // Files added to a watched folder (a new hook) are removed.
        for folder in folders {
            for path in Self.files(in: folder) where entries[path] == nil {
                unlink(path)
                changed.append(path)
            }
        }
        for (path, before) in entries.sorted(by: { $0.key < $1.key }) {
            guard Self.read(path, budget: &budget) != before else { continue }
            changed.append(path)
            unlink(path)  // a file or a link put in its place (never followed)
            if case .file(let data, let mode) = before {
                FileManager.default.createFile(atPath: path, contents: data)
                chmod(path, mode)
            }
        }
        let prefix = gitDirectory + "/"
        return changed.map { $0.hasPrefix(prefix) ? ".git/" + $0.dropFirst(prefix.count) : $0 }.sorted()
    }

    /// A regular file's bytes and mode; anything else (a link, a folder, nothing) reads as
    /// absent, so that it is removed if it was not there before.
    static func read(_ path: String, budget: inout Int) -> Entry {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= budget,
            let data = FileManager.default.contents(atPath: path)
        else { return .absent }
        budget -= data.count
        return .file(data, mode: info.st_mode & 0o7777)
    }

    /// Regular files and links below a folder (links not followed), at most 4 levels down.
    static func files(in folder: String, depth: Int = 0) -> [String] {
        guard depth < 4, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var found: [String] = []
        for name in names {
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                found += files(in: path, depth: depth + 1)
            } else {
                found.append(path)
            }
        }
        return found
    }

    static func subfolders(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).map { folder + "/" + $0 }.filter {
            var info = stat()
            return lstat($0, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
        }
    }

    /// `core.hooksPath` as git resolves it for the workspace (absolute), if it is set.
    static func configuredHooksPath(workspace: String) -> String? {
        guard
            let result = try? ChildProcess.capture(
                arguments: ["git", "-C", workspace, "rev-parse", "--git-path", "hooks"], timeout: 10),
            result.status == 0
        else { return nil }
        let path = String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .newlines)
        guard !path.isEmpty else { return nil }
        let absolute = path.hasPrefix("/") ? path : workspace + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }
}
