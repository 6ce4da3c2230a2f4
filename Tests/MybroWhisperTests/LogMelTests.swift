import Foundation
import Testing

@testable import MybroWhisper

@Suite struct LogMelTests {
    /// Reference: faster-whisper 1.2.1 `FeatureExtractor()(audio)` on the committed input,
    /// computed once by Tests/Fixtures/whisper/make_mel_fixture.py.
    @Test func matchesFasterWhispersFeatureExtractor() throws {
        let input = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixtures + "/mel-input.s16"))
        let expectedData = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixtures + "/mel-expected.f32"))
        let samples = input.withUnsafeBytes { bytes in
            (0..<input.count / 2).map {
                Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self))) / 32768
            }
        }
        let expected = expectedData.withUnsafeBytes { bytes in
            (0..<expectedData.count / 4).map {
                Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
        let mel = LogMelSpectrogram(bins: 80)
        let (features, frames) = samples.withUnsafeBufferPointer { mel.compute($0) }
        #expect(frames == samples.count / 160 + 1)
        #expect(features.count == expected.count)
        var worst: Float = 0
        var total: Float = 0
        for (ours, reference) in zip(features, expected) {
            worst = max(worst, abs(ours - reference))
            total += abs(ours - reference)
        }
        // float32 FFT and mel product against numpy's: values are O(1) after (x+4)/4.
        #expect(worst < 2e-4, "largest difference \(worst)")
        #expect(total / Float(expected.count) < 2e-5, "mean difference \(total / Float(expected.count))")
    }

    @Test func windowsOfTheSignalGiveTheWholeSignalsFrames() throws {
        let signal = DecodingTests.noise(seconds: 2.3, seed: 17)
        let mel = LogMelSpectrogram(bins: 80)
        let total = LogMelSpectrogram.frameCount(forSignal: signal.count)
        let whole = signal.withUnsafeBufferPointer {
            mel.logFrames(first: 0, count: total, signalLength: signal.count, window: $0, windowStart: 0)
        }
        for (first, count, known) in [(50, 60, true), (0, 30, false), (total - 40, 40, true)] {
            let from = max(0, first * 160 - 200), to = min(signal.count, (first + count) * 160 + 200)
            let part = Array(signal[from..<to]).withUnsafeBufferPointer {
                mel.logFrames(
                    first: first, count: count, signalLength: known ? signal.count : nil, window: $0,
                    windowStart: from)
            }
            // equal up to the mel product's rounding (BLAS blocks a different width differently)
            for bin in 0..<80 {
                let a = part[(bin * count)..<((bin + 1) * count)]
                let b = whole[(bin * total + first)..<(bin * total + first + count)]
                #expect(zip(a, b).allSatisfy { abs($0 - $1) < 2e-6 }, "frames \(first)+\(count), bin \(bin)")
            }
        }
        var source = MemorySampleSource(signal)
        let maximum = try mel.maximum(of: &source)
        #expect(abs(maximum - (try #require(whole.max()))) < 2e-6)
    }

    @Test func silenceIsFlatAndShortInputWorks() {
        let mel = LogMelSpectrogram(bins: 80)
        let silence = [Float](repeating: 0, count: 1600)
        let (features, frames) = silence.withUnsafeBufferPointer { mel.compute($0) }
        #expect(frames == 11)
        #expect(features.allSatisfy { $0 == features[0] })
        let tiny: [Float] = [0.5, -0.5, 0.25]
        let (few, count) = tiny.withUnsafeBufferPointer { mel.compute($0) }
        #expect(count == 1)
        #expect(few.allSatisfy { $0.isFinite })
    }

    @Test func melFiltersHaveSlaneyAreaNormalisation() {
        let filters = MelFilterBank.make(bins: 80, fftSize: 400, sampleRate: 16000)
        #expect(filters.count == 80 * 201)
        // every band has some weight and none is negative
        for band in 0..<80 {
            let row = filters[band * 201..<(band + 1) * 201]
            #expect(row.contains { $0 > 0 })
            #expect(row.allSatisfy { $0 >= 0 })
        }
    }
}
