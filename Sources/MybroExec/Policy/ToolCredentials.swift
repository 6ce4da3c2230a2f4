import Foundation
import MybroCore

/// Which credentials a command's job may have: those the policy's `credential TOOL NAME…` lines
/// give TOOL, and only when the whole command is one plain call of TOOL — no pipe, chain,
/// redirection, variable, substitution or glob, so that no other program (and no shell
/// expansion) can ever see the key.
extension SafetyPolicy {
    public func credentials(forCommand command: String, workspace: String) -> [String] {
        guard !rules.sandbox.credentials.isEmpty,
            let script = try? ShellParser.parse(command, home: Self.home, workspace: workspace),
            script.pipelines.count == 1, script.pipelines[0].commands.count == 1,
            case .simple(let simple) = script.pipelines[0].commands[0],
            simple.assignments.isEmpty, simple.redirections.isEmpty,
            let first = simple.words.first, let tool = first.value, !tool.contains("/"),
            let names = rules.sandbox.credentials[tool],
            simple.words.allSatisfy({ $0.value != nil && $0.substitutions.isEmpty && !$0.hasGlob }),
            // The key goes where the API URL points: a command that names another one gets none.
            !simple.words.contains(where: { $0.value == "--api-url" || $0.value?.hasPrefix("--api-url=") == true })
        else { return [] }
        if case .deny = evaluate(command: command, workspace: workspace) { return [] }
        return names
    }

    /// The tool a credentialed command calls (`mybro-gpu`), or nil when it gets no credential.
    public func credentialedTool(forCommand command: String, workspace: String) -> String? {
        guard !credentials(forCommand: command, workspace: workspace).isEmpty else { return nil }
        return command.split(separator: " ").first.map(String.init)
    }
}
