import ArgumentParser
import MybroCore
import MybroWhisper

@main
struct TranscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mybro-transcribe", abstract: "x", version: MybroVersion.string)
    @OptionGroup var log: LogOptions
    @Option var model: String?
    @Flag var noTimestamps = false
    @Argument var files: [String] = []

    func run() throws {
        ToolRunner.run(tool: "mybro-transcribe", log: log) {
            let loaded = try WhisperModel.load(directory: ModelDirectory.resolve(option: model))
            var options = TranscriptionOptions()
            options.timestamps = !noTimestamps
            let t = Transcriber(model: loaded, options: options, threads: 2)
            for f in files {
                var source = try SoundFileSource(path: f)
                let r = try t.transcribe(source: &source)
                print(r.text)
            }
        }
    }
}
