import Foundation
import MybroCore

/// A loaded Whisper model: immutable weights, decoding metadata and vocabulary, shared by
/// every transcription (per-stream state lives in `Transcriber`).
public final class WhisperModel: Sendable {
    public let directory: String
    public let weights: WhisperWeights
    public let config: ModelConfig
    public let vocabulary: Vocabulary
    /// What identifies the model's files (path, size, modification time), for caches derived
    /// from it; empty for a model built in memory.
    public let identity: String

    public var architecture: WhisperArchitecture { weights.architecture }

    public init(
        weights: WhisperWeights, config: ModelConfig, vocabulary: Vocabulary, directory: String = "",
        identity: String = ""
    ) throws {
        guard vocabulary.tokens.count <= weights.architecture.vocabularySize,
            vocabulary.special.timestampBegin < weights.architecture.vocabularySize
        else {
            throw MybroError(
                "the vocabulary (\(vocabulary.tokens.count) tokens) does not fit the model's "
                    + "\(weights.architecture.vocabularySize) outputs", status: .dataError)
        }
        self.directory = directory
        self.weights = weights
        self.config = config
        self.vocabulary = vocabulary
        self.identity = identity
    }

    /// Loads a CTranslate2 Whisper directory (`model.bin`, `config.json`, `vocabulary.txt`).
    public static func load(directory: String) throws -> WhisperModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw ModelDirectory.missing(directory, detail: "the directory does not exist")
        }
        guard isDirectory.boolValue else {
            throw ModelDirectory.missing(directory, detail: "it is not a directory")
        }
        let clock = ContinuousClock.now
        try ModelChecksums.verify(directory: directory)
        Log.shared.debug("model checksums verified in \(ContinuousClock.now - clock)")
        if HFWhisperLoader.isHFDirectory(directory) {
            let (weights, config, vocabulary) = try HFWhisperLoader.load(directory: directory)
            return try WhisperModel(
                weights: weights, config: config, vocabulary: vocabulary, directory: directory,
                identity: identity(of: directory + "/model.safetensors", in: directory))
        }
        for file in ["model.bin", "config.json", "vocabulary.txt"]
        where !FileManager.default.fileExists(atPath: directory + "/" + file) {
            throw ModelDirectory.missing(directory, detail: "\(file) is missing")
        }
        let file = try CT2ModelFile(path: directory + "/model.bin")
        let weights = try CT2WeightsLoader.load(file)
        let config = try ModelConfig.load(path: directory + "/config.json")
        let vocabulary = try Vocabulary.load(path: directory + "/vocabulary.txt")
        return try WhisperModel(
            weights: weights, config: config, vocabulary: vocabulary, directory: directory,
            identity: identity(of: directory + "/model.bin", in: directory))
    }

    /// Path, size and modification time of the weights file, and its CRC-32 when CHECKSUMS
    /// lists it (verified by then): what caches derived from the model key on.
    static func identity(of file: String, in directory: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
        let name = (file as NSString).lastPathComponent
        let checksum = ((try? ModelChecksums.entries(in: directory)) ?? nil)?.first { $0.file == name }
        return "\(absolute)|\(size)|\(modified)" + (checksum.map { "|crc32:\(ModelChecksums.hex($0.crc))" } ?? "")
    }
}
