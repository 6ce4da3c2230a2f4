import CSndFile
import Foundation
import MybroAudio
import MybroTestSupport
import Testing

/// Ogg Opus, written with libsndfile itself (sox cannot write Opus), decoded back.
@Suite struct OpusDecodingTests {
    @Test func opusToneDecodesAt16kHz() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("tone.opus")
        var info = SF_INFO()
        info.samplerate = 48_000
        info.channels = 2
        info.format = Int32(SF_FORMAT_OGG | SF_FORMAT_OPUS)
        let file = try #require(sf_open(path, Int32(SFM_WRITE), &info), "libsndfile writes Opus")
        var tone = SignalMeasurement.sine(frequency: 1_000, rate: 48_000, seconds: 2, channels: 2)
        let written = tone.withUnsafeMutableBufferPointer { sf_writef_float(file, $0.baseAddress, 96_000) }
        sf_close(file)
        #expect(written == 96_000)

        let decoder = try AudioFileDecoder(path: path)
        #expect(decoder.info.format.contains("OPUS") || decoder.info.format.contains("Opus"), "\(decoder.info.format)")
        let samples = try decoder.readAll()
        #expect(abs(samples.count - 32_000) <= 400, "\(samples.count) samples")
        let middle = SignalMeasurement.doubles(samples)[8_000..<24_000]
        #expect(abs(SignalMeasurement.zeroCrossingFrequency(of: middle, rate: 16_000) - 1_000) < 1)
        let level = SignalMeasurement.amplitude(of: middle, frequency: 1_000, rate: 16_000)
        #expect(abs(SignalMeasurement.decibels(level / 0.5)) < 1, "a lossy codec keeps the level: \(level)")
    }
}
