import Foundation
import MybroCore

/// Loads the Hugging Face layout of `openai/whisper-*` (`config.json`, `model.safetensors`,
/// `tokenizer.json`, optionally `generation_config.json`): any size from tiny to large-v3
/// (128 mel bins), English-only or multilingual. The query/key/value projections are fused
/// into CTranslate2's layout (the key projection has no bias: zeros).
enum HFWhisperLoader {
    static func isHFDirectory(_ directory: String) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/model.safetensors")
            && !FileManager.default.fileExists(atPath: directory + "/model.bin")
    }

    static func load(directory: String) throws -> (WhisperWeights, ModelConfig, Vocabulary) {
        for file in ["config.json", "tokenizer.json"] where !FileManager.default.fileExists(atPath: directory + "/" + file) {
            throw ModelDirectory.missing(directory, detail: "\(file) is missing beside model.safetensors")
        }
        let config = try readJSON(directory + "/config.json")
        func integer(_ key: String) throws -> Int {
            guard let value = config[key]?.intValue, value > 0 else {
                throw MybroError("\(directory)/config.json has no positive integer \"\(key)\"", status: .dataError)
            }
            return value
        }
        let heads = try integer("encoder_attention_heads")
        guard try integer("decoder_attention_heads") == heads else {
            throw MybroError("\(directory)/config.json: encoder and decoder head counts differ", status: .dataError)
        }
        let architecture = WhisperArchitecture(
            melBins: try integer("num_mel_bins"), audioContext: try integer("max_source_positions"),
            modelWidth: try integer("d_model"), heads: heads, encoderLayers: try integer("encoder_layers"),
            decoderLayers: try integer("decoder_layers"), textContext: try integer("max_target_positions"),
            vocabularySize: try integer("vocab_size"), feedForwardWidth: try integer("encoder_ffn_dim"))
        let file = try SafetensorsFile(path: directory + "/model.safetensors")
        let weights = try weightsFrom(file, architecture: architecture)
        let vocabulary = try vocabularyFrom(directory + "/tokenizer.json", size: architecture.vocabularySize)

        var generation = config
        if FileManager.default.fileExists(atPath: directory + "/generation_config.json") {
            generation = try readJSON(directory + "/generation_config.json")
        }
        func ids(_ key: String) -> [Int] {
            (generation[key]?.arrayValue ?? config[key]?.arrayValue ?? []).compactMap(\.intValue).filter { $0 >= 0 }
        }
        let languages = generation["lang_to_id"]?.objectValue.map { $0.compactMap { $0.value.intValue } }
            ?? Array(vocabulary.special.languages.values)
        let modelConfig = ModelConfig(suppressTokens: ids("suppress_tokens"),
                                      suppressAtBegin: ids("begin_suppress_tokens"),
                                      languageTokens: languages.sorted())
        return (weights, modelConfig, vocabulary)
    }

    static func readJSON(_ path: String) throws -> JSONObject {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MybroError("cannot read \(path)", status: .noInput)
        }
        do {
            let value = try data.withUnsafeBytes { try JSONParser.parse($0.bindMemory(to: UInt8.self)) }
            guard let object = value.objectValue else { throw MybroError("\(path) is not a JSON object", status: .dataError) }
            return object
        } catch let error as MybroError {
            throw error
        } catch {
            throw MybroError("\(path) is not valid JSON: \(error)", status: .dataError)
        }
    }

    static func weightsFrom(_ file: SafetensorsFile, architecture a: WhisperArchitecture) throws -> WhisperWeights {
        let prefix = file.tensors["model.encoder.conv1.weight"] != nil ? "model." : ""
        let d = a.modelWidth
        func tensor(_ name: String, _ shape: [Int]) throws -> SafetensorsFile.Tensor {
            guard let found = file.tensors[prefix + name] else {
                throw MybroError("model file \(file.path) is not a usable Whisper model: tensor \(prefix + name) is missing",
                                 status: .dataError)
            }
            guard found.shape == shape else {
                throw MybroError("model file \(file.path) is not a usable Whisper model: tensor \(prefix + name) has shape "
                                 + "\(CT2WeightsLoader.describe(found.shape)), expected \(CT2WeightsLoader.describe(shape))",
                                 status: .dataError)
            }
            guard [.float32, .float16, .bfloat16].contains(found.dataType) else {
                throw MybroError("model file \(file.path): tensor \(prefix + name) is \(found.dataType.name), expected a float type",
                                 status: .dataError)
            }
            return found
        }
        func floats(_ name: String, _ shape: [Int]) throws -> [Float] { file.floats(try tensor(name, shape)) }
        func norm(_ name: String) throws -> LayerNormWeights {
            LayerNormWeights(gamma: try floats(name + ".weight", [d]), beta: try floats(name + ".bias", [d]))
        }
        func linear(_ name: String, _ outputs: Int, _ inputs: Int, bias: Bool = true, keepHalf: Bool = false) throws -> LinearWeights {
            let weight = try tensor(name + ".weight", [outputs, inputs])
            let biasValues = bias ? try floats(name + ".bias", [outputs]) : [Float](repeating: 0, count: outputs)
            if keepHalf && weight.dataType == .float16 {
                return LinearWeights(weight: [], half: file.halves(weight), bias: biasValues, outputs: outputs, inputs: inputs)
            }
            return LinearWeights(weight: file.floats(weight), bias: biasValues, outputs: outputs, inputs: inputs)
        }
        /// Stacks linear layers along their outputs (q, k, v → one product).
        func fused(_ parts: [LinearWeights], keepHalf: Bool) -> LinearWeights {
            let outputs = parts.reduce(0) { $0 + $1.outputs }
            if keepHalf && parts.allSatisfy({ !$0.half.isEmpty }) {
                return LinearWeights(weight: [], half: parts.flatMap(\.half), bias: parts.flatMap(\.bias), outputs: outputs, inputs: d)
            }
            let weight = parts.flatMap { $0.weight.isEmpty ? $0.half.map { HalfFloat.table[Int($0)] } : $0.weight }
            return LinearWeights(weight: weight, bias: parts.flatMap(\.bias), outputs: outputs, inputs: d)
        }
        func attention(_ name: String, half: Bool) throws -> (qkv: LinearWeights, out: LinearWeights) {
            let q = try linear(name + ".q_proj", d, d, keepHalf: half)
            let k = try linear(name + ".k_proj", d, d, bias: false, keepHalf: half)
            let v = try linear(name + ".v_proj", d, d, keepHalf: half)
            return (fused([q, k, v], keepHalf: half), try linear(name + ".out_proj", d, d, keepHalf: half))
        }
        func layer(_ name: String, decoder: Bool) throws -> TransformerLayerWeights {
            let selfAttention = try attention(name + ".self_attn", half: decoder)
            var cross: CrossAttentionWeights?
            if decoder {
                let k = try linear(name + ".encoder_attn.k_proj", d, d, bias: false)
                let v = try linear(name + ".encoder_attn.v_proj", d, d)
                cross = CrossAttentionWeights(
                    norm: try norm(name + ".encoder_attn_layer_norm"),
                    query: try linear(name + ".encoder_attn.q_proj", d, d, keepHalf: true),
                    keyValue: fused([k, v], keepHalf: false),
                    out: try linear(name + ".encoder_attn.out_proj", d, d, keepHalf: true))
            }
            return TransformerLayerWeights(
                attentionNorm: try norm(name + ".self_attn_layer_norm"), attentionQKV: selfAttention.qkv,
                attentionOut: selfAttention.out, cross: cross, feedForwardNorm: try norm(name + ".final_layer_norm"),
                feedForwardIn: try linear(name + ".fc1", a.feedForwardWidth, d, keepHalf: decoder),
                feedForwardOut: try linear(name + ".fc2", d, a.feedForwardWidth, keepHalf: decoder))
        }
        func convolution(_ name: String, inputs: Int) throws -> LinearWeights {
            LinearWeights(weight: try floats(name + ".weight", [d, inputs, 3]), bias: try floats(name + ".bias", [d]),
                          outputs: d, inputs: inputs * 3)
        }
        let embeddings = try tensor("decoder.embed_tokens.weight", [a.vocabularySize, d])
        let embeddingsAreHalf = embeddings.dataType == .float16
        return WhisperWeights(
            architecture: a,
            conv1: try convolution("encoder.conv1", inputs: a.melBins),
            conv2: try convolution("encoder.conv2", inputs: d),
            encoderPositions: try floats("encoder.embed_positions.weight", [a.audioContext, d]),
            encoderLayers: try (0..<a.encoderLayers).map { try layer("encoder.layers.\($0)", decoder: false) },
            encoderNorm: try norm("encoder.layer_norm"),
            tokenEmbeddings: embeddingsAreHalf ? [] : file.floats(embeddings),
            tokenEmbeddingsHalf: embeddingsAreHalf ? file.halves(embeddings) : [],
            decoderPositions: try floats("decoder.embed_positions.weight", [a.textContext, d]),
            decoderLayers: try (0..<a.decoderLayers).map { try layer("decoder.layers.\($0)", decoder: true) },
            decoderNorm: try norm("decoder.layer_norm"))
    }

    /// id → token from tokenizer.json's BPE vocabulary and added tokens; ids it lacks past
    /// `<|notimestamps|>` are the timestamps (older tokenizer files omit them).
    static func vocabularyFrom(_ path: String, size: Int) throws -> Vocabulary {
        let tokenizer = try readJSON(path)
        var tokens = [String?](repeating: nil, count: size)
        for (token, id) in tokenizer["model"]?.objectValue?["vocab"]?.objectValue ?? JSONObject() {
            if let id = id.intValue, id >= 0, id < size { tokens[id] = token }
        }
        for added in tokenizer["added_tokens"]?.arrayValue ?? [] {
            if let object = added.objectValue, let id = object["id"]?.intValue, let content = object["content"]?.stringValue,
               id >= 0, id < size {
                tokens[id] = content
            }
        }
        if let noTimestamps = tokens.firstIndex(of: "<|notimestamps|>") {
            for id in (noTimestamps + 1)..<size where tokens[id] == nil {
                tokens[id] = String(format: "<|%.2f|>", Double(id - noTimestamps - 1) * 0.02)
            }
        }
        do {
            return try Vocabulary(tokens: tokens.map { $0 ?? "" })
        } catch let error as MybroError {
            throw MybroError("\(path): \(error.message)", status: error.status)
        }
    }
}
