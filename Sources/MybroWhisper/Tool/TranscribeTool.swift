import Foundation
import MybroCore

/// What `mybro-transcribe` does, given its parsed options.
public struct TranscribeTool {
    public enum Input: Sendable {
        /// Audio files, each decoded and streamed from disk.
        case files([String])
        /// JSON Lines from mybro-vad on stdin.
        case stream
        /// Canonical PCM or a WAV stream on stdin: one transcript.
        case raw
    }

    public var input: Input
    public var modelDirectory: String
    public var format: TranscriptFormat
    public var options: TranscriptionOptions
    public var threads: Int
    public var strict: Bool
    /// Text the audio continues (vocabulary, spelling), encoded with the model's tokenizer.json.
    public var initialPrompt: String?

    public init(input: Input, modelDirectory: String, format: TranscriptFormat, options: TranscriptionOptions,
                threads: Int, strict: Bool, initialPrompt: String? = nil) {
        self.initialPrompt = initialPrompt
        self.input = input
        self.modelDirectory = modelDirectory
        self.format = format
        self.options = options
        self.threads = threads
        self.strict = strict
    }

    public func run(output: OutputSink = .standardOutput) throws {
        let started = Date()
        let model = try WhisperModel.load(directory: modelDirectory)
        Log.shared.debug(String(format: "loaded %@ in %.3f s", modelDirectory, Date().timeIntervalSince(started)))
        var options = options
        if !model.architecture.isMultilingual {
            if let language = options.language, language != "en" {
                throw MybroError("the model in \(modelDirectory) is English-only; --language \(language) needs a multilingual model",
                                 status: .usage)
            }
            if options.translate {
                throw MybroError("the model in \(modelDirectory) is English-only; --task translate needs a multilingual model",
                                 status: .usage)
            }
        } else if let language = options.language, model.vocabulary.special.languages[language] == nil {
            throw MybroError("unknown language \(language); use a code such as en, de, fr, es, ja", status: .usage)
        }
        if let initialPrompt, !initialPrompt.trimmed.isEmpty {
            let encoder = try BPEEncoder.load(tokenizerJSON: modelDirectory + "/tokenizer.json", vocabulary: model.vocabulary)
            options.initialPromptTokens = Array(encoder.encode(" " + initialPrompt.trimmed).suffix(model.architecture.textContext / 2 - 1))
        }
        let transcriber = Transcriber(model: model, options: options, threads: threads)
        switch input {
        case .stream:
            try StreamTranscription.run(transcriber: transcriber, strict: strict, output: output)
        case .raw:
            let samples = try AudioInputStream(fd: 0, strict: strict).readAll()
            let transcript = try transcriber.transcribe(samples: samples.map { Float($0) / 32768 })
            for line in format.lines(for: transcript, file: nil) { try output.write(line: line) }
        case .files(let paths):
            var failure: MybroError?
            for path in paths {
                if Signals.stopRequested { break }
                do {
                    let source = try SoundFileSource(path: path)
                    var reader = source
                    let progress = ProgressLine(label: path, total: source.duration)
                    let transcript = try transcriber.transcribe(source: &reader, progress: progress.update)
                    progress.finish()
                    for line in format.lines(for: transcript, file: path) { try output.write(line: line) }
                } catch let error as MybroError {
                    // the other files are still transcribed; the status reports the failure
                    Log.shared.error(error.message)
                    failure = error
                }
            }
            if let failure { throw MybroError("not every file was transcribed", status: failure.status) }
        }
    }
}

/// A progress line on stderr while a file is transcribed, only when stderr is a terminal.
final class ProgressLine {
    let label: String
    let total: Double
    let enabled = isatty(2) == 1

    init(label: String, total: Double) {
        self.label = label
        self.total = total
    }

    func update(_ seconds: Double) {
        guard enabled, total > 0 else { return }
        let fraction = min(1, seconds / total)
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data(String(format: "\r%@ [%@] %3.0f%%", label, bar, fraction * 100).utf8))
    }

    func finish() {
        guard enabled, total > 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
