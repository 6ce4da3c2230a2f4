import Foundation
import MybroTestSupport
import Testing

/// Semantic endpointing end to end, on speech made by espeak-ng (mybro-say): mybro-vad's
/// records go to mybro-transcribe | mybro-intent with the utterance held back for a moment, as
/// a live speaker's end silence holds it back. A complete request is acted on at its pause,
/// before the utterance ends; a sentence paused in the middle is not cut.
@Suite struct EarlyEndpointingTests {
    /// Speech for `parts` (joined by `pauseBytes` of silence), through mybro-vad, then the
    /// records up to the first utterance, the rest once the partial transcript is out (at most
    /// 60 s later), through transcribe and intent.
    /// Returns mybro-intent's records' types, and its intents.
    static func run(_ parts: [String], pauseBytes: Int, in directory: String) throws -> (
        types: [String], intents: [String]
    ) {
        var script = "cd \(shellQuoted(directory))\n"
        for (index, part) in parts.enumerated() {
            script += "mybro-say \(shellQuoted(part)) --output - > part\(index).raw\n"
        }
        let joined = parts.indices.map { "cat part\($0).raw" }.joined(separator: "; head -c \(pauseBytes) /dev/zero; ")
        script += """
            { head -c 16000 /dev/zero; \(joined); head -c 64000 /dev/zero; } | mybro-vad > records.jsonl
            { sed '/"type":"utterance"/,$d' records.jsonl; \
              for i in $(seq 1200); do grep -q '"type":"partial"' out.jsonl 2>/dev/null && break; sleep 0.05; done; \
              sed -n '/"type":"utterance"/,$p' records.jsonl; } \
              | mybro-transcribe | mybro-intent --backend rules --no-none-reply > out.jsonl
            """
        let result = try shell(script, environment: ["XDG_STATE_HOME": directory])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: directory + "/out.jsonl", encoding: .utf8).split(separator: "\n")
        let types = lines.compactMap { line in
            line.firstRange(of: #""type":""#).map { range in
                String(line[range.upperBound...].prefix { $0 != "\"" })
            }
        }
        return (types, lines.filter { $0.contains(#""type":"intent""#) }.map(String.init))
    }

    @Test(.enabled(if: ListenTests.installedSpeechModel != nil, Comment(rawValue: ListenTests.modelMissing)))
    func aCompleteShortCommandEndsAtItsPause() throws {
        try withTemporaryDirectory("mybro-early") { directory in
            let (types, intents) = try Self.run(["run the tests"], pauseBytes: 0, in: directory)
            #expect(intents.count == 1, "\(types)")
            #expect(intents.first?.contains(#""task":"test""#) == true, "\(intents)")
            // Acted on before the utterance ended: the intent comes before speech_end.
            let intent = try #require(types.firstIndex(of: "intent"))
            let end = try #require(types.firstIndex(of: "speech_end"))
            #expect(intent < end, "\(types)")
            #expect(types.contains("pause") && types.contains("partial"), "\(types)")
        }
    }

    @Test(.enabled(if: ListenTests.installedSpeechModel != nil, Comment(rawValue: ListenTests.modelMissing)))
    func aSentencePausedInTheMiddleIsNotCut() throws {
        try withTemporaryDirectory("mybro-early") { directory in
            // "run the", 400 ms of silence (a pause, under the 500 ms end), "tests".
            let (types, intents) = try Self.run(["run the", "tests"], pauseBytes: 12800, in: directory)
            #expect(types.contains("pause") && types.contains("partial"), "\(types)")
            #expect(intents.count == 1, "\(types) \(intents)")
            #expect(intents.first?.contains(#""task":"test""#) == true, "\(intents)")
            // One intent, for the whole sentence: the partial "run the" at the mid-sentence pause
            // did not act (a none intent would be a second one); the whole may end early.
            #expect(intents.first?.lowercased().contains(#""transcript":"run the test"#) == true, "\(intents)")
            #expect(types.filter { $0 == "pause" }.count >= 1, "\(types)")
        }
    }
}
