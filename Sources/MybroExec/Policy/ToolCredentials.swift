import Foundation
import MybroCore

/// What a command's job gets beyond the sandbox's defaults.
///
/// Credentials (variables and hidden paths) come from the policy's `credential TOOL [SUB…] NAME…`
/// lines, and only when the whole command is one plain call of TOOL — no pipe, chain,
/// redirection, variable, substitution or glob — so that no other program (and no shell
/// expansion) can ever see the key. The network comes with a credential, or from
/// `sandbox network allow TOOL [SUB…]` when every command of the line is such a tool's call.
public struct ToolAccess: Sendable, Equatable {
    /// Credential variables put back into the job's environment.
    public var variables: [String] = []
    /// Hidden paths the job may read after all (`~` not yet expanded).
    public var paths: [String] = []
    /// Whether the job keeps the network.
    public var network = false
    /// The stores it writes through its layer (`sandbox store`; `~` not yet expanded).
    public var stores: [String] = []
    /// The tool a credential was given for (`mybro-gpu`), if any.
    public var credentialedTool: String?
    /// Variables set for the job with the credential (git's hooks and local transports off).
    public var environment: [String: String] = [:]
}

extension SafetyPolicy {
    public func access(forCommand command: String, workspace: String) -> ToolAccess {
        var access = ToolAccess(network: rules.sandbox.network)
        guard let script = try? ShellParser.parse(command, home: Self.home, workspace: workspace) else { return access }
        if let grant = credentialGrant(script), let call = Self.plainCall(script),
            call.tool != "git" || GitCredentialCheck.allows(call.arguments, workspace: workspace),
            !evaluateIsDeny(command: command, workspace: workspace)
        {
            access.variables = grant.variables
            access.paths = grant.paths
            access.network = true
            access.credentialedTool = call.tool
            if call.tool == "git" { access.environment = GitCredentialCheck.hardening }
        }
        // No assignment either: `PATH=./bin go get x` would give the workspace's own go the network.
        if !access.network, !rules.sandbox.networkGrants.isEmpty, let calls = Self.toolCalls(script), !calls.isEmpty,
            !Self.hasAssignments(script),
            calls.allSatisfy({ call in
                rules.sandbox.networkGrants.contains {
                    $0.covers(tool: call.tool, subcommand: call.subcommand, action: call.action)
                }
            })
        {
            access.network = true
        }
        // A store is written through only by one plain call (no assignment: `PATH=./b cargo
        // fetch` runs the workspace's own cargo) that runs none of the workspace's programs.
        if !rules.sandbox.storeGrants.isEmpty, let call = Self.plainCall(script),
            StoreGuard.runsNothingOfTheWorkspace(tool: call.tool, arguments: call.arguments, workspace: workspace)
        {
            let grants = rules.sandbox.storeGrants.filter {
                $0.covers(tool: call.tool, subcommand: call.subcommand, action: call.arguments.dropFirst().first)
            }
            access.stores = Array(Set(grants.flatMap(\.paths))).sorted()
        }
        return access
    }

    /// Tools whose calls with the network also run the project's own code with it: install
    /// scripts (npm's lifecycle scripts, a `setup.py`), a Swift package's manifest.
    static let networkCallsRunProjectCode: Set<String> = ["npm", "pnpm", "yarn", "pip", "pip3", "uv", "swift"]

    /// What the question before a command says of what it gets beyond other jobs (the network,
    /// a tool's credentials), so that the yes is given knowing it; nil when nothing.
    public func grantWarning(forCommand command: String, workspace: String) -> String? {
        let access = access(forCommand: command, workspace: workspace)
        if let tool = access.credentialedTool, !access.variables.isEmpty || !access.paths.isEmpty {
            return "It gets the network and your \(tool) credentials."
        }
        guard access.network, !rules.sandbox.network,
            let script = try? ShellParser.parse(command, home: Self.home, workspace: workspace)
        else { return nil }
        let runsCode = Self.toolCalls(script)?.contains { Self.networkCallsRunProjectCode.contains($0.tool) } ?? false
        return runsCode ? "It gets the network, and so does any project code it runs." : "It gets the network."
    }

