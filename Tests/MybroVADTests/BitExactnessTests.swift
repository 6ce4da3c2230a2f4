import Foundation
import MybroVAD
import Testing

/// The Swift detector must make the C library's decision on every frame: every mode × frame
/// length × rate, on speech, noise, tones, silence, clipping, DC and random samples.
@Suite("Bit-exact against WebRTC's C VAD")
struct BitExactnessTests {
    static let rates = [8000, 16000, 32000, 48000]

    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case speech, speechInNoise, noise, tonesAndSweep, silenceAndDither, clipping, dcOffset, randomFrames
        var testDescription: String { rawValue }
    }

    /// The signal of one kind at one rate. Kinds chain several conditions so the models'
    /// adaptation across transitions is compared too.
    static func signal(_ kind: Kind, rate: Int) throws -> [Int16] {
        typealias S = TestSignals
        switch kind {
        case .speech:
            return try S.speech(rate: rate)
        case .speechInNoise:
            let speech = try S.speech(rate: rate)
            let level = S.rms(speech)
            var out: [Int16] = []
            for (index, (colour, snr)) in [(S.NoiseColour.white, 20.0), (.pink, 10.0), (.brown, 5.0), (.white, 0.0)]
                .enumerated()
            {
                let noise = S.noise(
                    colour, rms: level / pow(10, snr / 20), seconds: Double(speech.count) / Double(rate),
                    rate: rate, seed: UInt64(index + 1))
                out += S.mix(speech, noise)
            }
            return out
        case .noise:
            var out: [Int16] = []
            for (index, colour) in S.NoiseColour.allCases.enumerated() {
                for rms in [30.0, 300.0, 3000.0, 12000.0] {
                    out += S.noise(colour, rms: rms, seconds: 0.6, rate: rate, seed: UInt64(10 + index))
                }
            }
            return out
        case .tonesAndSweep:
            var out: [Int16] = []
            for frequency in [100.0, 440.0, 1000.0, 2500.0, 3700.0] {
                out += S.tone(frequency: frequency, amplitude: 8000, seconds: 0.5, rate: rate)
            }
            out += S.sweep(amplitude: 20000, seconds: 2, rate: rate)
            return out
        case .silenceAndDither:
            var random = S.Random(seed: 7)
            let dither = (0..<rate).map { _ in Int16(Int(random.next() % 3) - 1) }
            return S.silence(seconds: 1, rate: rate) + dither + S.silence(seconds: 0.5, rate: rate)
                + [Int16](repeating: 1, count: rate / 2)
        case .clipping:
            let speech = try S.speech(rate: rate)
            let loud = Array(speech.prefix(rate * 3))
            return S.clipped(loud, gain: 30) + [Int16](repeating: 32767, count: rate / 4)
                + [Int16](repeating: -32768, count: rate / 4)
                + (0..<rate).map { ($0 / 7) % 2 == 0 ? 32767 : -32768 }
        case .dcOffset:
            let speech = Array(try S.speech(rate: rate).prefix(rate * 3))
            return S.withDC(speech, offset: 5000) + S.withDC(S.silence(seconds: 1, rate: rate), offset: -12000)
                + S.withDC(speech, offset: -20000)
        case .randomFrames:
            return S.randomSamples(seconds: 3, rate: rate, seed: 99)
        }
    }

    @Test("identical decisions", arguments: Kind.allCases, rates)
    func identicalDecisions(kind: Kind, rate: Int) throws {
        let samples = try BitExactnessTests.signal(kind, rate: rate)
        for mode in VADMode.allCases {
            for milliseconds in VoiceActivityDetector.supportedFrameDurations {
                let mismatch = try firstMismatch(samples, rate: rate, mode: mode, milliseconds: milliseconds)
                #expect(
                    mismatch == nil, "\(kind) \(rate) Hz mode \(mode.rawValue) \(milliseconds) ms: \(mismatch ?? "")")
            }
        }
    }

    /// Compares the two detectors frame by frame; describes the first difference.
    func firstMismatch(_ samples: [Int16], rate: Int, mode: VADMode, milliseconds: Int) throws -> String? {
        let length = rate / 1000 * milliseconds
        let swift = try VoiceActivityDetector(sampleRate: rate, mode: mode)
        let reference = ReferenceVAD(mode: mode.rawValue)
        var speechFrames = 0
        return try samples.withUnsafeBufferPointer { all -> String? in
            var frame = 0
            while (frame + 1) * length <= all.count {
                let slice = UnsafeBufferPointer(rebasing: all[(frame * length)..<((frame + 1) * length)])
                let expected = reference.process(slice, sampleRate: rate)
                let actual = try swift.isSpeech(slice)
                if expected != (actual ? 1 : 0) {
                    return "frame \(frame): C says \(expected), Swift says \(actual)"
                }
                speechFrames += actual ? 1 : 0
                frame += 1
            }
            return nil
        }
    }
}

