import Foundation
import MybroCore

/// What makes the next `claude` the user starts run code or follow instructions, kept as it was
/// across a job. A Claude Code job needs its folder (`~/.claude`, `~/.claude.json`) writable for
/// its sessions and state, and so does every tool call it makes, workspace code included; any
/// job may write the workspace's `.claude/` and `.mcp.json`. But a hook in settings.json, an MCP
/// server's command, a script the status line runs or a changed plugin would run at the next
/// session outside any sandbox.
///
/// - Settings files and the instructions file are recorded byte for byte and put back (removed
///   where the job made them); so is a workspace's `.mcp.json`.
/// - The folders of commands, agents, hooks, plugins, skills, rules and output styles, the
///   scripts the settings' strings name, and the shell snapshots other sessions source are
///   bound read-only in the job's mount namespace where they exist; such a folder the job makes
///   is removed after it.
/// - In the state files (`~/.claude.json`, `.config.json`, CLAUDE_CONFIG_DIR's `.claude.json`),
///   which Claude Code rewrites all the time, only the keys that start programs or grant trust
///   are put back: `mcpServers`, and per project also the `.mcp.json` approvals, the trust
///   dialog's answer and the allowed tools. A state file that does not parse goes back whole.
struct ClaudeControlFiles {
    static let settingsFiles = ["settings.json", "settings.local.json", "CLAUDE.md"]
    /// What runs or instructs at the next session; `local` holds a local install's `claude` and its
    /// node_modules (the command the user types).
    static let codeFolders = ["commands", "agents", "hooks", "plugins", "skills", "output-styles", "rules", "local"]
    static let guardedKeys = ["mcpServers"]
    static let guardedProjectKeys = [
        "mcpServers", "enabledMcpjsonServers", "disabledMcpjsonServers", "enableAllProjectMcpServers",
        "hasTrustDialogAccepted", "allowedTools",
    ]
    /// Files a settings file's commands name are read-only only up to this many, as are the shell
    /// snapshots other sessions source (each a bind mount).
    static let mostNamedFiles = 64
    static let mostSnapshots = 256

    /// Claude Code's folders (~/.claude and CLAUDE_CONFIG_DIR; or a workspace's `.claude`).
    let folders: [String]
    /// Its state files, rewritten all the time, whose code-running keys are guarded:
    /// ~/.claude.json, and `.config.json` and `.claude.json` in its folders.
    let stateFiles: [String]
    private var files: [String: Data?] = [:]
    private var absentFolders: [String] = []
    private var states: [String: (bytes: Data?, guarded: [String: String]?)] = [:]
    /// Each folder's identity when recorded (device and inode; nil where there was none). The
    /// put-back runs in mybro-exec itself, outside any sandbox: it touches nothing in a folder
    /// that is no longer the same real one (a job that swapped `.claude` for a link to
    /// ~/.claude, or renamed it and made another, would have it write or delete there).
    private var identities: [String: FileIdentity?] = [:]
    /// What was a link when recorded (a dotfiles checkout's), and where it led: the user's, left
    /// as it is while it still leads there.
    private var links: [String: String] = [:]

    struct FileIdentity: Equatable {
        let device: UInt64
        let inode: UInt64

        /// The identity of a real directory at `path` (not a link); nil for anything else.
        static func directory(_ path: String) -> FileIdentity? {
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
            return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        }
    }

    /// Claude Code's folders: ~/.claude, ~/.config/claude (which versions read settings from), and
    /// CLAUDE_CONFIG_DIR where that names another.
    static func claudeFolders(home: String, environment: [String: String]) -> [String] {
        var folders = [home + "/.claude", home + "/.config/claude"]
        if let own = environment["CLAUDE_CONFIG_DIR"], own.hasPrefix("/"), !folders.contains(own) {
            folders.append(own)
        }
        return folders
    }

