import ArgumentParser
import Foundation
import MybroCore
import MybroEmbedding
import MybroIntent
import MybroRules

@main
struct IntentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-intent",
        abstract:
            "Turn transcripts into intents: code, run, stop, status, history, ask, confirm, deny, answer, undo or none.",
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
            Case, punctuation, fillers ("um", "please", "could you", "can
            we", "i need to") and one-letter slips in longer words are
            ignored; ways of asking to see ("i need to see", "let's look
            at") mean show, "would you mind running" means run. A request
            wrapped in context ("So I fixed the bug, could you run the
            tests?") is read clause by clause, where the recogniser put a
            full stop, question mark or comma, last clause first, when the
            whole reads as nothing sure; a yes is never taken from a
            clause. A yes inside a longer answer needs a yes-word or "go
            for it" and no no-word: "uh huh, right" is no answer. Slots: counts
            ("the last five commits"), dates ("since yesterday"), branch
            names ("login fix" → login-fix), commit messages, and file and
            folder names, resolved in the --cwd workspace without case
            ("the sources folder" → Sources, "the readme" → README.md).
              stop      stop, cancel (that, the build), abort, never mind,
                        forget it, hold on, stop what you are doing
              confirm   yes, yeah, sure, ok, do it, go ahead, that's right,
                        yes please, absolutely, run it, that's right go for it
              deny      no, nope, nah, no do not do that, don't, no thanks,
                        not that, absolutely not, skip it
              status    status, what are you doing, is it still running,
                        what is the status of the build (task build)
              history   did the tests pass, how long did the last build
                        take, did it work (answered from the job history)
              run task  run the tests (test); build, build in release mode
                        (build, mode release); run the linter (lint);
                        format the code (format); run the app (start);
                        a task's own tool: run swift test, swiftlint,
                        swift format, make test, cargo test, pytest (the
                        task, run by the workspace's recipe)
              run       git status; show me the diff (git diff); the last
                        five commits (git log -5); what changed since
                        yesterday (git log --since=yesterday); what branch
                        am I on; who changed the readme (git blame);
                        commit with the message fix it (git commit -am);
                        create a branch called login fix (git switch -c
                        login-fix); switch to main, go to the branch
                        login fix; pull; push, send my commits to origin;
                        stash, put my changes in the stash, shelve my work;
                        bring back my stashed changes (git stash pop);
                        list the files in the sources folder (ls Sources);
                        open the readme (cat README.md); find the file
                        called parser; how many lines are in main.swift;
                        search the project for parse config (rg -n -i
                        'parse[ _-]?config'); "run COMMAND" (as heard).
                        mybro-exec's safety policy decides, and asks about
                        writes.
              run gpu   run the training on an H100, train the model on an
                        A100, run train.py on a cloud GPU, run the benchmark
                        on two H100s: mybro-gpu run --gpu TYPE [--count N]
                        --name JOB --budget 10 --ttl 2h --upload . -- CMD,
                        CMD the workspace's make target (train, bench, ...)
                        or script (python3 train.py, bash bench.sh); with
                        neither, an answer says so. mybro-exec asks first,
                        naming the price.
              code      ask Claude to ..., tell Claude to ..., Claude, ...;
                        questions: explain ..., what does ..., how does ...;
                        requests that start with fix, add, write, create,
                        refactor, rename, ...
              answer    what time is it, what's the date
              undo      undo, undo that, undo the last change, revert that,
                        roll back, put it back, take back the last thing
                        you did; undo job 12 (job 12). Writes the grammar
                        does not make (revert the last commit, squash,
                        rebase, reset) are none, never a read of the log.
              none      anything else (confidence 0)

            PARAPHRASES
            When the grammar finds nothing, or only guesses at a coding
            request, and the sentence-embedding model all-MiniLM-L6-v2 is
            installed (make setup), the request is compared with a few
            hundred example requests by the cosine of their sentence
            embeddings; the closest kind, at --embedding-threshold or
            above, gives the intent (backend "embedding"): the tasks, git
            status, diff, log, show, branch, pull, push, stash, status,
            history, stop, yes, no, undo and coding requests. Push and
            pull, stash and stash pop, are told apart by the words that
            say which way ("down", "bring back"). A kind that needs a
            slot takes it from what marks it anywhere in the sentence:
            the words after "the message is", "call it", "called"; the
            words before "branch"; a workspace file or folder named
            anywhere; a search term after "for", "the word", "mentions";
            without one the request stays none. Its confidence is the
            cosine rescaled so that the threshold is 0.3 and a copy of an
            example 1: a match under about 0.68 is asked about first
            (REPLIES). The examples' embeddings are cached in
            ~/.cache/mybro. Without the model, or with --no-embedding, the
            grammar alone answers.

            REPLIES
            Every utterance gets an answer. For none, a say record "I
            didn't catch that: WORDS" comes before the intent, at most one
            per --none-reply-interval seconds (--no-none-reply: none). A
            run or code intent under --ask-below confidence is not sent:
            a say record asks "Did you mean run the tests? Say yes or no."
            and an ask intent records the question. The next transcript,
            within --ask-timeout seconds, settles it: a yes sends the
            guessed intent, a no a deny (and "OK, I dropped it."); anything
            else drops the guess and is read as usual.

            PAUSES MID-SENTENCE
            A spoken transcript (one with t0) that stops where no sentence
            ends, on an article, a possessive, a preposition, a
            conjunction, a filler or an opener ("please build the", "can
            you", "switch to"), waits --continuation-ms for more speech.
            When the speaker goes on, both transcripts become one request
            ("please build the project in release mode"); when nothing
            follows, the beginning is read alone. Semantic endpointing
            never ends a turn on such words either.

            EXAMPLES
              echo "run the tests" | mybro-intent --backend rules
              echo "show me the last five commits" | mybro-intent --backend rules
              mybro-transcribe | mybro-intent | mybro-exec --cwd ~/proj

            ENVIRONMENT
              ANTHROPIC_API_KEY   the Messages API key (never printed or
                                  logged)
              ANTHROPIC_BASE_URL  the API's base URL (default
                                  https://api.anthropic.com)
              MYBRO_EMBEDDING_MODEL  the sentence-embedding model's
                                  folder (default
                                  ~/.local/share/mybro/models/minilm)

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

    @Option(
        help: ArgumentHelp(
            "The workspace whose file and folder names the rules resolve (\"the sources folder\" → Sources).",
            valueName: "dir"))
    var cwd = "."

    @Flag(
        inversion: .prefixedNo,
        help: "Say \"I didn't catch that: …\" (a say record) when a transcript gives no intent.")
    var noneReply = true

    @Option(help: ArgumentHelp("Seconds between two \"I didn't catch that\" replies at least.", valueName: "seconds"))
    var noneReplyInterval: Double = 10

    @Option(
        help: ArgumentHelp(
            "Ask back (\"did you mean …?\") before a run or code intent under this confidence; 0 never asks.",
            valueName: "confidence"))
    var askBelow: Double = IntentFilterConfiguration.defaultAskBelow

    @Option(help: ArgumentHelp("Seconds a question about a guess waits for its yes or no.", valueName: "seconds"))
    var askTimeout: Double = 30

    @Option(
        help: ArgumentHelp(
            "Milliseconds a spoken transcript that stops mid-sentence waits for the rest; 0 acts at once.",
            valueName: "ms"))
    var continuationMs = 1500

    @Flag(
        inversion: .prefixedNo,
        help: "Read requests the grammar does not know by their closeness to example requests (sentence embeddings).")
    var embedding = true

    @Option(
        help: ArgumentHelp(
            "The sentence-embedding model (default: $MYBRO_EMBEDDING_MODEL or ~/.local/share/mybro/models/minilm).",
            valueName: "dir"))
    var embeddingModel: String?

    @Option(
        help: ArgumentHelp(
            "The least cosine with an example request that counts as a match, 0-1.", valueName: "similarity"))
    var embeddingThreshold = OfflineIntentReader.defaultThreshold

    @Option(
        help: ArgumentHelp(
            "The least lead of the closest kind of request over the next kind, 0-1.", valueName: "similarity"))
    var embeddingMargin = OfflineIntentReader.defaultMargin

    mutating func validate() throws {
        try OptionRange.check(timeout, above: 0, atMost: 3600, option: "--timeout", unit: "seconds")
        try OptionRange.check(retries, 0...10, option: "--retries")
        try OptionRange.check(memory, 0...100, option: "--memory", unit: "exchanges")
        try OptionRange.check(noneReplyInterval, 0...86400, option: "--none-reply-interval", unit: "seconds")
        try OptionRange.check(askBelow, 0...1, option: "--ask-below")
        try OptionRange.check(askTimeout, above: 0, atMost: 3600, option: "--ask-timeout", unit: "seconds")
        try OptionRange.check(continuationMs, 0...60_000, option: "--continuation-ms", unit: "ms")
        try OptionRange.check(embeddingThreshold, 0...1, option: "--embedding-threshold")
        try OptionRange.check(embeddingMargin, 0...1, option: "--embedding-margin")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: cwd, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--cwd \(cwd) is not a directory: give an existing directory")
        }
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
            configuration.workspace = WorkspaceNames.scan(directory: cwd)
            configuration.replyToNone = noneReply
            configuration.noneReplyInterval = noneReplyInterval
            configuration.askBelow = askBelow
            configuration.askTimeout = askTimeout
            configuration.continuation = Double(continuationMs) / 1000
            // The Messages API understands paraphrases itself: only the offline path loads the model.
            if embedding && backend != .claude {
                configuration.paraphrases = ParaphraseModel.load(
                    option: embeddingModel, explicit: embeddingModel != nil, log: Log.shared)
            }
            configuration.paraphraseThreshold = embeddingThreshold
            configuration.paraphraseMargin = embeddingMargin
            if let rules {
                guard let text = try? String(contentsOfFile: rules, encoding: .utf8) else {
                    throw MybroError("cannot read the rules file \(rules): check the path", status: .noInput)
                }
                configuration.rules = text
            } else {
                configuration.rules = TechnologyRules.prompt(stack: try RulesLoader.load(projectRoot: cwd))
            }
            try IntentFilter(configuration: configuration).run()
        }
    }
}

extension IntentBackendChoice: ExpressibleByArgument {}
extension ClaudeIntentBackend.StructuredOutput: ExpressibleByArgument {}
