import Foundation
import MybroCore

/// This machine's measured capabilities, taken from its profile (the last `mybro-bench --save`).
/// Estimates use each figure's median: a typical run, not the luckiest one.
public struct LocalCapabilities: Sendable, Equatable {
    /// STREAM triad on all threads, GB/s.
    public var triadGBs: Double?
    /// sgemm on all threads at the largest size measured, GFLOP/s.
    public var sgemmGFLOPs: Double?
    /// Each `mybro-kernel` kernel's measured GB/s by element count.
    public var kernelGBs: [String: [(n: Double, gbs: Double)]]
    /// Real-time factor (processing seconds per audio second) by canonical model name.
    public var transcribeRTF: [String: Double]
    public var memoryBytes: Double?

    public static func == (lhs: LocalCapabilities, rhs: LocalCapabilities) -> Bool {
        lhs.triadGBs == rhs.triadGBs && lhs.sgemmGFLOPs == rhs.sgemmGFLOPs && lhs.transcribeRTF == rhs.transcribeRTF
            && lhs.memoryBytes == rhs.memoryBytes
            && lhs.kernelGBs.mapValues { $0.map { [$0.n, $0.gbs] } }
                == rhs.kernelGBs.mapValues { $0.map { [$0.n, $0.gbs] } }
    }

    public init(run: BenchRun) {
        func number(_ measurement: Measurement, _ key: String) -> Double { measurement.context[key]?.doubleValue ?? 0 }
        func usable(_ value: Double) -> Double? { value.isFinite && value > 0 ? value : nil }
        let triads = run.measurements(named: "memory.triad")
        triadGBs = triads.max { number($0, "threads") < number($1, "threads") }.flatMap { usable($0.median) }
        let products = run.measurements(named: "sgemm")
        sgemmGFLOPs =
            products.max {
                (number($0, "threads"), number($0, "size")) < (number($1, "threads"), number($1, "size"))
            }
            .flatMap { usable($0.median) }
        var kernels: [String: [(n: Double, gbs: Double)]] = [:]
        for measurement in run.measurements where measurement.name.hasPrefix("kernel.") {
            guard measurement.unit == "GB/s", let gbs = usable(measurement.median),
                let n = usable(number(measurement, "n"))
            else { continue }
            kernels[String(measurement.name.dropFirst("kernel.".count)), default: []].append((n, gbs))
        }
        kernelGBs = kernels
        var factors: [String: Double] = [:]
        for measurement in run.measurements(named: "transcribe.rtf") {
            guard let model = measurement.context["model"]?.stringValue, let rtf = usable(measurement.median) else {
                continue
            }
            factors[WhisperModels.canonicalName(model)] = rtf
        }
        transcribeRTF = factors
        memoryBytes = run.hardware.flatMap { usable(Double($0.memoryBytes)) }
    }

    /// The roofline's ridge point: flop per byte where this machine turns from memory-bound to
    /// compute-bound (sgemm GFLOP/s ÷ triad GB/s).
    public var ridgePoint: Double? {
        guard let sgemmGFLOPs, let triadGBs else { return nil }
        return sgemmGFLOPs / triadGBs
    }

    /// The kernel's measured GB/s at the element count nearest to `n` (on a log scale: a cache-
    /// resident size says little about a DRAM-sized one).
    public func kernelBandwidth(_ name: String, n: Double) -> (n: Double, gbs: Double)? {
        kernelGBs[name]?.min { abs(log($0.n / n)) < abs(log($1.n / n)) }
    }

    /// The real-time factor of `model`: measured, or scaled by parameter count from the measured
    /// model nearest in size (the work per audio second grows with the parameters).
    public func realTimeFactor(model: String) -> (rtf: Double, basis: String)? {
        if let measured = transcribeRTF[model] { return (measured, "measured transcribe.rtf of \(model)") }
        guard let target = WhisperModels.parameterCount(model) else { return nil }
        let known = transcribeRTF.sorted { $0.key < $1.key }.compactMap { name, rtf in
            WhisperModels.parameterCount(name).map { (name, rtf, $0) }
        }
        guard let nearest = known.min(by: { abs(log($0.2 / target)) < abs(log($1.2 / target)) }) else { return nil }
        return (nearest.1 * target / nearest.2, "transcribe.rtf of \(nearest.0) scaled by parameters")
    }
}
