import Foundation
import MybroCore
import MybroTestSupport
import MybroVAD
import Testing

/// End-to-end: the built `mybro-vad` in a pipeline, stdin in, stdout/stderr/status checked.
@Suite("mybro-vad command", .serialized)
struct CommandTests {
    static let sentences = [
        "Open the project and run all the tests.",
        "Then commit the changes with a short message.",
        "Finally push the branch to the server.",
    ]

    /// Three sentences with 1.5 s pauses, a lead-in and a tail, over faint noise.
    static func talk() throws -> [Int16] {
        var samples = TestSignals.silence(seconds: 0.8, rate: 16000)
        for sentence in sentences {
            samples += try SpeechCache.shared.speech(sentence, rate: 16000)
            samples += TestSignals.silence(seconds: 1.5, rate: 16000)
        }
        return TestSignals.mix(samples, TestSignals.noise(.white, rms: 20, seconds: 2, rate: 16000, seed: 5))
    }

    static func records(_ result: BuiltBinary.Result) throws -> [JSONObject] {
        try result.lines.map { line in
            guard case .object(let object) = try JSONParser.parse(line) else {
                throw TestSignalError(message: "not an object: \(line)")
            }
            return object
        }
    }

    @Test func oneUtterancePerSentenceWithItsAudio() throws {
        let audio = try CommandTests.talk()
        let result = try BuiltBinary.run([], input: BuiltBinary.pcm(audio))
        #expect(result.status == 0, "\(result.stderr)")
        // Pauses inside sentences (speech and pause records) are PauseReportTests' subject.
        let records = try CommandTests.records(result).filter {
            !["speech", "pause"].contains($0["type"]?.stringValue ?? "")
        }
        let types = records.map { $0["type"]?.stringValue ?? "" }
        #expect(types == Array(repeating: ["speech_start", "utterance", "speech_end"], count: 3).flatMap { $0 })
        for (index, record) in records.enumerated() where record["type"]?.stringValue == "utterance" {
            let t0 = try #require(record["t0"]?.doubleValue), t1 = try #require(record["t1"]?.doubleValue)
            #expect(record["rate"]?.intValue == 16000)
            let pcm = try #require(Data(base64Encoded: record["pcm"]?.stringValue ?? ""))
            #expect(pcm.count == Int(((t1 - t0) * 16000).rounded()) * 2)
            // The audio is the input's own samples from t0.
            let first = Int((t0 * 16000).rounded())
            let decoded = pcm.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
            #expect(Array(decoded.prefix(100)) == Array(audio[first..<(first + 100)]))
            #expect(records[index - 1]["t"]?.doubleValue == t0)
            #expect(records[index + 1]["t"]?.doubleValue == t1)
        }
    }

