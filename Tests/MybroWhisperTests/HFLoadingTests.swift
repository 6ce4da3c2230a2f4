import Foundation
import MybroCore
import Testing

@testable import MybroWhisper

@Suite struct HFLoadingTests {
    /// Random variables whose key biases are zero, as Whisper's (the HF layout has none).
    static func variablesWithoutKeyBias(float32: Bool = false, multilingual: Bool = false) -> [TinyModel.Variable] {
        let a = TinyHFModel.architecture(multilingual: multilingual)
        let d = a.modelWidth, itemSize = float32 ? 4 : 2
        return TinyModel.variables(float32: float32, architecture: a).map { variable in
            var v = variable
            if v.name.hasSuffix("self_attention/linear_0/bias")
                || v.name.hasSuffix("attention/linear_1/bias") && !v.name.contains("self")
            {
                let start = v.name.hasSuffix("self_attention/linear_0/bias") ? d : 0
                for i in (start * itemSize)..<((start + d) * itemSize) { v.payload[i] = 0 }
            }
            return v
        }
    }

    @Test(arguments: [false, true])
    func huggingFaceAndCTranslate2LayoutsDecodeAlike(float32: Bool) throws {
        let variables = Self.variablesWithoutKeyBias(float32: float32)
        let ct2 = try TinyModel.write(to: TinyModel.temporaryDirectory(), modelBin: TinyModel.modelBin(variables))
        let hf = try TinyModel.temporaryDirectory("hf")
        try TinyHFModel.write(to: hf, variables: variables)
        let a = try WhisperModel.load(directory: ct2)
        let b = try WhisperModel.load(directory: hf)
        #expect(a.architecture == b.architecture)
        #expect(a.weights.encoderLayers[0].attentionQKV.weight == b.weights.encoderLayers[0].attentionQKV.weight)
        #expect(a.weights.decoderLayers[0].attentionQKV.half == b.weights.decoderLayers[0].attentionQKV.half)
        let (crossA, crossB) = (
            try #require(a.weights.decoderLayers[0].cross), try #require(b.weights.decoderLayers[0].cross)
        )
        #expect(crossA.keyValue.bias == crossB.keyValue.bias)
        #expect(a.vocabulary.special.timestampBegin == b.vocabulary.special.timestampBegin)
        #expect(a.config.suppressAtBegin == b.config.suppressAtBegin)
        var options = TranscriptionOptions()
        options.noSpeechThreshold = nil
        let audio = DecodingTests.noise(seconds: 2, seed: 21)
        let x = try Transcriber(model: a, options: options).transcribe(samples: audio)
        let y = try Transcriber(model: b, options: options).transcribe(samples: audio)
        #expect(x.segments.map(\.tokens) == y.segments.map(\.tokens))
    }

    @Test func multilingualModelsDetectOrTakeTheLanguage() throws {
        let hf = try TinyModel.temporaryDirectory("multilingual")
        try TinyHFModel.write(to: hf, variables: Self.variablesWithoutKeyBias(multilingual: true), multilingual: true)
        let model = try WhisperModel.load(directory: hf)
        #expect(model.architecture.isMultilingual)
        #expect(model.vocabulary.special.languages.count == TinyHFModel.languageCodes.count)
        #expect(model.vocabulary.special.noSpeech == model.vocabulary.special.noTimestamps - 1)
        var options = TranscriptionOptions()
        options.noSpeechThreshold = nil
        let audio = DecodingTests.noise(seconds: 1.5, seed: 4)
        let detected = try Transcriber(model: model, options: options).transcribe(samples: audio)
        #expect(TinyHFModel.languageCodes.contains(detected.language))
        options.language = "de"
        options.translate = true
        let german = try Transcriber(model: model, options: options).transcribe(samples: audio)
        #expect(german.language == "de")
    }

    @Test func aTruncatedOrIncompleteSafetensorsFileIsStatus65() throws {
        let hf = try TinyModel.temporaryDirectory("hf-bad")
        try TinyHFModel.write(to: hf, variables: Self.variablesWithoutKeyBias())
        let path = hf + "/model.safetensors"
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        for keep in [4, 100, full.count - 1] {
            try full.prefix(keep).write(to: URL(fileURLWithPath: path))
            do {
                _ = try WhisperModel.load(directory: hf)
                Issue.record("a file cut at \(keep) bytes loaded")
            } catch let error as MybroError {
                #expect(error.status == .dataError, "\(error.message)")
            }
        }
        // a header length that cannot be an Int
        try (Data(repeating: 0xFF, count: 8) + full.dropFirst(8)).write(to: URL(fileURLWithPath: path))
        #expect(throws: MybroError.self) { try WhisperModel.load(directory: hf) }
        let config = hf + "/config.json"
        try full.write(to: URL(fileURLWithPath: path))
        try Data(#"{"d_model": 8}"#.utf8).write(to: URL(fileURLWithPath: config))
        #expect(throws: MybroError.self) { try WhisperModel.load(directory: hf) }
    }
}
