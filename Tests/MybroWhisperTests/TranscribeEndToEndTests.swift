import Foundation
import MybroCore
import Testing

@testable import MybroWhisper

/// The built `mybro-transcribe` in real pipelines: stdin in; stdout, stderr and status checked.
@Suite struct TranscribeEndToEndTests {
    static func utterance(_ samples: [Int16], t0: Double) -> String {
        let data = samples.withUnsafeBytes { Data($0) }
        let seconds = Double(samples.count) / 16000
        return
            #"{"type":"utterance","id":7,"t0":\#(t0),"t1":\#(t0 + seconds),"rate":16000,"pcm":"\#(data.base64EncodedString())"}"#
    }

    static func pcm(ofWAV path: String) throws -> [Int16] {
        // resample espeak's 22,050 Hz to 16 kHz through the library's file reader
        let source = try SoundFileSource(path: path)
        var samples: [Float] = []
        while try source.read(into: &samples, count: 1 << 16) > 0 {}
        return samples.map { Int16(max(-32768, min(32767, ($0 * 32768).rounded()))) }
    }

    @Test func aCorruptModelFailsWithStatus65AndOneLine() throws {
        let directory = try TinyModel.write(
            to: TinyModel.temporaryDirectory(),
            modelBin: Array(TinyModel.modelBin(TinyModel.variables()).prefix(500)))
        let result = try CommandRunner.run(
            "mybro-transcribe", ["--model", directory, "--raw"], stdin: Data(count: 3200))
        #expect(result.status == 65)
        #expect(result.stderr.contains("truncated"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stdout.isEmpty)
    }

