import Foundation
import MybroTestSupport
import Testing

/// The conventions of mybro-protocol(7) that every command shares, checked on real binaries.
@Suite struct ConventionTests {
    @Test func jsonLogFormatWritesOneObjectPerDiagnostic() throws {
        let result = try shell(
            "mybro-say --log-format json --output /dev/null", input: Data("{bad\n{\"type\":\"x\"}\n".utf8))
        #expect(result.status == 0)
        #expect(result.stdoutLines == [#"{"type":"x"}"#])
        let line = try #require(result.stderrLines.first)
        #expect(result.stderrLines.count == 1)
        #expect(line.contains(#""tool":"mybro-say""#))
        #expect(line.contains(#""level":"warning""#))
        #expect(line.contains("line 1: invalid JSON"))
    }

    @Test func quietHidesWarnings() throws {
        let result = try shell("mybro-say -q --output /dev/null", input: Data("{bad\n".utf8))
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }

    @Test func aWholePipelineLogsToOneFile() throws {
        let directory = try temporaryDirectory()
        let log = directory + "/pipeline.log"
        try writeALSAFileConfiguration(in: directory, playback: directory + "/played.raw")
        // Stage one plays "hi" and warns about two bad lines (the file gets them even with -q);
        // stage two fails on its voice. Both write to one file.
        let result = try shell(
            "printf '{bad\\n{\"type\":\"say\",\"text\":\"hi\"}\\n{oops\\n' | mybro-say -q | mybro-say -q --voice nope --output /dev/null",
            environment: ["MYBRO_LOG_FILE": log, "XDG_CONFIG_HOME": directory])
        #expect(result.status == 64)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasPrefix("{") && $0.contains(#""tool":"mybro-say""#) })
        #expect(text.contains("line 1: invalid JSON"))
        #expect(text.contains("line 3: invalid JSON"))
        #expect(text.contains(#"no voice \"nope\""#))
    }

    @Test func sigtermStopsCleanlyAndFinishesTheWAV() throws {
        let directory = try temporaryDirectory()
        // stdin stays open (a FIFO held by the shell), so only the signal can end mybro-say.
        let script = """
            cd \(shellQuoted(directory)) && mkfifo input
            mybro-say --output reply.wav --wav < input &
            pid=$!
            exec 3>input
            echo "one two three" >&3
            # Until the speech has begun: over 2,000 samples past the WAV header written (the
            # test then asks for more than 1,000, whichever block the signal lands in).
            for i in $(seq 1 200); do [ "$(wc -c < reply.wav 2>/dev/null || echo 0)" -gt 4096 ] && break; sleep 0.05; done
            kill -TERM $pid
            wait $pid; echo $?
            exec 3>&-
            soxi -s reply.wav
            """
        let result = try shell("bash -c \(shellQuoted(script))", timeout: 20)
        let lines = result.stdoutLines
        #expect(lines.first == "143")
        #expect((Int(lines.last ?? "") ?? 0) > 1_000, "\(result.stderr)")
    }
}
