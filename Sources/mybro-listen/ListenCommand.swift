import ArgumentParser
import Foundation
import MybroCore
import MybroLoop

@main
struct ListenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-listen",
        abstract: "Run the whole voice loop: listen, transcribe, understand, act and answer aloud.",
        discussion: """
            Runs the pipeline

              mybro-capture | mybro-vad | mybro-transcribe | mybro-intent | mybro-exec | mybro-say

            with each option passed to the stage that owns it (--print-pipeline shows the exact \
            command line, to rearrange in a shell or a Makefile). Every record that passes \
            between the stages is written once to --events, and the records that leave the last \
            stage are written to standard output. On a terminal, a one-line status on standard \
            error follows the conversation: listening, hearing, heard "...", thinking, running \
            `make test`, speaking.

            WHEN A REQUEST ENDS
            A request the offline grammar knows to be complete ("run the tests", "stop", "undo \
            that") is acted on at a 200 ms pause, from the partial transcript (semantic \
            endpointing). Anything else waits for --end-silence-ms of silence (default 1000), so a \
            speaker who stops to think mid-sentence is not cut off, and a transcript that stops \
            where no sentence ends ("please build the", "can you") waits 1.5 s more for the rest \
            (mybro-intent --continuation-ms).

            Speaking while mybro talks stops the reply at once: the speech_start record travels \
            down the pipeline to mybro-say. Saying "stop" stops a running job. Ctrl-C (SIGINT) or \
            SIGTERM stops every stage cleanly; a stage that lingers gets SIGTERM, then SIGKILL.

            EXIT STATUS OF THE LOOP
              0      the loop ended (its input ended, or its reader went away)
                     and the last job, if any, succeeded
              1      the loop ended and the last job failed (its own status
                     is the job_done record's "exit", e.g. 2 from make)
              64-78  the first stage that failed, with its status from the
                     table below (66: no speech model, 69: sound card busy)
              70     also: a stage died of a signal
              130, 143  stopped by SIGINT or SIGTERM

            EXAMPLES
              mybro listen
              mybro listen --input request.wav --output reply.wav --backend rules --events events.jsonl
              mybro listen --print-pipeline --cwd ~/src/project

            """ + ManualText.common,
        version: MybroVersion.string)

    @Option(help: "ALSA device for the microphone and the speaker.")
    var device: String?

    @Option(help: "Whisper model directory for mybro-transcribe.")
    var model: String?

    @Option(help: "Intent backend for mybro-intent: auto, claude or rules.")
    var backend: String?

    @Option(help: ArgumentHelp("Workspace where mybro-exec runs jobs.", valueName: "dir"))
    var cwd: String?

    @Option(help: "espeak-ng voice for mybro-say.")
    var voice: String?

    @Option(help: ArgumentHelp("Listen to this recording instead of the microphone.", valueName: "file"))
    var input: String?

    @Option(
        help: ArgumentHelp("Write the spoken replies to this WAV file instead of the sound card.", valueName: "file"))
    var output: String?

    @Option(
        help: ArgumentHelp(
            "Write every record of the loop to this JSON Lines file ('-': to standard output, instead of the last stage's records).",
            valueName: "file"))
    var events: String?

    @Option(help: ArgumentHelp("The Claude Code executable for mybro-exec.", valueName: "path"))
    var claude: String?

    @Flag(help: "Prompt mybro-transcribe with coding words and the workspace's Makefile targets and file names.")
    var codingPrompt = false

    @Option(
        name: .customLong("end-silence-ms"),
        help: ArgumentHelp(
            "Silence that ends a request not yet known to be complete (mybro-vad --silence-ms; 100 to 10000).",
            valueName: "ms"))
    var endSilenceMilliseconds = LoopConfiguration.defaultEndSilenceMilliseconds

    @Flag(help: "Print the pipeline as a shell command line, and exit.")
    var printPipeline = false

    @OptionGroup var log: LogOptions

    static func main() { mybroMain() }

    func validate() throws {
        try OptionRange.check(endSilenceMilliseconds, 100...10_000, option: "--end-silence-ms", unit: "ms")
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-listen", log: log) {
            // It holds the API key: no other process of the user may read it from /proc.
            SecretEnvironment.protectThisProcess()
            var configuration = LoopConfiguration()
            configuration.device = device
            configuration.model = model
            configuration.backend = backend
            configuration.workspace = cwd
            configuration.voice = voice
            configuration.input = input
            configuration.output = output
            configuration.claude = claude
            configuration.codingPrompt = codingPrompt
            configuration.endSilenceMilliseconds = endSilenceMilliseconds
            let stages = LoopPipeline.stages(for: configuration)
            if printPipeline {
                try OutputSink.standardOutput.write(line: LoopPipeline.shellCommand(stages))
                return
            }
            let runner = PipelineRunner(stages: stages, locator: CommandLocator(), eventsPath: events)
            let status = try runner.run()
            if status != 0 { Foundation.exit(status) }
        }
    }
}
