import Foundation
import MybroAudio
import MybroCore
import MybroTestSupport
import Testing

/// Real formats, written by sox in the test, decoded to 16 kHz mono.
@Suite struct AudioFileDecoderTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var rate: Int
        var channels: Int
        /// Extra sox output options (encoding).
        var options: [String] = []
        /// MP3 and Vorbis add encoder delay and padding, so the length is only close.
        var lengthTolerance = 0.0
        var testDescription: String { "\(file) \(rate) Hz \(channels) ch" }
    }

    static let cases: [Case] = [
        Case(file: "tone.wav", rate: 16_000, channels: 1),
        Case(file: "tone.flac", rate: 44_100, channels: 2),
        Case(file: "tone.ogg", rate: 48_000, channels: 2, lengthTolerance: 0.01),
        Case(file: "tone.mp3", rate: 44_100, channels: 2, lengthTolerance: 0.1),
        Case(file: "tone.aiff", rate: 48_000, channels: 1),
        Case(file: "tone.wav", rate: 8_000, channels: 1),
        Case(file: "tone.wav", rate: 22_050, channels: 2, options: ["-e", "floating-point", "-b", "32"]),
    ]

    @Test(arguments: cases)
    func decodesToneAt16kHzMono(_ testCase: Case) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path(testCase.file)
        try sox(
            ["-n", "-r", "\(testCase.rate)", "-c", "\(testCase.channels)"] + testCase.options
                + [path, "synth", "2", "sine", "1000", "gain", "-6"])
        let decoder = try AudioFileDecoder(path: path)
        #expect(decoder.info.sampleRate == testCase.rate)
        #expect(decoder.info.channels == testCase.channels)
        var blocks = 0
        var samples: [Int16] = []
        while let block = try decoder.nextBlock() {
            blocks += 1
            samples.append(contentsOf: block)
        }
        #expect(blocks > 1, "decoded in blocks, not whole")
        let seconds = Double(samples.count) / 16_000
        #expect(abs(seconds - 2) <= max(testCase.lengthTolerance, 0.001), "\(seconds) s")
        let middle = SignalMeasurement.doubles(samples)[8_000..<24_000]
        let frequency = SignalMeasurement.zeroCrossingFrequency(of: middle, rate: 16_000)
        #expect(abs(frequency - 1_000) < 1, "\(frequency) Hz")
        let level = SignalMeasurement.decibels(SignalMeasurement.amplitude(of: middle, frequency: 1_000, rate: 16_000))
        #expect(abs(level + 6) < 0.5, "level \(level) dB")
        #expect(decoder.clippedSamples == 0)
    }

    @Test func canonicalWAVDecodesToItsExactSamples() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let samples: [Int16] = (0..<10_000).map { Int16(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        let raw = directory.path("exact.raw")
        #expect(FileManager.default.createFile(atPath: raw, contents: samples.withUnsafeBytes { Data($0) }))
        try sox(["-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1", raw, directory.path("exact.wav")])
        #expect(try AudioFileDecoder(path: directory.path("exact.wav")).readAll() == samples)
    }

    @Test func longFileStreamsInBoundedBlocks() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("long.flac")
        try sox(["-n", "-r", "48000", "-c", "2", path, "synth", "60", "sine", "300", "gain", "-10"])
        let decoder = try AudioFileDecoder(path: path, blockFrames: 4_096)
        var total = 0
        var largest = 0
        while let block = try decoder.nextBlock() {
            total += block.count
            largest = max(largest, block.count)
        }
        #expect(total == 60 * 16_000)
        #expect(largest < 4_096, "each block is one read of the file, resampled")
    }

    @Test func missingFileIsStatus66() {
        #expect {
            try AudioFileDecoder(path: "/nonexistent/speech.flac")
        } throws: { error in
            let failure = error as? MybroError
            return failure?.status == .noInput && failure?.message.contains("No such file") == true
        }
    }

    @Test func garbageIsStatus65() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("garbage.wav")
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data((0..<4_000).map { UInt8(truncatingIfNeeded: $0 * 37) })))
        #expect {
            try AudioFileDecoder(path: path)
        } throws: { error in
            let failure = error as? MybroError
            return failure?.status == .dataError && failure?.message.contains("cannot decode") == true
        }
        #expect { try AudioFileDecoder(path: directory.url.path) } throws: { ($0 as? MybroError)?.status == .noInput }
    }
}
