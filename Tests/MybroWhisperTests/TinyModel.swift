import Foundation
import MybroCore
import MybroTestSupport

@testable import MybroWhisper

/// Writes small random-weight Whisper models in the CTranslate2 layout, so loading and
/// decoding are exercised without the real weights.
enum TinyModel {
    /// A tiny architecture: 2 heads of 4, one layer each side, 80 mel bins, 3 s windows.
    static let architecture = WhisperArchitecture(
        melBins: 80, audioContext: 150, modelWidth: 8, heads: 2, encoderLayers: 1, decoderLayers: 1,
        textContext: 32, vocabularySize: vocabulary.count, feedForwardWidth: 16)

    /// 256 byte tokens, the control tokens of an English-only Whisper, and 1,501 timestamps.
    static let vocabulary: [String] = {
        var tokens = ByteLevelAlphabet.byteToCharacter.map { String($0) }
        tokens += [
            "<|endoftext|>", "<|startoftranscript|>", "<|en|>", "<|translate|>", "<|transcribe|>",
            "<|startoflm|>", "<|startofprev|>", "<|nocaptions|>", "<|notimestamps|>",
        ]
        tokens += (0...1500).map { String(format: "<|%.2f|>", Double($0) * 0.02) }
        return tokens
    }()

    struct Variable {
        var name: String
        var shape: [Int]
        var code: UInt8
        var payload: [UInt8]
    }

    /// The variables of a random model; float tensors are float16 unless `float32`.
    static func variables(
        seed: UInt64 = 1, float32: Bool = false,
        architecture: WhisperArchitecture = TinyModel.architecture
    ) -> [Variable] {
        var state = seed
        func random() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 2500
        }
        var list: [Variable] = []
        for (name, shape) in architecture.ct2Tensors() {
            let count = shape.reduce(1, *)
            let values = (0..<count).map { _ in name.hasSuffix("gamma") ? 1 + random() / 4 : random() }
            var bytes: [UInt8] = []
            if float32 {
                // the same values as the float16 file, so both must decode alike
                for value in values {
                    withUnsafeBytes(of: Float(Float16(value)).bitPattern.littleEndian) { bytes += $0 }
                }
            } else {
                for value in values { withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { bytes += $0 } }
            }
            list.append(Variable(name: name, shape: shape, code: float32 ? 0 : 4, payload: bytes))
        }
        list.append(Variable(name: "encoder/num_heads", shape: [], code: 2, payload: [2, 0]))
        list.append(Variable(name: "decoder/num_heads", shape: [], code: 2, payload: [2, 0]))
        list.append(Variable(name: "decoder/activation", shape: [], code: 1, payload: [3]))
        list.removeAll { $0.name == "decoder/projection/weight" }
        return list.sorted { $0.name < $1.name }
    }

    /// model.bin bytes: version 6, WhisperSpec, the variables, one alias (the tied projection).
    static func modelBin(_ variables: [Variable], version: UInt32 = 6) -> [UInt8] {
        var bytes: [UInt8] = []
        func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        func string(_ text: String) {
            let utf8 = Array(text.utf8) + [0]
            withUnsafeBytes(of: UInt16(utf8.count).littleEndian) { bytes += $0 }
            bytes += utf8
        }
        u32(version)
        string("WhisperSpec")
        u32(3)
        u32(UInt32(variables.count))
        for variable in variables {
            string(variable.name)
            bytes.append(UInt8(variable.shape.count))
            for dimension in variable.shape { u32(UInt32(dimension)) }
            bytes.append(variable.code)
            u32(UInt32(variable.payload.count))
            bytes += variable.payload
        }
        u32(1)
        string("decoder/projection/weight")
        string("decoder/embeddings/weight")
        return bytes
    }

    /// Writes a complete model directory and returns its path.
    @discardableResult
    static func write(to directory: String, modelBin: [UInt8]? = nil) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let bin = modelBin ?? Self.modelBin(variables())
        try Data(bin).write(to: URL(fileURLWithPath: directory + "/model.bin"))
        try Data((vocabulary.joined(separator: "\n") + "\n").utf8)
            .write(to: URL(fileURLWithPath: directory + "/vocabulary.txt"))
        let config =
            #"{"suppress_ids": [1, 2, 257, 259, 260, 261, 262, 263], "suppress_ids_begin": [220, 256], "lang_ids": [258]}"#
        try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/config.json"))
        return directory
    }

    /// A path `name` in a fresh temporary directory (the shared helper, removed at exit).
    static func temporaryDirectory(_ name: String = "model") throws -> String {
        try MybroTestSupport.temporaryDirectory("mybro-whisper-tests") + "/" + name
    }
}

/// Paths the tests share.
enum TestPaths {
    static let packageRoot = BuiltCommands.packageRoot

    static let fixtures = packageRoot + "/Tests/Fixtures/whisper"

    static func binary(_ name: String) -> String { BuiltCommands.path(name) }

    /// The real tiny.en model when `scripts/setup-model.sh` has installed it, else nil.
    static let realModel: String? = {
        let path = ModelDirectory.resolve(option: nil)
        return FileManager.default.fileExists(atPath: path + "/model.bin") ? path : nil
    }()
}
