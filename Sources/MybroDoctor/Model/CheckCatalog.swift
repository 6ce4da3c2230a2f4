/// One check: its id, what it finds, how bad that is and how to fix it. The man page's CHECKS
/// section is generated from `CheckCatalog.all`, so the documentation cannot drift from the code.
public struct CheckInfo: Sendable, Hashable {
    public let id: String
    public let category: Category
    public let severity: Severity
    public let title: String
    public let fix: String

    init(_ id: String, _ category: Category, _ severity: Severity, _ title: String, fix: String) {
        self.id = id
        self.category = category
        self.severity = severity
        self.title = title
        self.fix = fix
    }
}

public enum CheckCatalog {
    static let rotate = "revoke and rotate it, then load it from the environment or a secret manager"

    // MARK: secrets, provider formats
    static let awsAccessKey = CheckInfo(
        "secret.aws-access-key", .secret, .critical, "AWS access key ID", fix: rotate)
    static let awsSecretKey = CheckInfo(
        "secret.aws-secret-key", .secret, .critical, "AWS secret access key", fix: rotate)
    static let githubClassic = CheckInfo(
        "secret.github-token", .secret, .critical, "GitHub personal access token (classic)", fix: rotate)
    static let githubOAuth = CheckInfo("secret.github-oauth", .secret, .critical, "GitHub OAuth token", fix: rotate)
    static let githubFineGrained = CheckInfo(
        "secret.github-fine-grained", .secret, .critical, "GitHub fine-grained personal access token", fix: rotate)
    static let githubApp = CheckInfo(
        "secret.github-app-token", .secret, .critical, "GitHub App or refresh token", fix: rotate)
    static let gitlab = CheckInfo("secret.gitlab-token", .secret, .critical, "GitLab token", fix: rotate)
    static let slackToken = CheckInfo("secret.slack-token", .secret, .critical, "Slack token", fix: rotate)
    static let slackWebhook = CheckInfo(
        "secret.slack-webhook", .secret, .high, "Slack incoming webhook URL", fix: rotate)
    static let stripeLive = CheckInfo(
        "secret.stripe-live-key", .secret, .critical, "Stripe live secret or restricted key", fix: rotate)
    static let stripeTest = CheckInfo(
        "secret.stripe-test-key", .secret, .medium, "Stripe test secret key", fix: rotate)
    static let anthropic = CheckInfo("secret.anthropic-key", .secret, .critical, "Anthropic API key", fix: rotate)
    static let openai = CheckInfo("secret.openai-key", .secret, .critical, "OpenAI API key", fix: rotate)
    static let googleAPI = CheckInfo("secret.google-api-key", .secret, .high, "Google API key", fix: rotate)
    static let gcpServiceAccount = CheckInfo(
        "secret.gcp-service-account", .secret, .critical, "Google Cloud service-account key file",
        fix: "delete the key in the Cloud console, remove the file and use workload identity or the environment")
    static let privateKey = CheckInfo(
        "secret.private-key", .secret, .critical, "private key",
        fix: "remove the key from the repository, replace it and keep it outside (ssh-agent, a secret manager)")
    static let jwt = CheckInfo(
        "secret.jwt", .secret, .medium, "JSON Web Token", fix: "remove the token; issue tokens at run time")
    static let npm = CheckInfo("secret.npm-token", .secret, .critical, "npm access token", fix: rotate)
    static let pypi = CheckInfo("secret.pypi-token", .secret, .critical, "PyPI upload token", fix: rotate)
    static let sendgrid = CheckInfo("secret.sendgrid-key", .secret, .critical, "SendGrid API key", fix: rotate)
    static let twilio = CheckInfo("secret.twilio-key", .secret, .high, "Twilio API key or auth token", fix: rotate)
    static let huggingface = CheckInfo(
        "secret.huggingface-token", .secret, .high, "Hugging Face access token", fix: rotate)
    static let digitalocean = CheckInfo(
        "secret.digitalocean-token", .secret, .critical, "DigitalOcean token", fix: rotate)
    static let databricks = CheckInfo(
        "secret.databricks-token", .secret, .critical, "Databricks access token", fix: rotate)
    static let shopify = CheckInfo("secret.shopify-token", .secret, .critical, "Shopify access token", fix: rotate)
    static let square = CheckInfo(
        "secret.square-token", .secret, .critical, "Square access token or secret", fix: rotate)
    static let azure = CheckInfo(
        "secret.azure-client-secret", .secret, .critical, "Azure AD client secret", fix: rotate)
    static let telegram = CheckInfo(
        "secret.telegram-bot-token", .secret, .high, "Telegram bot token", fix: "revoke it with @BotFather and rotate")
    static let age = CheckInfo("secret.age-key", .secret, .critical, "age secret key", fix: rotate)
    static let vault = CheckInfo("secret.vault-token", .secret, .critical, "HashiCorp Vault token", fix: rotate)
    static let kubernetesSecret = CheckInfo(
        "secret.kubernetes-secret", .secret, .high, "Kubernetes Secret manifest with literal data",
        fix: "keep Secret data out of the repository (sealed-secrets, external-secrets, SOPS)")
    static let uriCredentials = CheckInfo(
        "secret.uri-credentials", .secret, .high, "password inside a URI",
        fix: "take the password out of the URI and read it from the environment")
    static let dotenvValue = CheckInfo(
        "secret.dotenv-value", .secret, .high, "secret value in a .env file",
        fix: "keep .env out of version control (mybro-doctor --fix) and rotate the value")
    static let genericAssignment = CheckInfo(
        "secret.generic-assignment", .secret, .high, "password or secret assigned a literal value", fix: rotate)

