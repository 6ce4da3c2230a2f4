import ArgumentParser
import Foundation
import MybroCore
import MybroIntent

@main
struct IntentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-intent",
        abstract: "Turn transcripts into intents: code, run, stop, status, confirm, deny, answer, undo or none.",
        discussion: """
            Reads JSON Lines (and plain text lines, each taken as a transcript) on stdin. Every final \
            "transcript" record and text line becomes one "intent" record on stdout; every other record \
            (partial transcripts included) passes through unchanged and in order.

            BACKENDS
              claude  the Anthropic Messages API (POST /v1/messages); the
                      intent comes back as structured output; the system
                      prompt carries the technology rules and the last
                      exchanges. 408, 409, 429, 5xx and connection failures
                      are retried (--retries, default 2), honouring
                      retry-after.
              rules   the offline grammar below.
              auto    claude when ANTHROPIC_API_KEY is set, otherwise rules;
                      a request the API fails on after its retries is
                      answered by the rules, with a warning on stderr.
            Short control words (stop, yes, no, status, undo) are always
            answered by the rules, at once.

            RULES GRAMMAR
            Case, punctuation, fillers ("um", "please", "could you") and
            one-letter slips in longer words are ignored.
              stop      stop, cancel, abort, halt, kill it, quit, enough,
                        wait, never mind, forget it, shut up, be quiet,
                        hold on
              confirm   yes, yeah, yep, sure, ok, do it, go ahead,
                        go for it, confirm, correct, run it
              deny      no, nope, nah, don't, do not, deny, negative,
                        no way, skip it
              status    status, what's the status, what's happening,
                        what are you doing, are you done, is it done,
                        how's it going, progress
              run task  run the tests, run tests, test it (task test);
                        build, compile, run the build (task build);
                        lint, run the linter (task lint)
              run       git status, git diff, git log, what changed,
                        list files, where am I; "run COMMAND" (COMMAND as
                        heard: mybro-exec's safety policy decides)
              code      ask Claude to ..., tell Claude to ..., have
                        Claude ..., Claude, ... (also heard as "clawed",
                        "cloud", "claud"); questions: tell me ...,
                        explain ..., what does ..., how does ...;
                        requests that start with fix, add, write,
                        create, refactor, rename, ...
              answer    what time is it, what's the date
              undo      undo, undo that, undo the last change, undo the
                        last job, revert that, revert the last change,
                        roll back, roll that back, take that back, put it
                        back; undo job 12 (job 12)
              none      anything else (confidence 0)

            EXAMPLES
              echo "run the tests" | mybro-intent --backend rules
              mybro-transcribe | mybro-intent | mybro-exec --cwd ~/proj

            ENVIRONMENT
              ANTHROPIC_API_KEY   the Messages API key (never printed or
                                  logged)
              ANTHROPIC_BASE_URL  the API's base URL (default
                                  https://api.anthropic.com)

            """ + ManualText.common,
        version: MybroVersion.string)

    @OptionGroup var log: LogOptions

    /// Usage errors as one line in the toolkit's format (see `mybroMain`).
    static func main() { mybroMain() }
    @OptionGroup var strict: StrictOption

    @Option(help: "Which backend understands transcripts: auto, claude or rules.")
    var backend: IntentBackendChoice = .auto

    @Option(help: "The model for the claude backend.")
    var model = ClaudeIntentBackend.defaultModel

    @Option(help: "The Messages API base URL (default: $ANTHROPIC_BASE_URL or https://api.anthropic.com).")
    var baseURL: String?

    @Option(
        help: ArgumentHelp(
            "A technology rules file for the system prompt (default: the shipped rules).",
            valueName: "file"))
    var rules: String?

    @Flag(help: "Print the shipped technology rules and exit.")
    var printRules = false

    @Option(help: "How the model returns the intent: json-schema (output_config.format) or tool (a forced tool call).")
    var structuredOutput: ClaudeIntentBackend.StructuredOutput = .jsonSchema

    @Option(help: "Seconds allowed for one API attempt, from request to the whole answer (at most 3600).")
    var timeout: Double = 30

    @Option(help: "Retries after a failed API attempt (429, 5xx, 529, connection failures), 0-10.")
    var retries = 2

    @Option(help: "Earlier exchanges of the conversation to show the model, 0-100.")
    var memory = 6

    mutating func validate() throws {
        try OptionRange.check(timeout, above: 0, atMost: 3600, option: "--timeout", unit: "seconds")
        try OptionRange.check(retries, 0...10, option: "--retries")
        try OptionRange.check(memory, 0...100, option: "--memory", unit: "exchanges")
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-intent", log: log) {
            // It holds the API key: no other process of the user may read it from /proc.
            SecretEnvironment.protectThisProcess()
            if printRules {
                try OutputSink.standardOutput.write(line: TechnologyRules.defaultText)
                return
            }
            let environment = ProcessInfo.processInfo.environment
            let base = baseURL ?? environment["ANTHROPIC_BASE_URL"] ?? MessagesAPIConfiguration.defaultBaseURL
            guard let url = URL(string: base), url.scheme == "http" || url.scheme == "https" else {
                throw MybroError("bad base URL \"\(base)\": give an http:// or https:// URL", status: .usage)
            }
            var configuration = IntentFilterConfiguration(
                baseURL: url, apiKey: SecretEnvironment.value("ANTHROPIC_API_KEY"))
            configuration.backend = backend
            configuration.model = model
            configuration.structuredOutput = structuredOutput
            configuration.attemptTimeout = timeout
            configuration.connectTimeout = min(timeout, 10)
            configuration.maxRetries = retries
            configuration.memory = memory
            configuration.strict = strict.strict
            if let rules {
                guard let text = try? String(contentsOfFile: rules, encoding: .utf8) else {
                    throw MybroError("cannot read the rules file \(rules): check the path", status: .noInput)
                }
                configuration.rules = text
            }
            try IntentFilter(configuration: configuration).run()
        }
    }
}

extension IntentBackendChoice: ExpressibleByArgument {}
extension ClaudeIntentBackend.StructuredOutput: ExpressibleByArgument {}
