import Foundation

@testable import MybroWhisper

/// Writes small random-weight Whisper models in the Hugging Face layout (config.json,
/// model.safetensors, tokenizer.json, generation_config.json) from the same values as
/// `TinyModel`'s CTranslate2 files, so both loaders can be checked against each other.
enum TinyHFModel {
    /// 98 language codes of multilingual Whisper (enough for the tests' vocabulary layout).
    static let languageCodes = ["en", "zh", "de", "es", "ru", "ko", "fr", "ja", "pt", "tr", "pl", "ca", "nl", "ar",
                                "sv", "it", "id", "hi", "fi", "vi", "he", "uk", "el", "ms", "cs", "ro", "da", "hu",
                                "ta", "no", "th", "ur", "hr", "bg", "lt", "la", "mi", "ml", "cy", "sk", "te", "fa",
                                "lv", "bn", "sr", "az", "sl", "kn", "et", "mk", "br", "eu", "is", "hy", "ne", "mn",
                                "bs", "kk", "sq", "sw", "gl", "mr", "pa", "si", "km", "sn", "yo", "so", "af", "oc",
                                "ka", "be", "tg", "sd", "gu", "am", "yi", "lo", "uz", "fo", "ht", "ps", "tk", "nn",
                                "mt", "sa", "lb", "my", "bo", "tl", "mg", "as", "tt", "haw", "ln", "ha", "ba", "jw",
                                "su"]

    /// A multilingual vocabulary: byte tokens padded to 50,257 text tokens, then the controls.
    static let multilingualVocabulary: [String] = {
        var tokens = ByteLevelAlphabet.byteToCharacter.map { String($0) }
        tokens += (256..<50257).map { "tok\($0)" }
        tokens += ["<|endoftext|>", "<|startoftranscript|>"] + languageCodes.map { "<|\($0)|>" }
        tokens += ["<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nospeech|>", "<|notimestamps|>"]
        return tokens  // timestamps are left out, as older tokenizer.json files do
    }()

    static func architecture(multilingual: Bool) -> WhisperArchitecture {
        var a = TinyModel.architecture
        if multilingual { a.vocabularySize = multilingualVocabulary.count + 1501 }
        return a
    }

