import Foundation
import MybroCore

/// The safe fixes: each turns a finding into an edit that removes it, so running the fixes
/// again finds nothing left to do (idempotent), and each can be reviewed first as a diff.
public enum Fixer {
    public struct Outcome: Sendable {
        public var applied = 0
        public var diff = ""
    }

    /// Edits to one file, by line (1-based), applied bottom-up.
    struct FileEdits {
        var replacements: [Int: String] = [:]
        var insertions: [Int: [String]] = [:]  // inserted before the line
        var appended: [String] = []
        var commands: [[String]] = []
        var count = 0
        /// Secrets the edits remove: shown in the diff only as their first four characters.
        var secrets: [String] = []
    }

    public static func apply(report: DoctorReport, roots: [String], write: Bool) throws(MybroError) -> Outcome {
        var outcome = Outcome()
        for root in roots {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
                continue
            }
            var edits: [String: FileEdits] = [:]
            var versions: RequirementVersions?
            for finding in report.findings {
                guard let file = finding.file else { continue }
                let path = root + "/" + file
                switch finding.check {
                case CheckCatalog.committedEnv.id:
                    let name = String(file.split(separator: "/").last ?? Substring(file))
                    let ignore = root + "/.gitignore"
                    let existing = (try? String(contentsOfFile: ignore, encoding: .utf8)) ?? ""
                    let lines = existing.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                    if !lines.contains(name) && !lines.contains("/" + name)
                        && !(edits[".gitignore"]?.appended.contains(name) ?? false)
                    {
                        edits[".gitignore", default: FileEdits()].appended.append(name)
                        edits[".gitignore", default: FileEdits()].count += 1
                    }
                    if finding.message.contains("tracked by git") {
                        edits[".gitignore", default: FileEdits()].commands.append([
                            "git", "rm", "--cached", "-q", "--", file,
                        ])
                    }
                case CheckCatalog.shellNoErrexit.id:
                    guard let lines = readLines(path) else { continue }
                    let shebang = lines.first?.hasPrefix("#!") == true ? lines[0] : ""
                    let posix = shebang.hasSuffix("/sh") || shebang.hasSuffix(" sh") || shebang.contains("dash")
                    let line = posix ? "set -eu" : "set -euo pipefail"
                    edits[file, default: FileEdits()].insertions[shebang.isEmpty ? 1 : 2, default: []].append(line)
                    edits[file, default: FileEdits()].count += 1
                case CheckCatalog.unpinnedDependency.id:
                    guard let number = finding.line, let lines = readLines(path), number <= lines.count else {
                        continue
                    }
                    if versions == nil { versions = RequirementVersions(root: root) }
                    if let pinned = versions!.pin(lines[number - 1]) {
                        edits[file, default: FileEdits()].replacements[number] = pinned
                        edits[file, default: FileEdits()].count += 1
                    }
                case let check where finding.category == .secret:
                    _ = check
                    guard let number = finding.line, let lines = readLines(path), number <= lines.count,
                        let replacement = SecretLookup.replacement(
                            line: lines[number - 1], secret: finding.evidence, file: file)
                    else { continue }
                    edits[file, default: FileEdits()].replacements[number] = replacement.line
                    edits[file, default: FileEdits()].secrets.append(finding.evidence)
                    if let importLine = replacement.importLine, !lines.contains(importLine),
                        !(edits[file]?.insertions.values.contains { $0.contains(importLine) } ?? false)
                    {
                        edits[file, default: FileEdits()].insertions[importPosition(lines), default: []].append(
                            importLine)
                    }
                    edits[file, default: FileEdits()].count += 1
                default:
                    continue
                }
            }
            for file in edits.keys.sorted() {
                let fileEdits = edits[file]!
                let path = root + "/" + file
                let original = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                let updated = applyEdits(fileEdits, to: original)
                if updated != original {
                    outcome.diff += redacted(try unifiedDiff(original, updated, name: file), fileEdits.secrets)
                    if write { try writeFile(path, updated) }
                }
                for command in fileEdits.commands {
                    if write {
                        _ = try Git.run(Array(command.dropFirst()), in: root)
                    } else {
                        outcome.diff += "# then: \(command.joined(separator: " "))\n"
                    }
                }
                outcome.applied += fileEdits.count
            }
        }
        if outcome.diff.hasSuffix("\n") { outcome.diff.removeLast() }
        return outcome
    }

    /// The diff with every secret shortened to its first four characters and its length.
    static func redacted(_ diff: String, _ secrets: [String]) -> String {
        var text = diff
        for secret in secrets where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: SecretRedaction.describe(Array(secret.utf8)))
        }
        return text
    }

    static func readLines(_ path: String) -> [String]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Where `import os` goes: after the shebang, encoding line, docstring-free __future__ imports.
    static func importPosition(_ lines: [String]) -> Int {
        var position = 1
        for (index, line) in lines.enumerated() {
            if index == 0 && line.hasPrefix("#!") { position = 2 }
            if line.hasPrefix("# -*-") || line.hasPrefix("from __future__") { position = index + 2 }
        }
        return position
    }

    static func applyEdits(_ edits: FileEdits, to text: String) -> String {
        var lines = text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let endsWithNewline = text.hasSuffix("\n")
        if endsWithNewline { lines.removeLast() }
        for (number, line) in edits.replacements where number - 1 < lines.count { lines[number - 1] = line }
        for number in edits.insertions.keys.sorted(by: >) {
            lines.insert(contentsOf: edits.insertions[number]!, at: min(number - 1, lines.count))
        }
        lines += edits.appended
        return lines.isEmpty
            ? ""
            : lines.joined(separator: "\n") + (endsWithNewline || !edits.appended.isEmpty || text.isEmpty ? "\n" : "")
    }

    /// Writes in place (keeping the file's mode), creating it 0644 when it is new.
    static func writeFile(_ path: String, _ text: String) throws(MybroError) {
        let fd = open(path, O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw MybroError("cannot write \(path): \(SystemIO.describe(errno))", status: .ioError)
        }
        defer { close(fd) }
        let code = SystemIO.writeAll(fd, text)
        if code != 0 { throw MybroError("cannot write \(path): \(SystemIO.describe(code))", status: .ioError) }
    }

    /// diff -u of the two versions, labelled a/NAME and b/NAME.
    static func unifiedDiff(_ old: String, _ new: String, name: String) throws(MybroError) -> String {
        let directory = NSTemporaryDirectory() + "mybro-doctor-diff-\(getpid())-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(old.utf8).write(to: URL(fileURLWithPath: directory + "/old"))
            try Data(new.utf8).write(to: URL(fileURLWithPath: directory + "/new"))
            let captured = try ChildProcess.capture(
                arguments: [
                    "diff", "-u", "--label", old.isEmpty ? "/dev/null" : "a/\(name)", "--label", "b/\(name)",
                    directory + "/old", directory + "/new",
                ])
            return String(decoding: captured.stdout, as: UTF8.self)
        } catch let error as MybroError {
            throw error
        } catch {
            throw MybroError("cannot make a diff: \(error.localizedDescription)", status: .ioError)
        }
    }
}
