import Foundation
import MybroAudio
import MybroCore
import MybroTestSupport
import Testing

@Suite struct WAVStreamWriterTests {
    let samples: [Int16] = (0..<1_000).map { Int16($0 - 500) }

    func header(_ bytes: [UInt8]) -> (riff: UInt32, data: UInt32) {
        func word(_ at: Int) -> UInt32 { bytes[at..<at + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        return (word(4), word(40))
    }

    @Test func regularFileGetsItsRealSizes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("out.wav")
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        let writer = try WAVStreamWriter(sink: OutputSink(fd: fd), sampleRate: 16_000)
        try samples.withUnsafeBufferPointer { try writer.write($0) }
        try writer.finish()
        close(fd)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count == 44 + 2_000)
        #expect(header(bytes) == (2_036, 2_000))
        // mybro's own stream reader takes it back.
        let reader = AudioInputStream(fd: open(path, O_RDONLY), strict: true)
        defer { close(reader.fd) }
        #expect(try reader.readAll() == samples)
        #expect(reader.isWAV)
    }

    @Test func pipeKeepsTheStreamingSizes() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let writer = try WAVStreamWriter(sink: OutputSink(fd: ends[1]), sampleRate: 16_000)
        try samples.withUnsafeBufferPointer { try writer.write($0) }
        try writer.finish()
        close(ends[1])
        let reader = AudioInputStream(fd: ends[0], strict: true)
        defer { close(ends[0]) }
        #expect(try reader.readAll() == samples)

        var again: [Int32] = [0, 0]
        #expect(pipe(&again) == 0)
        _ = try WAVStreamWriter(sink: OutputSink(fd: again[1]), sampleRate: 16_000)
        close(again[1])
        var head = [UInt8](repeating: 0, count: 64)
        let n = read(again[0], &head, 64)
        close(again[0])
        #expect(n == 44)
        #expect(header(head) == (0xFFFF_FFFF, 0xFFFF_FFFF))
    }
}
