import Foundation
import MybroAudio
import Testing

/// Quality of the rate conversion, measured on tones run through the same converter the
/// command uses (downmix, libsoxr, rounding to 16 bits).
@Suite struct ResamplerQualityTests {
    /// Converts a tone and returns the output as Doubles, without the filter's edges.
    func convertedTone(frequency: Double, inputRate: Int, channels: Int, amplitude: Float = 0.5) throws -> [Double] {
        let input = SignalMeasurement.sine(
            frequency: frequency, rate: inputRate, seconds: 1.5, amplitude: amplitude,
            channels: channels)
        let converter = try CanonicalConverter(inputRate: inputRate, channels: channels, outputRate: 16_000)
        var output: [Int16] = []
        // Uneven blocks, as a stream would deliver them.
        var offset = 0
        var block = 1_000
        while offset < input.count / channels {
            let frames = min(block, input.count / channels - offset)
            try input[(offset * channels)..<((offset + frames) * channels)].withUnsafeBufferPointer {
                try converter.process($0) { output.append(contentsOf: $0) }
            }
            offset += frames
            block = block * 7 % 3_001 + 17
        }
        try converter.finish { output.append(contentsOf: $0) }
        #expect(abs(output.count - 24_000) <= 1, "1.5 s at 16 kHz")
        return SignalMeasurement.doubles(output)
    }

    /// The steady middle of the output: one second, away from the filter's start and end.
    func middle(_ samples: [Double]) -> ArraySlice<Double> { samples[4_000..<20_000] }

    @Test func toneKeepsItsFrequencyFrom48kHzStereo() throws {
        let output = middle(try convertedTone(frequency: 1_000, inputRate: 48_000, channels: 2))
        let peak = SignalMeasurement.peakFrequency(
            of: output, rate: 16_000, candidates: stride(from: 900, through: 1_100, by: 1))
        #expect(peak == 1_000)
        let crossing = SignalMeasurement.zeroCrossingFrequency(of: output, rate: 16_000)
        #expect(abs(crossing - 1_000) < 0.5, "zero crossings give \(crossing) Hz")
        // Everything but the tone (distortion, aliases, noise) stays far below it.
        let amplitude = SignalMeasurement.amplitude(of: output, frequency: 1_000, rate: 16_000)
        #expect(abs(SignalMeasurement.decibels(amplitude / 0.5)) < 0.05, "level \(amplitude)")
        let tonePower = amplitude * amplitude / 2
        let total = SignalMeasurement.rms(output)
        let residualPower = max(total * total - tonePower, 1e-20)
        let noiseAndDistortion = 10 * log10(residualPower / tonePower)
        #expect(noiseAndDistortion < -80, "noise and distortion at \(noiseAndDistortion) dB")
    }

    @Test(arguments: [100.0, 440, 1_000, 2_500, 4_000, 6_000, 7_000])
    func passbandIsFlat(frequency: Double) throws {
        for rate in [44_100, 48_000, 22_050, 8_000] where frequency < Double(rate) / 2 * 0.9 {
            let output = middle(try convertedTone(frequency: frequency, inputRate: rate, channels: 1))
            let gain = SignalMeasurement.decibels(
                SignalMeasurement.amplitude(of: output, frequency: frequency, rate: 16_000) / 0.5)
            #expect(abs(gain) < 0.1, "\(frequency) Hz from \(rate) Hz: gain \(gain) dB")
        }
    }

    /// Tones above the output's Nyquist frequency (8 kHz) must vanish, not fold back.
    @Test(arguments: [8_600.0, 11_000, 15_000, 21_000])
    func noAliasing(frequency: Double) throws {
        let output = middle(try convertedTone(frequency: frequency, inputRate: 48_000, channels: 2))
        let inputRMS = 0.5 / 2.0.squareRoot()
        let attenuation = SignalMeasurement.decibels(SignalMeasurement.rms(output) / inputRMS)
        #expect(attenuation < -60, "\(frequency) Hz at 48 kHz comes out at \(attenuation) dB")
        // And specifically not at the alias frequency.
        let alias = abs(16_000 * (frequency / 16_000).rounded() - frequency)
        let aliasLevel = SignalMeasurement.decibels(
            SignalMeasurement.amplitude(of: output, frequency: alias, rate: 16_000) / 0.5)
        #expect(aliasLevel < -80, "alias at \(alias) Hz: \(aliasLevel) dB")
    }

    @Test func canonicalInputPassesThroughUnchanged() throws {
        let input: [Int16] = (0..<5_000).map { Int16(truncatingIfNeeded: $0 &* 7919) }
        let converter = try CanonicalConverter(inputRate: 16_000, channels: 1, outputRate: 16_000)
        var output: [Int16] = []
        try input.withUnsafeBufferPointer { try converter.process($0) { output.append(contentsOf: $0) } }
        try converter.finish { output.append(contentsOf: $0) }
        #expect(output == input)
    }

    @Test func stereoIsAveragedAndLoudInputClipped() throws {
        let converter = try CanonicalConverter(inputRate: 16_000, channels: 2, outputRate: 16_000)
        var output: [Int16] = []
        let frames: [Float] = [0.5, -0.5, 0.25, 0.25, 2, 2, -2, -2]
        try frames.withUnsafeBufferPointer { try converter.process($0) { output.append(contentsOf: $0) } }
        #expect(output == [0, 8_192, 32_767, -32_768])
        #expect(converter.clippedSamples == 2)
    }
}

/// The resampler alone, in Float, where 16-bit rounding does not hide what it lets through.
@Suite struct SoxrFloatResamplerTests {
    func resample(_ input: [Float], from inputRate: Int) throws -> [Double] {
        let resampler = try SoxrFloatResampler(inputRate: Double(inputRate), outputRate: 16_000)
        var output: [Double] = []
        try input.withUnsafeBufferPointer {
            try resampler.process($0) { output.append(contentsOf: $0.map(Double.init)) }
        }
        try resampler.finish { output.append(contentsOf: $0.map(Double.init)) }
        return output
    }

    @Test(arguments: [11_000.0, 8_800, 23_000])
    func stopbandIsDeep(frequency: Double) throws {
        let output = try resample(SignalMeasurement.sine(frequency: frequency, rate: 48_000, seconds: 1), from: 48_000)
        #expect(abs(output.count - 16_000) <= 1)
        let attenuation = SignalMeasurement.decibels(
            SignalMeasurement.rms(output[2_000..<14_000]) / (0.5 / 2.0.squareRoot()))
        #expect(attenuation < -100, "\(frequency) Hz: \(attenuation) dB")
    }

    @Test func passbandRippleIsTiny() throws {
        var gains: [Double] = []
        for frequency in stride(from: 50.0, through: 7_000, by: 350) {
            let output = try resample(
                SignalMeasurement.sine(frequency: frequency, rate: 48_000, seconds: 1), from: 48_000)
            gains.append(
                SignalMeasurement.decibels(
                    SignalMeasurement.amplitude(of: output[2_000..<14_000], frequency: frequency, rate: 16_000) / 0.5))
        }
        let ripple = try #require(gains.max()) - (try #require(gains.min()))
        #expect(ripple < 0.02, "passband ripple \(ripple) dB over 50–7000 Hz: \(gains)")
    }
}
