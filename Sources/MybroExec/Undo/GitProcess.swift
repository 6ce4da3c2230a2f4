import Foundation
import MybroCore

/// What one git command gave back.
struct GitResult: Sendable {
    var status: Int32
    var stdout: Data
    var stderr: String

    var succeeded: Bool { status == 0 }
    var text: String { String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    /// stdout split on NUL (the `-z` output of git's listing commands).
    var fields: [String] { stdout.split(separator: 0).map { String(decoding: $0, as: UTF8.self) } }
    /// The fields that are not UTF-8 (their names as `fields` gives them, with U+FFFD), which no
    /// pathspec built from `fields` would match.
    var fieldsNotUTF8: [String] {
        stdout.split(separator: 0).filter { String(bytes: $0, encoding: .utf8) == nil }.map {
            String(decoding: $0, as: UTF8.self)
        }
    }
    /// The first line of stderr, for a one-line reason.
    var reason: String {
        let line = stderr.split(separator: "\n").first.map(String.init) ?? ""
        return line.isEmpty ? "git exited \(status)" : line
    }
}

/// The one place undo starts git, through the project's process layer (its own process group,
/// no inherited descriptors).
///
/// `environment` is the whole environment: callers pass `GitEnvironment.clean(…)`, never the
/// user's. Throws only when git cannot be started (not installed: `.noInput`).
func runGit(
    arguments: [String], directory: String, environment: [String: String], timeout: Double = 60
) throws -> GitResult {
    // git as installed where no job can write, run by its real path (never searched again).
    guard let git = TrustedPath.shared.program("git") else {
        throw MybroError("git is not installed outside the folders jobs can write", status: .noInput)
    }
    let result = try ChildProcess.capture(
        arguments: [git] + arguments, directory: directory, environment: environment, timeout: timeout)
    let stderr = String(decoding: result.stderr, as: UTF8.self)
    if result.timedOut {
        return GitResult(
            status: 124, stdout: result.stdout, stderr: "git \(arguments.first ?? "") took over \(Int(timeout)) s")
    }
    return GitResult(status: result.status, stdout: result.stdout, stderr: stderr)
}

/// The environment and settings git runs under for undo: nothing of the user's git setup
/// (no GIT_* variables, no system or global config, no hooks, no fsmonitor, no attribute
/// filters, no line-ending or encoding conversion), so a snapshot is the bytes on disk and
/// nothing in the workspace can make git run a program.
enum GitEnvironment {
    static func clean(home: String, indexFile: String? = nil) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var environment: [String: String] = [
            // Only folders no job can write: a `.venv/bin/git` a job planted never runs here.
            "PATH": TrustedPath.shared.path,
            // Away from ~/.gitconfig and ~/.config/git/{config,attributes,ignore}.
            "HOME": home,
            "XDG_CONFIG_HOME": home + "/no-config",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_ATTR_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            // Paths are paths: a file named "*.c" or ":(top)x" means itself.
            "GIT_LITERAL_PATHSPECS": "1",
            "LC_ALL": "C",
            "GIT_AUTHOR_NAME": "mybro", "GIT_AUTHOR_EMAIL": "mybro@localhost",
            "GIT_COMMITTER_NAME": "mybro", "GIT_COMMITTER_EMAIL": "mybro@localhost",
        ]
        if let tmp = inherited["TMPDIR"] { environment["TMPDIR"] = tmp }
        if let indexFile { environment["GIT_INDEX_FILE"] = indexFile }
        return environment
    }

    /// `-c` settings before every command: they win over the private repository's config too.
    static let settings: [String] = [
        "core.hooksPath=/dev/null", "core.fsmonitor=false", "core.untrackedCache=false", "core.autocrlf=false",
        "core.safecrlf=false", "core.symlinks=true", "core.fileMode=true", "core.ignoreCase=false",
        "core.attributesFile=/dev/null", "core.excludesFile=/dev/null", "core.quotePath=false",
        "core.sparseCheckout=false", "core.splitIndex=false", "gc.auto=0", "maintenance.auto=false",
        "submodule.recurse=false", "advice.addEmbeddedRepo=false", "advice.detachedHead=false",
    ].flatMap { ["-c", $0] }

    /// Written to the private repository's `info/attributes`, which outranks every
    /// `.gitattributes` in the workspace: no filter, no conversion, no keyword expansion.
    static let attributes = "* -text -eol -crlf -ident -filter -working-tree-encoding\n"
}
