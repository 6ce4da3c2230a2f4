import ArgumentParser
import Foundation
import MybroCore
import MybroExec
import MybroStore

@main
struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-exec",
        abstract: "Act on intents: run Claude Code tasks and shell commands safely, one job at a time.",
        discussion: """
            Reads JSON Lines on stdin. "intent" records are consumed; every other record passes through \
            unchanged and in order. Writes job_started, job_output (rate-limited), job_done and say records, \
            confirm when a command needs a spoken yes, and interrupt on stop.

            ACTIONS
              code     Claude Code, headless, in the workspace: claude -p
                       --input-format stream-json --output-format stream-json
                       --verbose, continuing the last session (--resume=ID)
              run      a shell command (/bin/sh -c) in the workspace, under the
                       safety policy; a task (test, build, lint, format,
                       start) runs the project's own command (make, swift,
                       cargo, go, npm, pytest), mode release a release build
              stop     at once: drops waiting intents and stops the job:
                       Claude Code's stream-json interrupt, then SIGINT,
                       SIGTERM and SIGKILL to its whole process group
              status   at once: says what is running; with a task that is
                       not running, how its last run went
              history  at once: how the last job (of task) ended and how long
                       it took, from this run's jobs and the job history
              ask      nothing (mybro-intent asked and keeps the guess)
              confirm, deny answer a pending question; answer says its text
              undo     in turn: puts the workspace back as it was before the
                       last job not yet undone (or job "job")

            SAFETY POLICY
              A command is parsed as sh would (quotes, chains, pipes,
              redirections, $(...), sudo/env/xargs/sh -c) and each part is
              judged by tool, subcommand and flags. A file of lines such as
              "read git log -n=NUM --oneline", "writes git diff --output",
              "deny rm -r/--recursive target: home root" says what runs at
              once (read, allow), what waits for a spoken yes (confirm,
              writes, runs) and what never runs (deny). Unknown programs and
              flags, paths outside the workspace and file redirections wait
              for a yes. A Claude Code task asking to destroy things outside
              the code, rewrite history or show secrets waits for a yes. A
              question says when the job would get the network (and that an
              install's or a manifest's code runs with it) or a tool's
              credentials. A command holding a control character (a NUL,
              which the shell and the judge would read differently) never
              runs; nor do docker and podman run, compose, exec, build and
              the like: the container daemon can change anything on the
              machine (only its reading commands get the socket).
              --print-policy prints the shipped policy and its format; sandbox
              and secret-env lines set the jobs' sandbox.

            SANDBOX
              Every job, shell and Claude Code alike, runs under a keeper
              process, so a wrong verdict still cannot hurt:
              - Landlock and no_new_privs: it reads the system but writes only
                the workspace, its own TMPDIR (removed after it), /dev/null
                and the like, the paths "sandbox write" lines name,
                --allow-write paths, the stores a fetch step fills ("sandbox
                store": one plain cargo fetch writes ~/.cargo/registry, go mod
                ~/go/pkg/mod, never where the workspace could choose the
                program it runs: a .cargo/config.toml or rust-toolchain file,
                --config, -Z, an assignment before it), and,
                for Claude Code, ~/.claude, ~/.config/claude and ~/.claude.json
                (what runs at its next start stays as it was: settings,
                CLAUDE.md, hooks, commands, plugins, a local install, the
                scripts settings name, and the folders they are in, which
                cannot be moved; so do a workspace's .claude and .mcp.json
                for every job). It cannot read
                mybro's state (history, undo snapshots) or config, nor where
                keys live ("sandbox hide": ~/.ssh, ~/.gnupg, ~/.aws, ~/.netrc,
                ~/.git-credentials, gh's and cloud tools' config, browser
                profiles, the docker and podman sockets, the session bus,
                gpg-agent and keyring sockets, ...). A "credential TOOL
                SUB... NAME..." line gives one plain call of a tool some of
                them back: git push, pull, fetch, clone and ls-remote read
                ~/.ssh and the SSH agent, but only for a configured remote
                whose URL (insteadOf applied) is https, ssh, git or
                user@host:path, with flags that run nothing, and with hooks,
                fsmonitor and the file and ext transports off. Such a
                job, and one given a store, finds its programs only in
                PATH's folders that no job can write (not an activated
                .venv/bin), and so does mybro-exec for the git it runs
                itself around each job, mybro-gpu's price and Claude Code.
                Shell jobs
                have no network ("sandbox network deny") except those made
                only of the fetch steps "sandbox network allow TOOL SUB..."
                names (git fetch, swift package, cargo fetch, npm install,
                pip install, go mod, ...) or given a credential: builds and
                tests run offline. Where it gets a PID
                namespace it also gets a network namespace of its own, so no
                UDP and no host loopback either; its own loopback is up there,
                so a test suite's local server works. From Landlock ABI 6 it
                cannot signal processes outside its sandbox.
              - A PID namespace of its own (as root, or in a user namespace
                mapping only the user's own ids) with its own /proc: it sees
                no other process, so no other /proc/PID/environ, and an IPC
                namespace (no System V shared memory of the user's); the kernel
                ends all of it when it ends. In its own mount namespace every
                mount but the writable paths is read-only (no chmod, chown,
                touch or xattrs outside them), mybro's private files and the
                key stores are covered by empty ones, so are the unix sockets
                bound when it starts (the kernel's table, /proc/net/unix:
                tmux and screen servers, ssh-agent, X, the audio server, the
                user's systemd and session bus, a local database: a test
                suite that needs one wants a "sandbox socket PATH" line) but
                for logging, user lookups, name lookups for jobs with the
                network, the paths "sandbox socket PATH" lines name and a
                socket a credential's variable names (SSH_AUTH_SOCK for git
                push). /tmp, /var/tmp, /dev/shm and the runtime folder are its
                own, empty and writable (a tmpfs each, gone with it), so a
                socket the session makes there while it runs never reaches
                it; put back in them, read-only unless writable anyway: the
                workspace and its repository, TMPDIR, the home folder, PATH's
                folders, files in /tmp or /var/tmp the command names, kept
                sockets and "readable" paths. ~/.cache and the dependency
                stores (~/.cargo/registry, ~/.npm, ~/go/pkg, ~/.m2/repository,
                ~/.gradle/caches and wrapper) are layered ("sandbox layer"): it
                reads them as they are and may write there, but what it writes
                goes to an overlay layer of its own (one tmpfs, a fifth of
                memory at most) and goes with it. A later build outside the
                sandbox trusts those caches (a cached wheel, a ccache object,
                the Gradle distribution ./gradlew runs) and shells source files
                in ~/.cache at start (powerlevel10k's instant prompt); where the
                overlay cannot be made, such a folder is an empty one instead. It gets a /dev/pts of its own
                (the user's other terminals are not there); and the repository's
                .git/hooks and .git/config are read-only, so no job plants a
                hook or core.fsmonitor that runs later outside the sandbox
                (one plain git config, remote, branch, checkout or switch may
                still write the config, benign settings only: names,
                upstreams, remotes with network URLs, how git shows and
                merges; anything else puts the config back whole). Whatever makes git run code (config,
                commondir, hooks, the same for submodules and worktrees, the
                core.hooksPath folder) is also recorded before each job and
                put back after it, and the job's summary says so; the record
                is kept on disk meanwhile, so if mybro-exec is killed during
                the job, the next one puts it back when it starts.
              - No capabilities (a root job has none left), no_new_privs, a
                session of its own without a controlling terminal.
              - Nothing it starts outlives it: when the job is over, stopped,
                or mybro-exec dies (even by SIGKILL, or the terminal closing),
                the keeper kills every process left beneath it, daemons that
                called setsid included.
              - Its environment has no credentials (ANTHROPIC_API_KEY,
                *_TOKEN, *_SECRET, *PASSWORD*, DATABASE_URL, AWS_*, ...: the
                secret-env lines, matched in any case), nor any variable whose
                value holds a password in a URL or a token of a known shape;
                Claude Code gets a stand-in for its key, good for this job
                only, and ANTHROPIC_BASE_URL pointing at a loopback proxy in
                mybro-exec that sends its requests on with the real key, so
                no process in the job ever holds the key. mybro-exec takes
                the credentials out of its own /proc/PID/environ at start and is
                not dumpable. Its TMPDIR is removed when it ends, or by the
                next mybro-exec when this one was killed first.
              job_started says "sandbox": "landlock" or "none". Where the
              kernel has no Landlock, mybro-exec says so once and relies on
              the policy; --no-sandbox does the same, loudly.

            HISTORY
              Every job is kept in SQLite at $XDG_STATE_HOME/mybro/
              history.sqlite (default ~/.local/state/mybro/history.sqlite).
              A thread of its own writes it: a database locked by another
              process delays only the history (one warning, retries), never
              jobs or records. Ids come from history.sqlite.seq and are
              never reused. Jobs still unwritten after 15 s at exit go to
              history.sqlite.spill, written at the next open. A job whose
              mybro-exec, process group and keeper are all gone is marked
              interrupted. --history lists the recent jobs.

            UNDO
              Before every job, mybro-exec snapshots the workspace into a
              private bare git repository, one per workspace, under the undo
              directory (--undo-dir; default: undo/ beside the history file,
              else $XDG_STATE_HOME/mybro/undo): git add -A with its own index
              (the workspace's .gitignore applies; untracked files are kept;
              .git, nested repositories and files over 50 MB are not),
              commit-tree and refs/jobs/JOB. It works the same with or
              without a git repository in the workspace and never writes to
              it: its HEAD, index, branches, stash and refs stay as they are.
              Git runs without the user's configuration, hooks, fsmonitor or
              attribute filters. A failed snapshot does not stop the job; its
              undo is then unavailable, with the reason.
              An undo intent (or --undo) restores the state before the job:
              files the job added are removed (and directories left empty),
              files it modified, deleted or changed in type are written back
              with their mode; ignored files are never touched. It writes an
              undo record and says what it did ("Undid job 12, rm notes.txt:
              restored 2 files and removed 1."). The job is marked undone,
              so the next undo goes to the job before it. Undoing an older
              job restores the state before it: the changes of the jobs after
              it go too, and the sentence says so ("... and the 2 jobs after
              it"). Undo also reverts edits made by hand since that job.
              --undo-list lists the snapshots. --no-undo takes none.

            EXAMPLES
              echo '{"type":"transcript","text":"run the tests"}' \\
                | mybro-intent | mybro-exec --cwd proj
              mybro-exec --history
              mybro-exec --cwd proj --undo
              mybro-exec --cwd proj --undo 12

            Exit status 0, or the last job's when it failed (124, 128+N).
            SIGINT, SIGTERM and SIGHUP stop the running job and end mybro-exec.
            With --undo: 0 undone; 1 nothing to undo (no job left, or it
            changed nothing); 69 the job cannot be undone (no snapshot, no
            git).

            """ + ManualText.common,
        version: MybroVersion.string)

    @OptionGroup var log: LogOptions

    /// Usage errors as one line in the toolkit's format (see `mybroMain`).
    static func main() { mybroMain() }
    @OptionGroup var strict: StrictOption

    @Option(help: ArgumentHelp("The workspace directory jobs run in.", valueName: "dir"))
    var cwd = FileManager.default.currentDirectoryPath

    @Option(help: ArgumentHelp("A safety policy file (default: the shipped policy).", valueName: "file"))
    var policy: String?

    @Flag(help: "Print the shipped safety policy and exit.")
    var printPolicy = false

    @Option(help: ArgumentHelp("The Claude Code executable.", valueName: "path"))
    var claude = "claude"

    @Option(help: "Claude Code's --permission-mode (default, acceptEdits, plan, bypassPermissions, dontAsk, auto).")
    var permissionMode = "acceptEdits"

    @Option(
        help: ArgumentHelp(
            "Tools Claude Code may use without asking (comma-separated, e.g. \"Read,Edit,Bash(git log:*)\").",
            valueName: "list"))
    var allowedTools: String?

    @Option(help: "The model Claude Code uses (default: its own).")
    var claudeModel: String?

    @Option(help: ArgumentHelp("Continue this Claude Code session with the first code job.", valueName: "session"))
    var resume: String?

    @Option(help: "Seconds a job may run before it is stopped (0: no limit; at most 604800, a week).")
    var timeout: Double = 1800

    @Option(help: "Seconds between the steps of a stop (SIGINT, SIGTERM, SIGKILL), 0-60.")
    var stopGrace: Double = 0.04

    @Option(help: "Seconds Claude Code gets to end its turn after a stream-json interrupt, before the signals (0-60).")
    var interruptGrace: Double = 0.25

    @Option(help: "Seconds to wait for a spoken yes before dropping a command that needs one (0-3600).")
    var confirmTimeout: Double = 30

    @Option(help: "The most job_output lines a second (0: no limit; at most 100000).")
    var outputRate: Double = 20

    @Option(help: ArgumentHelp("The job history database (default: under $XDG_STATE_HOME/mybro).", valueName: "file"))
    var historyFile: String?

    @Flag(help: "Keep no job history.") var noHistory = false

    @Flag(help: "List the recent jobs from the history and exit.") var history = false

    @Flag(
        help: ArgumentHelp(
            "Give Claude Code the API key itself, not a stand-in through mybro-exec's loopback proxy.",
            discussion: "Its own tool calls can then read the key in its /proc/PID/environ."))
    var noCredentialProxy = false

    @Flag(help: "Run jobs without the Landlock sandbox (only the policy protects files outside the workspace).")
    var noSandbox = false

    @Option(
        name: .customLong("allow-write"),
        help: ArgumentHelp("Also let jobs write beneath this path (repeatable).", valueName: "path"))
    var allowWrite: [String] = []

    @Option(help: .hidden) var historyDrainTimeout: Double = 15

    @Flag(help: "Undo the last job not yet undone in the workspace (or JOB), print the undo and say records, and exit.")
    var undo = false

    @Argument(help: ArgumentHelp("With --undo: the job to undo.", valueName: "job"))
    var job: Int64?

    @Flag(help: "List the workspace's undo snapshots, newest first, and exit.") var undoList = false

    @Option(
        help: ArgumentHelp(
            "Where undo keeps its snapshots (default: undo/ beside the history file, else $XDG_STATE_HOME/mybro/undo).",
            valueName: "dir"))
    var undoDir: String?

    @Flag(help: "Take no snapshots before jobs (no undo).") var noUndo = false

    mutating func validate() throws {
        for (name, value, most, unit) in [
            ("--timeout", timeout, 604_800.0, "seconds"), ("--stop-grace", stopGrace, 60, "seconds"),
            ("--interrupt-grace", interruptGrace, 60, "seconds"),
            ("--confirm-timeout", confirmTimeout, 3600, "seconds"),
            ("--output-rate", outputRate, 100_000, "lines a second"),
            ("--history-drain-timeout", historyDrainTimeout, 3600, "seconds"),
        ] {
            try OptionRange.check(value, 0...most, option: name, unit: unit)
        }
        if job != nil && !undo { throw ValidationError("a job number goes with --undo") }
        if (undo || undoList) && noUndo { throw ValidationError("--undo and --undo-list need undo: drop --no-undo") }
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-exec", log: log) {
            // It holds the API key: no other process of the user may read it from /proc.
            SecretEnvironment.protectThisProcess()
            if printPolicy { return try OutputSink.standardOutput.write(line: SafetyPolicy.defaultText) }
            let historyPath = noHistory ? nil : (historyFile ?? JobHistory.defaultPath())
            if history {
                guard let historyPath else {
                    throw MybroError("--history needs a history: drop --no-history", status: .usage)
                }
                return try HistoryListing.write(path: historyPath, limit: 50, to: .standardOutput)
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: cwd, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw MybroError(
                    "the workspace \(cwd) is not a directory: give --cwd an existing directory", status: .noInput)
            }
            var configuration = ExecConfiguration(directory: URL(fileURLWithPath: cwd).standardizedFileURL.path)
            if let policy { configuration.policy = try SafetyPolicy.load(path: policy) }
            configuration.claudePath = claude
            configuration.permissionMode = permissionMode
            configuration.allowedTools = allowedTools.map { $0.split(separator: ",").map(String.init) } ?? []
            configuration.claudeModel = claudeModel
            configuration.resumeSession = resume
            configuration.timeout = timeout
            configuration.stopGrace = stopGrace
            configuration.interruptGrace = interruptGrace
            configuration.confirmTimeout = confirmTimeout
            configuration.outputRate = outputRate
            configuration.historyPath = historyPath
            configuration.historyDrainTimeout = historyDrainTimeout
            configuration.strict = strict.strict
            if noUndo {
                configuration.undoDirectory = nil
            } else if let undoDir {
                configuration.undoDirectory = undoDir
            }
            if undo || undoList, let directory = configuration.undoDirectory {
                let snapshots = WorkspaceSnapshots(workspace: configuration.directory, undoDirectory: directory)
                if undoList { return try UndoListing.write(snapshots, to: .standardOutput) }
                let outcome = snapshots.undo(job: job)
                for record in outcome.records { try OutputSink.standardOutput.write(record: record) }
                if outcome.exitStatus != 0 { Foundation.exit(outcome.exitStatus) }
                return
            }
            configuration.sandbox = !noSandbox
            configuration.credentialProxy = !noCredentialProxy
            configuration.extraWritable = allowWrite.map {
                URL(fileURLWithPath: $0).standardizedFileURL.path
            }
            if noSandbox {
                Log.shared.warning(
                    "--no-sandbox: jobs run unconfined; a wrong verdict of the policy can now change any file you can")
            } else if LandlockRuleset.abi == 0 {
                Log.shared.warning(
                    "this kernel offers no Landlock: jobs run unconfined; only the safety policy guards files outside the workspace"
                )
            }
            let status = try ExecSupervisor(configuration: configuration).run()
            if status != 0 { Foundation.exit(status) }
        }
    }
}
