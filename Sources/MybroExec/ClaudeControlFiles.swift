import Foundation
import MybroCore

/// What makes the next `claude` the user starts run code or follow instructions, kept as it was
/// across a Claude Code job. The job needs its folder (`~/.claude`, `~/.claude.json`) writable
/// for its sessions and state, and so does every tool call it makes, workspace code included; but
/// a hook in settings.json, an MCP server's command in ~/.claude.json, or a changed plugin's hook
/// script would run at the next session outside any sandbox.
///
/// - Settings files and the instructions file are recorded byte for byte and put back (removed
///   where the job made them).
/// - The folders of commands, agents, hooks, plugins, skills and output styles are bound
///   read-only in the job's mount namespace where they exist (`existingFolders`); one the job
///   makes is removed after it.
/// - In `~/.claude.json`, which Claude Code rewrites all the time, only the keys that start
///   programs or grant trust are put back: `mcpServers`, and per project also the `.mcp.json`
///   approvals, the trust dialog's answer and the allowed tools.
struct ClaudeControlFiles {
    static let settingsFiles = ["settings.json", "settings.local.json", "CLAUDE.md"]
    static let codeFolders = ["commands", "agents", "hooks", "plugins", "skills", "output-styles"]
    static let guardedKeys = ["mcpServers"]
    static let guardedProjectKeys = [
        "mcpServers", "enabledMcpjsonServers", "disabledMcpjsonServers", "enableAllProjectMcpServers",
        "hasTrustDialogAccepted", "allowedTools",
    ]

    /// Claude Code's folders: ~/.claude, and CLAUDE_CONFIG_DIR where that is set.
    let folders: [String]
    let stateFile: String
    private var files: [String: Data?] = [:]
    private var absentFolders: [String] = []
    private var guardedState: [String: String]?

    /// Claude Code's folders: ~/.claude, and CLAUDE_CONFIG_DIR where that names another.
    static func claudeFolders(home: String, environment: [String: String]) -> [String] {
        var folders = [home + "/.claude"]
        if let own = environment["CLAUDE_CONFIG_DIR"], own.hasPrefix("/"), own != folders[0] { folders.append(own) }
        return folders
    }

    /// The folders of code and the settings files that exist now: a job gets them read-only.
    static func existingPaths(home: String, environment: [String: String]) -> [String] {
        claudeFolders(home: home, environment: environment).flatMap { folder in
            (codeFolders + settingsFiles).map { folder + "/" + $0 }.filter(exists)
        }
    }

    static func record(home: String, environment: [String: String]) -> ClaudeControlFiles {
        let folders = claudeFolders(home: home, environment: environment)
        var record = ClaudeControlFiles(folders: folders, stateFile: home + "/.claude.json")
        for folder in folders {
            for name in settingsFiles {
                record.files[folder + "/" + name] = FileManager.default.contents(atPath: folder + "/" + name)
            }
            record.absentFolders += codeFolders.map { folder + "/" + $0 }.filter { !isFolder($0) }
        }
        record.guardedState = readState(record.stateFile).map(guarded)
        return record
    }

    /// Puts back what the job changed; returns what it put back, for the log and the summary.
    func restore() -> [String] {
        var putBack: [String] = []
        for (path, recorded) in files.sorted(by: { $0.key < $1.key }) {
            let now = FileManager.default.contents(atPath: path)
            guard now != recorded else { continue }
            if let recorded {
                // Written beside and renamed over, so a reader never sees half a file.
                let temporary = path + ".mybro-put-back"
                if FileManager.default.createFile(
                    atPath: temporary, contents: recorded, attributes: [.posixPermissions: 0o600]),
                    rename(temporary, path) == 0
                {
                    putBack.append(path)
                }
            } else if unlink(path) == 0 || errno == ENOENT {
                putBack.append(path)
            }
        }
        for folder in absentFolders where Self.exists(folder) {
            if (try? FileManager.default.removeItem(atPath: folder)) != nil { putBack.append(folder) }
        }
        if let before = guardedState, var state = Self.readState(stateFile), Self.guarded(state) != before {
            Self.apply(before, to: &state)
            if let data = try? JSONSerialization.data(withJSONObject: state, options: [.prettyPrinted, .sortedKeys]) {
                let temporary = stateFile + ".mybro-put-back"
                if FileManager.default.createFile(
                    atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]),
                    rename(temporary, stateFile) == 0
                {
                    putBack.append(stateFile + " (MCP servers, trust, allowed tools)")
                }
            }
        }
        return putBack
    }

    private static func readState(_ path: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
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

    private static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
