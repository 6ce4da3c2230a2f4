import ArgumentParser
import Foundation

extension ParsableCommand {
    /// The entry point every mybro command uses instead of `main()`: help, --version and the
    /// generators behave as usual, but a usage error is one line on stderr in the toolkit's
    /// format (`mybro-x: error: …`) with status 64, not a message plus a usage block.
    public static func mybroMain(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            // Parse and validate only, like `sh -n`: what the option property test uses to try
            // values that would otherwise start a capture, a job or the whole loop.
            if ProcessInfo.processInfo.environment["MYBRO_CHECK_ARGUMENTS"] == "1" {
                Foundation.exit(ExitStatus.success.rawValue)
            }
            try command.run()
            Foundation.exit(ExitStatus.success.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let name = configuration.commandName ?? CommandLine.arguments.first ?? "mybro"
            let message = oneLine(fullMessage(for: error))
            writeAll(fd: 2, "\(name): error: \(message); see '\(name) --help'\n")
            Foundation.exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }

    /// ArgumentParser's message in one line: its first line, and for a bad option value the
    /// option's help (which states the range), taken from the `Help:` line that follows.
    static func oneLine(_ full: String) -> String {
        let lines = full.split(separator: "\n").map(String.init)
        guard var message = lines.first?.replacingOccurrences(of: "Error: ", with: "") else {
            return "invalid arguments"
        }
        if lines.count > 1, lines[1].hasPrefix("Help:"),
            let gap = lines[1].dropFirst(5).drop(while: { $0 == " " }).range(of: "  ")
        {
            var help = lines[1][gap.upperBound...].trimmingCharacters(in: .whitespaces)
            if help.hasSuffix(".") { help.removeLast() }
            if !help.isEmpty { message += ": " + help }
        }
        return message
    }
}
