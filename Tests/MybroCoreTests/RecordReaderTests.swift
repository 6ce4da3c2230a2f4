import Foundation
import MybroTestSupport
import Testing

@testable import MybroCore

/// Feeds `text` through a pipe into a RecordReader and collects what it yields.
private func read(_ text: String, acceptsText: Bool = false, strict: Bool = false, maximumLineBytes: Int = 1 << 20)
    throws -> [RecordReader.Input]
{
    let pipe = Pipe()
    defer { withExtendedLifetime(pipe) {} }
    let writer = Thread {
        try? pipe.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try? pipe.fileHandleForWriting.close()
    }
    writer.start()
    let reader = RecordReader(
        fd: pipe.fileHandleForReading.fileDescriptor, acceptsText: acceptsText, strict: strict,
        maximumLineBytes: maximumLineBytes)
    var inputs: [RecordReader.Input] = []
    while let input = try reader.next() { inputs.append(input) }
    return inputs
}

private func types(_ inputs: [RecordReader.Input]) -> [String] {
    inputs.map {
        switch $0 {
        case .record(let record): return record.type
        case .text(let text): return "text:" + text
        }
    }
}

@Suite struct RecordReaderTests {
    @Test func skipsMalformedLinesAndKeepsValidOnesInOrder() throws {
        let input = """
            {"type":"a","n":1}
            {not json
            {"no_type":true}
            [1,2]
            {"type":""}

            {"type":"b"}
            {"type":"c"}
            """
        #expect(types(try read(input)) == ["a", "b", "c"])
    }

    @Test func strictStopsAtTheFirstBadLineWithStatus65() throws {
        do {
            _ = try read("{\"type\":\"a\"}\n{bad\n{\"type\":\"b\"}\n", strict: true)
            Issue.record("expected an error")
        } catch let error as MybroError {
            #expect(error.status == .dataError)
            #expect(error.message.contains("line 2"))
        }
    }

    @Test func forwardsTheOriginalLineUnchanged() throws {
        let line = #"{ "type" : "custom", "z": 1.50, "a": [1, {"b": null}] }"#
        let inputs = try read(line + "\n")
        guard case .record(let record) = try #require(inputs.first) else { Issue.record("not a record"); return }
        #expect(record.serialized() == line)
    }

    @Test func acceptsPlainTextWhereTheCommandTakesIt() throws {
        #expect(
            types(try read("hello there\n{\"type\":\"say\"}\r\nbye", acceptsText: true)) == [
                "text:hello there", "say", "text:bye",
            ])
        #expect(types(try read("hello there\n{\"type\":\"say\"}\n")) == ["say"])
    }

    @Test func rejectsInvalidUTF8() throws {
        var bytes = Array("{\"type\":\"a\"}\n".utf8)
        bytes += [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D, 0x0A]
        bytes += Array("{\"type\":\"b\"}\n".utf8)
        let pipe = Pipe()
        try pipe.fileHandleForWriting.write(contentsOf: Data(bytes))
        try pipe.fileHandleForWriting.close()
        let reader = RecordReader(fd: pipe.fileHandleForReading.fileDescriptor, acceptsText: false, strict: false)
        var seen: [String] = []
        while let input = try reader.next() {
            if case .record(let record) = input { seen.append(record.type) }
        }
        #expect(seen == ["a", "b"])
    }

    @Test func skipsOverlongLinesWithoutBufferingThem() throws {
        let long = "{\"type\":\"big\",\"x\":\"" + String(repeating: "y", count: 300_000) + "\"}"
        let inputs = try read("{\"type\":\"a\"}\n" + long + "\n{\"type\":\"b\"}\n", maximumLineBytes: 100_000)
        #expect(types(inputs) == ["a", "b"])
    }

    /// A line that arrives in many reads (here 4 MB in 64 KB reads, with newlines right at the
    /// edges of reads) comes out whole and in order with the lines around it.
    @Test func aLongLineAcrossManyReadsComesOutWhole() throws {
        let long = "{\"type\":\"big\",\"x\":\"" + String(repeating: "y", count: 4 << 20) + "\"}"
        let edge = String(repeating: "z", count: (1 << 16) - 15)
        let inputs = try read(
            "{\"type\":\"a\"}\n" + long + "\n{\"type\":\"b\",\"e\":\"\(edge)\"}\n{\"type\":\"c\"}",
            maximumLineBytes: 8 << 20)
        #expect(types(inputs) == ["a", "big", "b", "c"])
    }
}

@Suite struct BinaryInputCheckTests {
    @Test func textAndJSONLinesAreText() {
        #expect(BinaryInputCheck.describe(Array(#"{"type":"transcript","text":"hi"}"#.utf8 + [0x0A])) == nil)
        #expect(BinaryInputCheck.describe(Array("naïve café — ünïcödé\tok\r\n".utf8)) == nil)
        // A multi-byte character cut off by the end of the sample.
        #expect(BinaryInputCheck.describe(Array("hello é".utf8).dropLast()) == nil)
        #expect(BinaryInputCheck.describe([UInt8]()) == nil)
    }

    @Test func audioAndBinaryAreNot() {
        let wav = Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WAVEfmt ".utf8)
        #expect(BinaryInputCheck.describe(wav) == "audio (a WAV file)")
        #expect(BinaryInputCheck.describe(Array("fLaC".utf8) + [0, 0, 0, 0x22]) == "audio (a FLAC file)")
        // Loud raw PCM without a single zero byte is still far from UTF-8 text.
        let pcm = (0..<2048).flatMap { index -> [UInt8] in
            let sample = Int16(20000 * sin(Double(index) / 3))
            return [UInt8(truncatingIfNeeded: sample) | 1, UInt8(truncatingIfNeeded: sample >> 8) | 1]
        }
        #expect(BinaryInputCheck.describe(pcm) != nil)
        #expect(BinaryInputCheck.describe([UInt8](repeating: 0, count: 64)) != nil)
    }
}