    @Test func announcesSpeechBeforeTheInputEnds() throws {
        let speech = try SpeechCache.shared.speech(CommandTests.sentences[0], rate: 16000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltBinary.path)
        // No pause reports: the test writes all of the speech before it reads, and reports carry audio.
        process.arguments = ["--pause-ms", "0"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            try? stdin.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        // Half a second of silence and the first second of speech; stdin stays open.
        let opening = TestSignals.silence(seconds: 0.5, rate: 16000) + Array(speech.prefix(16000))
        try stdin.fileHandleForWriting.write(contentsOf: BuiltBinary.pcm(opening))
        let line = try readLine(stdout.fileHandleForReading, timeout: 20)
        #expect(line?.contains("\"type\":\"speech_start\"") == true, "got \(line ?? "nothing")")
        // The rest of the sentence and a pause: the utterance comes without closing stdin.
        try stdin.fileHandleForWriting.write(
            contentsOf: BuiltBinary.pcm(Array(speech.dropFirst(16000)) + TestSignals.silence(seconds: 1, rate: 16000)))
        let next = try readLine(stdout.fileHandleForReading, timeout: 20)
        #expect(next?.contains("\"type\":\"utterance\"") == true)
    }

    /// Reads one line, giving up after `timeout` seconds.
    func readLine(_ handle: FileHandle, timeout: Double) throws -> String? {
        let box = LineBox()
        Thread {
            var bytes = Data()
            while true {
                let byte = handle.readData(ofLength: 1)
                if byte.isEmpty || byte.first == 0x0A { break }
                bytes.append(byte)
            }
            box.set(String(decoding: bytes, as: UTF8.self))
        }.start()
        return box.wait(timeout: timeout)
    }

    final class LineBox: @unchecked Sendable {
        private var value: String?
        private let ready = DispatchSemaphore(value: 0)
        func set(_ line: String) { value = line; ready.signal() }
        func wait(timeout: Double) -> String? { ready.wait(timeout: .now() + timeout) == .success ? value : nil }
    }

    @Test func framesMatchTheCLibrary() throws {
        let audio = try CommandTests.talk()
        let result = try BuiltBinary.run(
            ["--frames", "--mode", "1", "--frame-ms", "20"], input: BuiltBinary.pcm(audio))
        #expect(result.status == 0)
        let reference = ReferenceVAD(mode: 1)
        var expected: [String] = []
        audio.withUnsafeBufferPointer { all in
            for start in stride(from: 0, to: all.count - 319, by: 320) {
                let frame = UnsafeBufferPointer(rebasing: all[start..<(start + 320)])
                expected.append(String(reference.process(frame, sampleRate: 16000)))
            }
        }
        #expect(result.lines == expected)
    }

    @Test func audioOutputIsTheSpeechAsPCMThatSoxReads() throws {
        let audio = try CommandTests.talk()
        let records = try CommandTests.records(try BuiltBinary.run([], input: BuiltBinary.pcm(audio)))
        let expected = records.filter { $0["type"]?.stringValue == "utterance" }
            .compactMap { Data(base64Encoded: $0["pcm"]?.stringValue ?? "") }.reduce(Data(), +)
        let result = try BuiltBinary.run(["--audio"], input: BuiltBinary.pcm(audio))
        #expect(result.status == 0)
        #expect(result.stdout == expected)
        #expect(result.stdout.count < audio.count * 2)

        let directory = try TemporaryDirectory(label: "mybro-vad")
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("audio.raw")
        try result.stdout.write(to: file)
        let sox = Process()
        sox.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let wav = file.path + ".wav"
        sox.arguments = [
            "bash", "-c", "sox -t raw -r 16000 -e signed -b 16 -c 1 '\(file.path)' '\(wav)' && soxi -s '\(wav)'",
        ]
        let output = Pipe()
        sox.standardOutput = output
        try sox.run()
        let samples = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sox.waitUntilExit()
        #expect(sox.terminationStatus == 0)
        #expect(Int(samples.trimmingCharacters(in: .whitespacesAndNewlines)) == result.stdout.count / 2)
    }

    @Test func segmentsAsRecordsAndAsATable() throws {
        let audio = BuiltBinary.pcm(try CommandTests.talk())
        let records = try CommandTests.records(try BuiltBinary.run(["--segments"], input: audio))
        #expect(records.count == 3)
        #expect(records.allSatisfy { $0["type"]?.stringValue == "segment" && $0["pcm"] == nil })
        let table = try BuiltBinary.run(["--segments", "--format", "tsv"], input: audio)
        #expect(table.lines.count == 3)
        for (line, record) in zip(table.lines, records) {
            let fields = line.split(separator: "\t").compactMap { Double($0) }
            #expect(fields == [record["t0"]?.doubleValue ?? -1, record["t1"]?.doubleValue ?? -1])
        }
    }

    @Test func acceptsAWAVStreamAndRefusesOtherRates() throws {
        let audio = try CommandTests.talk()
        let wav = Data(WAVHeader.make(sampleRate: 16000, channels: 1, dataBytes: nil)) + BuiltBinary.pcm(audio)
        let fromWAV = try BuiltBinary.run(["--segments"], input: wav)
        let fromRaw = try BuiltBinary.run(["--segments"], input: BuiltBinary.pcm(audio))
        #expect(fromWAV.status == 0 && fromWAV.stdout == fromRaw.stdout)

        let wrong = Data(WAVHeader.make(sampleRate: 44100, channels: 1, dataBytes: 8820)) + Data(count: 8820)
        let refused = try BuiltBinary.run([], input: wrong)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("mybro-capture"))
        #expect(refused.stdout.isEmpty)
    }

    @Test func reportsAnOddTrailingByteAndCarriesOn() throws {
        let audio = BuiltBinary.pcm(try CommandTests.talk()) + Data([0x7F])
        let result = try BuiltBinary.run(["--segments"], input: audio)
        #expect(result.status == 0)
        #expect(result.lines.count == 3)
        #expect(result.stderr.contains("odd byte count"))
        let strict = try BuiltBinary.run(["--segments", "--strict"], input: audio)
        #expect(strict.status == 65)
    }

    @Test(arguments: [
        ["--mode", "4"], ["--frame-ms", "25"], ["--frames", "--audio"], ["--start-ratio", "0"],
        ["--max-ms", "100"], ["--format", "tsv", "--audio"],
    ])
    func refusesBadOptions(arguments: [String]) throws {
        let result = try BuiltBinary.run(arguments, input: Data())
        #expect(result.status == 64)
        // One line in the toolkit's format, pointing at the help.
        #expect(result.stderr.hasPrefix("mybro-vad: error: "))
        #expect(result.stderr.hasSuffix("; see 'mybro-vad --help'\n"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func aClosedDownstreamPipeEndsQuietly() throws {
        // `mybro-vad --frames < long.raw | head -1`
        let noise = TestSignals.noise(.pink, rms: 3000, seconds: 120, rate: 16000, seed: 3)
        let directory = try TemporaryDirectory(label: "mybro-vad")
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("long.raw")
        try BuiltBinary.pcm(noise).write(to: file)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = [
            "-c",
            "set -o pipefail; '\(BuiltBinary.path)' --frames < '\(file.path)' | head -c 2 >/dev/null; echo \"${PIPESTATUS[0]}\"",
        ]
        let output = Pipe(), errors = Pipe()
        shell.standardOutput = output
        shell.standardError = errors
        try shell.run()
        let status = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(errors.fileHandleForReading.readDataToEndOfFile().isEmpty)
    }

    @Test func helpAndVersion() throws {
        let help = try BuiltBinary.run(["--help"], input: Data())
        #expect(help.status == 0 && help.lines.contains { $0.contains("--silence-ms") })
        let version = try BuiltBinary.run(["--version"], input: Data())
        #expect(version.status == 0 && version.lines.first == MybroVersion.string)
    }
}