    /// The user's Claude Code files: its folders and state files.
    static func user(home: String, environment: [String: String]) -> ClaudeControlFiles {
        let folders = claudeFolders(home: home, environment: environment)
        return ClaudeControlFiles(
            folders: folders,
            stateFiles: [home + "/.claude.json"] + folders.flatMap { [$0 + "/.config.json", $0 + "/.claude.json"] })
    }

    /// A workspace's own: `.claude/` (settings, hooks, commands) and `.mcp.json`. Any job may run
    /// the workspace's code, and what lands there runs at the next `claude` in a trusted folder.
    static func project(workspace: String) -> ClaudeControlFiles {
        ClaudeControlFiles(folders: [workspace + "/.claude"], stateFiles: [])
    }

    /// What exists now and a job gets read-only: the folders of code, the settings files, the
    /// scripts those settings' commands name (a hook's or the status line's script), the shell
    /// snapshots other sessions source, and a workspace's `.mcp.json`.
    func existingPaths(home: String) -> [String] {
        var paths = folders.flatMap { folder in
            (Self.codeFolders + Self.settingsFiles).map { folder + "/" + $0 }.filter(Self.exists)
        }
        for folder in folders {
            let settings = Self.settingsFiles.filter { $0.hasSuffix(".json") }.map { folder + "/" + $0 }
            paths += Array(Self.namedFiles(in: settings, home: home).prefix(Self.mostNamedFiles))
            let snapshots = folder + "/shell-snapshots"
            if let names = try? FileManager.default.contentsOfDirectory(atPath: snapshots) {
                paths += names.sorted().suffix(Self.mostSnapshots).map { snapshots + "/" + $0 }.filter(Self.isFile)
            }
            let mcp = (folder as NSString).deletingLastPathComponent + "/.mcp.json"
            if stateFiles.isEmpty, Self.exists(mcp) { paths.append(mcp) }
        }
        return paths
    }

    /// The folders that must stay where they are for the read-only `paths` (real paths) to mean
    /// anything: each existing Claude Code folder, and every folder between it and a read-only path
    /// beneath it. A read-only bind covers a file, not its name: a job that renamed
    /// `~/.claude/scripts` aside and made another would have the status line run its script. Each
    /// of these is bound onto itself in the job's mount namespace, writable as before, and a mount
    /// point can be neither renamed nor removed.
    func pinnedFolders(over paths: [String]) -> [String] {
        var pinned: [String] = []
        for folder in folders {
            // A real folder only: a link a job left at `.claude` (to / or ~) would have the job's
            // mount namespace make its target writable, and chmod there is Landlock's to miss.
            // (The user's own link, a dotfiles checkout, is bound where it leads only if that is
            // writable to the job anyway: the caller keeps nothing outside the writable roots.)
            guard let real = LandlockRuleset.realPath(folder), FileIdentity.directory(real) != nil,
                FileIdentity.directory(folder) != nil || !stateFiles.isEmpty
            else { continue }
            pinned.append(real)
            for path in paths where path.hasPrefix(real + "/") {
                var parent = (path as NSString).deletingLastPathComponent
                while parent.count > real.count, !pinned.contains(parent) {
                    pinned.append(parent)
                    parent = (parent as NSString).deletingLastPathComponent
                }
            }
        }
        return pinned
    }

    /// Regular files that the strings of the settings files name (every word that is a path
    /// under / or ~ and exists): what their commands run.
    static func namedFiles(in settings: [String], home: String) -> [String] {
        var found: [String] = []
        func visit(_ value: Any) {
            if let text = value as? String {
                for word in text.split(whereSeparator: { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == ";" }) {
                    var path = String(word)
                    if path.hasPrefix("~/") { path = home + path.dropFirst() }
                    if path.hasPrefix("$HOME/") { path = home + path.dropFirst(5) }
                    if path.hasPrefix("/"), isFile(path), !found.contains(path) { found.append(path) }
                }
            } else if let array = value as? [Any] {
                array.forEach(visit)
            } else if let object = value as? [String: Any] {
                object.values.forEach(visit)
            }
        }
        for file in settings {
            if let data = FileManager.default.contents(atPath: file),
                let json = try? JSONSerialization.jsonObject(with: data)
            {
                visit(json)
            }
        }
        return found
    }

