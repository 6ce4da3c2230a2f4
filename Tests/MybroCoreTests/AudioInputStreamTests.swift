import Foundation
import Testing

@testable import MybroCore

/// Keeps each test's pipes open for the life of the test process (a Pipe closes its
/// descriptors when released, and the stream only holds the descriptor number).
nonisolated(unsafe) private var openPipes: [Pipe] = []
private let openPipesLock = NSLock()

private func stream(_ bytes: [UInt8], strict: Bool = false) throws -> AudioInputStream {
    let pipe = Pipe()
    openPipesLock.withLock { openPipes.append(pipe) }
    let writer = Thread {
        try? pipe.fileHandleForWriting.write(contentsOf: Data(bytes))
        try? pipe.fileHandleForWriting.close()
    }
    writer.start()
    return AudioInputStream(fd: pipe.fileHandleForReading.fileDescriptor, strict: strict)
}

private func pcm(_ samples: [Int16]) -> [UInt8] {
    samples.withUnsafeBytes { Array($0) }
}

@Suite struct AudioInputStreamTests {
    let samples: [Int16] = (0..<4000).map { Int16(truncatingIfNeeded: $0 * 37) }

    @Test func readsRawPCM() throws {
        let input = try stream(pcm(samples))
        #expect(try input.readAll() == samples)
        #expect(!input.isWAV)
    }

    @Test func readsAStreamingWAVAndSkipsExtraChunks() throws {
        var header = WAVHeader.make(sampleRate: 16_000, channels: 1, dataBytes: nil)
        // Put a LIST chunk between fmt and data, as many writers do.
        let list: [UInt8] = Array("LIST".utf8) + [5, 0, 0, 0] + Array("INFOx".utf8) + [0]
        header.insert(contentsOf: list, at: 36)
        let input = try stream(header + pcm(samples))
        #expect(try input.readAll() == samples)
        #expect(input.isWAV)
    }

    @Test func stopsAtTheEndOfASizedDataChunk() throws {
        let header = WAVHeader.make(sampleRate: 16_000, channels: 1, dataBytes: 200)
        let input = try stream(header + pcm(samples) + Array("trailing chunk".utf8))
        #expect(try input.readAll() == Array(samples.prefix(100)))
    }

    @Test(arguments: [(44_100, 1), (16_000, 2), (8_000, 1)])
    func refusesOtherWAVFormatsNamingTheConverter(rate: Int, channels: Int) throws {
        let header = WAVHeader.make(sampleRate: rate, channels: channels, dataBytes: nil)
        let input = try stream(header + pcm(samples))
        do {
            _ = try input.readAll()
            Issue.record("expected a refusal")
        } catch let error as MybroError {
            #expect(error.status == .dataError)
            #expect(error.message.contains("mybro-capture"))
            #expect(error.message.contains("\(rate) Hz"))
        }
    }

    @Test(arguments: ["fLaC\u{0}\u{0}\u{0}\"", "OggS\u{0}\u{2}xxxxxx", "ID3\u{3}\u{0}xxxxxx", "{\"type\":\"say\"}"])
    func refusesContainersAndRecords(head: String) throws {
        let input = try stream(Array(head.utf8) + pcm(samples))
        #expect(throws: MybroError.self) { _ = try input.readAll() }
    }

    @Test func dropsAnOddTrailingByteOrFailsWhenStrict() throws {
        let bytes = pcm(Array(samples.prefix(10))) + [0x42]
        #expect(try stream(bytes).readAll() == Array(samples.prefix(10)))
        #expect(throws: MybroError.self) { _ = try stream(bytes, strict: true).readAll() }
    }
}