    /// Writes the directory; `variables` are CTranslate2-named (as TinyModel makes them).
    static func write(to directory: String, variables: [TinyModel.Variable], multilingual: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let a = architecture(multilingual: multilingual)
        let d = a.modelWidth
        var tensors: [(name: String, shape: [Int], code: UInt8, bytes: [UInt8])] = []
        let byName = Dictionary(uniqueKeysWithValues: variables.map { ($0.name, $0) })
        func add(_ name: String, _ source: String, rows: Range<Int>? = nil) {
            let variable = byName[source]!
            let itemSize = variable.code == 0 ? 4 : 2
            var shape = variable.shape
            var bytes = variable.payload
            if let rows {
                let rowBytes = shape.dropFirst().reduce(1, *) * itemSize
                bytes = Array(bytes[(rows.lowerBound * rowBytes)..<(rows.upperBound * rowBytes)])
                shape[0] = rows.count
            }
            tensors.append(("model." + name, shape, variable.code, bytes))
        }
        func norm(_ name: String, _ source: String) {
            add(name + ".weight", source + "/gamma")
            add(name + ".bias", source + "/beta")
        }
        func linear(_ name: String, _ source: String, rows: Range<Int>? = nil, bias: Bool = true) {
            add(name + ".weight", source + "/weight", rows: rows)
            if bias { add(name + ".bias", source + "/bias", rows: rows) }
        }
        add("encoder.conv1.weight", "encoder/conv1/weight")
        add("encoder.conv1.bias", "encoder/conv1/bias")
        add("encoder.conv2.weight", "encoder/conv2/weight")
        add("encoder.conv2.bias", "encoder/conv2/bias")
        add("encoder.embed_positions.weight", "encoder/position_encodings/encodings")
        norm("encoder.layer_norm", "encoder/layer_norm")
        add("decoder.embed_tokens.weight", "decoder/embeddings/weight")
        add("decoder.embed_positions.weight", "decoder/position_encodings/encodings")
        norm("decoder.layer_norm", "decoder/layer_norm")
        for (side, count) in [("encoder", a.encoderLayers), ("decoder", a.decoderLayers)] {
            for layer in 0..<count {
                let hf = "\(side).layers.\(layer)", ct2 = "\(side)/layer_\(layer)"
                norm(hf + ".self_attn_layer_norm", ct2 + "/self_attention/layer_norm")
                linear(hf + ".self_attn.q_proj", ct2 + "/self_attention/linear_0", rows: 0..<d)
                linear(hf + ".self_attn.k_proj", ct2 + "/self_attention/linear_0", rows: d..<(2 * d), bias: false)
                linear(hf + ".self_attn.v_proj", ct2 + "/self_attention/linear_0", rows: (2 * d)..<(3 * d))
                linear(hf + ".self_attn.out_proj", ct2 + "/self_attention/linear_1")
                norm(hf + ".final_layer_norm", ct2 + "/ffn/layer_norm")
                linear(hf + ".fc1", ct2 + "/ffn/linear_0")
                linear(hf + ".fc2", ct2 + "/ffn/linear_1")
                if side == "decoder" {
                    norm(hf + ".encoder_attn_layer_norm", ct2 + "/attention/layer_norm")
                    linear(hf + ".encoder_attn.q_proj", ct2 + "/attention/linear_0")
                    linear(hf + ".encoder_attn.k_proj", ct2 + "/attention/linear_1", rows: 0..<d, bias: false)
                    linear(hf + ".encoder_attn.v_proj", ct2 + "/attention/linear_1", rows: d..<(2 * d))
                    linear(hf + ".encoder_attn.out_proj", ct2 + "/attention/linear_2")
                }
            }
        }
        // safetensors: u64 header length, JSON header, data
        var header = "{"
        var data: [UInt8] = []
        for (index, tensor) in tensors.enumerated() {
            let dtype = tensor.code == 0 ? "F32" : "F16"
            header += (index > 0 ? "," : "") + "\"\(tensor.name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(tensor.shape),"
                + "\"data_offsets\":[\(data.count),\(data.count + tensor.bytes.count)]}"
            data += tensor.bytes
        }
        header += ",\"__metadata__\":{\"format\":\"pt\"}}"
        var file: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { file += $0 }
        file += Array(header.utf8) + data
        try Data(file).write(to: URL(fileURLWithPath: directory + "/model.safetensors"))

        let config = """
            {"d_model": \(d), "encoder_layers": \(a.encoderLayers), "decoder_layers": \(a.decoderLayers),
             "encoder_attention_heads": \(a.heads), "decoder_attention_heads": \(a.heads),
             "encoder_ffn_dim": \(a.feedForwardWidth), "decoder_ffn_dim": \(a.feedForwardWidth),
             "num_mel_bins": \(a.melBins), "max_source_positions": \(a.audioContext),
             "max_target_positions": \(a.textContext), "vocab_size": \(a.vocabularySize)}
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/config.json"))
        let vocabulary = multilingual ? multilingualVocabulary : TinyModel.vocabulary
        let endOfText = vocabulary.firstIndex(of: "<|endoftext|>")!
        var vocab: [String] = []
        for id in 0..<endOfText { vocab.append("\(jsonString(vocabulary[id])): \(id)") }
        var added: [String] = []
        for id in endOfText..<vocabulary.count {
            added.append("{\"id\": \(id), \"content\": \(jsonString(vocabulary[id])), \"special\": true}")
        }
        let tokenizer = "{\"model\": {\"type\": \"BPE\", \"vocab\": {\(vocab.joined(separator: ","))}, \"merges\": []}, "
            + "\"added_tokens\": [\(added.joined(separator: ","))]}"
        try Data(tokenizer.utf8).write(to: URL(fileURLWithPath: directory + "/tokenizer.json"))
        let suppress = multilingual ? [1, 2, endOfText + 1] : [1, 2, 257, 259, 260, 261, 262, 263]
        let generation = "{\"suppress_tokens\": \(suppress), \"begin_suppress_tokens\": [220, \(endOfText)]}"
        try Data(generation.utf8).write(to: URL(fileURLWithPath: directory + "/generation_config.json"))
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
