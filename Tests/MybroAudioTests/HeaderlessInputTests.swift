import Testing

@testable import MybroAudio

@Suite struct HeaderlessInputTests {
    @Test func recognisesTextContainersAndPCM() {
        #expect(HeaderlessInput.classify(Array("{\"type\":\"say\"}\n".utf8)) == .text)
        #expect(HeaderlessInput.classify(Array("hello world".utf8)) == .text)
        #expect(HeaderlessInput.classify(Array("fLaC\u{0}\u{0}".utf8)) == .damagedContainer("FLAC"))
        #expect(HeaderlessInput.classify(Array("RIFF....WAVE".utf8)) == .damagedContainer("WAV"))
        #expect(HeaderlessInput.classify([0, 0, 0xFF, 0xFF, 0x10, 0x00]) == .rawPCM, "silence and small samples")
        #expect(HeaderlessInput.classify([0x41, 0x0A, 0x00, 0x80]) == .rawPCM, "a zero byte is not text")
    }
}
