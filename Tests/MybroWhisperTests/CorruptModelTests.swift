import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroWhisper

/// Flipped bytes in the weights (issue 10: 4 KB flipped in the middle of model.bin gave
/// "esaesaesa…" and no error) end with status 65 and the way out.
@Suite(.enabled(if: TestPaths.realModel != nil, "the tiny.en model is not installed: run scripts/setup-model.sh"))
struct CorruptModelTests {
    static let message = "model file is corrupt: run make setup-model"

    /// A copy of the installed model with CHECKSUMS as scripts/setup-model.sh records it,
    /// and, with `flip`, 4 KB of model.bin inverted in the middle.
    static func copyModel(to directory: String, checksums: Bool, flip: Bool) throws -> String {
        let source = try #require(TestPaths.realModel)
        let target = directory + "/whisper-tiny.en"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for file in ["model.bin", "config.json", "vocabulary.txt"] {
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: target + "/" + file)
        }
        if checksums {
            let result = try shell(
                shellQuoted(BuiltCommands.packageRoot + "/scripts/setup-model.sh") + " " + shellQuoted(target))
            try #require(result.status == 0, "setup-model.sh: \(result.stderr)")
        }
        if flip {
            let handle = try #require(FileHandle(forUpdatingAtPath: target + "/model.bin"))
            defer { try? handle.close() }
            let middle = try handle.seekToEnd() / 2
            try handle.seek(toOffset: middle)
            let block = try #require(try handle.read(upToCount: 4096))
            try handle.seek(toOffset: middle)
            try handle.write(contentsOf: Data(block.map { $0 ^ 0xFF }))
        }
        return target
    }

    static func speech(in directory: String) throws -> Data {
        let wav = directory + "/request.wav"
        try #require(try CommandRunner.speech("Run the tests and show me the diff.", path: wav), "espeak-ng is needed")
        let samples = try TranscribeEndToEndTests.pcm(ofWAV: wav)
        return samples.withUnsafeBytes { Data($0) }
    }

    @Test func setupRecordsTheChecksumsTheLoaderComputes() throws {
        try withTemporaryDirectory("mybro-corrupt") { directory in
            let model = try Self.copyModel(to: directory, checksums: true, flip: false)
            let entries = try #require(try ModelChecksums.entries(in: model))
            let bin = try #require(entries.first { $0.file == "model.bin" })
            let computed = try #require(ModelChecksums.crc32(path: model + "/model.bin"))
            #expect(bin.crc == computed.crc && bin.size == computed.size)
            try ModelChecksums.verify(directory: model)
        }
    }

    @Test func flippedWeightsFailTheChecksum() throws {
        try withTemporaryDirectory("mybro-corrupt") { directory in
            let model = try Self.copyModel(to: directory, checksums: true, flip: true)
            let result = try CommandRunner.run(
                "mybro-transcribe", ["--model", model, "--raw"], stdin: try Self.speech(in: directory),
                environment: ["XDG_CACHE_HOME": directory])
            #expect(result.status == 65, "\(result.stderr)")
            #expect(result.stderr.contains(Self.message), "\(result.stderr)")
            #expect(result.stderr.contains("CRC-32"), "\(result.stderr)")
            #expect(result.lines.isEmpty)
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func flippedWeightsWithoutChecksumsAreCaughtByTheirNaNs() throws {
        try withTemporaryDirectory("mybro-corrupt") { directory in
            let model = try Self.copyModel(to: directory, checksums: false, flip: true)
            let result = try CommandRunner.run(
                "mybro-transcribe", ["--model", model, "--raw", "--full-window"], stdin: try Self.speech(in: directory),
                environment: ["XDG_CACHE_HOME": directory])
            #expect(result.status == 65, "\(result.stderr)")
            #expect(result.stderr.contains(Self.message), "\(result.stderr)")
            #expect(result.lines.isEmpty)
        }
    }

    @Test func aPaddingCacheWithFlippedBytesIsComputedAgain() throws {
        try withTemporaryDirectory("mybro-corrupt") { directory in
            let model = try Self.copyModel(to: directory, checksums: true, flip: false)
            let speech = try Self.speech(in: directory)
            let environment = ["XDG_CACHE_HOME": directory + "/cache"]
            let first = try CommandRunner.run(
                "mybro-transcribe", ["--model", model, "--raw"], stdin: speech, environment: environment)
            #expect(first.status == 0, "\(first.stderr)")
            let caches = try FileManager.default.contentsOfDirectory(atPath: directory + "/cache/mybro")
            let cache = directory + "/cache/mybro/" + (try #require(caches.first { $0.hasPrefix("whisper-padding-") }))
            let pristine = try Data(contentsOf: URL(fileURLWithPath: cache))
            var flipped = [UInt8](pristine)
            for index in flipped.count / 2..<flipped.count / 2 + 4096 { flipped[index] ^= 0xFF }
            try Data(flipped).write(to: URL(fileURLWithPath: cache))
            let second = try CommandRunner.run(
                "mybro-transcribe", ["--model", model, "--raw", "-v"], stdin: speech, environment: environment)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.lines == first.lines)
            // rejected, computed again and written back whole
            #expect(try Data(contentsOf: URL(fileURLWithPath: cache)) == pristine)
        }
    }
}
