import ArgumentParser
import Foundation
import MybroAudio
import MybroCore

@main
struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-capture",
        abstract: "Capture audio from the sound card or decode a file into mybro's PCM stream.",
        discussion: """
            Writes 16 kHz mono signed 16-bit little-endian PCM on stdout (or a WAV with --wav), \
            from an ALSA device or from any file libsndfile reads (WAV, FLAC, Ogg Vorbis/Opus, MP3, \
            AIFF and more). Input without a header (stdin, or a .raw/.pcm file) is read as that \
            same 16 kHz PCM stream, so mybro-say's output can be turned into a WAV. Channels are \
            averaged; the rate is converted with libsoxr's band-limited high-quality resampler. Live capture reads the card on its own thread: a slow consumer \
            fills a ring of --buffer seconds, after which the oldest audio is dropped and the loss \
            is reported on stderr, as are sound-card overruns. A missing file or device exits with \
            status 66, a file that cannot be decoded 65, a busy sound card 69.

            With --strict, only audio that proves itself is accepted: input without a header \
            (which random bytes cannot be told from), a file that ends before the length its \
            header announces, and headerless input that ends in the middle of a sample exit with \
            status 65 instead of being read with a warning. Headerless input is refused before \
            anything is written; the other two after the audio that could be decoded.

            EXAMPLES
              mybro-capture --duration 5 > five-seconds.raw
              mybro-capture --input music.flac | sox -t raw -r 16000 -e signed -b 16 -c 1 - out.wav
              mybro-say "hello" --output - | mybro-capture --input - --wav > hello.wav
              mybro-capture --list-devices

            """ + ManualText.common,
        version: MybroVersion.string)

    @Option(
        help: ArgumentHelp("ALSA device to capture from (default: default; see --list-devices).", valueName: "NAME"))
    var device: String?

    @Flag(help: "List the ALSA devices that can capture, one 'NAME<TAB>DESCRIPTION' per line, and exit.")
    var listDevices = false

    @Option(help: ArgumentHelp("Decode this audio file instead of capturing; '-' reads stdin.", valueName: "FILE"))
    var input: String?

    @Flag(help: "Write a WAV stream (header first) instead of headerless PCM.")
    var wav = false

    @Option(
        help: ArgumentHelp("Stop after this many seconds of output (at most 604800, a week).", valueName: "SECONDS"))
    var duration: Double?

    @Option(help: ArgumentHelp("Output sample rate in Hz, 1000-768000 (mybro's stream is 16000).", valueName: "HZ"))
    var rate = CanonicalAudio.sampleRate

    @Option(
        help: ArgumentHelp(
            "Seconds of live audio held for a slow consumer before the oldest is dropped (at most 3600).",
            valueName: "SECONDS"))
    var buffer = 10.0

    @Flag(
        help:
            "Refuse input without a header, a truncated file and a stray last byte (exit 65) instead of warning.")
    var strict = false

    @OptionGroup var log: LogOptions

    /// Usage errors as one line in the toolkit's format (see `mybroMain`).
    static func main() { mybroMain() }

    func validate() throws {
        if device != nil && input != nil { throw ValidationError("give either --device or --input, not both") }
        if listDevices && input != nil { throw ValidationError("--list-devices lists sound cards; drop --input") }
        if strict && input == nil { throw ValidationError("--strict checks files and stdin: give --input FILE or -") }
        if let duration {
            try OptionRange.check(duration, above: 0, atMost: 604_800, option: "--duration", unit: "seconds")
        }
        try OptionRange.check(rate, 1000...768_000, option: "--rate", unit: "Hz")
        try OptionRange.check(buffer, above: 0, atMost: 3600, option: "--buffer", unit: "seconds")
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-capture", log: log) {
            if listDevices {
                let devices = ALSA.captureDevices()
                if devices.isEmpty { Log.shared.warning("ALSA reports no devices that can capture") }
                for found in devices {
                    try OutputSink.standardOutput.write(line: "\(found.name)\t\(found.description)")
                }
                return
            }
            if isatty(1) != 0 {
                // Like gzip: binary audio on a terminal is noise; say where it should go instead.
                throw MybroError(
                    "stdout is a terminal: redirect it to a file or a pipe "
                        + "(e.g. | aplay -t raw -f S16_LE -r 16000 -c 1)", status: .usage)
            }
            let source: CaptureConfiguration.Source = input.map { .file($0) } ?? .device(device ?? "default")
            let configuration = CaptureConfiguration(
                source: source, outputRate: rate, wav: wav, duration: duration, bufferSeconds: buffer,
                strict: strict)
            let summary = try AudioCapture.run(configuration) { event in
                Log.shared.log(event.isWarning ? .warning : .debug, event.message)
            }
            Log.shared.debug(
                "wrote \(summary.samplesWritten) samples (\(Double(summary.samplesWritten) / Double(rate)) s)")
        }
    }
}
