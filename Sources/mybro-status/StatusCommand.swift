import ArgumentParser
import Foundation
import MybroCore
import MybroStatus
import MybroStore
import Synchronization

@main
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-status",
        abstract: "Show the voice loop live in a browser (port 7777) and collect every command's logs (port 7778).",
        discussion: """
            Reads the loop's records (mybro-protocol(7)) from standard input, or follows a file \
            like tail -F with --follow, and serves:

              http://127.0.0.1:7777/   the dashboard: state and audio level, the words heard, \
            the intent, a pending confirmation (Yes/No), the running job and its output, \
            latency per request, recent jobs from the history, live logs; Stop and Mute
              /v1/state /v1/jobs /v1/jobs/ID /v1/logs /v1/session   REST (JSON)
              /v1/events   WebSocket: a snapshot, then one update per record
              POST /v1/control/stop|confirm|deny|mute|unmute   written to --control as records

              http://127.0.0.1:7778/v1/logs   the log service: POST JSON Lines (what \
            MYBRO_LOG_URL sends), GET ?level=&tool=&since=&limit=, WebSocket /v1/logs/tail, \
            rotated files under /v1/logs/files

            A malformed record is skipped with a warning and counted. When the records end, \
            the dashboard keeps serving the last state until Ctrl-C. Errors are JSON: \
            {"error":{"code":"…","message":"…"}}.

            SAFETY
              Both services bind to loopback unless --listen names another address; then every \
            request needs the token (--token-file, or MYBRO_STATUS_TOKEN; one is made and \
            written to the token file when neither exists): Authorization: Bearer TOKEN, or \
            the session cookie a one-time login link (printed on stderr) sets. On loopback \
            the Host header must be a loopback name (no DNS rebinding). WebSocket upgrades \
            from another origin are refused (403). Control requests need the X-CSRF-Token \
            header (GET /v1/session) or the bearer token, and are limited to 10 at once \
            and 2 a second (429). API keys and tokens are redacted in what is shown.

            EXAMPLES
              mybro listen --events - | mybro-status
              mybro listen --events ev.jsonl --control /tmp/mybro.ctl & mybro-status --follow ev.jsonl --control /tmp/mybro.ctl
              mybro listen --status
              MYBRO_LOG_URL=http://127.0.0.1:7778/v1/logs mybro-vad < speech.raw > /dev/null
              curl -s 'http://127.0.0.1:7778/v1/logs?level=warning&tool=mybro-exec&limit=20' | jq .

            """ + ManualText.common,
        version: MybroVersion.string)

    @Option(
        help: ArgumentHelp(
            "Follow this file of the loop's records (like tail -F) instead of reading standard input.",
            valueName: "file"))
    var follow: String?

    @Option(
        help: ArgumentHelp(
            "The FIFO of mybro listen --control, where Stop, Yes, No and Mute are written.", valueName: "path"))
    var control: String?

    @Option(help: ArgumentHelp("Address to serve on; off loopback every request needs the token.", valueName: "addr"))
    var listen = "127.0.0.1"

    @Option(help: "Dashboard port, 0 to 65535 (0: any free port, printed on stderr).")
    var port = 7777

    @Option(help: "Log service port, 0 to 65535 (0: any free port, printed on stderr).")
    var logPort = 7778

    @Option(
        help: ArgumentHelp(
            "Job history to show (default: mybro-exec's, ~/.local/state/mybro/history.sqlite).", valueName: "file"))
    var history: String?

    @Option(
        help: ArgumentHelp(
            "Directory for the log service's rotated files (default: ~/.local/state/mybro/logs).", valueName: "dir"))
    var logDir: String?

    @Option(help: "Log records kept in memory, 100 to 1000000.")
    var logRing = 10_000

    @Option(help: "Messages a WebSocket client may fall behind before it is dropped, 16 to 100000.")
    var clientQueue = 4096

    @Option(
        help: ArgumentHelp(
            "File holding the access token (made, mode 0600, when missing and needed).", valueName: "file"))
    var tokenFile: String?

    @OptionGroup var log: LogOptions

    static func main() { mybroMain() }

    func validate() throws {
        try OptionRange.check(port, 0...65535, option: "--port")
        try OptionRange.check(logPort, 0...65535, option: "--log-port")
        try OptionRange.check(logRing, 100...1_000_000, option: "--log-ring")
        try OptionRange.check(clientQueue, 16...100_000, option: "--client-queue")
        if port != 0 && port == logPort { throw ValidationError("--port and --log-port must differ") }
        if listen.isEmpty { throw ValidationError("--listen needs an address, e.g. 127.0.0.1") }
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-status", log: log) {
            // Our own diagnostics must not feed the log file we follow or the service we are.
            var environment = ProcessInfo.processInfo.environment
            let followedLog = environment.removeValue(forKey: "MYBRO_LOG_FILE")
            environment.removeValue(forKey: "MYBRO_LOG_URL")
            Log.shared.configure(
                tool: "mybro-status", threshold: log.threshold, format: log.logFormat, environment: environment)

            var settings = StatusSettings(historyPath: history ?? JobHistory.defaultPath())
            settings.follow = follow
            settings.controlPath = control
            settings.listenHost = listen
            settings.port = port
            settings.logPort = logPort
            settings.logCapacity = logRing
            settings.clientQueue = clientQueue
            settings.followLogFile = followedLog.flatMap { $0.isEmpty ? nil : $0 }
            let directory = logDir ?? XDGDirectories.mybro(.state) + "/logs"
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                settings.logDirectory = directory
            } catch {
                Log.shared.warning(
                    "cannot create \(directory): \(error.localizedDescription); logs stay in memory only")
            }
            settings.token = try token()
            let service = StatusService(settings: settings)

            Thread.detachNewThread { service.readRecords() }
            if let path = settings.followLogFile { Thread.detachNewThread { service.followLogFile(path) } }
            let finished = DispatchSemaphore(value: 0)
            let failure = Mutex<MybroError?>(nil)
            Task {
                do {
                    try await StatusServer.run(service)
                } catch let error as MybroError {
                    failure.withLock { $0 = error }
                } catch {
                    failure.withLock { $0 = MybroError("\(error)", status: .software) }
                }
                finished.signal()
            }
            finished.wait()
            if let error = failure.withLock({ $0 }) { throw error }
        }
    }

    /// The token: MYBRO_STATUS_TOKEN, or --token-file's; off loopback one is needed, and made
    /// (mode 0600) in the token file when it has none.
    func token() throws -> String? {
        if let value = SecretEnvironment.value("MYBRO_STATUS_TOKEN"), !value.isEmpty { return value }
        let offLoopback = !AccessPolicy.isLoopback(listen)
        guard tokenFile != nil || offLoopback else { return nil }
        let path = tokenFile ?? XDGDirectories.mybro(.state) + "/status-token"
        if FileManager.default.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw MybroError("cannot read the token file \(path)", status: .noInput)
            }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard value.count >= 16 else {
                throw MybroError("\(path) holds no token of 16 characters or more", status: .configuration)
            }
            return value
        }
        let value = AccessPolicy.randomToken()
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data((value + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw MybroError("cannot write the token file \(path)", status: .ioError) }
        Log.shared.info("the API token is in \(path) (send Authorization: Bearer TOKEN)")
        return value
    }
}
