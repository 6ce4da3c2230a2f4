import ArgumentParser
import Foundation

extension ParsableCommand {
    /// The entry point every mybro command uses instead of `main()`: help, --version and the
    /// generators behave as usual, but a usage error is one line on stderr in the toolkit's
    /// format (`mybro-x: error: …`) with status 64, not a message plus a usage block.
    public static func mybroMain(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(ExitStatus.success.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let name = configuration.commandName ?? CommandLine.arguments.first ?? "mybro"
            let message =
                fullMessage(for: error)
                .split(separator: "\n").first.map(String.init)?
                .replacingOccurrences(of: "Error: ", with: "") ?? "invalid arguments"
            writeAll(fd: 2, "\(name): error: \(message); see '\(name) --help'\n")
            Foundation.exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }
}
