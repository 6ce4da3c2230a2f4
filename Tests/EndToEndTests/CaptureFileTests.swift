import Foundation
import MybroTestSupport
import Testing

/// mybro-capture decoding files made by sox, in pipelines.
@Suite struct CaptureFileTests {
    /// Makes a 2 s, -6 dB, 1 kHz tone in `name` (its extension picks the format).
    func tone(_ directory: TemporaryDirectory, _ name: String, rate: Int, channels: Int) throws {
        let made = try CommandRunner.shell(
            "sox -n -r \(rate) -c \(channels) \(name) synth 2 sine 1000 gain -6", directory: directory.url.path)
        try #require(made.status == 0, "sox: \(made.stderr)")
    }

    @Test(arguments: [
        ("tone.flac", 44_100, 2), ("tone.ogg", 48_000, 2), ("tone.mp3", 44_100, 2),
        ("tone.aiff", 22_050, 1), ("tone.wav", 48_000, 2),
    ])
    func decodesFilesAndPipes(_ name: String, _ rate: Int, _ channels: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try tone(directory, name, rate: rate, channels: channels)
        for script in ["\"$CAPTURE\" --input \(name)", "cat \(name) | \"$CAPTURE\" --input -"] {
            let result = try CommandRunner.shell(script, directory: directory.url.path)
            #expect(result.status == 0, "\(script): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(script): \(result.stderr)")
            let samples = result.stdout.int16Samples
            // MP3 adds encoder delay and padding: only about 2 s.
            #expect(abs(samples.count - 32_000) <= (name.hasSuffix("mp3") ? 1_600 : 2), "\(script): \(samples.count)")
            let frequency = zeroCrossingFrequency(samples[8_000..<24_000], rate: 16_000)
            #expect(abs(frequency - 1_000) < 1, "\(script): \(frequency) Hz")
        }
    }

    @Test func rawOutputFeedsSoxAndWAVOutputIsValid() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try tone(directory, "music.flac", rate: 48_000, channels: 2)
        let viaSox = try CommandRunner.shell(
            "\"$CAPTURE\" --input music.flac | sox -t raw -r 16000 -e signed -b 16 -c 1 - out.wav && soxi -r out.wav && soxi -c out.wav && soxi -s out.wav",
            directory: directory.url.path)
        #expect(viaSox.status == 0, "\(viaSox.stderr)")
        #expect(String(decoding: viaSox.stdout, as: UTF8.self) == "16000\n1\n32000\n")

        // --wav to a regular file: an ordinary WAV with its sizes; to a pipe: streaming sizes.
        let toFile = try CommandRunner.shell(
            "\"$CAPTURE\" --input music.flac --wav --duration 1.25 > x.wav && soxi -r x.wav && soxi -c x.wav && soxi -s x.wav && cat x.wav",
            directory: directory.url.path)
        #expect(toFile.status == 0, "\(toFile.stderr)")
        let text = String(decoding: toFile.stdout.prefix(while: { $0 != UInt8(ascii: "R") }), as: UTF8.self)
        #expect(text == "16000\n1\n20000\n")
        let wav = Array(toFile.stdout.drop(while: { $0 != UInt8(ascii: "R") }))
        #expect(wav.count == 44 + 40_000 && wav.word32(at: 40) == 40_000)

