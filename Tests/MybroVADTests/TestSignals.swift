import Foundation
import MybroTestSupport

/// Signals the bit-exactness tests feed to both detectors. Everything is generated (no
/// recordings needed): espeak-ng speech resampled with sox, seeded noise, tones, edge cases.
enum TestSignals {
    /// MybroTestSupport's seeded generator, with what the signals need from it.
    typealias Random = SeededRandom

    static func clamp(_ value: Double) -> Int16 {
        Int16(max(-32768, min(32767, value.rounded())))
    }

    static func silence(seconds: Double, rate: Int) -> [Int16] {
        [Int16](repeating: 0, count: Int(seconds * Double(rate)))
    }

    /// White, pink or brown noise with the given RMS (in sample units).
    static func noise(_ colour: NoiseColour, rms: Double, seconds: Double, rate: Int, seed: UInt64) -> [Int16] {
        var random = Random(seed: seed)
        let count = Int(seconds * Double(rate))
        var raw = [Double](repeating: 0, count: count)
        var pink = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        var brown = 0.0
        for index in 0..<count {
            let white = random.unit()
            switch colour {
            case .white:
                raw[index] = white
            case .pink:
                // Paul Kellet's economical pink filter.
                pink.0 = 0.99886 * pink.0 + white * 0.0555179
                pink.1 = 0.99332 * pink.1 + white * 0.0750759
                pink.2 = 0.96900 * pink.2 + white * 0.1538520
                pink.3 = 0.86650 * pink.3 + white * 0.3104856
                pink.4 = 0.55000 * pink.4 + white * 0.5329522
                pink.5 = -0.7616 * pink.5 - white * 0.0168980
                raw[index] = pink.0 + pink.1 + pink.2 + pink.3 + pink.4 + pink.5 + pink.6 + white * 0.5362
                pink.6 = white * 0.115926
            case .brown:
                brown = 0.995 * brown + 0.1 * white
                raw[index] = brown
            }
        }
        let power = raw.reduce(0) { $0 + $1 * $1 } / Double(max(1, count))
        let gain = power > 0 ? rms / power.squareRoot() : 0
        return raw.map { clamp($0 * gain) }
    }

    enum NoiseColour: CaseIterable { case white, pink, brown }

    static func tone(frequency: Double, amplitude: Double, seconds: Double, rate: Int) -> [Int16] {
        (0..<Int(seconds * Double(rate))).map {
            clamp(amplitude * sin(2 * Double.pi * frequency * Double($0) / Double(rate)))
        }
    }

    /// A sweep from 50 Hz to just under Nyquist, exercising every band.
    static func sweep(amplitude: Double, seconds: Double, rate: Int) -> [Int16] {
        let count = Int(seconds * Double(rate))
        let top = Double(rate) / 2 * 0.95
        var phase = 0.0
        return (0..<count).map { index in
            let frequency = 50 * pow(top / 50, Double(index) / Double(count))
            phase += 2 * Double.pi * frequency / Double(rate)
            return clamp(amplitude * sin(phase))
        }
    }

    /// Uniformly random full-scale samples: the worst case for overflow in the fixed point.
    static func randomSamples(seconds: Double, rate: Int, seed: UInt64) -> [Int16] {
        var random = Random(seed: seed)
        return (0..<Int(seconds * Double(rate))).map { _ in random.int16() }
    }

    /// Full-scale square wave alternating ±32767/-32768 runs: clipping at both rails.
    static func clipped(_ signal: [Int16], gain: Double) -> [Int16] {
        signal.map { clamp(Double($0) * gain) }
    }

    static func withDC(_ signal: [Int16], offset: Double) -> [Int16] {
        signal.map { clamp(Double($0) + offset) }
    }

    static func mix(_ signal: [Int16], _ noise: [Int16]) -> [Int16] {
        (0..<signal.count).map { clamp(Double(signal[$0]) + Double(noise[$0 % max(1, noise.count)])) }
    }

    static func rms(_ signal: [Int16]) -> Double {
        (signal.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, signal.count))).squareRoot()
    }

    /// Speech by espeak-ng at `rate` (resampled by sox), with pauses between sentences.
    /// Cached per rate for the test run.
    static func speech(rate: Int) throws -> [Int16] {
        try SpeechCache.shared.speech(rate: rate)
    }
}

/// espeak-ng synthesis is the slow part of the signals; do it once per rate and process.
final class SpeechCache: @unchecked Sendable {
    static let shared = SpeechCache()
    private let lock = NSLock()
    private var cache: [String: [Int16]] = [:]

    static let text = """
        The quick brown fox jumps over the lazy dog. [[_:]] Open the file and run the tests. \
        Seven hundred and twelve. [[_:]] Please commit the changes, then push them to the server.
        """

    func speech(rate: Int) throws -> [Int16] {
        try speech(SpeechCache.text, rate: rate)
    }

    /// `text` spoken by espeak-ng, as s16 samples at `rate`.
    func speech(_ text: String, rate: Int) throws -> [Int16] {
        lock.lock()
        defer { lock.unlock() }
        let key = "\(rate) \(text)"
        if let cached = cache[key] { return cached }
        let directory = try TemporaryDirectory(label: "mybro-vad-speech")
        defer { directory.remove() }
        let wav = directory.path("speech.wav")
        let raw = directory.path("speech.raw")
        try run("espeak-ng", ["-v", "en-us", "-s", "160", "-g", "12", "-w", wav, text])
        try run("sox", [wav, "-r", String(rate), "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", raw])
        let data = try Data(contentsOf: URL(fileURLWithPath: raw))
        let samples = data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        cache[key] = samples
        return samples
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSignalError(
                message: "\(tool) failed (status \(process.terminationStatus)); install espeak-ng and sox")
        }
    }
}

struct TestSignalError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension SeededRandom {
    /// Uniform in [-1, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 52) - 1 }
    mutating func int16() -> Int16 { Int16(truncatingIfNeeded: next() >> 32) }
}
