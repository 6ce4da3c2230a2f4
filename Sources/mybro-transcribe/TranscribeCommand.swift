import ArgumentParser
import Foundation
import MybroCore
import MybroWhisper

extension TranscriptFormat: ExpressibleByArgument {}

@main
struct TranscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-transcribe",
        abstract: "Speech to text with Whisper, locally: files, a mybro-vad stream, or raw audio.",
        discussion: """
            With FILE arguments, each file (WAV, FLAC, Ogg…; any rate, mixed to mono) is transcribed in 30 s windows streamed from disk, with timestamp-driven seeking, and written in --format (default txt). A progress bar shows on stderr when it is a terminal.

            Without files, stdin is JSON Lines from mybro-vad: each `utterance` record {t0, t1, rate, pcm} becomes a `transcript` record {t0, t1, text, segments, lang, avg_logprob, no_speech_prob} (other utterance fields such as id are kept), and every other record is forwarded at once, in order, even while a transcription runs. With --raw, stdin is canonical PCM (16 kHz mono s16le) or a WAV stream, transcribed as one input (default format json).

            Decoding is greedy (or a beam search with --beam-size) with Whisper's rules: suppressed tokens, suppress-blank, timestamp rules, the no-speech test, and temperature fallback (sampling best of 5 at 0.2…1.0) when a window's text is repetitive or unlikely. By default the encoder computes only the audio's rows of the 30 s window plus --padding-margin seconds, and reuses cached states for the rest of the padding (computed once per model, kept in ${XDG_CACHE_HOME:-~/.cache}/mybro), with every --padding-stride-th padding position computed and the audio's effect interpolated between them. A window whose first text is unlikely enough to be near the fallback (average log-probability below −0.95, or compression ratio above 2.35) is encoded again in full, so that the fallback, its sampling and the no-speech test decide as in --full-window; so is a window where a greedy choice (a token over the runner-up, or the timestamp rule) won by under 0.1 logits, a lead that the reused padding can reverse. --full-window runs the whole window as faster-whisper does, giving its transcripts exactly.

            MODEL: the directory named by --model, else $MYBRO_MODEL, else ${XDG_DATA_HOME:-~/.local/share}/mybro/models/whisper-tiny.en, which `make setup` (scripts/setup-model.sh) fills: a CTranslate2 Whisper directory (model.bin, config.json, vocabulary.txt; tokenizer.json for --initial-prompt). A missing model exits 66, a corrupt or truncated one 65.

            EXAMPLES
              mybro-transcribe talk.flac --format srt > talk.srt
              mybro-capture | mybro-vad | mybro-transcribe | jq -r 'select(.type=="transcript").text'
              arecord -f S16_LE -r 16000 -c 1 -d 3 | mybro-transcribe --raw --format txt
              mybro-transcribe --initial-prompt "Swift, Makefile, README" note.wav

            """ + ManualText.common,
        version: MybroVersion.string)

    @OptionGroup var log: LogOptions

    /// Usage errors as one line in the toolkit's format (see `mybroMain`).
    static func main() { mybroMain() }
    @OptionGroup var strictness: StrictOption

    @Argument(help: "Audio files to transcribe (without any, read a JSON Lines stream on stdin).")
    var files: [String] = []

    @Option(name: .long, help: "The Whisper model directory.")
    var model: String?

    @Option(name: .long, help: "Output of files and --raw: txt, json (JSON Lines records), srt, vtt or tsv.")
    var format: TranscriptFormat?

    @Flag(name: .long, help: "Read canonical PCM or a WAV stream on stdin and print one transcript.")
    var raw = false

    @Option(name: .long, help: "Threads for the encoder's matrix products, 1-1024 (default: the machine's cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "Do not predict timestamps: one segment per 30 s window (faster).")
    var noTimestamps = false

    @Flag(
        name: .long,
        help:
            "Run the encoder over the whole 30 s window, as faster-whisper does, instead of over the audio plus 0.64 s with cached padding states (slower on short clips; transcripts identical to faster-whisper's)."
    )
    var fullWindow = false

    @Option(
        name: .long,
        help:
            "Seconds of the window's padding the encoder computes beyond the audio, 0-30 (default 0.64; more is closer to --full-window, slower)."
    )
    var paddingMargin: Double = 0.64

    @Option(
        name: .long,
        help:
            "Also compute every N-th padding position beyond the margin and interpolate the content's effect on the others, 0-1500 (default 16; 0 reuses the cached padding states unchanged; smaller is closer to --full-window, slower)."
    )
    var paddingStride: Int = 16

    @Option(name: .long, help: "Beam search with this many hypotheses, 1-16 (1: greedy, the fastest).")
    var beamSize: Int = 1

    @Flag(
        name: .long,
        help:
            "Decode at temperature 0 only, without falling back to sampling at 0.2…1.0 when the text is repetitive (compression ratio > 2.4) or unlikely (average log-probability < −1)."
    )
    var noFallback = false

    @Option(name: .long, help: "Language code of the speech for multilingual models (default: detected).")
    var language: String?

    @Option(name: .long, help: "transcribe, or translate into English (multilingual models).")
    var task: String = "transcribe"

    @Option(
        name: .long,
        help: "Text the speech follows, to steer vocabulary and spelling (e.g. \"Swift, Makefile, README\").")
    var initialPrompt: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Prompt with coding words (git, diff, commit, README…) and DIR's Makefile targets and file names, before any --initial-prompt (mybro listen passes its workspace).",
            valueName: "dir"))
    var workspacePrompt: String?

    func validate() throws {
        try OptionRange.check(threads, 1...1024, option: "--threads")
        try OptionRange.check(paddingMargin, 0...30, option: "--padding-margin", unit: "seconds")
        try OptionRange.check(paddingStride, 0...1500, option: "--padding-stride")
        if !["transcribe", "translate"].contains(task) { throw ValidationError("--task is transcribe or translate") }
        try OptionRange.check(beamSize, 1...16, option: "--beam-size")
        if raw && !files.isEmpty { throw ValidationError("--raw reads stdin; give either --raw or FILE arguments") }
        if !raw && files.isEmpty, let format, format != .json {
            throw ValidationError(
                "a JSON Lines stream gives JSON Lines; --format \(format.rawValue) needs FILE arguments or --raw")
        }
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-transcribe", log: log) {
            var options = TranscriptionOptions()
            options.timestamps = !noTimestamps
            options.beamSize = beamSize
            options.language = language
            options.translate = task == "translate"
            options.temperatures = noFallback ? [0] : [0, 0.2, 0.4, 0.6, 0.8, 1.0]
            options.encoderWindow =
                fullWindow ? .full : .reusedPadding(marginPositions: Int((paddingMargin * 50).rounded()))
            options.paddingSampleStride = paddingStride
            let prompt = [workspacePrompt.map { WorkspacePrompt.text(directory: $0) }, initialPrompt]
                .compactMap { $0 }.joined(separator: " ")
            let input: TranscribeTool.Input = raw ? .raw : (files.isEmpty ? .stream : .files(files))
            let tool = TranscribeTool(
                input: input, modelDirectory: ModelDirectory.resolve(option: model),
                format: format ?? (files.isEmpty ? .json : .txt), options: options, threads: threads,
                strict: strictness.strict, initialPrompt: prompt)
            try tool.run()
        }
    }
}
