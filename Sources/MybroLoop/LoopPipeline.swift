import MybroCore

/// What `mybro listen` runs: the six stages of the voice loop with the user's options
/// passed to the stage that owns each one.
public struct LoopConfiguration: Sendable {
    /// ALSA device for both the microphone and the speaker.
    public var device: String?
    public var model: String?
    public var backend: String?
    public var workspace: String?
    public var voice: String?
    /// A recording to use instead of the microphone.
    public var input: String?
    /// A WAV file for the spoken replies instead of the sound card.
    public var output: String?
    /// The Claude Code executable for `code` jobs.
    public var claude: String?
    /// Prompt Whisper with coding words and the workspace's names (contextual biasing). Off:
    /// it lowered WER on commands using those words but raised it on a held-out set
    /// (Benchmarks/transcribe/bench_commands.py).
    public var codingPrompt = false
    /// The silence that ends an utterance (mybro-vad --silence-ms). Complete requests act at a
    /// 200 ms pause anyway (semantic endpointing); this is the wait for anything else, long
    /// enough for a speaker who stops to think mid-sentence (Benchmarks/loop/bench_latency.py:
    /// 500 ms cut 15 of 20 fresh paused sentences, 1000 ms 4).
    public var endSilenceMilliseconds = LoopConfiguration.defaultEndSilenceMilliseconds
    public static let defaultEndSilenceMilliseconds = 1000

    public init() {}
}

/// One process of the pipeline.
public struct PipelineStage: Sendable, Equatable {
    public var command: String
    public var arguments: [String]
    /// Whether the stage writes JSON Lines (the capture stage writes audio).
    public var writesRecords: Bool
    /// Whether the stage gets the credentials in mybro's environment (the API key): mybro-intent
    /// asks the Messages API, and mybro-exec hands the key to Claude Code and to nothing else.
    public var needsCredentials: Bool

    public init(command: String, arguments: [String] = [], writesRecords: Bool = true, needsCredentials: Bool = false) {
        self.command = command
        self.arguments = arguments
        self.writesRecords = writesRecords
        self.needsCredentials = needsCredentials
    }
}

public enum LoopPipeline {
    public static func stages(for configuration: LoopConfiguration) -> [PipelineStage] {
        var capture: [String] = []
        if let input = configuration.input {
            capture += ["--input", input]
        } else if let device = configuration.device {
            capture += ["--device", device]
        }
        var transcribe: [String] = []
        if let model = configuration.model { transcribe += ["--model", model] }
        if configuration.codingPrompt { transcribe += ["--workspace-prompt", configuration.workspace ?? "."] }
        var intent: [String] = []
        if let backend = configuration.backend { intent += ["--backend", backend] }
        // The grammar resolves spoken file and folder names against the workspace.
        if let workspace = configuration.workspace { intent += ["--cwd", workspace] }
        var exec: [String] = []
        if let workspace = configuration.workspace { exec += ["--cwd", workspace] }
        if let claude = configuration.claude { exec += ["--claude", claude] }
        var say: [String] = []
        if let voice = configuration.voice { say += ["--voice", voice] }
        if let output = configuration.output {
            say += ["--output", output, "--wav"]
        } else if let device = configuration.device {
            say += ["--device", device]
        }
        return [
            PipelineStage(command: "mybro-capture", arguments: capture, writesRecords: false),
            PipelineStage(
                command: "mybro-vad", arguments: ["--silence-ms", String(configuration.endSilenceMilliseconds)]),
            PipelineStage(command: "mybro-transcribe", arguments: transcribe),
            PipelineStage(command: "mybro-intent", arguments: intent, needsCredentials: true),
            PipelineStage(command: "mybro-exec", arguments: exec, needsCredentials: true),
            PipelineStage(command: "mybro-say", arguments: say),
        ]
    }

    /// The same pipeline as a shell command line, for users to rearrange in their own shell.
    public static func shellCommand(_ stages: [PipelineStage]) -> String {
        stages.map { stage in ([stage.command] + stage.arguments.map(quoted)).joined(separator: " ") }
            .joined(separator: " | ")
    }

    static func quoted(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "-_./=:,+@%".unicodeScalars.contains($0)
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