    // MARK: security
    static let pythonEval = CheckInfo(
        "security.python-eval", .security, .high, "eval() or exec() on a value that is not a literal",
        fix: "parse the input instead (ast.literal_eval, json.loads) or dispatch on known names")
    static let pythonShellTrue = CheckInfo(
        "security.python-shell-true", .security, .high, "subprocess with shell=True",
        fix: "pass an argument list and drop shell=True")
    static let pythonOsSystem = CheckInfo(
        "security.python-os-system", .security, .medium, "os.system() or os.popen() runs a shell",
        fix: "use subprocess.run([...]) with an argument list")
    static let pythonSQL = CheckInfo(
        "security.python-sql-injection", .security, .high,
        "SQL built from strings (concatenation, f-string, % or format)",
        fix: "use query parameters (cursor.execute(sql, params))")
    static let pythonPickle = CheckInfo(
        "security.python-pickle", .security, .high, "pickle/marshal/dill load of data that may come from outside",
        fix: "use a data format (JSON) or sign and verify the data first")
    static let pythonYAML = CheckInfo(
        "security.python-yaml-load", .security, .high, "yaml.load without a safe loader",
        fix: "use yaml.safe_load or Loader=yaml.SafeLoader")
    static let pythonTLS = CheckInfo(
        "security.python-tls-verify-off", .security, .high, "TLS certificate verification turned off",
        fix: "keep verification on; point verify= at a CA bundle if the server uses a private CA")
    static let pythonDebug = CheckInfo(
        "security.python-debug-on", .security, .medium, "debug mode on (Flask/FastAPI/Django)",
        fix: "read debug from the environment and keep it off in production")
    static let shellChmod777 = CheckInfo(
        "security.shell-chmod-777", .security, .medium, "chmod 777 makes files writable by everyone",
        fix: "grant only what is needed (755 for programs, 644 for files)")
    static let shellCurlPipe = CheckInfo(
        "security.shell-curl-pipe-sh", .security, .high, "downloads a script and pipes it into a shell",
        fix: "download to a file, verify its checksum or signature, then run it")
    static let shellUnquotedRm = CheckInfo(
        "security.shell-unquoted-rm", .security, .high, "rm -rf on an unquoted variable",
        fix: "quote it and guard against empty values: rm -rf -- \"${DIR:?}\"/")
    static let shellEval = CheckInfo(
        "security.shell-eval", .security, .medium, "shell eval of a variable",
        fix: "use arrays or case statements instead of eval")
    static let swiftProcessShell = CheckInfo(
        "security.swift-process-shell", .security, .high, "Process runs sh -c with interpolated input",
        fix: "run the program directly with an argument array")
    static let dockerCurlPipe = CheckInfo(
        "security.docker-curl-pipe-sh", .security, .high, "Dockerfile RUN pipes a download into a shell",
        fix: "ADD --checksum or download, verify and then run")

    // MARK: policy
    static func forbidden(_ key: String, _ name: String) -> CheckInfo {
        CheckInfo(
            "policy.forbidden-\(key)", .policy, .medium, "\(name) is not allowed by the technology rules",
            fix: "replace it with what the rules mandate (mybro-doctor --print-rules)")
    }
    static let forbiddenCUDA = forbidden("cuda", "CUDA")
    static let forbiddenDockerDev = forbidden("docker-dev", "Docker for development")
    static let forbiddenElectron = forbidden("electron", "Electron")
    static let forbiddenFlask = forbidden("flask", "Flask")
    static let forbiddenExpress = forbidden("express", "Express.js")
    static let forbiddenCRA = forbidden("create-react-app", "Create React App")
    static let forbiddenJQuery = forbidden("jquery", "jQuery")
    static let forbiddenWebpack = forbidden("webpack", "Webpack")
    static let forbiddenDependency = CheckInfo(
        "policy.forbidden-dependency", .policy, .medium, "a dependency the rules file forbids",
        fix: "replace it with what the rules mandate (mybro-doctor --print-rules)")
    static let mongoDriver = CheckInfo(
        "policy.mongodb-driver", .policy, .medium, "MongoDB driver where the rules mandate PostgreSQL",
        fix: "use PostgreSQL (psycopg, asyncpg, pg)")
    static let mysqlDriver = CheckInfo(
        "policy.mysql-driver", .policy, .medium, "MySQL driver where the rules mandate PostgreSQL",
        fix: "use PostgreSQL (psycopg, asyncpg, pg)")
    static let requestsInAsync = CheckInfo(
        "policy.requests-in-async", .policy, .medium, "requests called inside async def (blocks the event loop)",
        fix: "use httpx.AsyncClient and await it")