/// Behaviour around the frame loop: changing frame lengths and modes mid-stream, reset,
/// and which frames are refused, all as the C library does.
@Suite("Detector API against the C library")
struct DetectorAPITests {
    @Test(arguments: BitExactnessTests.rates)
    func mixedFrameLengthsAndModeChangesMidStream(rate: Int) throws {
        var samples = try TestSignals.speech(rate: rate)
        samples = TestSignals.mix(samples, TestSignals.noise(.pink, rms: 500, seconds: 3, rate: rate, seed: 42))
        var random = TestSignals.Random(seed: UInt64(rate))
        let swift = try VoiceActivityDetector(sampleRate: rate, mode: .quality)
        let reference = ReferenceVAD(mode: 0)
        var position = 0
        var frame = 0
        try samples.withUnsafeBufferPointer { all in
            while true {
                let length = rate / 1000 * [10, 20, 30][Int(random.next() % 3)]
                guard position + length <= all.count else { break }
                if random.next() % 50 == 0 {
                    let mode = VADMode.allCases[Int(random.next() % 4)]
                    swift.mode = mode
                    #expect(reference.setMode(mode.rawValue) == 0)
                }
                if random.next() % 400 == 0 {
                    swift.reset()
                    reference.reset(mode: swift.mode.rawValue)
                }
                let slice = UnsafeBufferPointer(rebasing: all[position..<(position + length)])
                let expected = reference.process(slice, sampleRate: rate)
                let actual = try swift.isSpeech(slice)
                #expect(expected == (actual ? 1 : 0), "frame \(frame) at sample \(position)")
                if expected != (actual ? 1 : 0) { return }
                position += length
                frame += 1
            }
        }
    }

    @Test func refusesWhatTheCLibraryRefuses() throws {
        for rate in [8000, 11025, 16000, 22050, 32000, 44100, 48000] {
            for length in [0, 40, 80, 120, 160, 240, 320, 441, 480, 640, 960, 1440, 2880] {
                let valid = VoiceActivityDetector.isValid(sampleRate: rate, frameLength: length)
                #expect(valid == ReferenceVAD.isValid(sampleRate: rate, frameLength: length), "\(rate) Hz, \(length)")
                guard let detector = try? VoiceActivityDetector(sampleRate: rate) else {
                    #expect(!VoiceActivityDetector.supportedSampleRates.contains(rate))
                    continue
                }
                let frame = [Int16](repeating: 0, count: length)
                if valid {
                    #expect(try detector.isSpeech(frame) == false)
                } else {
                    #expect(throws: VADError.invalidFrameLength(length, sampleRate: rate)) {
                        try detector.isSpeech(frame)
                    }
                }
            }
        }
        #expect(throws: VADError.unsupportedSampleRate(44100)) { try VoiceActivityDetector(sampleRate: 44100) }
    }
}
