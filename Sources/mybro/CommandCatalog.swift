import Foundation
import MybroCore

/// `mybro --list`: each installed command with the one-line summary from its own --help.
struct CommandCatalog {
    let locator: CommandLocator

    func list() throws {
        let commands = locator.installedNames().sorted { $0.key < $1.key }
        if commands.isEmpty { Log.shared.warning("no mybro-* commands found beside mybro or on PATH") }
        let width = commands.map(\.key.count).max() ?? 0
        for (name, path) in commands {
            let summary = CommandCatalog.summary(of: path) ?? "(no summary: its --help failed)"
            try OutputSink.standardOutput.write(
                line: name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + summary)
        }
    }

    /// The OVERVIEW line swift-argument-parser prints first in every command's help.
    static func summary(of path: String) -> String? {
        guard let result = try? ChildProcess.capture(arguments: [path, "--help"], timeout: 10), !result.timedOut
        else { return nil }
        let data = result.stdout
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        // The overview is the first paragraph, wrapped to the terminal's width.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("OVERVIEW:") }) else { return nil }
        var paragraph = [String(lines[start].dropFirst("OVERVIEW:".count))]
        for line in lines[(start + 1)...] {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            paragraph.append(String(line))
        }
        return paragraph.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