    // MARK: health
    static let noReadme = CheckInfo(
        "health.no-readme", .health, .low, "no README", fix: "add a README.md saying what it is and how to run it")
    static let noLicense = CheckInfo(
        "health.no-license", .health, .low, "no LICENSE", fix: "add a LICENSE file (choosealicense.com)")
    static let noTests = CheckInfo(
        "health.no-tests", .health, .medium, "no tests found", fix: "add a tests/ folder with at least one test")
    static let noGitignore = CheckInfo(
        "health.no-gitignore", .health, .low, "no .gitignore", fix: "add a .gitignore for the language's build output")
    static let noLockfile = CheckInfo(
        "health.no-lockfile", .health, .low, "a manifest without a lockfile",
        fix: "commit the lockfile (package-lock.json, uv.lock, Cargo.lock, go.sum, Package.resolved)")
    static let unpinnedDependency = CheckInfo(
        "health.unpinned-dependency", .health, .low, "requirement without an exact version",
        fix: "pin it (name==version), or run mybro-doctor --fix")
    static let largeFile = CheckInfo(
        "health.large-file", .health, .low, "file over the size limit (not scanned)",
        fix: "keep large files out of git (git-lfs, a release asset) or raise --max-file-size")
    static let committedEnv = CheckInfo(
        "health.committed-env", .health, .high, ".env file tracked or not ignored",
        fix: "add .env to .gitignore and untrack it (mybro-doctor --fix)")
    static let shellNoErrexit = CheckInfo(
        "health.shell-no-errexit", .health, .low, "shell script without set -e",
        fix: "add 'set -euo pipefail' after the shebang (mybro-doctor --fix)")
    static let todoCount = CheckInfo(
        "health.todo-count", .health, .info, "TODO and FIXME comments", fix: "turn them into issues or do them")
    static let noCI = CheckInfo(
        "health.no-ci", .health, .low, "no CI configuration",
        fix: "add a CI workflow (.github/workflows, .gitlab-ci.yml) that runs the tests")
    static let mergeConflict = CheckInfo(
        "health.merge-conflict-marker", .health, .high, "merge conflict marker left in a file",
        fix: "resolve the conflict and remove the markers")

    /// Every check, in the order the man page lists them.
    public static let all: [CheckInfo] = [
        awsAccessKey, awsSecretKey, githubClassic, githubOAuth, githubFineGrained, githubApp, gitlab, slackToken,
        slackWebhook, stripeLive, stripeTest, anthropic, openai, googleAPI, gcpServiceAccount, privateKey, jwt, npm,
        pypi, sendgrid, twilio, huggingface, digitalocean, databricks, shopify, square, azure, telegram, age, vault,
        kubernetesSecret, uriCredentials, dotenvValue, genericAssignment,
        pythonEval, pythonShellTrue, pythonOsSystem, pythonSQL, pythonPickle, pythonYAML, pythonTLS, pythonDebug,
        shellChmod777, shellCurlPipe, shellUnquotedRm, shellEval, swiftProcessShell, dockerCurlPipe,
        forbiddenCUDA, forbiddenDockerDev, forbiddenElectron, forbiddenFlask, forbiddenExpress, forbiddenCRA,
        forbiddenJQuery, forbiddenWebpack, forbiddenDependency, mongoDriver, mysqlDriver, requestsInAsync,
        noReadme, noLicense, noTests, noGitignore, noLockfile, unpinnedDependency, largeFile, committedEnv,
        shellNoErrexit, todoCount, noCI, mergeConflict,
    ]

    public static func info(_ id: String) -> CheckInfo? { all.first { $0.id == id } }

    /// The CHECKS section of the man page.
    public static var manualText: String {
        var text = "CHECKS (\(all.count))\n"
        for category in Category.allCases {
            text += "  \(category.rawValue)\n"
            for check in all where check.category == category {
                text += "    \(check.id) (\(check.severity.rawValue)): \(check.title).\n"
                text += "        fix: \(check.fix).\n"
            }
        }
        return text
    }
}
