import Foundation
import MybroTestSupport
import Testing

/// mybro-capture reading a (fake) sound card through ALSA.
@Suite struct CaptureLiveTests {
    func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    @Test func captureReturnsTheCardsBytesExactly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = randomBytes(3 * 32_000)
        let card = try FakeSoundCard(directory: directory, rawInput: input)
        let raw = try CommandRunner.shell("\"$CAPTURE\" --device mybrotest --duration 2", environment: card.environment)
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect(raw.stderr.isEmpty)
        #expect(raw.stdout == Array(input[0..<64_000]))

        // The same as a WAV on a regular file: the sizes are fixed up at the end.
        let wav = try CommandRunner.shell(
            "\"$CAPTURE\" --device mybrotest --duration 1.5 --wav > \"$OUT\" && cat \"$OUT\"",
            environment: card.environment.merging(["OUT": directory.path("live.wav")]) { $1 })
        #expect(wav.status == 0, "\(wav.stderr)")
        #expect(wav.stdout.count == 44 + 48_000)
        #expect(wav.stdout.word32(at: 4) == 36 + 48_000 && wav.stdout.word32(at: 40) == 48_000)
        #expect(Array(wav.stdout[44...]) == Array(input[0..<48_000]))
    }

    @Test func listsTheDevicesThatCanCapture() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let card = try FakeSoundCard(directory: directory, rawInput: [0, 0])
        let result = try CommandRunner.shell("\"$CAPTURE\" --list-devices", environment: card.environment)
        #expect(result.status == 0)
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
        #expect(lines.contains("mybrotest\tmybro test capture"), "\(lines)")
    }

    @Test func missingDeviceIsStatus66() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let card = try FakeSoundCard(directory: directory, rawInput: [0, 0])
        let result = try CommandRunner.shell("\"$CAPTURE\" --device no_such_card", environment: card.environment)
        #expect(result.status == 66)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.hasPrefix("mybro-capture: error: no ALSA capture device 'no_such_card'"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line, no ALSA library noise")
    }

    @Test func slowConsumerGetsADropReportNotABlockedCard() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let card = try FakeSoundCard(directory: directory, rawInput: randomBytes(64_000))
        // The fake card is not paced: 30 s arrive at once into a 0.25 s ring behind a pipe whose
        // reader waits for the first drop report (at most 10 s) before it reads anything.
        let result = try CommandRunner.shell(
            """
            { "$CAPTURE" --device mybrotest --duration 30 --buffer 0.25 2> err; echo $? > status; } | {
                i=0
                while ! grep -q 'dropped' err 2>/dev/null && [ $i -lt 400 ]; do sleep 0.025; i=$((i + 1)); done
                wc -c
            }
            cat err >&2
            exit "$(cat status)"
            """,
            environment: card.environment, directory: directory.url.path)
        #expect(result.status == 0)
        let delivered =
            Int(String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(delivered > 0 && delivered < 30 * 32_000)
        let lines = result.stderr.split(separator: "\n")
        #expect(
            !lines.isEmpty && lines.allSatisfy { $0.contains("warning: output is too slow: dropped the oldest") },
            "\(lines)")
        // Every lost millisecond is reported: "(N ms in all)" on the last report plus what came out = 30 s.
        let total =
            lines.last.flatMap { line in
                line.range(of: #"\((\d+) ms in all\)"#, options: .regularExpression).map {
                    Int(line[$0].dropFirst().split(separator: " ")[0])!
                }
            } ?? -1
        // (Both figures are rounded to whole milliseconds.)
        #expect(abs(total + delivered / 32 - 30_000) <= 1, "\(total) ms dropped + \(delivered / 32) ms delivered")
    }

    @Test func closedPipeEndsQuietly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let card = try FakeSoundCard(directory: directory, rawInput: randomBytes(32_000))
        let result = try CommandRunner.shell(
            "{ \"$CAPTURE\" --device mybrotest --duration 1; echo $? > status; } | head -c 100 | wc -c; cat status",
            environment: card.environment, directory: directory.url.path)
        #expect(String(decoding: result.stdout, as: UTF8.self).split(separator: "\n") == ["100", "0"])
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test func interruptStopsCleanlyAndFlushes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let card = try FakeSoundCard(directory: directory, rawInput: randomBytes(32_000))
        // The capture fills the pipe and blocks on it; SIGINT arrives; the reader starts late.
        let result = try CommandRunner.shell(
            """
            mkfifo pipe
            { sleep 1; cat > out.wav; } < pipe &
            reader=$!
            "$CAPTURE" --device mybrotest --wav --buffer 1 > pipe &
            capture=$!
            # until all 16,000 samples are captured (0.1 s when idle; longer loaded): wchar counts
            # the fake card's copy of each read to /dev/null and the pipe's header and samples,
            # and the pipe holds no more than the header and what was read, so 2 × 32,000 + 44
            # bytes written means at least 32,000 read
            i=0
            while [ $i -lt 400 ] && [ "$(awk '/^wchar/ {print $2}' /proc/$capture/io 2>/dev/null || echo 0)" -lt 64044 ]; do
                sleep 0.025; i=$((i + 1))
            done
            kill -INT $capture
            wait $capture
            echo $?
            wait $reader
            """, environment: card.environment, directory: directory.url.path)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "130\n", "\(result.stderr)")
        let wav = [UInt8](try Data(contentsOf: directory.url.appendingPathComponent("out.wav")))
        #expect(wav.count > 44 && wav.count % 2 == 0, "header and whole samples")
        #expect(wav.word32(at: 40) == 0xFFFF_FFFF, "a pipe keeps the streaming sizes")
        // What was captured before the signal (pipe capacity and ring) all came out.
        #expect(wav.count >= 44 + 32_000)
    }
}
