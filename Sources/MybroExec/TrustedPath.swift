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
    /// The folders, as real paths resolved when mybro-exec started: a link in PATH (a
    /// `.venv` linked to a venv elsewhere) is never followed again, so a job that replaced it
    /// changes nothing here.
    let folders: [String]
    /// What jobs may write, each as written and as resolved.
    let roots: [String]

    /// PATH's folders that exist, are absolute, and lie, as written and resolved, beneath none
    /// of `writable` (nor are one), whichever way those are spelled.
    init(path: String?, writable: [String]) {
        let roots = Array(Set(writable.flatMap(Self.spellings)))
        self.roots = roots
        var seen = Set<String>()
        folders = (path ?? Self.fallback).split(separator: ":").compactMap { entry -> String? in
            guard entry.hasPrefix("/") else { return nil }
            let written = URL(fileURLWithPath: String(entry)).standardizedFileURL.path
            // One that does not exist yet could be made later by a job.
            guard let real = LandlockRuleset.realPath(written), !Self.isBeneath(written, roots),
                !Self.isBeneath(real, roots), seen.insert(real).inserted
            else { return nil }
            return real
        }
        let strict = folders.filter { !Self.holdsLink(in: $0, into: roots) }
        // None left (the workspace is /usr, say): a PATH where nothing is found, never one a job writes.
        self.path = strict.isEmpty ? "/nonexistent" : strict.joined(separator: ":")
    }

    /// `path` as written (made absolute and tidied) and as the kernel resolves it, where it exists.
    static func spellings(_ path: String) -> [String] {
        [URL(fileURLWithPath: path).standardizedFileURL.path] + [LandlockRuleset.realPath(path)].compactMap { $0 }
    }

    static func isBeneath(_ path: String, _ roots: [String]) -> Bool {
        roots.contains { path == $0 || path.hasPrefix($0 == "/" ? "/" : $0 + "/") }
    }

    static let fallback = "/usr/local/bin:/usr/bin:/bin"

    /// As a PATH value, for the programs those programs run in turn (git's ssh, a credentialed
    /// job's tools): a folder holding a link into what jobs write (`~/.local/bin/ssh` to a build
    /// in the workspace) is left out, since a search there would follow it.
    /// (Looked at once, at start: no job can add a link to a trusted folder.)
    let path: String

    /// Whether an entry of `folder` is a link that leads beneath `roots` (the first 10,000 looked at).
    static func holdsLink(in folder: String, into roots: [String]) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return false }
        return names.prefix(10_000).contains { name in
            let entry = folder + "/" + name
            var info = stat()
            guard lstat(entry, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return false }
            // A link leading nowhere yet could be made to lead anywhere by making its target.
            guard let real = LandlockRuleset.realPath(entry) else {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: entry)) ?? ""
                let absolute = target.hasPrefix("/") ? target : folder + "/" + target
                return isBeneath(URL(fileURLWithPath: absolute).standardizedFileURL.path, roots)
            }
            return isBeneath(real, roots)
        }
    }

    /// The real path of `name` as these folders have it, or nil; nil too when it resolves to a
    /// file beneath what jobs write (`~/.local/bin/mybro-gpu` linked to a build in the
    /// workspace). Run this path, not the name: a PATH search would follow the link again.
    func program(_ name: String) -> String? {
        if name.contains("/") { return name }
        for folder in folders {
            let candidate = folder + "/" + name
            guard access(candidate, X_OK) == 0, let real = LandlockRuleset.realPath(candidate) else { continue }
            var info = stat()
            guard stat(real, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            // The first one found is the one a search would run: where it leads into what jobs
            // write, there is no trusted one.
            return Self.isBeneath(real, roots) ? nil : real
        }
        return nil
    }

    /// What jobs of this configuration can write (Landlock's writable paths): the workspace and
    /// its repository, the policy's and the options' writable paths, the stores, Claude Code's
    /// folders and the writable device trees.
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
        // And the device trees Landlock lets every job write (/dev/shm). /tmp and the runtime
        // folder are not among them: a job writes only its own TMPDIR there, made for it and
        // removed after it (a build of mybro in /tmp, a CI clone's, stays trusted).
        roots += LandlockRuleset.writableDeviceTrees
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
