import Foundation
import MybroCore

/// What a flag's value must be.
enum PolicyValueKind: Equatable, Sendable {
    case number, text, path
    case choices([String])

    init?(_ text: String) {
        switch text {
        case "NUM": self = .number
        case "TEXT": self = .text
        case "PATH": self = .path
        default:
            // Choices are written in lower case; an upper-case word is a misspelt kind.
            let choices = text.split(separator: "|").map(String.init)
            guard !choices.isEmpty, text.contains("|") || text.lowercased() == text else { return nil }
            self = .choices(choices)
        }
    }
}

/// One flag of a rule, with its spellings: `-n/--max-count=NUM`.
struct PolicyFlag: Equatable, Sendable {
    var names: [String]
    var value: PolicyValueKind?
    var optionalValue = false
    /// `--check!`: the rule matches only when the command uses it.
    var required = false
}

/// What the positional arguments of a command are.
enum PolicyArgumentKind: String, Equatable, Sendable {
    case path = "PATH"
    case text = "TEXT"
    case any = "ANY"
    case none = "NONE"
    case same = "SAME"
}

/// Where a deny rule's argument points.
enum PolicyPlace: String, Equatable, Sendable, CaseIterable {
    case root, home, workspace, parent, outside, device
}

/// One line of the policy about a tool.
struct ToolRule: Equatable, Sendable {
    enum Verb: String, Equatable, Sendable {
        case read, allow, options, writes, runs, confirm, deny
    }
    var verb: Verb
    var tools: [String]
    /// Subcommand levels, each with its alternatives: `npm run test|lint` is [["run"], ["test", "lint"]].
    var levels: [[String]] = []
    /// For read/allow/options/writes/runs: the flags. For confirm/deny: any one of these groups,
    /// each a set of flags that must all be present.
    var flags: [[PolicyFlag]] = []
    var arguments: [PolicyArgumentKind] = []
    var with: [String] = []
    var targets: [PolicyPlace] = []
    var pipedTo: [String] = []
    var because: String?
    var line: Int

    func matchesTool(_ name: String) -> Bool {
        tools.contains { $0 == name || ($0.contains("*") && fnmatch($0, name, 0) == 0) }
    }
}

/// `confirm-prompt REGEX`: a Claude Code task matching it waits for a yes.
/// (@unchecked: NSRegularExpression is immutable and documented as safe to share between threads.)
struct PromptPattern: @unchecked Sendable {
    var pattern: NSRegularExpression
    var source: String
    var line: Int
}

/// `alias python3 -m pytest = pytest`.
struct ToolAlias: Equatable, Sendable {
    var words: [String]
    var tool: String
}

/// The policy file, parsed: rules about tools, plus the settings around them.
struct PolicyRules: Sendable {
    var tools: [ToolRule] = []
    var aliases: [ToolAlias] = []
    var safeEnvironment: [String] = []
    var readable: [String] = []
    var promptPatterns: [PromptPattern] = []
    var sandbox = SandboxSettings()

    static let verbs =
        "read, allow, options, writes, runs, confirm, deny, alias, safe-env, readable, sandbox, secret-env, credential, confirm-prompt"

