import Foundation
import MybroCore

/// What a job may touch: the second layer of mybro-exec's safety, which holds even when the
/// policy judged wrong. A job reads the system, writes only its workspace, its own temporary
/// directory and the tool caches the policy names (Claude Code also its own config), and can
/// read none of mybro's state (history, undo snapshots, logs) or keys.
struct JobSandbox {
    /// The job's private temporary directory (TMPDIR), removed when the job is over.
    let temporaryDirectory: String
    /// The Landlock ruleset; nil where the kernel has none or the sandbox is off.
    let ruleset: LandlockRuleset?
    /// Seconds it took to prepare (directory and ruleset).
    let preparationSeconds: Double
    /// What the job's own mount namespace covers (mybro's private files), where jobs get one;
    /// nil where Landlock hides them instead.
    var maskedPaths: [String]? = nil
    /// What stays writable when the job's mount namespace makes everything else read-only;
    /// nil where jobs get no mount namespace.
    var writablePaths: [String]? = nil
    /// What is made read-only again beneath the writable paths (a repository's hooks and
    /// config), where jobs get read-only mounts.
    var readOnlyPaths: [String]? = nil
    /// The session's shared folders (/tmp, /dev/shm, the runtime folder) replaced by private
    /// ones in the job's mount namespace, and the paths put back beneath them (SharedFolders).
    var privateFolders: [String]? = nil
    var keptPaths: [String]? = nil
    /// Those private folders the job sees as they are, its writes kept in a layer of its own.
    var layeredFolders: [String]? = nil
    /// Whether the job gets a network namespace of its own (it has no network).
    var ownNetwork = false
    /// Whether that namespace's loopback is up for it (TCP on it allowed; ChildProcess.Options).
    var loopbackNetwork = false
    /// What the policy gives the command (credentials, network), found once for the job.
    var access = ToolAccess()
    /// The repository the workspace lies in (its .git), and whether the job may write its
    /// config (one plain call of git's config writers).
    var gitDirectory: String? = nil
    var gitConfigIsTheJobs = false
    /// Whether git itself writes the workspace's Claude Code settings in this job (a plain
    /// checkout or pull): they are then neither read-only to it nor put back after it.
    var gitWritesClaudeSettings = false

    /// Whether jobs can be confined on this machine.
    static var isAvailable: Bool { LandlockRuleset.abi > 0 }