    @Test func aMissingModelIsStatus66NamingTheFix() throws {
        let result = try CommandRunner.run(
            "mybro-transcribe", ["--raw"], stdin: Data(count: 3200),
            environment: ["MYBRO_MODEL": "/nonexistent/model"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/nonexistent/model") && result.stderr.contains("make setup"))
    }

    @Test func theStreamForwardsOtherRecordsAndTranscribesUtterances() throws {
        let directory = try TinyModel.write(to: TinyModel.temporaryDirectory())
        let noise = DecodingTests.noise(seconds: 1).map { Int16($0 * 20000) }
        let input =
            [
                #"{"type":"speech_start","t0":1.5}"#,
                Self.utterance(noise, t0: 1.5),
                "not json",
                #"{"type":"custom","payload":[1,2]}"#,
            ].joined(separator: "\n") + "\n"
        let result = try CommandRunner.run("mybro-transcribe", ["--model", directory], stdin: Data(input.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.lines
        #expect(lines.count == 3)
        #expect(lines.contains(#"{"type":"speech_start","t0":1.5}"#))
        let start = try #require(lines.firstIndex(of: #"{"type":"speech_start","t0":1.5}"#))
        let custom = try #require(lines.firstIndex(of: #"{"type":"custom","payload":[1,2]}"#))
        #expect(start < custom)
        let transcript = try #require(lines.first { $0.contains(#""type":"transcript""#) })
        let record = try #require(try JSONParser.parse(transcript).objectValue)
        #expect(record["t0"]?.doubleValue == 1.5 && record["t1"]?.doubleValue == 2.5)
        #expect(record["id"]?.intValue == 7)
        for field in ["text", "segments", "lang", "avg_logprob", "no_speech_prob"] {
            #expect(record[field] != nil, "\(field)")
        }
        #expect(result.stderr.contains("line 3") && result.stderr.contains("skipped"))
    }

    @Test func strictStopsAtABadUtterance() throws {
        let directory = try TinyModel.write(to: TinyModel.temporaryDirectory())
        let input = #"{"type":"utterance","t0":0,"t1":1,"rate":16000,"pcm":"***"}"# + "\n"
        let result = try CommandRunner.run(
            "mybro-transcribe", ["--model", directory, "--strict"], stdin: Data(input.utf8))
        #expect(result.status == 65)
        #expect(result.stderr.contains("base64"))
    }

    @Test func rawInputRefusesOtherFormatsAndUsageErrorsAre64() throws {
        let directory = try TinyModel.write(to: TinyModel.temporaryDirectory())
        let flac = Data("fLaC".utf8) + Data(count: 100)
        let refused = try CommandRunner.run("mybro-transcribe", ["--model", directory, "--raw"], stdin: flac)
        #expect(refused.status == 65 && refused.stderr.contains("mybro-capture"))
        let usage = try CommandRunner.run("mybro-transcribe", ["--format", "srt"])
        #expect(usage.status == 64)
        for bad in [["--padding-margin", "40"], ["--beam-size", "0"], ["--task", "summarise"], ["--threads", "0"]] {
            let refused = try CommandRunner.run("mybro-transcribe", ["--raw"] + bad)
            #expect(refused.status == 64, "\(bad)")
        }
        let language = try CommandRunner.run(
            "mybro-transcribe", ["--model", directory, "--raw", "--language", "de"],
            stdin: Data(count: 3200))
        #expect(language.status == 64 && language.stderr.contains("English-only"))
        let missing = try CommandRunner.run("mybro-transcribe", ["--model", directory, "/nonexistent.wav"])
        #expect(missing.status == 66 && missing.stderr.contains("/nonexistent.wav"))
    }

    // MARK: - With the real tiny.en model (installed by scripts/setup-model.sh)

    @Test(.enabled(if: TestPaths.realModel != nil, "the tiny.en model is not installed: run scripts/setup-model.sh"))
    func speechStartIsForwardedWhileAnUtteranceIsTranscribed() throws {
        let wav = try TinyModel.temporaryDirectory("hello.wav")
        let spoken = try CommandRunner.speech("Open the make file and run the tests.", path: wav)
        try #require(spoken, "espeak-ng is needed")
        let speech = try Self.pcm(ofWAV: wav)
        let input = [Self.utterance(speech, t0: 0), #"{"type":"speech_start","t0":9}"#].joined(separator: "\n") + "\n"
        let result = try CommandRunner.run("mybro-transcribe", [], stdin: Data(input.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.lines
        #expect(lines.count == 2)
        // the speech_start after the utterance comes out first: it did not wait for the transcription
        #expect(lines.first == #"{"type":"speech_start","t0":9}"#)
        let record = try #require(try JSONParser.parse(lines.last ?? "").objectValue)
        let text = (record["text"]?.stringValue ?? "").lowercased()
        #expect(text.contains("open") && text.contains("file") && text.contains("run"), "\(text)")
    }

    @Test(.enabled(if: TestPaths.realModel != nil, "the tiny.en model is not installed: run scripts/setup-model.sh"))
    func filesInEveryFormatAndSilenceGivesNothing() throws {
        let wav = try TinyModel.temporaryDirectory("formats.wav")
        let spoken = try CommandRunner.speech("Hello. This is a test of the speech recognizer.", path: wav)
        try #require(spoken, "espeak-ng is needed")
        let srt = try CommandRunner.run("mybro-transcribe", [wav, "--format", "srt"])
        #expect(srt.status == 0, "\(srt.stderr)")
        #expect(srt.lines.first == "1")
        #expect(srt.lines.count > 2 && srt.lines[1].hasPrefix("00:00:0") && srt.lines[1].contains(" --> "))
        #expect(srt.stdout.lowercased().contains("test"))
        let vtt = try CommandRunner.run("mybro-transcribe", [wav, "--format", "vtt"])
        #expect(vtt.lines.first == "WEBVTT")
        let json = try CommandRunner.run("mybro-transcribe", [wav, "--format", "json", "--no-timestamps"])
        let record = try #require(try JSONParser.parse(json.lines.first ?? "").objectValue)
        #expect(record["file"]?.stringValue == wav && record["type"]?.stringValue == "transcript")

        var silence = Data(WAVHeader.make(sampleRate: 16000, channels: 1, dataBytes: 64000))
        silence.append(Data(count: 64000))
        let quiet = try CommandRunner.run("mybro-transcribe", ["--raw", "--format", "txt"], stdin: silence)
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(quiet.stdout.isEmpty, "hallucinated: \(quiet.stdout)")
    }

    @Test(.enabled(if: TestPaths.realModel != nil, "the tiny.en model is not installed: run scripts/setup-model.sh"))
    func anInitialPromptSteersSpelling() throws {
        let wav = try TinyModel.temporaryDirectory("prompt.wav")
        let spoken = try CommandRunner.speech("Open the read me and the make file, then build with swift.", path: wav)
        try #require(spoken, "espeak-ng is needed")
        let steered = try CommandRunner.run("mybro-transcribe", [wav, "--initial-prompt", "README, Makefile, Swift"])
        #expect(steered.status == 0, "\(steered.stderr)")
        #expect(steered.stdout.contains("README") && steered.stdout.contains("Makefile"), "\(steered.stdout)")
    }
}