    func record() -> ClaudeControlFiles {
        var record = self
        for folder in folders {
            record.identities[folder] = FileIdentity.directory(folder)
            // A folder that is a link (a dotfiles checkout) is the user's: nothing is put back
            // through it, and the read-only binds still cover what exists there.
            if let target = Self.linkTarget(folder) {
                record.links[folder] = target
                continue
            }
            for name in Self.settingsFiles {
                record.files[folder + "/" + name] = FileManager.default.contents(atPath: folder + "/" + name)
            }
            record.absentFolders += Self.codeFolders.map { folder + "/" + $0 }.filter { !Self.exists($0) }
            if stateFiles.isEmpty {
                let mcp = (folder as NSString).deletingLastPathComponent + "/.mcp.json"
                record.files[mcp] = FileManager.default.contents(atPath: mcp)
            }
        }
        for path in Array(record.files.keys) + stateFiles {
            if let target = Self.linkTarget(path) { record.links[path] = target }
        }
        for file in stateFiles {
            let bytes = FileManager.default.contents(atPath: file)
            record.states[file] = (bytes, Self.readState(bytes).map(Self.guarded))
        }
        return record
    }

    /// Whether the put-back may touch `path`: outside the folders (a state file in the home,
    /// which no job writes; the workspace's `.mcp.json`), or in a folder that is still the same
    /// real directory it was, with every folder between them a real one (no link).
    private func isSafe(_ path: String) -> Bool {
        guard let folder = folders.first(where: { path.hasPrefix($0 + "/") }) else { return true }
        guard let now = FileIdentity.directory(folder), let recorded = identities[folder] else { return false }
        if let recorded, recorded != now { return false }
        var parent = (path as NSString).deletingLastPathComponent
        while parent.count > folder.count {
            if FileIdentity.directory(parent) == nil && Self.exists(parent) { return false }
            parent = (parent as NSString).deletingLastPathComponent
        }
        return true
    }

    /// Puts back what the job changed; returns what it put back, for the log and the summary.
    func restore() -> [String] {
        var putBack: [String] = []
        for (folder, was) in identities.sorted(by: { $0.key < $1.key }) where !isUsersLink(folder) {
            // A link the job made where there was nothing: the job's, and it goes.
            if was == nil, links[folder] == nil, GitControlFiles.isLink(folder), unlink(folder) == 0 {
                putBack.append(folder + " (a link the job made: removed)")
                continue
            }
            let now = FileIdentity.directory(folder)
            if (was != nil && now != was) || (now == nil && Self.exists(folder)) {
                putBack.append(folder + " (replaced by a link or another folder: nothing put back there; check it)")
            }
        }
        for (path, recorded) in files.sorted(by: { $0.key < $1.key }) where isSafe(path) && !isUsersLink(path) {
            // A link the job left there goes, whatever it points at; the recorded file comes back.
            if GitControlFiles.isLink(path) { unlink(path) }
            let now = FileManager.default.contents(atPath: path)
            guard now != recorded else { continue }
            if let recorded {
                if Self.write(recorded, to: path) { putBack.append(path) }
            } else if unlink(path) == 0 || errno == ENOENT {
                putBack.append(path)
            }
        }
        for folder in absentFolders where Self.exists(folder) && isSafe(folder) {
            if (try? FileManager.default.removeItem(atPath: folder)) != nil { putBack.append(folder) }
        }
        for (file, before) in states.sorted(by: { $0.key < $1.key }) where isSafe(file) && !isUsersLink(file) {
            // A state file made a link (into the workspace, for a later job to fill) is not
            // Claude Code's: the link goes.
            if GitControlFiles.isLink(file) {
                unlink(file)
                if let recorded = before.bytes, Self.write(recorded, to: file) { putBack.append(file) }
                continue
            }
            let bytes = FileManager.default.contents(atPath: file)
            guard bytes != before.bytes else { continue }
            if let guardedBefore = before.guarded, var state = Self.readState(bytes) {
                guard Self.guarded(state) != guardedBefore else { continue }
                Self.apply(guardedBefore, to: &state)
                if let data = try? JSONSerialization.data(
                    withJSONObject: state, options: [.prettyPrinted, .sortedKeys]),
                    Self.write(data, to: file)
                {
                    putBack.append(file + " (MCP servers, trust, allowed tools)")
                }
            } else if let recorded = before.bytes {
                // Unreadable before or after (a lone surrogate Node takes and Foundation refuses):
                // no key can be checked, so the whole file goes back as it was.
                if Self.write(recorded, to: file) { putBack.append(file + " (whole, unreadable as JSON)") }
            } else if unlink(file) == 0 {
                putBack.append(file)
            }
        }
        return putBack
    }

