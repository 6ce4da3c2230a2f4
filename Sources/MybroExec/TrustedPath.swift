import Foundation
import MybroCore
import Synchronization

/// The folders of PATH that no job can write, where mybro-exec finds the programs it runs outside
/// any sandbox: git for its snapshots and checks, mybro-gpu for a price, Claude Code itself. A
/// Python project's activated `.venv/bin` (or direnv's `bin`) is on PATH and inside the
/// workspace: an auto-run `make test` that wrote `.venv/bin/git` would have mybro-exec run it
/// around every later job, with the user's keys. Jobs given a tool's credentials or a store to
/// write get this PATH too, so the tool they get them for is the installed one.
struct TrustedPath: Sendable, Equatable {
    let folders: [String]

    /// PATH's folders that are absolute and lie beneath none of `writable` (nor are one).
    init(path: String?, writable: [String]) {
        let roots = writable.map { LandlockRuleset.realPath($0) ?? $0 }
        folders = (path ?? Self.fallback).split(separator: ":").map(String.init).filter { entry in
            guard entry.hasPrefix("/") else { return false }
            let real = LandlockRuleset.realPath(entry) ?? entry
            return !roots.contains { real == $0 || real.hasPrefix($0 == "/" ? "/" : $0 + "/") }
        }
    }

    static let fallback = "/usr/local/bin:/usr/bin:/bin"

    /// As a PATH value.
    var path: String { folders.isEmpty ? "/usr/bin:/bin" : folders.joined(separator: ":") }

    /// `name` as these folders have it (an absolute path), or nil.
    func program(_ name: String) -> String? {
        guard !name.contains("/") else { return name }
        for folder in folders {
            let candidate = folder + "/" + name
            var info = stat()
            if access(candidate, X_OK) == 0, stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                return candidate
            }
        }
        return nil
    }

    /// What jobs of this configuration can write: the workspace and its repository, the
    /// policy's and the options' writable paths, the stores, Claude Code's folders, and the
    /// shared temporary folders.
    static func writableByJobs(_ configuration: ExecConfiguration, environment: [String: String]) -> [String] {
        let home = XDGDirectories.home(environment: environment)
        func expand(_ path: String) -> String { SandboxSettings.expand(path, home: home, environment: environment) }
        var roots = [configuration.directory] + configuration.extraWritable.map(expand)
        roots += configuration.policy.sandbox.writable.map(expand)
        roots += configuration.policy.sandbox.storeGrants.flatMap(\.paths).map(expand)
        roots += ClaudeControlFiles.claudeFolders(home: home, environment: environment)
        if let git = JobSandbox.enclosingGitDirectory(of: configuration.directory) {
            roots.append((git as NSString).deletingLastPathComponent)
        }
        roots += ["/tmp", "/var/tmp", "/dev/shm", NSTemporaryDirectory()]
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") { roots.append(runtime) }
        return roots
    }

    private static let current = Mutex<TrustedPath?>(nil)

    /// The one mybro-exec set for its workspace at start (the system folders until then).
    static var shared: TrustedPath {
        current.withLock { $0 } ?? TrustedPath(path: fallback, writable: [])
    }

    static func setShared(for configuration: ExecConfiguration, environment: [String: String]) {
        let trusted = TrustedPath(
            path: environment["PATH"], writable: writableByJobs(configuration, environment: environment))
        current.withLock { $0 = trusted }
    }
}
