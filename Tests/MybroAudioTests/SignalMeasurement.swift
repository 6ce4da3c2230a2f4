import Foundation

/// Synthetic signals and the measurements the audio tests make on them.
enum SignalMeasurement {
    /// Interleaved Float frames of a sine on every channel.
    static func sine(frequency: Double, rate: Int, seconds: Double, amplitude: Float = 0.5, channels: Int = 1)
        -> [Float]
    {
        let frames = Int(seconds * Double(rate))
        var samples = [Float](repeating: 0, count: frames * channels)
        for frame in 0..<frames {
            let value = amplitude * Float(sin(2 * Double.pi * frequency * Double(frame) / Double(rate)))
            for channel in 0..<channels { samples[frame * channels + channel] = value }
        }
        return samples
    }

    /// The amplitude of the component at `frequency` (a single-bin DFT, least squares).
    static func amplitude(of samples: ArraySlice<Double>, frequency: Double, rate: Int) -> Double {
        var cosine = 0.0
        var sine = 0.0
        let step = 2 * Double.pi * frequency / Double(rate)
        for (offset, value) in samples.enumerated() {
            cosine += value * cos(step * Double(offset))
            sine += value * sin(step * Double(offset))
        }
        return 2 * (cosine * cosine + sine * sine).squareRoot() / Double(samples.count)
    }

    static func rms(_ samples: ArraySlice<Double>) -> Double {
        (samples.reduce(0) { $0 + $1 * $1 } / Double(max(samples.count, 1))).squareRoot()
    }

    /// The frequency with the strongest DFT bin among `candidates`.
    static func peakFrequency(of samples: ArraySlice<Double>, rate: Int, candidates: StrideThrough<Double>) -> Double {
        candidates.max {
            amplitude(of: samples, frequency: $0, rate: rate) < amplitude(of: samples, frequency: $1, rate: rate)
        }!
    }

    /// The frequency from the mean period between upward zero crossings (interpolated).
    static func zeroCrossingFrequency(of samples: ArraySlice<Double>, rate: Int) -> Double {
        var crossings: [Double] = []
        let values = Array(samples)
        for index in 1..<values.count where values[index - 1] < 0 && values[index] >= 0 {
            let fraction = -values[index - 1] / (values[index] - values[index - 1])
            crossings.append(Double(index - 1) + fraction)
        }
        guard crossings.count > 2 else { return 0 }
        let periods = Double(crossings.count - 1)
        return Double(rate) * periods / (crossings.last! - crossings.first!)
    }

    static func decibels(_ ratio: Double) -> Double { 20 * log10(ratio) }

    static func doubles(_ samples: [Int16]) -> [Double] { samples.map { Double($0) / 32768 } }
}
