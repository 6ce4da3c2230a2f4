import Foundation
import MybroCore

/// Bounds on what one snapshot keeps.
public struct SnapshotLimits: Sendable {
    /// Files larger than this are left out of snapshots (and so never restored or removed by undo).
    public var maximumFileBytes: Int64 = 50 << 20
    /// A snapshot whose new or changed files add up to more than this is not taken: the job
    /// still runs, and its undo is unavailable.
    public var maximumTotalBytes: Int64 = 1 << 30
    /// Seconds one git command may take.
    public var timeout: Double = 60

    public init() {}
}

/// One job's snapshot, as the undo list shows it.
public struct SnapshotEntry: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case undoable, undone
        /// No snapshot could be taken before the job: why.
        case unavailable(String)
    }

    public var job: Int64
    public var commit: String
    public var date: Date
    /// The job as it was spoken of ("rm notes.txt", "the tests", "Claude's task, …").
    public var description: String
    public var state: State
    /// Files left out of the snapshot because they were too large.
    public var skipped: [String]
}

/// What taking a snapshot before a job came to.
public enum SnapshotResult: Sendable, Equatable {
    case saved(commit: String, skipped: [String])
    case unavailable(reason: String)
}

/// Undo for one workspace: a snapshot of the workspace before each job, kept in a private bare
/// git repository under the undo directory, and the restore of the workspace to one of them.
///
/// The private repository is `<undo directory>/<name>-<hash of the workspace's real path>.git`
/// with its own index file (`mybro-index`, kept so that `git add -A` only rehashes what changed).
/// A snapshot is `add -A` (the workspace's `.gitignore` rules apply; `.git` and nested
/// repositories are never included; untracked files are), `write-tree`, `commit-tree` (parent:
/// the previous snapshot) and the ref `refs/jobs/<job>`; `refs/mybro/latest` is the newest. An
/// undone job gets `refs/undone/<job>`; a job whose snapshot failed, `refs/unavailable/<job>`.
/// Nothing is ever written into the workspace's own repository, index, refs or stash, and git
/// runs with none of the user's configuration (see `GitEnvironment`).
public struct WorkspaceSnapshots: Sendable {
    /// The workspace's real path.
    public let workspace: String
    /// The private bare repository.
    public let repository: String
    public let undoDirectory: String
    public let limits: SnapshotLimits

    var indexFile: String { repository + "/mybro-index" }

    public init(workspace: String, undoDirectory: String, limits: SnapshotLimits = SnapshotLimits()) {
        let real = realpath(workspace, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        }
        self.workspace = real ?? URL(fileURLWithPath: workspace).standardizedFileURL.path
        // Absolute: git runs in the workspace.
        self.undoDirectory = URL(fileURLWithPath: undoDirectory).standardizedFileURL.path
        self.repository = self.undoDirectory + "/" + Self.repositoryName(forWorkspace: self.workspace)
        self.limits = limits
    }

