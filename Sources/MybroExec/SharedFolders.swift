import Foundation
import MybroCore
import Synchronization

/// The folders every program of the session shares: /tmp, /var/tmp, /dev/shm and the runtime
/// folder. A tmux server, an ssh-agent, the audio server and the session bus put their sockets
/// there, and Landlock does not mediate connect() on a socket with a path. Covering the sockets
/// bound when a job starts (HostSockets) misses those made, restarted or renamed while it
/// runs, so each job gets these folders as private, empty ones instead, with what it needs
/// from them put back: its workspace, its TMPDIR, the home folder, a socket a credential or a
/// `sandbox socket` line keeps, a `readable` path. Folders of the home a `sandbox private` line
/// names are made private the same way, with the `sandbox write` paths beneath them put back;
/// those a `sandbox layer` line names (~/.cache and the dependency stores) are shown as they
/// are, the job's writes going to a layer of its own that goes with it.
enum SharedFolders {
    struct Plan: Equatable {
        /// The folders replaced by private ones, outermost first.
        var folders: [String]
        /// The paths beneath them that are put back.
        var kept: [String]
        /// The folders left shared, each with the reason (said once at info level).
        var shared: [String] = []
        /// Those of `folders` the job sees as they are, its writes kept in a layer of its own.
        var layered: [String] = []
    }

    /// The reasons already said: each folder left shared is said once per process, not per job.
    private static let said = Mutex<Set<String>>([])

    /// Says at info level, once each, which folders stay shared and why.
    static func sayShared(_ plan: Plan) {
        for reason in plan.shared where said.withLock({ $0.insert(reason).inserted }) {
            Log.shared.info("jobs share \(reason): a socket made there while a job runs can reach it")
        }
    }

    /// The most paths put back beneath one folder (process.c holds each as a detached mount).
    static let keptLimit = 200

    /// The shared folders of this session that exist: /tmp, /var/tmp, /dev/shm, and the runtime
    /// folders (`XDG_RUNTIME_DIR`, and /run/user/UID, which su, cron or ssh may leave unnamed)
    /// when they are the user's own with no access for others, as a runtime folder must be.
    static func candidates(environment: [String: String]) -> [String] {
        var folders = ["/tmp", "/var/tmp", "/dev/shm"]
        // Both: the variable may name another folder while the session's services still keep
        // their sockets in /run/user/UID.
        let runtimes = [
            environment["XDG_RUNTIME_DIR"].flatMap { $0.hasPrefix("/") ? $0 : nil }, "/run/user/\(getuid())",
        ]
        for runtime in runtimes.compactMap({ $0 }) where !folders.contains(runtime) {
            var info = stat()
            if stat(runtime, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid(),
                info.st_mode & 0o077 == 0
            {
                folders.append(runtime)
            }
        }
        return folders
    }

    /// The home's folders the policy makes private or layered (`sandbox private`, `sandbox
    /// layer`: ~/.cache by default, and `XDG_CACHE_HOME` with it where that names another
    /// folder) that exist as folders of the user's own.
    static func homeCandidates(
        _ paths: [String], home: String, environment: [String: String]
    ) -> [String] {
        var folders = paths.map { SandboxSettings.expand($0, home: home, environment: environment) }
        if paths.contains("~/.cache"), let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            folders.append(cache)
        }
        return folders.filter { folder in
            var info = stat()
            return stat(folder, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR && info.st_uid == getuid()
        }
    }

    /// Which folders become private, and what is put back beneath them. A folder stays shared
    /// when the job must write it whole or from above (a writable path is the folder or holds
    /// it: `--allow-write /tmp`, a workspace that is /tmp), when more than `keptLimit` paths
    /// would be put back in it, or when it is the root. A read-only path that is the folder
    /// itself (a home folder or PATH entry that is /tmp, a repository rooted there) is not put
    /// back: the folder is private and empty instead. Paths are taken as real paths; those that
    /// do not exist are dropped.
    static func plan(folders candidates: [String], kept: [String], writable: [String], layered: [String] = []) -> Plan {
        let kept = Set(kept.compactMap(LandlockRuleset.realPath))
        let writable = Set(writable.compactMap(LandlockRuleset.realPath))
        var folders: [String] = []
        var shared: [String] = []
        for candidate in Set(candidates.compactMap(LandlockRuleset.realPath)).sorted() {
            if candidate == "/" { continue }
            if let holder = writable.first(where: { $0 == candidate || isBeneath(candidate, $0) }) {
                shared.append("\(candidate) (the job may write \(holder))")
                continue
            }
            let count = kept.filter { isBeneath($0, candidate) }.count
            if count > keptLimit {
                shared.append("\(candidate) (\(count) paths in it to put back, more than \(keptLimit))")
                continue
            }
            folders.append(candidate)
        }
        folders.sort { ($0.count, $0) < ($1.count, $1) }
        let beneath = kept.filter { path in folders.contains { isBeneath(path, $0) } }.sorted()
        let layered = Set(layered.compactMap(LandlockRuleset.realPath))
        return Plan(folders: folders, kept: beneath, shared: shared, layered: folders.filter(layered.contains))
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