    /// Written beside under a name of its own (O_EXCL: nothing the job left there is followed
    /// or blocks it) and renamed over, so a reader never sees half a file. A failure is said.
    private static func write(_ data: Data, to path: String) -> Bool {
        var template = Array((path + ".mybro-put-back-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            Log.shared.warning("cannot put back \(path): \(SystemIO.describe(errno)); check it")
            return false
        }
        let temporary = String(cString: template)
        let written = data.withUnsafeBytes { SystemIO.writeAll(descriptor, $0) == 0 }
        fchmod(descriptor, 0o600)
        close(descriptor)
        guard written, rename(temporary, path) == 0 else {
            unlink(temporary)
            Log.shared.warning("cannot put back \(path): \(SystemIO.describe(errno)); check it")
            return false
        }
        return true
    }

    /// Whether `path` is still the link it was when recorded, leading where it led.
    private func isUsersLink(_ path: String) -> Bool {
        links[path] != nil && Self.linkTarget(path) == links[path]
    }

    private static func linkTarget(_ path: String) -> String? {
        guard GitControlFiles.isLink(path) else { return nil }
        return try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    /// A state file's JSON object: empty where there is no file, nil where it does not parse.
    private static func readState(_ data: Data?) -> [String: Any]? {
        guard let data else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// The guarded keys of the state file, as JSON text per key (top level: "mcpServers";
    /// per project: "projects/PATH/KEY"), so two states compare without Any's equality.
    private static func guarded(_ state: [String: Any]) -> [String: String] {
        var found: [String: Any] = [:]
        for key in guardedKeys { found[key] = state[key] ?? NSNull() }
        for (project, value) in (state["projects"] as? [String: Any]) ?? [:] {
            guard let entry = value as? [String: Any] else { continue }
            for key in guardedProjectKeys { found["projects/" + project + "/" + key] = entry[key] ?? NSNull() }
        }
        return found.mapValues { value in
            (try? JSONSerialization.data(withJSONObject: [value], options: .sortedKeys)).map {
                String(decoding: $0, as: UTF8.self)
            } ?? ""
        }
    }

    /// Sets the guarded keys of `state` back to `before` (JSON text per key); a key or project
    /// the job added loses its guarded keys.
    private static func apply(_ before: [String: String], to state: inout [String: Any]) {
        func value(_ text: String?) -> Any? {
            guard let text, let array = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [Any],
                let first = array.first, !(first is NSNull)
            else { return nil }
            return first
        }
        for key in guardedKeys { state[key] = value(before[key]) }
        guard var projects = state["projects"] as? [String: Any] else { return }
        for (project, entry) in projects {
            guard var entry = entry as? [String: Any] else { continue }
            for key in guardedProjectKeys { entry[key] = value(before["projects/" + project + "/" + key]) }
            projects[project] = entry
        }
        state["projects"] = projects
    }

    private static func isFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
