import Foundation

/// Slaney-style mel filters (librosa `mel(htk=False, norm="slaney")`), the bank Whisper's
/// `mel_filters.npz` holds and faster-whisper recomputes: triangles on the Slaney mel scale
/// (linear below 1 kHz, logarithmic above), each scaled to unit area (2 / bandwidth).
enum MelFilterBank {
    /// `[bins × (fftSize/2 + 1)]`, row-major.
    static func make(bins: Int, fftSize: Int, sampleRate: Int) -> [Float] {
        let frequencies = (0...fftSize / 2).map { Double($0) * Double(sampleRate) / Double(fftSize) }
        let linearStep = 200.0 / 3
        let logStart = 1000.0
        let logStartMel = logStart / linearStep
        let logStep = log(6.4) / 27
        func hertz(mel: Double) -> Double {
            mel >= logStartMel ? logStart * exp(logStep * (mel - logStartMel)) : linearStep * mel
        }
        func mel(hertz: Double) -> Double {
            hertz >= logStart ? logStartMel + log(hertz / logStart) / logStep : hertz / linearStep
        }
        let maximumMel = mel(hertz: Double(sampleRate) / 2)
        let edges = (0..<(bins + 2)).map { hertz(mel: maximumMel * Double($0) / Double(bins + 1)) }
        var filters = [Float](repeating: 0, count: bins * frequencies.count)
        for bin in 0..<bins {
            let lower = edges[bin], centre = edges[bin + 1], upper = edges[bin + 2]
            let norm = 2 / (upper - lower)
            for (index, frequency) in frequencies.enumerated() {
                let rising = (frequency - lower) / (centre - lower)
                let falling = (upper - frequency) / (upper - centre)
                filters[bin * frequencies.count + index] = Float(max(0, min(rising, falling)) * norm)
            }
        }
        return filters
    }
}
