import ArgumentParser
import MybroAudio
import MybroCore
import MybroSpeech

@main
struct SayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-say",
        abstract: "Speak text aloud with espeak-ng, or write the speech as audio.",
        discussion: """
            Speaks its arguments, or else reads standard input: plain text lines are spoken, and \
            JSON Lines records of type "say" are spoken (field "text") while every other record is \
            forwarded to standard output unchanged, in order. An "interrupt" or "speech_start" record, \
            or SIGUSR1, stops the speech in progress at once and drops the text still waiting \
            (barge-in); those records are forwarded too.

            Audio goes to the sound card through ALSA (--device), or with --output to a file or to \
            standard output ("-") as 16 kHz mono signed 16-bit little-endian PCM, or as WAV with --wav. \
            When audio goes to standard output, records are not forwarded.

            EXAMPLES
              mybro-say "the tests passed"
              mybro-say "the quick brown fox" --output - | mybro-capture --input - --wav > fox.wav
              echo '{"type":"say","text":"hello"}' | mybro-say --output reply.wav --wav
              mybro-say --list-voices

            """ + ManualText.common,
        version: MybroVersion.string)

    @Argument(help: "Text to speak. Without it, standard input is read.")
    var words: [String] = []

    @Option(help: "ALSA playback device.")
    var device = "default"

    @Option(name: .shortAndLong, help: "Write audio to FILE ('-' for standard output) instead of the sound card.")
    var output: String?

    @Flag(help: "With --output, write a WAV file instead of raw PCM.")
    var wav = false

    @Option(help: "espeak-ng voice (see --list-voices).")
    var voice = "en-us"

    @Option(help: "Speaking rate in words per minute (80-450).")
    var rate = 175

    @Option(help: "Base pitch, 0-100.")
    var pitch = 50

    @Flag(help: "List the voices espeak-ng offers, and exit.")
    var listVoices = false

    @OptionGroup var strictness: StrictOption
    @OptionGroup var log: LogOptions

    static func main() { mybroMain() }

    func validate() throws {
        try OptionRange.check(rate, 80...450, option: "--rate", unit: "words per minute")
        try OptionRange.check(pitch, 0...100, option: "--pitch")
        if wav && output == nil { throw ValidationError("--wav needs --output FILE (or '-')") }
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-say", log: log) {
            if listVoices {
                for voice in try SpeechSynthesizer.voices() {
                    try OutputSink.standardOutput.write(
                        line: "\(voice.name)\t\(voice.languages.joined(separator: ","))")
                }
                return
            }
            let synthesizer = try SpeechSynthesizer(settings: VoiceSettings(voice: voice, rate: rate, pitch: pitch))
            let sink: AudioSink
            switch output {
            case nil: sink = try ALSAPlayback(device: device)
            case let path?: sink = try makeAudioFileSink(path: path, wav: wav)
            }
            let service = SayService(
                synthesizer: synthesizer, sink: sink, forward: output == "-" ? nil : OutputSink.standardOutput)
            if words.isEmpty {
                try service.run(reader: RecordReader(fd: 0, acceptsText: true, strict: strictness.strict))
            } else {
                try service.speak(text: words.joined(separator: " "))
            }
        }
    }
}
