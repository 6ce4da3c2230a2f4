import Foundation
import MybroCore

/// The folders every program of the session shares: /tmp, /var/tmp, /dev/shm and the runtime
/// folder. A tmux server, an ssh-agent, the audio server and the session bus put their sockets
/// there, and Landlock does not mediate connect() on a socket with a path. Covering the sockets
/// bound when a job starts (HostSockets) misses those made, restarted or renamed while it
/// runs, so each job gets these folders as private, empty ones instead, with what it needs
/// from them put back: its workspace, its TMPDIR, the home folder, a socket a credential or a
/// `sandbox socket` line keeps, a `readable` path.
enum SharedFolders {
    struct Plan: Equatable {
        /// The folders replaced by private ones, outermost first.
        var folders: [String]
        /// The paths beneath them that are put back.
        var kept: [String]
    }

    /// The shared folders of this session that exist: /tmp, /var/tmp, /dev/shm, and
    /// `XDG_RUNTIME_DIR` when it is a folder of this user's (its sockets are the user's own).
    static func candidates(environment: [String: String]) -> [String] {
        var folders = ["/tmp", "/var/tmp", "/dev/shm"]
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            var info = stat()
            if stat(runtime, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid() {
                folders.append(runtime)
            }
        }
        return folders
    }

    /// Which folders become private, and what is put back beneath them. A folder is left shared
    /// when the job must write it whole or in part from above (it lies in a writable path, or
    /// is one), when a kept path is the folder itself (a workspace that is /tmp), or when it is
    /// the root. Paths are taken as real paths; those that do not exist are dropped.
    static func plan(folders candidates: [String], kept: [String], writable: [String]) -> Plan {
        let kept = Set(kept.compactMap(LandlockRuleset.realPath))
        let writable = Set(writable.compactMap(LandlockRuleset.realPath))
        var folders: [String] = []
        for candidate in Set(candidates.compactMap(LandlockRuleset.realPath)) {
            guard candidate != "/", !kept.contains(candidate),
                !writable.contains(where: { $0 == candidate || isBeneath(candidate, $0) })
            else { continue }
            folders.append(candidate)
        }
        folders.sort { ($0.count, $0) < ($1.count, $1) }
        let beneath = kept.filter { path in folders.contains { isBeneath(path, $0) } }.sorted()
        return Plan(folders: folders, kept: beneath)
    }

    /// The files a shell command names by absolute path in /tmp or /var/tmp (`sh /tmp/build.sh`,
    /// `--config=/tmp/a.toml`): the user heard the command and said yes to it, so they stay
    /// visible. Only regular files (a folder named this way would show what the session makes in
    /// it later, a socket), and none in /dev/shm or the runtime folder, where programs keep
    /// their shared memory and state.
    static func namedFiles(
        in command: String, home: String, workspace: String, scratch: [String] = ["/tmp", "/var/tmp"]
    ) -> [String] {
        let scratch = scratch.compactMap(LandlockRuleset.realPath)
        guard let script = try? ShellParser.parse(command, home: home, workspace: workspace) else { return [] }
        var files: [String] = []
        for word in script.allWords {
            guard let value = word.value else { continue }
            for candidate in [value, value.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init)] {
                guard let candidate, candidate.hasPrefix("/"), let real = LandlockRuleset.realPath(candidate) else {
                    continue
                }
                var info = stat()
                if stat(real, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
                    scratch.contains(where: { isBeneath(real, $0) })
                {
                    files.append(real)
                }
            }
        }
        return files
    }

    /// The path a policy's `readable` pattern names, without its trailing glob (`/dir/**`).
    static func readableRoot(_ pattern: String) -> String? {
        var path = pattern
        while path.hasSuffix("/**") || path.hasSuffix("/*") {
            path = String(path.dropLast(path.hasSuffix("/**") ? 3 : 2))
        }
        guard path.hasPrefix("/"), !path.contains("*"), !path.contains("?"), !path.contains("[") else { return nil }
        return path
    }

    static func isBeneath(_ path: String, _ folder: String) -> Bool {
        folder == "/" ? path.count > 1 && path.hasPrefix("/") : path.hasPrefix(folder + "/")
    }
}