    /// `<last path component>-<64-bit FNV-1a of the real path, hex>.git`: readable, and distinct
    /// per workspace (the repository also records its workspace, and refuses another).
    public static func repositoryName(forWorkspace realPath: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in realPath.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let base = (realPath as NSString).lastPathComponent.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }
        let hex = String(hash, radix: 16)
        return (base.isEmpty ? "root" : String(base.prefix(40))) + "-" + String(repeating: "0", count: 16 - hex.count)
            + hex + ".git"
    }

    // MARK: snapshots

    /// Snapshots the workspace before job `job`. Never throws: a failure is recorded (so that
    /// undo can say why it cannot undo this job) and returned.
    public func snapshot(job: Int64, description: String) -> SnapshotResult {
        do {
            try ensureRepository()
            let (tree, skipped) = try currentTree()
            var message = "job \(job): \(Self.oneLine(description))"
            if !skipped.isEmpty {
                message += "\n\n" + Self.skippedHeading + "\n" + skipped.map(Self.oneLine).joined(separator: "\n")
            }
            let commit = try commitTree(tree, message: message)
            try git(["update-ref", "refs/jobs/\(job)", commit])
            try git(["update-ref", "refs/mybro/latest", commit])
            try deleteRefs(["refs/undone/\(job)", "refs/unavailable/\(job)"])
            return .saved(commit: commit, skipped: skipped)
        } catch {
            let reason = (error as? UndoFailure)?.reason ?? "\(error)"
            recordUnavailable(job: job, description: description, reason: reason)
            return .unavailable(reason: reason)
        }
    }

    /// The snapshots, newest first (at most `limit`).
    public func entries(limit: Int = 200) throws -> [SnapshotEntry] {
        guard FileManager.default.fileExists(atPath: repository + "/HEAD") else { return [] }
        guard try git(["rev-parse", "-q", "--verify", "refs/mybro/latest"], check: false).succeeded else { return [] }
        var jobs: [String: Int64] = [:], undone: [Int64: String] = [:], unavailable: [String: Int64] = [:]
        let refs = try git([
            "for-each-ref", "--format=%(refname) %(objectname)", "refs/jobs/", "refs/undone/", "refs/unavailable/",
        ])
        for line in refs.text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let id = Int64(parts[0].split(separator: "/").last ?? "") else { continue }
            let object = String(parts[1])
            if parts[0].hasPrefix("refs/jobs/") {
                jobs[object] = id
            } else if parts[0].hasPrefix("refs/undone/") {
                undone[id] = object
            } else {
                unavailable[object] = id
            }
        }
        let log = try git(["log", "-z", "--max-count=\(limit)", "--format=%H%x1f%ct%x1f%B", "refs/mybro/latest"])
        var entries: [SnapshotEntry] = []
        for record in log.fields {
            let parts = record.split(separator: "\u{1f}", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let commit = String(parts[0]).trimmingCharacters(in: .whitespacesAndNewlines)
            let lines = parts[2].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let subject = lines.first ?? ""
            let description = subject.firstRange(of: ": ").map { String(subject[$0.upperBound...]) } ?? subject
            let date = Date(timeIntervalSince1970: Double(parts[1]) ?? 0)
            let job: Int64
            var state: SnapshotEntry.State
            if let id = jobs[commit] {
                job = id
                state = .undoable
            } else if let id = unavailable[commit] {
                job = id
                let reason = lines.first { $0.hasPrefix(Self.unavailablePrefix) }.map {
                    String($0.dropFirst(Self.unavailablePrefix.count))
                }
                state = .unavailable(reason ?? "no snapshot was taken")
            } else {
                continue  // replaced by a later job with the same number
            }
            if undone[job] == commit { state = .undone }
            var skipped: [String] = []
            if let heading = lines.firstIndex(of: Self.skippedHeading) {
                skipped = lines[(heading + 1)...].filter { !$0.isEmpty }
            }
            entries.append(
                SnapshotEntry(
                    job: job, commit: commit, date: date, description: description, state: state, skipped: skipped))
        }
        return entries
    }

    // MARK: undo

    /// Restores the workspace to its state before `job` (or before the newest job not yet
    /// undone). Later jobs' changes go too: they are named in the outcome and marked undone.
    public func undo(job requested: Int64? = nil) -> UndoOutcome {
        do {
            let all = try entries(limit: 10_000)
            let target: SnapshotEntry
            if let requested {
                guard let found = all.first(where: { $0.job == requested }) else {
                    return UndoOutcome(status: .nothing, job: requested, reason: "no snapshot of job \(requested)")
                }
                if found.state == .undone {
                    return UndoOutcome(
                        status: .nothing, job: requested, description: found.description, reason: "already undone")
                }
                target = found
            } else {
                guard let found = all.first(where: { $0.state != .undone }) else {
                    return UndoOutcome(status: .nothing, reason: "no job to undo")
                }
                target = found
            }
            if case .unavailable(let reason) = target.state {
                return UndoOutcome(
                    status: .unavailable, job: target.job, description: target.description, reason: reason)
            }
            let later = all.prefix { $0.commit != target.commit }.filter { $0.state != .undone }
            var outcome = try restore(to: target)
            outcome.later = later.map(\.job).reversed()
            for entry in [target] + later { try git(["update-ref", "refs/undone/\(entry.job)", entry.commit]) }
            return outcome
        } catch {
            return UndoOutcome(
                status: .unavailable, job: requested, reason: (error as? UndoFailure)?.reason ?? "\(error)")
        }
    }

    private func restore(to target: SnapshotEntry) throws -> UndoOutcome {
        let (tree, _) = try currentTree()
        // The present state is kept too, so even an unwanted undo can be recovered by hand.
        let backup = try commitTree(tree, message: "before undo of job \(target.job)")
        try git(["update-ref", "refs/mybro/before-undo", backup])

        var restore: [(path: String, mode: String)] = [], added: [String] = []
        let listing = try git(["diff-tree", "-r", "-z", "--no-renames", "--raw", target.commit, tree])
        // A name git gives that is not UTF-8 would match no pathspec: the undo would stop half
        // done (files removed, others not restored). Nothing is touched instead.
        // So would one too long to name from here (git works from the workspace, the removal
        // names it whole): the kernel takes no path of PATH_MAX bytes or more.
        let raw = listing.fields
        let tooLong = raw.filter { (workspace + "/" + $0).utf8.count >= Int(PATH_MAX) }
        guard tooLong.isEmpty else {
            throw MybroError(
                "cannot undo job \(target.job): \(tooLong.count) of the paths it changed are too long to name"
                    + " (\(CommandSummary.clip(tooLong[0], 60))); nothing was changed. Shorten them, then say undo again",
                status: .dataError)
        }
        let unnamed = listing.fieldsNotUTF8
        guard unnamed.isEmpty else {
            throw MybroError(
                "cannot undo job \(target.job): \(unnamed.count) of the names it changed are not UTF-8 (\(unnamed.prefix(2).joined(separator: ", ")));"
                    + " nothing was changed. Rename them, then say undo again", status: .dataError)
        }
        var index = 0
        while index + 1 < raw.count {
            let meta = raw[index].split(separator: " ")
            let path = raw[index + 1]
            index += 2
            guard meta.count == 5, meta[0].hasPrefix(":") else { continue }
            let oldMode = String(meta[0].dropFirst()), newMode = String(meta[1])
            // Nested repositories (gitlinks) are not ours to touch.
            if oldMode == "160000" || newMode == "160000" { continue }
            if meta[4] == "A" { added.append(path) } else { restore.append((path, oldMode)) }
        }
        // Restored .gitignore files first: a file the job un-ignored is not the job's to remove.
        let ignoreFiles = restore.filter { ($0.path as NSString).lastPathComponent == ".gitignore" }
        try checkout(ignoreFiles, from: target.commit)
        let ignored = try ignoredPaths(added)
        // A file the snapshot left out for its size was there before the job: not the job's to remove.
        let tooLarge = Set(target.skipped)
        let removed = added.filter { !ignored.contains($0) && !tooLarge.contains($0) }
        for path in removed { try remove(path) }
        try checkout(restore.filter { ($0.path as NSString).lastPathComponent != ".gitignore" }, from: target.commit)
        var outcome = UndoOutcome(
            status: restore.isEmpty && removed.isEmpty ? .unchanged : .undone, job: target.job,
            description: target.description)
        outcome.restored = restore.map(\.path).sorted()
        outcome.removed = removed.sorted()
        outcome.skipped = target.skipped
        return outcome
    }

    /// Writes `paths` back from `commit` with their mode; a file that stays a plain file of the
    /// same kind (executable or not) keeps its other permission bits (a 0600 file stays 0600).
    private func checkout(_ paths: [(path: String, mode: String)], from commit: String) throws {
        guard !paths.isEmpty else { return }
        var kept: [(String, mode_t)] = []
        for (path, mode) in paths {
            var info = stat()
            if lstat(workspace + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
                (info.st_mode & 0o111 != 0) == (mode == "100755"), mode.hasPrefix("100")
            {
                kept.append((path, info.st_mode & 0o7777))
            }
        }
        let list = repository + "/mybro-pathspec"
        try Data(paths.map(\.path).joined(separator: "\0").utf8).write(to: URL(fileURLWithPath: list))
        defer { try? FileManager.default.removeItem(atPath: list) }
        try git(["checkout", commit, "--pathspec-from-file=" + list, "--pathspec-file-nul"])
        for (path, mode) in kept { chmod(workspace + "/" + path, mode) }
    }

    private func ignoredPaths(_ paths: [String]) throws -> Set<String> {
        var ignored = Set<String>()
        for start in stride(from: 0, to: paths.count, by: 200) {
            let batch = Array(paths[start..<min(start + 200, paths.count)])
            // The added files are in the private index (the present state was just staged):
            // list those that the (restored) ignore rules now match.
            ignored.formUnion(
                try git(["ls-files", "-z", "--cached", "--ignored", "--exclude-standard", "--"] + batch).fields)
        }
        return ignored
    }

    /// Removes a file the job added, then the directories that leaves empty (never the workspace).
    private func remove(_ path: String) throws {
        let full = workspace + "/" + path
        if unlink(full) != 0 && errno != ENOENT {
            throw UndoFailure(reason: "cannot remove \(path): \(String(cString: strerror(errno)))")
        }
        var directory = (full as NSString).deletingLastPathComponent
        while directory.count > workspace.count, directory.hasPrefix(workspace + "/"), rmdir(directory) == 0 {
            directory = (directory as NSString).deletingLastPathComponent
        }
    }

    // MARK: the private repository

    static let skippedHeading = "skipped (too large):"
    static let unavailablePrefix = "unavailable: "

    private static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ")
    }

    /// Runs git on the private repository and the workspace; throws unless it succeeds (or
    /// `check` is false).
    @discardableResult
    func git(_ arguments: [String], workTree: Bool = true, check: Bool = true) throws -> GitResult {
        var full = GitEnvironment.settings + ["--git-dir=" + repository]
        if workTree { full.append("--work-tree=" + workspace) }
        let result: GitResult
        do {
            result = try runGit(
                arguments: full + arguments, directory: workTree ? workspace : undoDirectory,
                environment: GitEnvironment.clean(home: undoDirectory, indexFile: indexFile), timeout: limits.timeout)
        } catch let error as MybroError where error.status == .noInput {
            throw UndoFailure(reason: error.message)
        }
        if result.status == 124 {
            // We killed it: the index lock it held is ours to clear, or every later snapshot fails.
            try? FileManager.default.removeItem(atPath: indexFile + ".lock")
        }
        if check && !result.succeeded {
            throw UndoFailure(reason: "git \(arguments.first ?? ""): \(result.reason)")
        }
        return result
    }

    func ensureRepository() throws {
        let marker = repository + "/mybro-workspace"
        if FileManager.default.fileExists(atPath: repository + "/HEAD") {
            let owner = (try? String(contentsOfFile: marker, encoding: .utf8)) ?? ""
            guard owner == workspace else {
                throw UndoFailure(reason: "the undo store \(repository) belongs to another workspace (\(owner))")
            }
            return
        }
        do {
            // Snapshots hold copies of the workspace's files: only the user may read them.
            try FileManager.default.createDirectory(
                atPath: undoDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw UndoFailure(
                reason: "cannot create the undo directory \(undoDirectory): \(error.localizedDescription)")
        }
        try git(["init", "-q", "--bare", "--template=", repository], workTree: false)
        chmod(repository, 0o700)
        try FileManager.default.createDirectory(atPath: repository + "/info", withIntermediateDirectories: true)
        try GitEnvironment.attributes.write(toFile: repository + "/info/attributes", atomically: true, encoding: .utf8)
        try workspace.write(toFile: marker, atomically: true, encoding: .utf8)
    }

    /// Stages the workspace as it is now in the private index and writes it as a tree; returns
    /// the tree and the files left out for their size.
    func currentTree() throws -> (tree: String, skipped: [String]) {
        let own = undoDirectoryInWorkspace().map { [$0] } ?? []
        try writeExclude(own)
        let listing = try git(["ls-files", "-z", "--others", "--modified", "--exclude-standard"]).fields
        var skipped: [String] = [], nested: [String] = [], total: Int64 = 0
        for path in listing {
            if path.hasSuffix("/") {
                nested.append(path)  // a repository of its own inside the workspace
                continue
            }
            var info = stat()
            guard lstat(workspace + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if Int64(info.st_size) > limits.maximumFileBytes {
                skipped.append(path)
            } else {
                total += Int64(info.st_size)
            }
        }
        if total > limits.maximumTotalBytes {
            throw UndoFailure(
                reason:
                    "the workspace has \(total >> 20) MB of new or changed files, more than the \(limits.maximumTotalBytes >> 20) MB a snapshot may take"
            )
        }
        if !skipped.isEmpty || !nested.isEmpty {
            if (skipped + nested).contains(where: { $0.contains("\n") }) {
                throw UndoFailure(reason: "a large file's name holds a line break, so it cannot be left out")
            }
            try writeExclude(own + skipped + nested)
            let names = skipped + nested.map { String($0.dropLast()) }
            for start in stride(from: 0, to: names.count, by: 200) {
                try git(
                    ["rm", "--cached", "-r", "-q", "--ignore-unmatch", "--"]
                        + names[start..<min(start + 200, names.count)])
            }
        }
        // --ignore-errors: an unreadable file is left out rather than failing the snapshot.
        let add = try git(["add", "-A", "--ignore-errors"], check: false)
        if !add.succeeded && add.stderr.contains("fatal:") {
            throw UndoFailure(reason: "git add: " + add.reason)
        }
        return (try git(["write-tree"]).text, skipped.sorted())
    }

    /// The undo directory's path in the workspace, ending in "/", when it lies inside it (a
    /// history file kept in the workspace): never part of a snapshot.
    private func undoDirectoryInWorkspace() -> String? {
        guard let pointer = realpath(undoDirectory, nil) else { return nil }
        let real = String(cString: pointer)
        free(pointer)
        guard real.hasPrefix(workspace + "/") else { return nil }
        return String(real.dropFirst(workspace.count + 1)) + "/"
    }

    /// `info/exclude`: the files too large to keep and the nested repositories, each anchored
    /// and with its pattern characters escaped.
    private func writeExclude(_ paths: [String]) throws {
        var text = "# Written by mybro-exec before each snapshot: files over the size limit, nested repositories.\n"
        for path in paths {
            var escaped = ""
            for character in path {
                if "\\*?[".contains(character) { escaped.append("\\") }
                escaped.append(character)
            }
            while escaped.hasSuffix(" ") && !escaped.hasSuffix("\\ ") {
                escaped = String(escaped.dropLast()) + "\\ "
            }
            text += "/" + escaped + "\n"
        }
        let path = repository + "/info/exclude"
        if (try? String(contentsOfFile: path, encoding: .utf8)) != text {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    private func commitTree(_ tree: String, message: String) throws -> String {
        var arguments = ["commit-tree", tree]
        let parent = try git(["rev-parse", "-q", "--verify", "refs/mybro/latest"], check: false)
        if parent.succeeded { arguments += ["-p", parent.text] }
        return try git(arguments + ["-m", message]).text
    }

    private func deleteRefs(_ names: [String]) throws {
        for name in names where FileManager.default.fileExists(atPath: repository + "/" + name) {
            try git(["update-ref", "-d", name])
        }
    }

    /// Best effort: a commit with an empty tree in the chain, named `refs/unavailable/<job>`,
    /// whose message holds the reason.
    private func recordUnavailable(job: Int64, description: String, reason: String) {
        do {
            try ensureRepository()
            let empty = try git(["mktree"]).text
            let commit = try commitTree(
                empty,
                message: "job \(job): \(Self.oneLine(description))\n\n\(Self.unavailablePrefix)\(Self.oneLine(reason))")
            try git(["update-ref", "refs/unavailable/\(job)", commit])
            try git(["update-ref", "refs/mybro/latest", commit])
            try deleteRefs(["refs/jobs/\(job)", "refs/undone/\(job)"])
        } catch {
            // Nothing more to do: without a repository, undo reports that it has nothing.
        }
    }
}

struct UndoFailure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
