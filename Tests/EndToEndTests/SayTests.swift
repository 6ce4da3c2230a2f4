import Foundation
import MybroTestSupport
import Testing

@Suite struct SayTests {
    @Test func speaksArgumentsAsCanonicalPCM() throws {
        let result = try shell("mybro-say 'the quick brown fox' --output -")
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let audio = samples(fromPCM: result.stdout)
        // About a second of speech at 16 kHz, clearly not silence.
        #expect(audio.count > 8_000 && audio.count < 48_000)
        #expect(rms(audio) > 0.02)
    }

    /// --list-voices shows languages such as en-gb beside the voices' file names: both select a voice.
    @Test(arguments: ["en-gb", "en-gb-x-rp", "fr"])
    func aLanguageFromTheVoiceListSelectsAVoice(voice: String) throws {
        let result = try shell("mybro-say --voice \(voice) 'hello there' --output -")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.count > 8_000)
    }

    @Test func writesAWAVThatSoxReadsAt16kHz() throws {
        let directory = try temporaryDirectory()
        let file = "\(directory)/hello.wav"
        let result = try shell(
            "mybro-say hello world --output \(file) --wav && soxi -r \(file) && soxi -c \(file) && soxi -s \(file)")
        #expect(result.status == 0)
        let lines = result.stdoutLines
        #expect(lines.count == 3)
        #expect(lines.first == "16000")
        #expect(lines.dropFirst().first == "1")
        #expect((Int(lines.last ?? "") ?? 0) > 4_000)
    }

    @Test func speaksSayRecordsAndForwardsOthersInOrder() throws {
        let directory = try temporaryDirectory()
        let input = """
            {"type":"speech_start","t":1.5}
            {"type":"say","text":"one"}
            {"type":"custom","payload":{"k":[1,2]}}
            plain text line
            {"type":"job_done","status":"ok"}

            """
        let result = try shell("mybro-say --output \(directory)/out.raw", input: Data(input.utf8))
        #expect(result.status == 0)
        #expect(
            result.stdoutLines == [
                #"{"type":"speech_start","t":1.5}"#, #"{"type":"custom","payload":{"k":[1,2]}}"#,
                #"{"type":"job_done","status":"ok"}"#,
            ])
        let audio = try Data(contentsOf: URL(fileURLWithPath: directory + "/out.raw"))
        #expect(audio.count > 8_000)
    }

    @Test func malformedLinesGetNumberedDiagnosticsAndValidLinesStillFlow() throws {
        let input = "{\"type\":\"a\"}\n{oops\n{\"no\":\"type\"}\n{\"type\":\"b\"}\n"
        let result = try shell("mybro-say --output /dev/null", input: Data(input.utf8))
        #expect(result.status == 0)
        #expect(result.stdoutLines == [#"{"type":"a"}"#, #"{"type":"b"}"#])
        #expect(result.stderrLines.count == 2)
        #expect(result.stderrLines.first?.hasPrefix("mybro-say: warning: line 2: invalid JSON") == true)
        #expect(result.stderrLines.last?.hasPrefix("mybro-say: warning: line 3:") == true)
    }

    @Test func strictMakesTheFirstMalformedLineFatal() throws {
        let result = try shell(
            "mybro-say --strict --output /dev/null", input: Data("{\"type\":\"a\"}\n{oops\n{\"type\":\"b\"}\n".utf8))
        #expect(result.status == 65)
        #expect(result.stdoutLines == [#"{"type":"a"}"#])
        #expect(result.stderrLines.count == 1)
    }

    @Test func aClosedDownstreamPipeEndsQuietly() throws {
        let result = try shell(
            "bash -o pipefail -c \"mybro-say 'a sentence long enough to fill more than a hundred bytes' --output - | head -c 100 >/dev/null\""
        )
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }

    @Test func anInterruptRecordCutsTheReplyShort() throws {
        let long = String(repeating: "This reply goes on and on so that it can be interrupted. ", count: 30)
        let full = try shell("mybro-say --output -", input: Data("{\"type\":\"say\",\"text\":\"\(long)\"}\n".utf8))
        let cut = try shell(
            "mybro-say --output -",
            input: Data(
                "{\"type\":\"say\",\"text\":\"\(long)\"}\n{\"type\":\"interrupt\"}\n{\"type\":\"say\",\"text\":\"after\"}\n"
                    .utf8))
        #expect(full.status == 0 && cut.status == 0)
        // The long reply is a minute of speech; interrupted, only what was made before the
        // interrupt arrived plus the short reply after it remains.
        #expect(full.stdout.count > 16_000 * 2 * 30)
        #expect(cut.stdout.count < full.stdout.count / 4)
        #expect(cut.stdout.count > 2_000)
    }

    @Test func speechStartIsBargeIn() throws {
        let long = String(repeating: "This reply goes on and on so that it can be interrupted. ", count: 30)
        let cut = try shell(
            "mybro-say --output /dev/null",
            input: Data(
                "{\"type\":\"say\",\"text\":\"\(long)\"}\n{\"type\":\"speech_start\",\"t\":3.5}\n".utf8))
        #expect(cut.status == 0)
        #expect(cut.stdoutLines == [#"{"type":"speech_start","t":3.5}"#])
        let audio = try shell(
            "mybro-say --output -",
            input: Data("{\"type\":\"say\",\"text\":\"\(long)\"}\n{\"type\":\"speech_start\",\"t\":3.5}\n".utf8))
        #expect(audio.stdout.count < 16_000 * 2 * 15)
    }

    @Test func playsThroughALSA() throws {
        let directory = try temporaryDirectory()
        try writeALSAFileConfiguration(in: directory, playback: directory + "/played.raw")
        let played = try shell("mybro-say 'hello from the sound card'", environment: ["XDG_CONFIG_HOME": directory])
        #expect(played.status == 0)
        #expect(played.stderr.isEmpty)
        let written = try shell("mybro-say 'hello from the sound card' --output -")
        let heard = try Data(contentsOf: URL(fileURLWithPath: directory + "/played.raw"))
        // espeak-ng adds a little random noise, so compare length and level, not bytes.
        #expect(heard.count == written.stdout.count)
        #expect(abs(rms(samples(fromPCM: heard)) - rms(samples(fromPCM: written.stdout))) < 0.01)
    }

    @Test func missingSoundCardIsAClearError() throws {
        let directory = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/alsa", withIntermediateDirectories: true)
        try "pcm.!default { type hw card 99 }\n".write(
            toFile: directory + "/alsa/asoundrc", atomically: true, encoding: .utf8)
        let result = try shell("mybro-say hello", environment: ["XDG_CONFIG_HOME": directory])
        #expect(result.status == 66 || result.status == 69)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.hasPrefix("mybro-say: error:"))
    }

    @Test func badOptionsAreUsageErrors() throws {
        let rate = try shell("mybro-say --rate 5 hi --output /dev/null")
        #expect(rate.status == 64)
        let voice = try shell("mybro-say --voice no-such-voice hi --output /dev/null")
        #expect(voice.status == 64)
        #expect(voice.stderr.contains("--list-voices"))
    }

    @Test func listsVoices() throws {
        let result = try shell("mybro-say --list-voices")
        #expect(result.status == 0)
        #expect(result.stdoutLines.count > 10)
        #expect(result.stdoutText.contains("en-us"))
    }
}