    init(text: String) throws(SafetyPolicy.ParseError) {
        var writable: [String] = []
        var hidden: [String] = []
        var privateFolders: [String] = []
        var layeredFolders: [String] = []
        var stores: [ToolGrant] = []
        var secrets: [String] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let verb = words[0]
            let rest = Array(words.dropFirst())
            func fail(_ reason: String) -> SafetyPolicy.ParseError {
                SafetyPolicy.ParseError(line: number, reason: reason)
            }
            switch verb {
            case "read", "allow", "options", "writes", "runs", "confirm", "deny":
                tools.append(try Self.parseToolRule(verb: ToolRule.Verb(rawValue: verb)!, rest, line: number))
            case "alias":
                guard let equals = rest.firstIndex(of: "="), equals > 0, equals == rest.count - 2 else {
                    throw fail("expected \"alias WORD… = TOOL\"")
                }
                aliases.append(ToolAlias(words: Array(rest[..<equals]), tool: rest[equals + 1]))
            case "safe-env":
                guard !rest.isEmpty else { throw fail("expected \"safe-env NAME…\"") }
                safeEnvironment += rest
            case "readable":
                guard !rest.isEmpty, rest.allSatisfy({ $0.hasPrefix("/") }) else {
                    throw fail("expected \"readable /ABSOLUTE/PATH…\"")
                }
                readable += rest
            case "secret-env":
                guard !rest.isEmpty else { throw fail("expected \"secret-env PATTERN…\"") }
                secrets += rest
            case "sandbox":
                switch (rest.first, rest.count) {
                case ("network", 2) where rest[1] == "allow" || rest[1] == "deny":
                    sandbox.network = rest[1] == "allow"
                case ("network", 3...5) where rest[1] == "allow":
                    guard let grant = ToolGrant(words: Array(rest.dropFirst(2)), requiresNames: false) else {
                        throw fail("expected \"sandbox network allow TOOL [SUB|SUB… [ACTION|ACTION…]]\"")
                    }
                    sandbox.networkGrants.append(grant)
                case ("write", 2...): writable += rest.dropFirst()
                case ("hide", 2...): hidden += rest.dropFirst()
                case ("socket", 2...):
                    guard rest.dropFirst().allSatisfy(SandboxSettings.isPath) else {
                        throw fail("expected \"sandbox socket PATH…\" (a /, ~/ or $VARIABLE/ path)")
                    }
                    sandbox.sockets += rest.dropFirst()
                case ("private", 2...):
                    guard rest.dropFirst().allSatisfy({ $0.hasPrefix("/") || $0.hasPrefix("~/") }) else {
                        throw fail("expected \"sandbox private PATH…\" (a / or ~/ path)")
                    }
                    privateFolders += rest.dropFirst()
                case ("layer", 2...):
                    guard rest.dropFirst().allSatisfy({ $0.hasPrefix("/") || $0.hasPrefix("~/") }) else {
                        throw fail("expected \"sandbox layer PATH…\" (a / or ~/ path)")
                    }
                    layeredFolders += rest.dropFirst()
                case ("store", 3...):
                    guard let grant = ToolGrant(words: Array(rest.dropFirst()), requiresNames: true),
                        grant.variables.isEmpty
                    else {
                        throw fail("expected \"sandbox store TOOL [SUB|SUB… [ACTION|ACTION…]] PATH…\" (a / or ~/ path)")
                    }
                    stores.append(grant)
                default:
                    throw fail(
                        "expected \"sandbox network allow|deny\", \"sandbox network allow TOOL [SUB…]\","
                            + " \"sandbox write PATH\", \"sandbox hide PATH\", \"sandbox socket PATH\""
                            + " \"sandbox private PATH\", \"sandbox layer PATH\" or \"sandbox store TOOL [SUB] PATH\"")
                }
            case "credential":
                guard let grant = ToolGrant(words: rest, requiresNames: true) else {
                    throw fail(
                        "expected \"credential TOOL [SUB|SUB…] NAME…\" (NAME: a variable, or a ~/ or / path)")
                }
                sandbox.credentials.append(grant)
            case "confirm-prompt":
                let source = line.dropFirst(verb.count).trimmingCharacters(in: .whitespaces)
                guard !source.isEmpty, let pattern = try? NSRegularExpression(pattern: source) else {
                    throw fail("invalid regular expression \(source)")
                }
                promptPatterns.append(PromptPattern(pattern: pattern, source: source, line: number))
            default:
                throw fail("unknown verb \"\(verb)\" (verbs: \(Self.verbs))")
            }
        }
        if !writable.isEmpty { sandbox.writable = writable }
        if !hidden.isEmpty { sandbox.hidden = hidden }
        if !privateFolders.isEmpty { sandbox.privateFolders = privateFolders }
        if !layeredFolders.isEmpty { sandbox.layeredFolders = layeredFolders }
        if !stores.isEmpty { sandbox.storeGrants = stores }
        if !secrets.isEmpty { sandbox.secretVariables = secrets }
    }

    static func parseToolRule(verb: ToolRule.Verb, _ words: [String], line: Int) throws(SafetyPolicy.ParseError)
        -> ToolRule
    {
        func fail(_ reason: String) -> SafetyPolicy.ParseError { SafetyPolicy.ParseError(line: line, reason: reason) }
        guard let first = words.first, !first.hasPrefix("-"), !first.hasSuffix(":") else {
            throw fail("expected \"\(verb.rawValue) TOOL [SUBCOMMAND…] [FLAG…]\"")
        }
        var rule = ToolRule(verb: verb, tools: first.split(separator: "|").map(String.init), line: line)
        var index = 1
        while index < words.count, !words[index].hasPrefix("-"), !words[index].hasSuffix(":") {
            rule.levels.append(words[index].split(separator: "|").map(String.init))
            index += 1
        }
        var clause: String?
        while index < words.count {
            let word = words[index]
            index += 1
            if word.hasSuffix(":"), ["args:", "with:", "target:", "piped-to:", "because:"].contains(word) {
                clause = String(word.dropLast())
                if clause == "because" {
                    rule.because = words[index...].joined(separator: " ")
                    break
                }
                continue
            }
            switch clause {
            case nil:
                let group = try word.split(separator: "+", omittingEmptySubsequences: false).map {
                    (part) throws(SafetyPolicy.ParseError) -> PolicyFlag in
                    guard let flag = parseFlag(String(part)) else { throw fail("malformed flag \"\(word)\"") }
                    return flag
                }
                if group.count > 1, verb != .confirm, verb != .deny {
                    throw fail("A+B flags only in confirm and deny rules")
                }
                rule.flags.append(group)
            case "args":
                guard let kind = PolicyArgumentKind(rawValue: word) else {
                    throw fail("unknown argument kind \"\(word)\" (PATH, TEXT, ANY, NONE, SAME)")
                }
                rule.arguments.append(kind)
            case "with": rule.with.append(word)
            case "target":
                guard let place = PolicyPlace(rawValue: word) else {
                    throw fail(
                        "unknown place \"\(word)\" (\(PolicyPlace.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                rule.targets.append(place)
            case "piped-to": rule.pipedTo.append(word)
            default: break
            }
        }
        if verb == .options, !rule.levels.isEmpty { throw fail("options take no subcommand") }
        if (!rule.with.isEmpty || !rule.targets.isEmpty || !rule.pipedTo.isEmpty) && verb != .deny && verb != .confirm {
            throw fail("with:, target: and piped-to: belong to deny and confirm rules")
        }
        return rule
    }

    /// `-x`, `--long`, `-x/--long`, with `=KIND`, `[=KIND]` or `!`; `-NUM`.
    static func parseFlag(_ text: String) -> PolicyFlag? {
        var text = text
        var flag = PolicyFlag(names: [])
        if text.hasSuffix("!") {
            flag.required = true
            text.removeLast()
        }
        var namesPart = text
        if let bracket = text.range(of: "[=") {
            guard text.hasSuffix("]") else { return nil }
            namesPart = String(text[..<bracket.lowerBound])
            guard let kind = PolicyValueKind(String(text[bracket.upperBound..<text.index(before: text.endIndex)]))
            else { return nil }
            flag.value = kind
            flag.optionalValue = true
        } else if let equals = text.firstIndex(of: "=") {
            namesPart = String(text[..<equals])
            guard let kind = PolicyValueKind(String(text[text.index(after: equals)...])) else { return nil }
            flag.value = kind
        }
        flag.names = namesPart.split(separator: "/").map(String.init)
        guard !flag.names.isEmpty, flag.names.allSatisfy({ $0.hasPrefix("-") && $0.count > 1 && !$0.contains("|") })
        else { return nil }
        return flag
    }
}

/// What one policy line gives the jobs of one tool: `credential TOOL [SUB|SUB…] NAME…` (the
/// named variables and paths) or `sandbox network allow TOOL [SUB|SUB…]` (the network).
public struct ToolGrant: Sendable, Equatable {
    /// The tools (alternatives), each a plain name.
    public var tools: [String]
    /// The subcommands (alternatives) the second word must be; empty: any call of the tool.
    public var subcommands: [String]
    /// The alternatives the third word must be (`swift package resolve|update`); empty: any.
    public var actions: [String] = []
    /// Credential variables given back to the job.
    public var variables: [String]
    /// Hidden paths (`~/.ssh`) the job may read after all.
    public var paths: [String]

    public init(
        tools: [String], subcommands: [String] = [], actions: [String] = [], variables: [String] = [],
        paths: [String] = []
    ) {
        self.tools = tools
        self.subcommands = subcommands
        self.actions = actions
        self.variables = variables
        self.paths = paths
    }

    /// Parses `TOOL [SUB|SUB… [ACTION|ACTION…]] NAME…`: a lower-case word after TOOL lists
    /// subcommands, one after those the third word's alternatives (`go mod download|tidy`); a
    /// name is a variable (`SSH_AUTH_SOCK`) or a path (`~/.ssh`, `/etc/ssl/private`).
    init?(words: [String], requiresNames: Bool) {
        guard let first = words.first else { return nil }
        tools = first.split(separator: "|").map(String.init)
        guard !tools.isEmpty, tools.allSatisfy({ !$0.contains("/") && !$0.hasPrefix("-") }) else { return nil }
        var rest = words.dropFirst()
        subcommands = []
        if let second = rest.first, second.first.map({ $0.isLowercase }) == true {
            subcommands = second.split(separator: "|").map(String.init)
            rest = rest.dropFirst()
            if let third = rest.first, third.first.map({ $0.isLowercase }) == true {
                actions = third.split(separator: "|").map(String.init)
                rest = rest.dropFirst()
            }
        }
        variables = rest.filter { !SandboxSettings.isPath($0) }
        paths = rest.filter(SandboxSettings.isPath)
        guard variables.count + paths.count == rest.count,
            variables.allSatisfy({ name in name.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" } })
        else { return nil }
        if requiresNames ? rest.isEmpty : !rest.isEmpty { return nil }
    }

    /// Whether the grant covers a call of `tool` whose second and third words are `subcommand`
    /// and `action`.
    func covers(tool: String, subcommand: String?, action: String?) -> Bool {
        tools.contains(tool) && (subcommands.isEmpty || subcommand.map(subcommands.contains) == true)
            && (actions.isEmpty || action.map(actions.contains) == true)
    }
}

/// What the sandbox around shell jobs allows (read by the job launcher).
public struct SandboxSettings: Sendable, Equatable {
    /// Shell jobs may use the network (`sandbox network allow`); otherwise only the jobs the
    /// network grants and credentials name.
    public var network: Bool
    /// Tools whose jobs keep the network where the rest have none (`sandbox network allow TOOL`).
    public var networkGrants: [ToolGrant] = []
    /// Extra paths jobs may write besides the workspace (`~` is the home directory).
    public var writable: [String]
    /// Paths jobs may not read (mybro adds its own state itself): by default the places that
    /// hold keys and tokens (`~/.ssh`, `~/.aws`, `~/.netrc`, …).
    public var hidden: [String]
    /// Glob patterns of environment variable names removed from shell jobs' environment.
    public var secretVariables: [String]
    /// Credentials given back to a job that is one plain call of a tool (`credential TOOL …`):
    /// `mybro-gpu` gets SHADEFORM_API_KEY and `git push` ~/.ssh; no shell, pipe or other program does.
    public var credentials: [ToolGrant] = []
    /// Unix sockets (or folders of them) jobs may still connect to (`sandbox socket PATH`):
    /// the others of the session that exist when a job starts are covered (HostSockets.swift).
    public var sockets: [String] = []
    /// Folders of the home that each job gets as its own, empty ones (`sandbox private PATH`),
    /// with the `sandbox write` paths beneath them put back (none by default: the caches are
    /// layered instead).
    public var privateFolders: [String] = SandboxSettings.defaultPrivate
    /// Folders of the home each job sees as they are, its writes going to a layer of its own
    /// that is thrown away after it (`sandbox layer PATH`): the tool caches and dependency
    /// stores, which a later build outside any sandbox trusts (a wheel pip installs, an object
    /// ccache hands out, a Gradle distribution `./gradlew` runs), and ~/.cache, where shells
    /// source files at start (powerlevel10k's instant prompt).
    public var layeredFolders: [String] = SandboxSettings.defaultLayered
    /// Stores a fetch step fills for the offline builds after it (`sandbox store TOOL [SUB…]
    /// PATH…`): a job made only of calls of TOOL [SUB] writes these paths through its layer.
    public var storeGrants: [ToolGrant] = SandboxSettings.defaultStores

    public init(
        network: Bool = false, writable: [String] = SandboxSettings.defaultWritable,
        hidden: [String] = SandboxSettings.defaultHidden,
        secretVariables: [String] = SandboxSettings.defaultSecretVariables
    ) {
        self.network = network
        self.writable = writable
        self.hidden = hidden
        self.secretVariables = secretVariables
    }

    /// Where keys and tokens live in a home directory: no job reads them unless a credential
    /// line gives one tool's plain call a path back (`git push` gets ~/.ssh).
    public static let defaultHidden = [
        "~/.ssh", "~/.gnupg", "~/.aws", "~/.azure", "~/.config/gcloud", "~/.kube", "~/.docker", "~/.netrc",
        "~/.git-credentials", "~/.config/git/credentials", "~/.config/gh", "~/.config/hub", "~/.pgpass",
        "~/.my.cnf", "~/.pypirc", "~/.npmrc", "~/.yarnrc.yml", "~/.cargo/credentials", "~/.cargo/credentials.toml",
        "~/.gem/credentials", "~/.m2/settings-security.xml", "~/.password-store", "~/.local/share/keyrings",
        "~/.vault-token", "~/.terraform.d", "~/.config/rclone", "~/.s3cfg", "~/.boto", "~/.mozilla",
        "~/.config/google-chrome", "~/.config/chromium", "~/.thunderbird", "~/.claude", "~/.claude.json",
        "~/.config/claude", "/run/docker.sock", "/run/podman/podman.sock", "$XDG_RUNTIME_DIR/docker.sock",
        "$XDG_RUNTIME_DIR/podman", "$XDG_RUNTIME_DIR/bus", "$XDG_RUNTIME_DIR/keyring", "$XDG_RUNTIME_DIR/gnupg",
        "$XDG_RUNTIME_DIR/gcr", "~/.cache/huggingface/token", "~/.cache/huggingface/stored_tokens",
        "~/.huggingface/token", "~/.bash_history", "~/.zsh_history", "~/.zhistory", "~/.histfile",
        "~/.local/share/zsh/history", "~/.local/share/fish/fish_history", "~/.python_history", "~/.psql_history",
        "~/.mysql_history", "~/.node_repl_history", "~/.sqlite_history", "~/.irb_history", "~/.rediscli_history",
        "~/.cache/zsh/history", "~/.local/state/zsh/history", "~/.local/state/bash/history",
        "~/.config/pip/pip.conf", "~/.pip/pip.conf", "~/.cache/mozilla", "~/.cache/google-chrome", "~/.cache/chromium",
        "~/.cache/BraveSoftware", "~/.m2/settings.xml", "~/.gradle/gradle.properties", "~/.config/github-copilot",
        "~/.codex", "~/.gemini", "~/.oci", "~/.config/glab-cli", "~/.config/sops", "~/.pulumi", "~/.config/op", "~/.op",
        "~/.config/hcloud", "~/.config/doctl", "~/.fly", "~/.databrickscfg", "~/.snowflake", "~/.config/stripe",
        "~/.wrangler", "~/.config/netlify", "~/.vercel", "~/.local/share/com.vercel.cli", "~/.config/configstore",
        "~/.terraformrc", "~/.config/helm", "~/.influxdbv2", "~/.config/openai", "~/.config/age",
        "$XDG_CONFIG_HOME/gh", "$XDG_CONFIG_HOME/git/credentials", "$XDG_CONFIG_HOME/hub", "$GH_CONFIG_DIR",
        "$CARGO_HOME/credentials", "$CARGO_HOME/credentials.toml", "$GNUPGHOME", "$DOCKER_CONFIG",
        "$PASSWORD_STORE_DIR", "$KUBECONFIG", "$AWS_SHARED_CREDENTIALS_FILE", "$AWS_CONFIG_FILE",
        "$CLOUDSDK_CONFIG", "$AZURE_CONFIG_DIR", "$NPM_CONFIG_USERCONFIG", "$PIP_CONFIG_FILE", "$NETRC",
        "$XDG_DATA_HOME/keyrings", "$XDG_CONFIG_HOME/github-copilot", "$XDG_CONFIG_HOME/sops",
        "$SOPS_AGE_KEY_FILE", "$GRADLE_USER_HOME/gradle.properties", "$TF_CLI_CONFIG_FILE", "$RCLONE_CONFIG",
    ]

    /// Whether a policy word names a path: absolute, under `~`, or a variable's (`$GNUPGHOME`,
    /// `$XDG_CONFIG_HOME/gh`).
    static func isPath(_ word: String) -> Bool {
        word.hasPrefix("/") || word == "~" || word.hasPrefix("~/") || variablePath(word) != nil
    }

    /// `$NAME` or `$NAME/rest` split into the variable's name and the rest ("" or "/rest").
    private static func variablePath(_ word: String) -> (name: String, rest: Substring)? {
        guard word.hasPrefix("$") else { return nil }
        let name = word.dropFirst().prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
        let rest = word.dropFirst(1 + name.count)
        guard let first = name.first, first.isUppercase, rest.isEmpty || rest.hasPrefix("/") else { return nil }
        return (String(name), rest)
    }

    /// A policy path made absolute: `~` is the home directory, `$NAME` a variable's value
    /// (empty where that is not set to an absolute path; the first of a `:` list).
    static func expand(_ path: String, home: String, environment: [String: String]) -> String {
        expandAll(path, home: home, environment: environment).first ?? ""
    }

    /// Every path a policy path stands for: one, or each of a variable's `:` list (KUBECONFIG),
    /// absolute ones only. A credential's variable (AWS_SHARED_CREDENTIALS_FILE) is read where
    /// mybro keeps it once withdrawn from its own environment.
    static func expandAll(_ path: String, home: String, environment: [String: String]) -> [String] {
        if path == "~" { return [home] }
        if path.hasPrefix("~/") { return [home + path.dropFirst()] }
        if let (name, rest) = variablePath(path) {
            guard let value = environment[name] ?? SecretEnvironment.value(name) else { return [] }
            return value.split(separator: ":").map(String.init).filter { $0.hasPrefix("/") }.map { $0 + rest }
        }
        return [path]
    }

    public static let defaultWritable: [String] = []

    public static let defaultPrivate: [String] = []

    public static let defaultLayered = [
        "~/.cache", "~/.cargo/registry", "~/.cargo/git", "~/.npm", "~/go/pkg", "~/.m2/repository",
        "~/.gradle/caches", "~/.gradle/wrapper",
    ]

    /// The fetch steps whose downloads the offline build after them needs, and which run none of
    /// the workspace's code: cargo's and go's module stores.
    public static let defaultStores = [
        ToolGrant(tools: ["cargo"], subcommands: ["fetch", "update"], paths: ["~/.cargo/registry", "~/.cargo/git"]),
        ToolGrant(tools: ["go"], subcommands: ["get"], paths: ["~/go/pkg/mod"]),
        ToolGrant(tools: ["go"], subcommands: ["mod"], actions: ["download", "tidy"], paths: ["~/go/pkg/mod"]),
    ]

    /// The credentials mybro knows by name (the same list `mybro listen` keeps from its stages).
    public static let defaultSecretVariables = SecretEnvironment.defaultPatterns

    /// Whether `name` matches one of the secret variable patterns.
    public func isSecretVariable(_ name: String) -> Bool {
        SecretEnvironment.isSecret(name, patterns: secretVariables)
    }
}
