import ArgumentParser
import Foundation
import MybroCore
import MybroDoctor
import MybroRules

@main
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-doctor",
        abstract: "Check a codebase for secrets, security problems, the technology rules and repository health.",
        discussion: """
            Scans each PATH (default .) — a directory tree, skipping what .gitignore ignores, or a file — on \
            every core. Findings are JSON Lines records {"type":"finding","check","category","severity","file",\
            "line","end_line","message","fix","fingerprint"} (file is relative to the scanned root; a \
            repository-level finding has no file or line), sorted by file and line, then one \
            {"type":"summary","findings","by_category","by_severity","score","files","bytes",…}. \
            A secret is never printed: messages show its first four characters and its length.

            OUTPUT
              --format jsonl   JSON Lines (the default when stdout is not a terminal)
              --format text    grouped by file like ruff, coloured on a terminal (NO_COLOR turns it off)
              --format sarif   SARIF 2.1.0 for GitHub code scanning

            GIT
              --staged         scan the index (what git commit would record), for pre-commit hooks
              --history        secrets added by any past commit (with commit, file and line), even if gone at HEAD
              --install-hook   write .git/hooks/pre-commit running --staged --fail-on high (--force replaces a
                               hook mybro-doctor did not write)

            IGNORING
              --baseline FILE  report only findings whose fingerprint is not in FILE (a file written by
                               --write-baseline, one fingerprint a line, or earlier JSON Lines output)
              mybro:ignore     on a line silences every check there; mybro:ignore[secret.jwt, health] only those
                               (an id, a category or an id prefix ending in *)

            FIXES
              --fix applies the safe fixes, --diff prints them as a unified diff and changes nothing. Each is
              idempotent (a second --fix changes nothing): .env added to .gitignore and untracked (git rm
              --cached); set -euo pipefail (set -eu for sh) after a script's shebang; unpinned requirements
              pinned to the version in uv.lock, poetry.lock or Pipfile.lock, else the version installed in the
              project's .venv (or python3's); a literal secret in NAME = "…" replaced by an environment lookup
              of NAME in Python, JavaScript/TypeScript and shell.

            RULES FILE
              The technology rules: the built-in stack table, then ~/.config/mybro/rules.toml
              ($XDG_CONFIG_HOME), then the project's .mybro/rules.toml; a later file wins. --print-rules
              prints the merged rules in the file's own format. The format is a strict TOML subset:
                forbidden = ["CUDA", "Flask"]        # forbidden everywhere (added to the list)
                allowed = ["Flask"]                  # lifted from every list
                [[stack]]                            # replaces the built-in entry with the same need
                need = "web backend"
                use = ["FastAPI"]
                never = ["Flask", "Express.js"]
              Comments (#), strings ("…" or '…'), arrays of strings over several lines, integers and
              booleans; any other key, table or syntax is an error naming its line (exit 78). Names are
              matched without case and punctuation ("Express.js" = "expressjs"); a forbidden name with no
              built-in detector is matched against manifest dependencies (policy.forbidden-dependency).
              mybro-intent gives the same merged rules to its Claude backend.

            HEALTH SCORE
              100, less for each check its severity's penalty per finding, at most three times per check:
              critical 25, high 10, medium 4, low 1, info 0; never below 0.

            \(CheckCatalog.manualText)
            EXAMPLES
              mybro-doctor --format text
              mybro-doctor | jq -r 'select(.type=="finding" and .category=="secret") | "\\(.file):\\(.line)"'
              mybro-doctor --fail-on high --format sarif > doctor.sarif
              mybro-doctor --history --format text
              mybro-doctor --write-baseline .mybro/baseline && mybro-doctor --baseline .mybro/baseline --fail-on low
              mybro-doctor --diff && mybro-doctor --fix
              mybro-doctor --install-hook

            EXIT STATUS (besides the table below)
              1 with --fail-on: a finding at or above the given severity

            """ + ManualText.common,
        version: MybroVersion.string
    )

    @Argument(help: "Directories or files to scan (default: the current directory).")
    var paths: [String] = []

    @Option(help: "Output: jsonl, text or sarif (default: text on a terminal, jsonl otherwise).")
    var format: Format?

    @Option(
        name: .customLong("fail-on"),
        help: "Exit 1 when a finding reaches this severity: critical, high, medium, low or info.")
    var failOn: Severity?

    @Flag(help: "Scan the git index instead of the working tree (for pre-commit hooks).")
    var staged = false

    @Flag(help: "Scan every commit of the repository for secrets added in the past.")
    var history = false

    @Flag(name: .customLong("install-hook"), help: "Write a git pre-commit hook that runs mybro-doctor --staged.")
    var installHook = false

    @Flag(help: "With --install-hook: replace a pre-commit hook mybro-doctor did not write.")
    var force = false

    @Option(help: "Report only findings whose fingerprint is not in this file.")
    var baseline: String?

    @Option(
        name: .customLong("write-baseline"), help: "Write the fingerprints of all findings to this file and exit 0.")
    var writeBaseline: String?

    @Flag(help: "Apply the safe fixes.")
    var fix = false

    @Flag(help: "Print the safe fixes as a unified diff without changing anything.")
    var diff = false

    @Flag(name: .customLong("no-ignore"), help: "Also scan files that .gitignore ignores.")
    var noIgnore = false

    @Option(name: .customLong("max-file-size"), help: "Files over this many MiB are reported, not read (1-1024).")
    var maxFileMegabytes = 5

    @Option(help: "Threads that scan files (1-64; default: the number of cores).")
    var threads: Int?

    @Flag(name: .customLong("print-rules"), help: "Print the merged technology rules and exit.")
    var printRules = false

    @Flag(name: .customLong("list-checks"), help: "Print every check's id, category, severity and title and exit.")
    var listChecks = false

    @OptionGroup var log: LogOptions

    static func main() { mybroMain() }

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, text, sarif }

    func validate() throws {
        try OptionRange.check(maxFileMegabytes, 1...1024, option: "--max-file-size", unit: "MiB")
        if let threads { try OptionRange.check(threads, 1...64, option: "--threads") }
        if staged && history { throw ValidationError("choose one of --staged and --history") }
        if fix && diff { throw ValidationError("choose one of --fix and --diff") }
        if (fix || diff) && (staged || history) {
            throw ValidationError("--fix and --diff work on the working tree: drop --staged or --history")
        }
        if installHook && (fix || diff || staged || history) {
            throw ValidationError("--install-hook goes alone (with --force or --fail-on)")
        }
        if (staged || history || installHook) && paths.count > 1 {
            throw ValidationError("--staged, --history and --install-hook take at most one PATH (in the repository)")
        }
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-doctor", log: log) {
            let root = paths.first ?? "."
            if listChecks {
                for check in CheckCatalog.all {
                    try OutputSink.standardOutput.write(
                        line: "\(check.id)\t\(check.category.rawValue)\t\(check.severity.rawValue)\t\(check.title)")
                }
                return
            }
            let rules = try RulesLoader.load(projectRoot: isDirectory(root) ? root : nil)
            if printRules {
                try OutputSink.standardOutput.write(line: rules.tomlText)
                return
            }
            if installHook {
                let path = try HookInstaller.install(in: root, failOn: failOn ?? .high, force: force)
                Log.shared.info("wrote \(path)")
                return
            }
            var configuration = DoctorConfiguration()
            configuration.paths = paths.isEmpty ? ["."] : paths
            configuration.honourIgnoreFiles = !noIgnore
            configuration.maxFileBytes = maxFileMegabytes * 1_048_576
            configuration.rules = rules
            if let threads { configuration.threads = threads }
            if let baseline { configuration.baseline = try BaselineFile.read(baseline) }
            if isatty(2) == 1 && !log.quiet {
                configuration.progress = { done, total in
                    _ = SystemIO.writeAll(2, "\rmybro-doctor: \(done)/\(total) files\u{1B}[K")
                }
            }
            let report: DoctorReport
            if staged {
                report = try Doctor.scanStaged(configuration, at: root)
            } else if history {
                report = try Doctor.scanHistory(configuration, at: root)
            } else {
                report = try Doctor.scan(configuration)
            }
            if configuration.progress != nil { _ = SystemIO.writeAll(2, "\r\u{1B}[K") }
            for path in report.unreadable { Log.shared.warning("cannot read \(path): skipped") }
            if let writeBaseline {
                try BaselineFile.write(report.findings, to: writeBaseline)
                Log.shared.info("wrote \(report.findings.count) fingerprints to \(writeBaseline)")
                return
            }
            if fix || diff {
                let outcome = try Fixer.apply(report: report, roots: configuration.paths, write: fix)
                if diff && !outcome.diff.isEmpty { try OutputSink.standardOutput.write(line: outcome.diff) }
                Log.shared.info(fix ? "applied \(outcome.applied) fixes" : "\(outcome.applied) fixes available")
                return
            }
            try write(report)
            if let failOn, report.findings.contains(where: { $0.severity >= failOn }) {
                throw MybroError("findings at or above \(failOn.rawValue)", status: .negative)
            }
        }
    }

    func write(_ report: DoctorReport) throws {
        let chosen = format ?? (isatty(1) == 1 ? .text : .jsonl)
        let sink = OutputSink.standardOutput
        switch chosen {
        case .jsonl:
            for finding in report.findings { try sink.write(record: FindingFormats.record(finding)) }
            try sink.write(record: Summary(report.findings).record(report: report))
        case .text:
            let colour = isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
            var text = FindingFormats.text(report, colour: colour)
            if text.hasSuffix("\n") { text.removeLast() }
            try sink.write(line: text)
        case .sarif:
            try sink.write(line: FindingFormats.sarif(report, version: MybroVersion.string))
        }
    }

    func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}

extension Severity: ExpressibleByArgument {}
