import Foundation

/// How long the workload takes on this machine, from its profile: the roofline with the measured
/// ceilings (bytes ÷ triad GB/s, flop ÷ sgemm GFLOP/s, the slower of the two), a kernel's own
/// measured GB/s where the profile has it, and a model's measured real-time factor for speech.
public enum LocalEstimate {
    public static func option(for workload: Workload, capabilities: LocalCapabilities) -> RouteOption {
        var option = RouteOption(place: .local, basis: "")
        switch workload.kind {
        case .transcription(let model, let hours):
            guard let factor = capabilities.realTimeFactor(model: model) else {
                option.basis = "no transcribe.rtf in the profile"
                option.whyNot =
                    "the profile has no transcribe.rtf: run a full mybro-bench --save FILE with a model installed"
                return option
            }
            option.computeSeconds = factor.rtf * hours * 3600
            option.basis = factor.basis + String(format: " (%.3g× real time)", factor.rtf)
        case .kernel(let name, let n):
            if let measured = capabilities.kernelBandwidth(name, n: n) {
                option.computeSeconds = workload.bytes / (measured.gbs * 1e9)
                option.basis = String(
                    format: "measured kernel.%@ %.3g GB/s at n=%@", name, measured.gbs, RouteFormat.count(measured.n))
            } else {
                roofline(workload, capabilities, into: &option)
            }
        case .generic:
            roofline(workload, capabilities, into: &option)
        }
        if let needed = workload.memoryBytes, let available = capabilities.memoryBytes, needed > available {
            option.whyNot = String(
                format: "needs %@ of memory, more than this machine's %@", gigabytes(needed), gigabytes(available))
        }
        option.seconds = option.computeSeconds
        return option
    }

    private static func roofline(
        _ workload: Workload, _ capabilities: LocalCapabilities, into option: inout RouteOption
    ) {
        var seconds = 0.0
        var parts: [String] = []
        if workload.bytes > 0 {
            guard let triad = capabilities.triadGBs else {
                option.basis = "no memory.triad in the profile"
                option.whyNot = "the profile has no memory.triad: run mybro-bench --save FILE"
                return
            }
            seconds = workload.bytes / (triad * 1e9)
            parts.append(String(format: "triad %.3g GB/s", triad))
        }
        if workload.flops > 0 {
            guard let sgemm = capabilities.sgemmGFLOPs else {
                option.basis = "no sgemm in the profile"
                option.whyNot = "the profile has no sgemm: run mybro-bench --save FILE"
                return
            }
            seconds = max(seconds, workload.flops / (sgemm * 1e9))
            parts.append(String(format: "sgemm %.3g GFLOP/s", sgemm))
        }
        option.computeSeconds = seconds
        option.basis = "roofline: " + parts.joined(separator: ", ")
    }

    static func gigabytes(_ bytes: Double) -> String {
        bytes < 1e10 ? String(format: "%.3g GB", bytes / 1e9) : RouteFormat.count((bytes / 1e9).rounded()) + " GB"
    }
}
