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
                       safety policy; a task (test, build, lint) runs the
                       project's own command (make, swift, cargo, go, npm,
                       pytest)
              stop     at once: drops waiting intents and stops the job:
                       Claude Code's stream-json interrupt, then SIGINT,
                       SIGTERM and SIGKILL to its whole process group
              status   at once: says what is running
              confirm, deny answer a pending question; answer says its text

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
              the code, rewrite history or show secrets waits for a yes.
              --print-policy prints the shipped policy and its format; sandbox
              and secret-env lines set the jobs' sandbox. Jobs get no
              ANTHROPIC_API_KEY (Claude Code does).

            HISTORY
              Every job is kept in SQLite at $XDG_STATE_HOME/mybro/
              history.sqlite (default ~/.local/state/mybro/history.sqlite).
              A job running when mybro-exec died is marked interrupted at the
              next start. --history lists the recent jobs.

            EXAMPLES
              echo '{"type":"transcript","text":"run the tests"}' \\
                | mybro-intent | mybro-exec --cwd proj
              mybro-exec --history

            Exit status 0, or the last job's when it failed (124, 128+N).

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

    @Option(help: "Seconds a job may run before it is stopped (0: no limit).")
    var timeout: Double = 1800

    @Option(help: "Seconds between the steps of a stop (SIGINT, SIGTERM, SIGKILL).")
    var stopGrace: Double = 0.04

    @Option(help: "Seconds Claude Code gets to end its turn after a stream-json interrupt, before the signals.")
    var interruptGrace: Double = 0.25

    @Option(help: "Seconds to wait for a spoken yes before dropping a command that needs one.")
    var confirmTimeout: Double = 30

    @Option(help: "The most job_output lines a second (0: no limit).")
    var outputRate: Double = 20

    @Option(help: ArgumentHelp("The job history database (default: under $XDG_STATE_HOME/mybro).", valueName: "file"))
    var historyFile: String?

    @Flag(help: "Keep no job history.") var noHistory = false

    @Flag(help: "List the recent jobs from the history and exit.") var history = false

    mutating func validate() throws {
        for (name, value) in [
            ("--timeout", timeout), ("--stop-grace", stopGrace), ("--interrupt-grace", interruptGrace),
            ("--confirm-timeout", confirmTimeout), ("--output-rate", outputRate),
        ] where value < 0 {
            throw ValidationError("\(name) must be 0 or more")
        }
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-exec", log: log) {
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
            configuration.strict = strict.strict
            let status = try ExecSupervisor(configuration: configuration).run()
            if status != 0 { Foundation.exit(status) }
        }
    }
}
