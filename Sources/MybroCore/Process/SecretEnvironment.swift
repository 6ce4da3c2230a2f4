import CMybroProcess
import Foundation
import Synchronization

/// Credentials in the environment: which variables hold them, and how a process that holds one
/// keeps it from others.
public enum SecretEnvironment {
    /// Variable names (`*` matches any run of characters) that hold credentials. A job's
    /// environment never has them; `mybro listen` gives them only to the stages that need them.
    public static let defaultPatterns = [
        "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "OPENAI_API_KEY", "SHADEFORM_API_KEY", "HF_TOKEN",
        "GH_TOKEN", "GITHUB_TOKEN", "NPM_TOKEN", "AWS_*", "AZURE_*", "GOOGLE_APPLICATION_CREDENTIALS",
        "*_TOKEN", "*_SECRET", "*_SECRET_KEY", "*_API_KEY", "*_APIKEY", "*_PASSWORD", "*_PASSWD", "*_CREDENTIALS",
        "*_PRIVATE_KEY", "SSH_AUTH_SOCK", "*PASSWORD*", "*PASSWD*", "*_PASS", "*SECRET*", "*_TOKENS", "*_KEY",
        "*_KEY_ID", "*_AUTH", "DATABASE_URL", "*_DATABASE_URL", "*_DSN", "*_CONNECTION_STRING", "PGPASSFILE",
        "TOKEN", "*_PAT", "*_PWD", "APIKEY", "*APIKEY*", "*CREDENTIAL*", "PGPASS", "*AUTH_CONFIG", "*_PASSPHRASE",
        // Session keys that unlock a password manager's local vault (Bitwarden's BW_SESSION,
        // 1Password's OP_SESSION_…), ngrok's NGROK_AUTHTOKEN, npm's own npm_config__authToken.
        "*_SESSION", "OP_SESSION_*", "*AUTHTOKEN*", "NPM_CONFIG_*AUTH*",
        // A token named for its host or index (Terraform's TF_TOKEN_app_terraform_io, Poetry's
        // POETRY_PYPI_TOKEN_PYPI), sshpass's password, short password names (DB_PW), Tailscale's
        // auth keys, Bundler's per-host credentials (BUNDLE_RUBYGEMS__PKG__GITHUB__COM).
        "*_TOKEN_*", "SSHPASS", "*_PW", "*AUTHKEY*", "BUNDLE_*__*",
        // A CI job's JWT, a session cookie, a bearer token, a chat webhook (its URL is its key),
        // and the bare names a hurried script uses.
        "*_JWT*", "*COOKIE*", "*BEARER*", "*WEBHOOK*", "KEY", "PASS", "PW",
        // Credentials under other names: a wallet's seed words or key, "creds", key lists,
        // tokens run together with their kind.
        "*CREDS*", "*MNEMONIC*", "*SEED_PHRASE*", "*PRIVKEY*", "PASSPHRASE", "*_KEYS", "*ACCESSTOKEN*",
        "*APITOKEN*", "*NPMTOKEN*", "AUTH",
    ]

    /// Whether `name` matches one of `patterns` (`*` as a wildcard), in any case: `db_password`
    /// is as secret as `DB_PASSWORD`.
    public static func isSecret(_ name: String, patterns: [String] = defaultPatterns) -> Bool {
        let upper = name.uppercased()
        return patterns.contains { glob($0.uppercased(), matches: upper) }
    }

    /// Whether a variable's value is a credential whatever its name: a URL with a password in
    /// it (`postgres://app:hunter2@db/prod`) or a token of a provider's shape (`ghp_…`).
    public static func looksLikeCredential(_ value: String) -> Bool {
        hasCredentialShape(value) || SecretRedaction.containsSecret(value)
    }

