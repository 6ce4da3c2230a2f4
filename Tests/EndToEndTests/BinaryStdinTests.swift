import Foundation
import MybroTestSupport
import Testing

/// Commands that read JSON Lines or text refuse audio and other binary data on stdin with
/// status 65 and one line that names the command to pipe it through (issue 10: a WAV piped
/// into mybro-intent became 14 garbage `none` intents).
@Suite struct BinaryStdinTests {
    enum Input: String, CaseIterable, Sendable {
        case wav, rawPCM, randomBytes

        func bytes() -> Data {
            // One second of a 440 Hz tone at 16 kHz, s16le: what mybro-capture writes.
            let samples = (0..<16000).map { Int16(8000 * sin(2 * Double.pi * 440 * Double($0) / 16000)) }
            let pcm = samples.withUnsafeBufferPointer { Data(buffer: $0) }
            switch self {
            case .rawPCM: return pcm
            case .randomBytes:
                var generator = SystemRandomNumberGenerator()
                return Data((0..<20000).map { _ in UInt8.random(in: 0...255, using: &generator) })
            case .wav:
                var header = Data("RIFF".utf8)
                func append<T: FixedWidthInteger>(_ value: T) {
                    withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) }
                }
                append(UInt32(36 + pcm.count))
                header.append(contentsOf: Array("WAVEfmt ".utf8))
                append(UInt32(16)); append(UInt16(1)); append(UInt16(1)); append(UInt32(16000))
                append(UInt32(32000)); append(UInt16(2)); append(UInt16(16))
                header.append(contentsOf: Array("data".utf8))
                append(UInt32(pcm.count))
                return header + pcm
            }
        }
    }

    static let cases: [(String, String)] = [
        ("mybro-intent --backend rules", "pipe audio through mybro-vad | mybro-transcribe first"),
        ("mybro-say --output /dev/null", "aplay"),
        ("mybro-exec --no-history --no-undo", "mybro-vad | mybro-transcribe | mybro-intent"),
    ]

    @Test(arguments: Input.allCases)
    func commandsThatReadRecordsRefuseBinaryStdin(_ input: Input) throws {
        try withTemporaryDirectory("mybro-binary") { directory in
            for (command, pointer) in Self.cases {
                let result = try shell(
                    "cd \(shellQuoted(directory)) && \(command)", input: input.bytes(),
                    environment: ["XDG_STATE_HOME": directory])
                #expect(result.status == 65, "\(command) < \(input): \(result.stderr)")
                #expect(result.stdout.isEmpty, "\(command) < \(input) wrote \(result.stdoutText)")
                #expect(result.stderrLines.count == 1, "\(command) < \(input): \(result.stderr)")
                #expect(result.stderr.contains("stdin looks like"), "\(command) < \(input): \(result.stderr)")
                #expect(result.stderr.contains(pointer), "\(command) < \(input): \(result.stderr)")
                if input == .wav { #expect(result.stderr.contains("WAV")) }
            }
        }
    }

    @Test func textWithAccentsAndEscapesIsStillText() throws {
        let result = try shell(
            "mybro-intent --backend rules", input: Data("café \u{1B}[1mrun the tests\nrun the tests\n".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        // One intent per line (a line heard as nothing also gets its spoken "I didn't catch that").
        #expect(result.stdoutLines.filter { $0.contains(#""type":"intent""#) }.count == 2)
    }
}