    /// The credential variables a command's job gets back (empty for most).
    public func credentials(forCommand command: String, workspace: String) -> [String] {
        access(forCommand: command, workspace: workspace).variables
    }

    /// The tool a credentialed command calls (`mybro-gpu`), or nil when it gets no credential.
    public func credentialedTool(forCommand command: String, workspace: String) -> String? {
        access(forCommand: command, workspace: workspace).credentialedTool
    }

    private func evaluateIsDeny(command: String, workspace: String) -> Bool {
        if case .deny = evaluate(command: command, workspace: workspace) { return true }
        return false
    }

    /// The grant for a script that is one plain call of a credentialed tool.
    private func credentialGrant(_ script: ShellScript) -> ToolGrant? {
        guard !rules.sandbox.credentials.isEmpty, let call = Self.plainCall(script) else { return nil }
        return rules.sandbox.credentials.first {
            $0.covers(tool: call.tool, subcommand: call.subcommand, action: call.arguments.dropFirst().first)
        }
    }

    /// The tool and second word of a script that is one plain call: a single simple command of
    /// literal words, without assignments, redirections, substitutions or globs, that names no
    /// other API URL (the key goes where that URL points).
    static func plainCall(_ script: ShellScript) -> (tool: String, subcommand: String?, arguments: [String])? {
        guard script.pipelines.count == 1, script.pipelines[0].commands.count == 1,
            case .simple(let simple) = script.pipelines[0].commands[0],
            simple.assignments.isEmpty, simple.redirections.isEmpty,
            let tool = simple.words.first?.value, !tool.contains("/"),
            simple.words.allSatisfy({
                $0.value != nil && $0.substitutions.isEmpty && !$0.hasGlob && !Self.mayExpandInBash($0.value!)
            }),
            !simple.words.contains(where: { $0.value == "--api-url" || $0.value?.hasPrefix("--api-url=") == true })
        else { return nil }
        return (tool, simple.words.dropFirst().first?.value, simple.words.dropFirst().compactMap(\.value))
    }

    /// Whether a word the parser took as literal may still expand where /bin/sh is bash (Fedora,
    /// Arch): `$'…'` and `$"…"` quoting, and brace expansion (`--{config=…,quiet}`). A call that
    /// holds one is not plain: its words could become `--config=…` when the shell runs them.
    static func mayExpandInBash(_ value: String) -> Bool {
        value.contains("$") || value.contains("{") || value.contains("}")
    }

    /// Whether any simple command of the script sets a variable for itself (`PATH=./b cargo …`).
    static func hasAssignments(_ script: ShellScript) -> Bool {
        script.pipelines.contains { pipeline in
            pipeline.commands.contains { command in
                if case .simple(let simple) = command { return !simple.assignments.isEmpty }
                return true
            }
        }
    }

    /// Every command of a script as tool, second and third word, or nil when one is not a
    /// simple command of a named tool without substitutions (a subshell, a function, `$(…)`).
    static func toolCalls(_ script: ShellScript) -> [(tool: String, subcommand: String?, action: String?)]? {
        var calls: [(tool: String, subcommand: String?, action: String?)] = []
        for pipeline in script.pipelines {
            for command in pipeline.commands {
                guard case .simple(let simple) = command, let tool = simple.words.first?.value, !tool.contains("/"),
                    (simple.assignments + simple.words + simple.redirections.map(\.target)).allSatisfy({
                        $0.substitutions.isEmpty && !Self.mayExpandInBash($0.value ?? "")
                    })
                else { return nil }
                let words = simple.words.dropFirst()
                calls.append((tool, words.first?.value, words.dropFirst().first?.value))
            }
        }
        return calls
    }
}