    /// `looksLikeCredential` by the value's shape alone.
    static func hasCredentialShape(_ value: String) -> Bool {
        if let scheme = value.range(of: "://") {
            let rest = value[scheme.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") { return true }
        }
        let lower = value.lowercased()
        // A password in a connection string or query (`Server=x;Password=…`, `jdbc:…?password=…`),
        // a private key, a Slack webhook.
        // An HTTP authorization header handed to git (GIT_CONFIG_VALUE_0 for http.extraheader,
        // GIT_CONFIG_PARAMETERS) or to curl.
        // A Terraform Cloud token carries ".atlasv1." in its middle.
        for marker in [
            "password=", "pwd=", "-----begin", "hooks.slack.com/services/", "authorization:", ".atlasv1.",
            "age-secret-key-1", "discord.com/api/webhooks/", "discordapp.com/api/webhooks/",
        ]
        where lower.contains(marker) {
            return true
        }
        // A JWT however short its signature: three base64url parts, the first a JSON header.
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 3, value.hasPrefix("eyJ"), parts.allSatisfy({ !$0.isEmpty }), !value.contains(" ") {
            return true
        }
        return SecretRedaction.hasTokenShape(value)
    }

    /// `environment` without the variables that hold credentials, by name or by value.
    public static func withoutCredentials(
        _ environment: [String: String], isSecretName: (String) -> Bool
    ) -> [String: String] {
        environment.filter { !isSecretName($0.key) && !looksLikeCredential($0.value) }
    }

    public static func removingSecrets(
        from environment: [String: String], patterns: [String] = defaultPatterns
    ) -> [String: String] {
        environment.filter { !isSecret($0.key, patterns: patterns) }
    }

    private static let withdrawnValues = Mutex<[String: String]>([:])

    /// Takes the credentials out of this process's environment at start-up: they stay in
    /// memory only, and the environment block that /proc/PID/environ shows is overwritten, so
    /// no other process can read them there. Children get the environment without them
    /// unless a caller puts them back (`withCredentials`).
    static func withdraw(patterns: [String] = defaultPatterns) {
        var found: [String: String] = [:]
        for (name, value) in ProcessInfo.processInfo.environment where isSecret(name, patterns: patterns) {
            found[name] = value
        }
        guard !found.isEmpty else { return }
        withdrawnValues.withLock { $0.merge(found) { _, new in new } }
        overwriteInitialEnvironment(names: Set(found.keys))
        for name in found.keys { unsetenv(name) }
    }

    /// A credential taken out of the environment at start-up (or still in it).
    public static func value(_ name: String) -> String? {
        withdrawnValues.withLock { $0[name] } ?? ProcessInfo.processInfo.environment[name]
    }

    /// The files credential variables name (GOOGLE_APPLICATION_CREDENTIALS, SOPS_AGE_KEY_FILE):
    /// a withheld variable's absolute path is a key file too.
    public static func namedFiles(environment: [String: String], isSecretName: (String) -> Bool) -> [String] {
        let withdrawn = withdrawnValues.withLock { $0 }.filter { isSecretName($0.key) }
        let current = environment.filter { isSecretName($0.key) }
        return Array(Set(Array(withdrawn.values) + Array(current.values)))
            .flatMap { $0.split(separator: ":").map(String.init) }
            .filter { $0.hasPrefix("/") && $0.count > 1 }.sorted()
    }

    /// Values of the environment that are credentials by their shape alone (a proxy URL with a
    /// password in it), whatever their names: jobs never get them, and output is redacted of them.
    private static let credentialShapedValues: [String] = ProcessInfo.processInfo.environment.values.filter {
        hasCredentialShape($0)
    }

    /// The values of the credentials withdrawn at start-up, and of those that look like one (for
    /// `SecretRedaction`).
    static func withdrawnSecretValues() -> [String] {
        withdrawnValues.withLock { Array($0.values) } + credentialShapedValues
    }

    /// `environment` with the withdrawn credentials whose names pass `include` put back.
    public static func withCredentials(
        _ environment: [String: String], include: (String) -> Bool = { _ in true }
    ) -> [String: String] {
        var result = environment
        for (name, value) in withdrawnValues.withLock({ $0 }) where include(name) { result[name] = value }
        return result
    }

    /// Zeroes the values of `names` in the environment block the kernel set up at exec (its
    /// bounds are fields 50 and 51 of /proc/self/stat), which /proc/PID/environ reads.
    private static func overwriteInitialEnvironment(names: Set<String>) {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Field 3 (the state) is the first after the command name.
        guard fields.count >= 49, let start = UInt(fields[47]), let end = UInt(fields[48]), end > start,
            let base = UnsafeMutablePointer<UInt8>(bitPattern: start)
        else { return }
        let length = Int(end - start)
        var offset = 0
        while offset < length {
            var stop = offset
            while stop < length && base[stop] != 0 { stop += 1 }
            if let equals = (offset..<stop).first(where: { base[$0] == UInt8(ascii: "=") }) {
                let name = String(
                    decoding: UnsafeBufferPointer(start: base + offset, count: equals - offset), as: UTF8.self)
                if names.contains(name) { (base + equals + 1).update(repeating: 0, count: stop - equals - 1) }
            }
            offset = stop + 1
        }
    }

    /// Makes this process non-dumpable: other processes of the same user can then not read
    /// its /proc/PID/environ or memory (where the API key is), and it leaves no core dump.
    public static func protectThisProcess() {
        _ = mybro_set_dumpable(0)
    }

    static func glob(_ pattern: String, matches name: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == name }
        guard name.hasPrefix(parts[0]), name.hasSuffix(parts[parts.count - 1]),
            name.count >= parts[0].count + parts[parts.count - 1].count
        else { return false }
        var rest = Substring(name.dropFirst(parts[0].count).dropLast(parts[parts.count - 1].count))
        for middle in parts.dropFirst().dropLast() where !middle.isEmpty {
            guard let range = rest.range(of: middle) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }
}

/// `MYBRO_EXIT_WITH_PARENT=PID`: a stage of `mybro listen` ends (as on SIGTERM) when that
/// parent dies, even by SIGKILL, so no stage — and no job of `mybro-exec` — outlives the loop.
public enum ParentLifeline {
    public static let variable = "MYBRO_EXIT_WITH_PARENT"

    /// Arms the parent-death signal when the variable names our parent; removes the variable
    /// so our own children do not inherit it.
    static func armIfAsked() {
        guard let value = getenv(variable) else { return }
        let expected = Int32(String(cString: value))
        unsetenv(variable)
        guard let expected else { return }
        _ = mybro_set_parent_death_signal(SIGTERM)
        // The parent may have died before the signal was armed.
        if getppid() != expected { kill(getpid(), SIGTERM) }
    }
}