    static func prepare(
        for kind: Job.Kind, id: Int64, configuration: ExecConfiguration,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> JobSandbox {
        let started = monotonicSeconds()
        let temporary = try makeTemporaryDirectory(id: id)
        // What the policy gives this command: credentials (variables, hidden paths) and the network.
        var access = ToolAccess()
        if case .shell(let command, _) = kind {
            access = configuration.policy.access(forCommand: command, workspace: configuration.directory)
        }
        let gitDirectory = enclosingGitDirectory(of: configuration.directory)
        let gitCall = plainGitCall(kind, configuration)
        let gitConfigIsTheJobs = gitCall.map(writesGitConfig) ?? false
        let gitWritesClaudeSettings = gitCall.map(writesTheWorkTreeOnly) ?? false
        guard configuration.sandbox, isAvailable else {
            return JobSandbox(
                temporaryDirectory: temporary, ruleset: nil, preparationSeconds: monotonicSeconds() - started,
                access: access, gitDirectory: gitDirectory, gitConfigIsTheJobs: gitConfigIsTheJobs,
                gitWritesClaudeSettings: gitWritesClaudeSettings)
        }
        var request = LandlockRuleset.Request()
        let home = XDGDirectories.home(environment: environment)
        func expand(_ path: String) -> String { SandboxSettings.expand(path, home: home, environment: environment) }
        request.writable =
            [configuration.directory, temporary]
            + (configuration.policy.sandbox.writable + configuration.extraWritable + access.stores).map(expand)
        if let gitDirectory { request.writable.append(gitDirectory) }
        var claudeFiles: [String] = []
        var claudeLogin: [String] = []
        if case .claude = kind {
            claudeFiles =
                ClaudeControlFiles.claudeFolders(home: home, environment: environment) + [home + "/.claude.json"]
            request.writable += claudeFiles
            // With the credential proxy handing the API key on, Claude Code needs no login of its
            // own, and its tool calls (the workspace's code) must not read the OAuth tokens.
            let key = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"].contains {
                !(environment[$0] ?? SecretEnvironment.value($0) ?? "").isEmpty
            }
            if configuration.credentialProxy && key {
                claudeLogin = ClaudeControlFiles.claudeFolders(home: home, environment: environment).map {
                    $0 + "/.credentials.json"
                }

            }
        }
        // mybro-gpu, called plainly with its key, also keeps its ledger, SSH keys and key file.
        var gpuTool = false
        if access.credentialedTool == "mybro-gpu" {
            gpuTool = true
            let files = gpuToolFiles(environment: environment)
            for directory in files.writable {
                try? FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            request.writable += files.writable
        }
        // The secret stores (~/.ssh, ~/.aws, …) less what a credential gives this command back,
        // and less Claude Code's own files for a Claude Code job.
        // ssh finds its keys through the password database, not $HOME: where the two differ,
        // the key stores of both are hidden.
        var homes = [home]
        if let entry = getpwuid(getuid()), let own = entry.pointee.pw_dir.map({ String(cString: $0) }),
            own.hasPrefix("/"), own != home
        {
            homes.append(own)
        }
        let kept = Set(
            homes.flatMap { home in
                (access.paths + claudeFiles).flatMap {
                    SandboxSettings.expandAll($0, home: home, environment: environment)
                }
            })
        // What the list hides in ~/.cache is hidden where XDG_CACHE_HOME puts it too (Hugging
        // Face keeps its token there when the variable is set).
        // So does what it hides in ~/.config and ~/.local/share, where XDG_CONFIG_HOME and
        // XDG_DATA_HOME put those.
        let movedHomes = [
            ("~/.cache/", "XDG_CACHE_HOME"), ("~/.config/", "XDG_CONFIG_HOME"), ("~/.local/share/", "XDG_DATA_HOME"),
        ]
        .compactMap { prefix, variable in
            environment[variable].flatMap { $0.hasPrefix("/") ? (prefix, $0) : nil }
        }
        let stores =
            homes.flatMap { home in
                configuration.policy.sandbox.hidden.flatMap { path -> [String] in
                    let expanded = SandboxSettings.expandAll(path, home: home, environment: environment)
                    return expanded
                        + movedHomes.filter { path.hasPrefix($0.0) }.map { $0.1 + "/" + path.dropFirst($0.0.count) }
                }
            }
            // A file a withheld credential variable names is a key file (GOOGLE_APPLICATION_CREDENTIALS).
            // (not one a credential gives this job back: git push's SSH_AUTH_SOCK)
            + SecretEnvironment.namedFiles(environment: environment) {
                configuration.policy.isSecretVariable($0) && !access.variables.contains($0)
            }
        // mybro's state and config folders are hidden even before their files exist: a folder
        // that is not there cannot be covered, and a job given a folder above it could make it
        // (a policy file there would rule the next start).
        for kind in [XDGDirectories.Kind.state, .config] {
            try? FileManager.default.createDirectory(
                atPath: XDGDirectories.mybro(kind, environment: environment), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        // mybro's own records never lie where jobs write: a job could rewrite its snapshot, or
        // leave a -wal file beside the history for SQLite to replay. (mybro-gpu, called plainly
        // and found where no job writes, is mybro's own: it writes its ledger beside them.)
        let records = gpuTool ? [] : [configuration.historyPath, configuration.undoDirectory].compactMap { $0 }
        let writableRoots = request.writable.flatMap(TrustedPath.spellings)
        for record in records {
            // (its folder too: a record not made yet lies where its folder resolves)
            let spellings =
                TrustedPath.spellings(record)
                + [LandlockRuleset.realPath((record as NSString).deletingLastPathComponent)].compactMap { $0 }
            if spellings.contains(where: { TrustedPath.isBeneath($0, writableRoots) }) {
                try? FileManager.default.removeItem(atPath: temporary)
                throw MybroError(
                    "\(record) lies inside a folder jobs may write, where a job could change it; nothing run. Keep"
                        + " --history-file and --undo-dir outside the workspace", status: .noPermission)
            }
        }
        let hidden =
            (gpuTool
                ? gpuToolPrivatePaths(configuration: configuration, environment: environment)
                : mybroPrivatePaths(configuration: configuration, environment: environment))
            + claudeLogin
            + stores.filter { store in
                // A variable that names / or a folder holding the home or the workspace
                // (DOCKER_CONFIG=$HOME/, GNUPGHOME=../.) would hide everything: such a value is
                // not a store. Compared as the kernel resolves them.
                let real = LandlockRuleset.realPath(store) ?? store
                return !store.isEmpty && !kept.contains(store)
                    && ![home, configuration.directory].compactMap({ LandlockRuleset.realPath($0) ?? $0 }).contains {
                        $0 == real || SharedFolders.isBeneath($0, real)
                    }
            }
        // Claude Code must reach its API; shell jobs as the policy says.
        if case .shell = kind { request.network = access.network || gpuTool }
        // Where jobs get a mount namespace of their own, the hidden paths are covered there and
        // Landlock lets them read the whole system (`ls ~` works); elsewhere Landlock grants
        // read access to everything beside the hidden paths, and their parents cannot be listed.
        let masked: [String]?
        var keptSockets: [String] = []
        let isolation = ChildProcess.availableIsolation
        if isolation.contains(.privateProc) {
            // The session's sockets (tmux, ssh-agent, X, audio, the user's systemd) are out of
            // Landlock's reach: the mount namespace covers them like the key stores.
            // A credential's variable that names a socket (SSH_AUTH_SOCK for git push) keeps it.
            let granted = access.variables.compactMap { environment[$0] ?? SecretEnvironment.value($0) }
                .filter { $0.hasPrefix("/") }
            keptSockets = configuration.policy.sandbox.sockets.map(expand) + access.paths.map(expand) + granted
            let sockets = HostSockets.covered(kept: keptSockets, network: request.network)
            masked = Array(Set((hidden + sockets).compactMap(LandlockRuleset.realPath))).sorted()
        } else {
            masked = nil
            request.hidden = hidden
        }
        // Landlock has no right for chmod, chown, utimes or xattrs: read-only mounts take them away.
        var writable =
            isolation.contains(.readOnlySystem)
            ? Array(Set((request.writable + LandlockRuleset.writableDeviceTrees).compactMap(LandlockRuleset.realPath)))
                .sorted() : nil
        // The session's shared folders become the job's own, with what it needs put back: a
        // socket made there while the job runs (a tmux server started later) never reaches it.
        var shared: SharedFolders.Plan?
        if writable != nil, isolation.contains(.privateFolders) {
            // What the job reads there: its programs (PATH, Claude Code's own folder), the home
            // folder, the repository around the workspace, the files its command names, the
            // policy's readable paths.
            var programs = (environment["PATH"] ?? "").split(separator: ":").map(String.init).filter {
                $0.hasPrefix("/")
            }
            if case .claude = kind, configuration.claudePath.contains("/") {
                let claude = configuration.claudePath
                programs += [claude, LandlockRuleset.realPath(claude) ?? claude].map {
                    ($0 as NSString).deletingLastPathComponent
                }
            }
            var named: [String] = []
            if case .shell(let command, _) = kind {
                named = SharedFolders.namedFiles(in: command, home: home, workspace: configuration.directory)
            }
            let repository = gitDirectory.map { ($0 as NSString).deletingLastPathComponent }
            let sessionFolders = SharedFolders.candidates(environment: environment)
            let privateHome = SharedFolders.homeCandidates(
                configuration.policy.sandbox.privateFolders, home: home, environment: environment)
            // A folder named private and layered both is private: empty. So is one that is, or
            // holds, a folder of the session's (an XDG_CACHE_HOME that names /tmp or the runtime
            // folder would show its sockets and files).
            let sessionReal = sessionFolders.compactMap(LandlockRuleset.realPath)
            let privateReal = privateHome.compactMap(LandlockRuleset.realPath)
            let layeredHome = SharedFolders.homeCandidates(
                configuration.policy.sandbox.layeredFolders, home: home, environment: environment
            ).compactMap(LandlockRuleset.realPath).filter { real in
                !privateReal.contains(real) && !sessionReal.contains { $0 == real || SharedFolders.isBeneath($0, real) }
            }
            // A layered folder in /tmp (an XDG_CACHE_HOME there) is put back before its layer
            // goes on; one inside another layered folder is there anyway (and put back, it would
            // be read-only in it, and the outer folder then not the job's to write).
            let outermostLayered = layeredHome.filter { folder in
                !layeredHome.contains { SharedFolders.isBeneath(folder, $0) }
            }
            let kept =
                request.writable + [configuration.directory] + (repository.map { [$0] } ?? []) + homes + keptSockets
                + programs + named + outermostLayered
                + configuration.policy.rules.readable.map(expand).compactMap(SharedFolders.readableRoot)
            let candidates = sessionFolders + privateHome + layeredHome
            let plan = SharedFolders.plan(
                folders: candidates, kept: kept, writable: request.writable, layered: layeredHome)
            SharedFolders.sayShared(plan)
            if !plan.folders.isEmpty {
                shared = plan
                writable = Array(Set((writable ?? []) + plan.folders)).sorted()
            }
        }
        // A repository's hooks and config run code later, outside any sandbox (a hook at the next
        // commit, core.fsmonitor at the next git status): no job plants them.
        // Claude Code's settings, hooks, commands and plugins likewise run at the next session.
        var readOnly: [String]? = nil
        if writable != nil {
            readOnly = gitDirectory.map { protectedGitPaths(of: $0, configWritable: gitConfigIsTheJobs) } ?? []
            var claudeControl: [ClaudeControlFiles] = []
            if case .claude = kind { claudeControl.append(.user(home: home, environment: environment)) }
            // A workspace's .claude/ and .mcp.json: any job runs the workspace's code (but git).
            if !gitWritesClaudeSettings { claudeControl.append(.project(workspace: configuration.directory)) }
            // Pinned folders become writable binds: only where Landlock lets the job write anyway.
            let landlockWritable = request.writable.compactMap(LandlockRuleset.realPath).filter { $0 != "/" }
            for control in claudeControl {
                let paths = control.existingPaths(home: home).compactMap(LandlockRuleset.realPath)
                readOnly! += paths
                let pinned = control.pinnedFolders(over: paths).filter { TrustedPath.isBeneath($0, landlockWritable) }
                writable = Array(Set(writable! + pinned)).sorted()
            }
            // Hard links into a cache (a uv environment, pnpm's node_modules): a write through the
            // workspace's name would change the cache's file, which later installs link again.
            let linked: [String]
            do {
                linked = try SharedFiles.entriesLinkedOutside(configuration.directory)
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw error
            }
            if !linked.isEmpty {
                Log.shared.info(
                    "job \(id): read-only for this job, as it holds files hard-linked outside the workspace (a"
                        + " package cache's): \(linked.joined(separator: ", "))")
                let real = linked.compactMap(LandlockRuleset.realPath)
                guard real.count == linked.count else {
                    try? FileManager.default.removeItem(atPath: temporary)
                    throw MybroError(
                        "cannot make \(linked.joined(separator: ", ")) read-only for the job: it holds files hard-linked"
                            + " outside the workspace; nothing run", status: .noPermission)
                }
                readOnly! += real
            }
        }
        // A job without the network gets a namespace of its own where it gets a PID namespace.
        // Its loopback is brought up there and Landlock leaves TCP alone: a test suite's local
        // server works, and there is nothing else to reach (without the namespace, the keeper
        // takes TCP away by a Landlock layer of its own).
        let ownNetwork = !request.network
        let loopbackNetwork = ownNetwork && isolation.contains(.privateProc)
        if loopbackNetwork { request.network = true }
        do {
            let ruleset = try LandlockRuleset.make(request)
            let gpuPrivate = gpuTool ? gpuToolPrivatePaths(configuration: configuration, environment: environment) : []
            try refuseUnhidden(ruleset?.unhidden ?? [], allowed: Set(claudeLogin + gpuPrivate))
            return JobSandbox(
                temporaryDirectory: temporary, ruleset: ruleset, preparationSeconds: monotonicSeconds() - started,
                maskedPaths: masked, writablePaths: writable, readOnlyPaths: readOnly,
                privateFolders: shared?.folders, keptPaths: shared?.kept, layeredFolders: shared?.layered,
                ownNetwork: ownNetwork, loopbackNetwork: loopbackNetwork, access: access, gitDirectory: gitDirectory,
                gitConfigIsTheJobs: gitConfigIsTheJobs, gitWritesClaudeSettings: gitWritesClaudeSettings)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Where jobs get no mount namespace, Landlock cannot hide a path beneath one they may
    /// write. mybro's undo snapshots and history there (the workspace is the home folder, or
    /// --undo-dir names a folder inside it) would let a job rewrite its own snapshot, and undo
    /// then "restore" the job's version; a key store there would be read. Such a job does not
    /// run. Only Claude Code's login beneath its own folder is let through, with a warning (the
    /// job's Claude Code is given the key through the proxy).
    static func refuseUnhidden(_ unhidden: [String], allowed: Set<String>) throws {
        let exposed = unhidden.filter { path in
            !allowed.contains(path) && !allowed.contains { LandlockRuleset.realPath($0) == path }
        }
        guard !exposed.isEmpty else { return }
        throw MybroError(
            "cannot hide \(exposed.prefix(3).joined(separator: ", ")) from the job: it lies inside a folder jobs may"
                + " write, and this system gives jobs no mount namespace; nothing run. Choose the project's folder as"
                + " the workspace, and keep --undo-dir and --history-file outside it",
            status: .noPermission)
    }

    /// mybro's own files, which no job may read: its state (history, undo snapshots, logs), its
    /// configuration (keys), and the history and undo directories wherever the options put them.
    static func mybroPrivatePaths(configuration: ExecConfiguration, environment: [String: String]) -> [String] {
        var paths = [
            XDGDirectories.mybro(.state, environment: environment),
            XDGDirectories.mybro(.config, environment: environment),
        ]
        if let history = configuration.historyPath {
            paths += ["", "-wal", "-shm", "-journal", ".seq", ".spill"].map { history + $0 }
        }
        if let undo = configuration.undoDirectory { paths.append(undo) }
        return paths
    }

    /// Where mybro-gpu writes: its ledger beside mybro's other state (SQLite makes its -wal and
    /// -shm files there), and its SSH keys and known_hosts files.
    static func gpuToolFiles(environment: [String: String]) -> (writable: [String], kept: [String]) {
        let state = XDGDirectories.mybro(.state, environment: environment)
        let data = XDGDirectories.mybro(.data, environment: environment)
        return ([state, data + "/gpu"], ["gpu-ledger.sqlite", "shadeform-api-key"])
    }

    /// mybro's private files less mybro-gpu's own: everything in mybro's state and config
    /// folders except the ledger and the key file is hidden one by one, and the history and
    /// undo paths as always.
    static func gpuToolPrivatePaths(configuration: ExecConfiguration, environment: [String: String]) -> [String] {
        let kept = gpuToolFiles(environment: environment).kept
        var paths: [String] = []
        for folder in [
            XDGDirectories.mybro(.state, environment: environment),
            XDGDirectories.mybro(.config, environment: environment),
        ] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            paths += names.filter { name in !kept.contains { name.hasPrefix($0) } }.map { folder + "/" + $0 }
        }
        if let history = configuration.historyPath {
            paths += ["", "-wal", "-shm", "-journal", ".seq", ".spill"].map { history + $0 }
        }
        if let undo = configuration.undoDirectory { paths.append(undo) }
        return paths
    }

    /// A repository's .git directory above the workspace (the workspace is a folder inside a
    /// repository): git in the workspace writes its index and objects there.
    static func enclosingGitDirectory(of workspace: String) -> String? {
        var directory = URL(fileURLWithPath: workspace).standardizedFileURL
        while true {
            let candidate = directory.appendingPathComponent(".git").path
            // A .git that is a link is no repository of the workspace's: an earlier job could
            // have made it (`ln -s ~ .git` in a folder without one), and the repository's
            // folder is writable for every job. Nor is one another user owns (as git's
            // safe.directory has it): another user's /tmp/.git would become writable to every
            // job of this one's, and its folder the repository kept around the workspace.
            var info = stat()
            if lstat(candidate, &info) == 0 {
                return info.st_mode & S_IFMT == S_IFDIR && info.st_uid == getuid() ? candidate : nil
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }

    /// The parts of a .git directory a job may not change: `hooks` (made first where missing,
    /// so that no job can create it) and, unless the command is git's own way of changing its
    /// settings, `config` and `config.worktree`.
    static func protectedGitPaths(of gitDirectory: String, configWritable: Bool) -> [String] {
        let hooks = gitDirectory + "/hooks"
        try? FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: false)
        var paths = [hooks]
        if !configWritable { paths += [gitDirectory + "/config", gitDirectory + "/config.worktree"] }
        return paths.compactMap(LandlockRuleset.realPath)
    }

    /// git subcommands that write the repository's config as part of their work (a remote, an
    /// upstream, a branch's section), judged on the plain calls of git in a shell job.
    static let gitConfigWriters: Set<String> = ["config", "remote", "branch", "checkout", "switch"]

    /// Whether the config stays writable for this job: only for one plain call of git (no
    /// chain, redirection or substitution) whose subcommand is a config writer, so that no
    /// other program, and no git subcommand that runs a shell (`submodule foreach`,
    /// `push --receive-pack`, `rebase --exec`), shares the exemption.
    /// The job's command when it is one plain call of git (parsed once for the questions below).
    static func plainGitCall(
        _ kind: Job.Kind, _ configuration: ExecConfiguration
    ) -> (subcommand: String?, arguments: [String])? {
        guard case .shell(let command, _) = kind,
            let script = try? ShellParser.parse(command, home: SafetyPolicy.home, workspace: configuration.directory),
            let call = SafetyPolicy.plainCall(script), call.tool == "git"
        else { return nil }
        return (call.subcommand, call.arguments)
    }

    /// Whether git writes the work tree from the repository's content and runs nothing of the
    /// workspace's (no `rebase -x`, `bisect run`, `submodule foreach`, aliases or `-c`): the
    /// workspace's committed Claude Code settings then arrive as any file the user takes in by
    /// switching or pulling.
    static func writesTheWorkTreeOnly(_ call: (subcommand: String?, arguments: [String])) -> Bool {
        guard let subcommand = call.subcommand,
            ["checkout", "switch", "pull", "merge", "reset", "restore", "cherry-pick", "revert", "clone"].contains(
                subcommand)
        else { return false }
        return !call.arguments.contains {
            ["-x", "--exec", "-c", "--config", "--git-dir", "--work-tree", "--exec-path", "-C", "--upload-pack"]
                .contains(String($0.split(separator: "=").first ?? ""))
        }
    }

    static func writesGitConfig(_ call: (subcommand: String?, arguments: [String])) -> Bool {
        call.subcommand.map(gitConfigWriters.contains) == true
    }

    static func writesGitConfig(_ kind: Job.Kind, _ configuration: ExecConfiguration) -> Bool {
        plainGitCall(kind, configuration).map(writesGitConfig) ?? false
    }

    static var temporaryBase: String {
        ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
    }

    /// The temporary directory's name carries the pid of the mybro-exec that made it, so that
    /// one killed before it could clean up (SIGKILL) is found by the next one.
    static func makeTemporaryDirectory(id: Int64) throws -> String {
        let base = temporaryBase
        var template = Array("\(base)/mybro-job-p\(getpid())-\(id)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw MybroError(
                "cannot create a temporary directory for the job in \(base): \(SystemIO.describe(errno))",
                status: .ioError)
        }
        return String(cString: made)
    }

    /// Removes the temporary directories of jobs whose mybro-exec is gone (killed before it
    /// could clean up); only this user's, and never one whose owner still runs. Returns how
    /// many were removed.
    @discardableResult
    static func removeAbandonedTemporaryDirectories(in base: String = temporaryBase) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix("mybro-job-p") {
            let digits = name.dropFirst("mybro-job-p".count).prefix { $0.isNumber }
            guard let owner = pid_t(digits), owner > 0, owner != getpid() else { continue }
            // Alive, or someone else's (EPERM): leave it.
            if kill(owner, 0) == 0 || errno != ESRCH { continue }
            var info = stat()
            let path = base + "/" + name
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid() else { continue }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed += 1 }
        }
        return removed
    }

    /// Removes the temporary directory (links in it are removed, never followed).
    func cleanUp() {
        try? FileManager.default.removeItem(atPath: temporaryDirectory)
    }
}
