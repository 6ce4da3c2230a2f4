import ArgumentParser
import MybroCore
import MybroVAD

@main
struct VADCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-vad",
        abstract: "Find speech in canonical PCM with WebRTC's voice activity detector and cut it into utterances.",
        discussion: """
            Reads 16 kHz mono s16le PCM (or a WAV stream from mybro-capture) on stdin. Each frame is judged \
            by a Swift port of WebRTC's VAD that makes the C library's decisions bit for bit. A frame \
            ring starts speech when --start-ratio of the last --window-ms is voiced (and half of it \
            stands out from the noise floor); it ends when --end-ratio of the last --silence-ms is \
            unvoiced, where frames voiced only by the detector's hangover, or within --floor-db of \
            the noise floor, count as unvoiced. Records are written the moment they are decided: speech_start {t}, then \
            utterance {t0, t1, rate, pcm (base64 s16le, padded by --pad-ms)}, then speech_end {t}. End of \
            input flushes speech in progress.

            PAUSES
            While speech goes on, a silence of half --pause-ms (default 200) writes the speech so far, \
            speech {t0, t1, rate, pcm}, and a silence of --pause-ms a pause {t0, t1 (end of the last \
            voiced frame), silence (seconds)}; --partial-ms N also writes the speech so far every N ms. \
            t0 is the t0 of the utterance that follows. mybro-transcribe turns speech records into \
            partial transcripts, and mybro-intent acts on a partial transcript that is a complete \
            request once its pause has come, without waiting for the utterance (semantic endpointing). \
            --pause-ms 0 writes neither; a pause as long as --silence-ms is the end of the utterance.

            OUTPUT
              (default)      speech_start, utterance and speech_end JSON Lines records
              --frames       one decision per frame, 0 or 1, one a line
              --audio        only the speech (padded utterances) as canonical PCM
              --segments     one {"type":"segment","t0":…,"t1":…} record per utterance
              --format tsv   a start<TAB>end table in seconds (implies --segments)

            EXAMPLES
              mybro-capture | mybro-vad | mybro-transcribe
              mybro-capture --input talk.wav | mybro-vad --segments --format tsv
              mybro-capture --input talk.wav | mybro-vad --audio | sox -t raw -r 16000 -e signed -b 16 -c 1 - speech.wav
              mybro-capture --input talk.wav | mybro-vad --frames --mode 3 --frame-ms 10

            """ + ManualText.common,
        version: MybroVersion.string
    )

    @Option(help: "Aggressiveness: 0 quality, 1 low bitrate, 2 aggressive, 3 very aggressive.")
    var mode = 3

    @Option(name: .customLong("frame-ms"), help: "Frame length in milliseconds: 10, 20 or 30.")
    var frameMilliseconds = 30

    @Option(name: .customLong("window-ms"), help: "Length of the start window in milliseconds (a frame to 10000).")
    var windowMilliseconds = 300

    @Option(
        name: .customLong("start-ratio"),
        help: "Share of voiced frames in the window that starts speech (above 0, at most 1).")
    var startRatio = 0.9

    @Option(
        name: .customLong("silence-ms"), help: "Unvoiced audio that ends speech, in milliseconds (a frame to 60000).")
    var silenceMilliseconds = 500

    @Option(
        name: .customLong("pause-ms"),
        help:
            "A pause inside speech to report, in milliseconds (0 none, at most 60000): the speech so far at half of it, a pause record at it."
    )
    var pauseMilliseconds = 200

    @Option(
        name: .customLong("partial-ms"),
        help:
            "Also report the speech so far every this many milliseconds of speech, for partial transcripts (0 never, at most 600000)."
    )
    var partialMilliseconds = 0

    @Option(
        name: .customLong("end-ratio"),
        help: "Share of unvoiced frames in the last --silence-ms that ends speech (above 0, at most 1).")
    var endRatio = 1.0

    @Option(
        name: .customLong("floor-db"),
        help: "Frames less than this many dB above the noise floor do not keep speech going (0: off; at most 60).")
    var floorMarginDecibels = 1.5

    @Option(
        name: .customLong("pad-ms"), help: "Audio kept before and after each utterance, in milliseconds (0-10000).")
    var padMilliseconds = 200

    @Option(
        name: .customLong("min-ms"), help: "Speech shorter than this is dropped as noise, in milliseconds (0-600000).")
    var minimumMilliseconds = 250

    @Option(
        name: .customLong("max-ms"),
        help: "Longer speech is split at its quietest frame, in milliseconds (at most 600000, ten minutes).")
    var maximumMilliseconds = 30000

    @Flag(help: "Print one decision per frame (0 or 1) instead of records.")
    var frames = false

    @Flag(help: "Write only the speech as canonical PCM.")
    var audio = false

    @Flag(help: "Write one segment record per utterance, without audio.")
    var segments = false

    @Option(help: "Format of --segments: json or tsv.")
    var format: SegmentFormat = .json

    @OptionGroup var strict: StrictOption
    @OptionGroup var log: LogOptions

    /// Usage errors as one line in the toolkit's format (see `mybroMain`).
    static func main() { mybroMain() }

    enum SegmentFormat: String, ExpressibleByArgument, CaseIterable { case json, tsv }

    var output: VADOutput {
        if frames { return .frames }
        if audio { return .audio }
        if format == .tsv { return .table }
        return segments ? .segments : .records
    }

    var segmenter: SegmenterConfiguration {
        var configuration = SegmenterConfiguration()
        configuration.frameMilliseconds = frameMilliseconds
        configuration.windowMilliseconds = windowMilliseconds
        configuration.startRatio = startRatio
        configuration.silenceMilliseconds = silenceMilliseconds
        configuration.endRatio = endRatio
        configuration.floorMarginDecibels = floorMarginDecibels == 0 ? nil : floorMarginDecibels
        configuration.padMilliseconds = padMilliseconds
        configuration.minimumMilliseconds = minimumMilliseconds
        configuration.maximumMilliseconds = maximumMilliseconds
        configuration.pauseMilliseconds = pauseMilliseconds
        configuration.partialMilliseconds = partialMilliseconds
        return configuration
    }

    func validate() throws {
        guard VADMode(rawValue: mode) != nil else {
            throw ValidationError("--mode \(mode) is out of range: give 0, 1, 2 or 3")
        }
        guard [10, 20, 30].contains(frameMilliseconds) else {
            throw ValidationError("--frame-ms \(frameMilliseconds) is out of range: give 10, 20 or 30")
        }
        // Each alone first, so that no product of them (ms × samples per ms) can overflow.
        try OptionRange.check(windowMilliseconds, frameMilliseconds...10_000, option: "--window-ms", unit: "ms")
        try OptionRange.check(startRatio, above: 0, atMost: 1, option: "--start-ratio")
        try OptionRange.check(silenceMilliseconds, frameMilliseconds...60_000, option: "--silence-ms", unit: "ms")
        try OptionRange.check(pauseMilliseconds, 0...60_000, option: "--pause-ms", unit: "ms")
        try OptionRange.check(partialMilliseconds, 0...600_000, option: "--partial-ms", unit: "ms")
        try OptionRange.check(endRatio, above: 0, atMost: 1, option: "--end-ratio")
        try OptionRange.check(floorMarginDecibels, 0...60, option: "--floor-db", unit: "dB")
        try OptionRange.check(padMilliseconds, 0...10_000, option: "--pad-ms", unit: "ms")
        try OptionRange.check(minimumMilliseconds, 0...600_000, option: "--min-ms", unit: "ms")
        try OptionRange.check(maximumMilliseconds, 1...600_000, option: "--max-ms", unit: "ms")
        if [frames, audio, segments].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --frames, --audio and --segments")
        }
        if format == .tsv && (frames || audio) { throw ValidationError("--format tsv goes with --segments only") }
        if maximumMilliseconds < 2 * windowMilliseconds || maximumMilliseconds <= minimumMilliseconds {
            throw ValidationError(
                "--max-ms \(maximumMilliseconds) is out of range: give more than --min-ms (\(minimumMilliseconds)) "
                    + "and at least twice --window-ms (\(2 * windowMilliseconds))")
        }
        if let problem = segmenter.problem() { throw ValidationError(problem) }
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-vad", log: log) {
            let runner = VADStreamRunner(mode: VADMode(rawValue: mode)!, segmenter: segmenter, output: output)
            try runner.run(input: AudioInputStream(fd: 0, strict: strict.strict), sink: .standardOutput)
        }
    }
}
