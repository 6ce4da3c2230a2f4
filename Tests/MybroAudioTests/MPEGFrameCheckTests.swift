import Foundation
import MybroTestSupport
import Testing

@testable import MybroAudio

@Suite struct MPEGFrameCheckTests {
    @Test func realMP3sPassAndLookalikesDoNot() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (rate, channels) in [(44_100, 2), (22_050, 1), (8_000, 1)] {
            let path = directory.path("tone\(rate).mp3")
            try sox(["-n", "-r", "\(rate)", "-c", "\(channels)", path, "synth", "1", "sine", "440", "gain", "-6"])
            var head = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(4096))
            #expect(MPEGFrameCheck.startsLikeMPEG(head), "\(rate) Hz")
            if head.starts(with: Array("ID3".utf8)) {
                // Without its tag, the frames alone must still be recognised.
                let size = Int(head[6]) << 21 | Int(head[7]) << 14 | Int(head[8]) << 7 | Int(head[9])
                head = Array(head.dropFirst(10 + size))
                #expect(MPEGFrameCheck.startsLikeMPEG(head), "\(rate) Hz without ID3")
            }
        }
        let lookalike = [UInt8](
            try Data(
                contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                    .appendingPathComponent("../Fixtures/capture/pcm-mistaken-for-mp3.raw")))
        #expect(lookalike.starts(with: [0xFF, 0xFF]))
        #expect(!MPEGFrameCheck.startsLikeMPEG(lookalike))
        #expect(
            !MPEGFrameCheck.startsLikeMPEG([0xFF, 0xFB, 0x90, 0x00] + [UInt8](repeating: 0, count: 2_000)),
            "one valid header and no second frame")
    }

    @Test func headerArithmetic() {
        // MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding: 144 * 128000 / 44100 = 417 bytes.
        #expect(MPEGFrameCheck.header(in: [0xFF, 0xFB, 0x90, 0x00], at: 0)?.length == 417)
        // The same with padding: 418.
        #expect(MPEGFrameCheck.header(in: [0xFF, 0xFB, 0x92, 0x00], at: 0)?.length == 418)
        // MPEG-2 layer III, 64 kbit/s, 22.05 kHz: 72 * 64000 / 22050 = 208.
        #expect(MPEGFrameCheck.header(in: [0xFF, 0xF3, 0x80, 0x00], at: 0)?.length == 208)
        #expect(MPEGFrameCheck.header(in: [0xFF, 0xFF, 0x00, 0x00], at: 0) == nil, "free format is refused")
        #expect(MPEGFrameCheck.header(in: [0xFF, 0xFB, 0xF0, 0x00], at: 0) == nil, "bit-rate index 15 is invalid")
    }
}
