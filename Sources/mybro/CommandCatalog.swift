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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--help"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("OVERVIEW:") {
            return line.dropFirst("OVERVIEW:".count).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