        let toPipe = try CommandRunner.shell(
            "\"$CAPTURE\" --input music.flac --wav | cat", directory: directory.url.path)
        #expect(toPipe.stdout.count == 44 + 64_000)
        #expect(toPipe.stdout.word32(at: 4) == 0xFFFF_FFFF && toPipe.stdout.word32(at: 40) == 0xFFFF_FFFF)
    }

    @Test func rateOptionSetsTheOutputRate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try tone(directory, "tone.flac", rate: 44_100, channels: 2)
        let result = try CommandRunner.shell(
            "\"$CAPTURE\" --input tone.flac --rate 8000", directory: directory.url.path)
        let samples = result.stdout.int16Samples
        #expect(abs(samples.count - 16_000) <= 1)
        #expect(abs(zeroCrossingFrequency(samples[4_000..<12_000], rate: 8_000) - 1_000) < 1)
    }

    @Test func badInputsGetTheirStatusAndOneLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Noise named .mp3, the same bytes every run: /dev/urandom would, once in a while, hold
        // frame headers that libmpg123 decodes.
        var state: UInt64 = 0x6A75_6E6B
        let junk = (0..<3000).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        try Data(junk).write(to: directory.url.appendingPathComponent("junk.mp3"))
        let cases: [(String, Int32, String)] = [
            ("\"$CAPTURE\" --input missing.flac", 66, "cannot open input 'missing.flac': No such file or directory"),
            ("\"$CAPTURE\" --input junk.mp3", 65, "cannot decode 'junk.mp3'"),
            ("echo '{\"type\":\"say\"}' | \"$CAPTURE\" --input -", 65, "standard input is text, not audio"),
            (
                // Truncated from a file, not a pipe: sox writing into a pipe that head closes
                // complains on the shared stderr at random.
                "sox -n whole.flac synth 1 sine 300 && head -c 100 whole.flac | \"$CAPTURE\" --input -", 65,
                "it starts like FLAC but libsndfile cannot read it"
            ),
            ("\"$CAPTURE\" --input - < /dev/null", 65, "standard input is empty"),
            ("\"$CAPTURE\" --input x.wav --device default", 64, "give either --device or --input"),
            ("\"$CAPTURE\" --input x.wav --duration 0", 64, "--duration 0 is out of range"),
        ]
        for (script, status, message) in cases {
            let result = try CommandRunner.shell(script, directory: directory.url.path)
            #expect(result.status == status, "\(script): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(script)")
            #expect(result.stderr.contains(message), "\(script): \(result.stderr)")
            if status != 64 {
                #expect(result.stderr.split(separator: "\n").count == 1, "\(script): \(result.stderr)")
            }
        }
    }

    /// libsndfile reads any stream starting 01 04 as an Akai MPC 2000 sample; only one with
    /// the format's ASCII name after those bytes is taken for one, so random bytes that happen
    /// to start so (1 in 65,536) are still headerless input.
    @Test func onlyARealMPC2KSampleIsReadAsOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The layout libsndfile writes: magic, 17-byte name, level, tune, mono, then start,
        // loop end, end, loop length (little-endian 32-bit), loop mode, beats, 44.1 kHz.
        func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let frames: UInt32 = 44_100
        var sample: [UInt8] = [0x01, 0x04] + Array("kick            ".utf8) + [0x20, 100, 0, 0]
        sample += le32(0) + le32(frames) + le32(frames) + le32(frames) + [0, 1] + [0x44, 0xAC]
        for n in 0..<Int(frames) {
            let value = Int16(8_000 * sin(2 * Double.pi * 1_000 * Double(n) / 44_100))
            sample += [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
        }
        try Data(sample).write(to: directory.url.appendingPathComponent("kick.snd"))
        for script in ["\"$CAPTURE\" --input kick.snd --strict", "cat kick.snd | \"$CAPTURE\" --input - --strict"] {
            let result = try CommandRunner.shell(script, directory: directory.url.path)
            #expect(result.status == 0 && result.stderr.isEmpty, "\(script): \(result.stderr)")
            let samples = result.stdout.int16Samples
            #expect(abs(samples.count - 16_000) <= 2, "\(script): \(samples.count)")
            let frequency = zeroCrossingFrequency(samples[4_000..<12_000], rate: 16_000)
            #expect(abs(frequency - 1_000) < 1, "\(script): \(frequency) Hz")
        }
        let lookalikes = [
            ("cat lookalike.bin | \"$CAPTURE\" --input - --strict", "has no header"),
            ("\"$CAPTURE\" --input - --strict < lookalike.bin", "has no header"),
            ("\"$CAPTURE\" --input lookalike.bin", "not a format libsndfile recognises"),
        ]
        for (capture, message) in lookalikes {
            let script = "(printf '\\001\\004'; head -c 7998 /dev/urandom) > lookalike.bin && " + capture
            let result = try CommandRunner.shell(script, directory: directory.url.path)
            #expect(result.status == 65 && result.stdout.isEmpty, "\(script): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(script): \(result.stderr)")
        }
    }

    /// --strict turns what capture tolerates with a warning into status 65: input without a
    /// header (random bytes read as PCM), a truncated file, a stray last byte.
    @Test func strictRefusesWhatItOtherwiseTolerates() throws {
        try withTemporaryDirectory("mybro-capture") { directory in
            let cases: [(String, String)] = [
                ("head -c 8000 /dev/urandom | \"$CAPTURE\" --input -", "has no header"),
                (
                    "sox -n -r 48000 -c 2 whole.flac synth 2 sine 1000 gain -6 && head -c 60000 whole.flac > cut.flac"
                        + " && \"$CAPTURE\" --input cut.flac", "truncated"
                ),
            ]
            for (script, message) in cases {
                let tolerant = try CommandRunner.shell(script, directory: directory)
                #expect(tolerant.status == 0, "\(script): \(tolerant.stderr)")
                let strict = try CommandRunner.shell(script + " --strict", directory: directory)
                #expect(strict.status == 65, "\(script) --strict: \(strict.stderr)")
                #expect(strict.stderr.contains(message) && strict.stderr.contains("--strict"), "\(strict.stderr)")
                #expect(strict.stderr.split(separator: "\n").count == 1, "\(strict.stderr)")
            }
            // Headerless input is refused before anything is written.
            let refused = try CommandRunner.shell(
                "head -c 8000 /dev/urandom | \"$CAPTURE\" --input - --strict | wc -c", directory: directory)
            #expect(
                String(decoding: refused.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
            let usage = try CommandRunner.shell("\"$CAPTURE\" --strict --duration 1", directory: directory)
            #expect(usage.status == 64 && usage.stderr.contains("--strict"), "\(usage.stderr)")
        }
    }

    /// mybro's own headerless stream on stdin (what `mybro-say --output -` writes) becomes a WAV.
    @Test func headerlessStreamOnStdinBecomesAWAV() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let samples: [Int16] = (0..<24_000).map { Int16(truncatingIfNeeded: $0 &* 40_503) }
        let bytes = samples.withUnsafeBytes { Data($0) }
        try bytes.write(to: directory.url.appendingPathComponent("stream.raw"))
        for script in [
            "cat stream.raw | \"$CAPTURE\" --input - --wav", "\"$CAPTURE\" --input - --wav < stream.raw",
            "\"$CAPTURE\" --input stream.raw --wav | cat",
        ] {
            let result = try CommandRunner.shell(script, directory: directory.url.path)
            #expect(result.status == 0, "\(script): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(script): \(result.stderr)")
            #expect(result.stdout.count == 44 + 48_000)
            #expect(Array(result.stdout.dropFirst(44)).int16Samples == samples, "\(script): samples unchanged")
        }
        let odd = try CommandRunner.shell(
            "{ cat stream.raw; printf x; } | \"$CAPTURE\" --input -",
            directory: directory.url.path)
        #expect(odd.status == 0)
        #expect(odd.stdout.count == 48_000)
        #expect(odd.stderr.contains("warning: the input ends in the middle of a 16-bit sample"), "\(odd.stderr)")
    }

    /// The issue's round trip: speech from mybro-say, captured back into a WAV.
    @Test func speechFromMybroSayBecomesA16kHzWAV() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try CommandRunner.shell(
            """
            mybro-say "the quick brown fox" --output - | "$CAPTURE" --input - --wav > x.wav
            soxi -r x.wav && soxi -c x.wav && soxi -s x.wav
            """, directory: directory.url.path)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3 && lines[0] == "16000" && lines[1] == "1", "\(lines)")
        let wav = [UInt8](try Data(contentsOf: directory.url.appendingPathComponent("x.wav")))
        #expect(wav.word32(at: 40) == UInt32(wav.count - 44), "sizes fixed up in the file")
        let speech = Array(wav.dropFirst(44)).int16Samples
        #expect(speech.count > 8_000 && Int(lines.last ?? "") == speech.count)
        let level =
            (speech.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(speech.count, 1))).squareRoot() / 32_768
        #expect(level > 0.02, "speech, not silence: RMS \(level)")
    }

    /// PCM that starts with FF FF looks like an MPEG frame sync to libsndfile's probe.
    @Test func pcmThatLooksLikeMP3IsReadAsPCM() throws {
        let fixture = BuiltCommands.packageRoot + "/Tests/Fixtures/capture/pcm-mistaken-for-mp3.raw"
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture)))
        for script in [
            "cat \(shellQuoted(fixture)) | \"$CAPTURE\" --input -", "\"$CAPTURE\" --input - < \(shellQuoted(fixture))",
        ] {
            let result = try CommandRunner.shell(script)
            #expect(result.status == 0, "\(script): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(script): \(result.stderr)")
            #expect(result.stdout == original, "\(script)")
        }
    }

    @Test func truncatedFileIsReportedAndWhatIsThereComesOut() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try tone(directory, "whole.flac", rate: 48_000, channels: 2)
        let result = try CommandRunner.shell(
            "head -c 60000 whole.flac > cut.flac && \"$CAPTURE\" --input cut.flac", directory: directory.url.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: the input is truncated: it ends after"), "\(result.stderr)")
        #expect(result.stderr.contains("of the 2.00 s its header announces"), "\(result.stderr)")
        let samples = result.stdout.int16Samples
        #expect(samples.count > 1_000 && samples.count < 32_000)
    }

    /// A stop signal ends a capture whose upstream has gone quiet, with what came so far.
    @Test func sigtermEndsAWaitOnAnIdlePipe() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try CommandRunner.shell(
            """
            mkfifo input
            { printf '\\000\\001\\002\\003'; exec sleep 10; } > input 2> /dev/null &
            writer=$!
            "$CAPTURE" --input - < input > out.raw &
            capture=$!
            # Time to read the 4 bytes and block on the idle pipe (nothing shows that it does).
            sleep 0.5
            started=$(date +%s%N)
            kill -TERM $capture
            wait $capture
            status=$?
            echo "$status $(( ($(date +%s%N) - started) / 1000000 )) $(wc -c < out.raw)"
            kill $writer
            """, directory: directory.url.path)
        let fields = String(decoding: result.stdout, as: UTF8.self).split(separator: " ").map {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        #expect(fields.count == 3, "\(result.stdout) \(result.stderr)")
        guard fields.count == 3 else { return }
        #expect(fields[0] == 143, "stopped by SIGTERM: \(result.stderr)")
        #expect(fields[1] < 2_000, "stopped at once, not after the writer's 10 s (\(fields[1]) ms)")
        #expect(fields[2] % 2 == 0, "whole samples only")
    }

    @Test func refusesToWriteAudioToATerminal() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try tone(directory, "tone.flac", rate: 16_000, channels: 1)
        // script(1) gives the command a pseudo-terminal as stdout.
        let result = try CommandRunner.shell(
            "script -qec '\"$CAPTURE\" --input tone.flac' /dev/null", directory: directory.url.path)
        #expect(result.status == 64)
        let text = String(decoding: result.stdout, as: UTF8.self)
        #expect(text.contains("stdout is a terminal: redirect it to a file or a pipe"), "\(text)")
    }

    @Test func closedPipeEndsQuietly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try tone(directory, "long.flac", rate: 48_000, channels: 2)
        let result = try CommandRunner.shell(
            "{ \"$CAPTURE\" --input long.flac; echo $? > status; } | head -c 100 | wc -c; cat status",
            directory: directory.url.path)
        #expect(String(decoding: result.stdout, as: UTF8.self).split(separator: "\n") == ["100", "0"])
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test func helpAndVersion() throws {
        let help = try CommandRunner.shell("\"$CAPTURE\" --help")
        #expect(help.status == 0)
        let text = String(decoding: help.stdout, as: UTF8.self)
        for option in [
            "--device", "--list-devices", "--input", "--wav", "--duration", "--rate", "--buffer", "EXIT STATUS",
        ] {
            #expect(text.contains(option), "\(option)")
        }
        let version = try CommandRunner.shell("\"$CAPTURE\" --version")
        #expect(version.status == 0 && !version.stdout.isEmpty)
    }
}
