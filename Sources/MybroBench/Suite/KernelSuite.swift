import MybroCore
import MybroKernels

/// mybro's kernels (MybroKernels, the same calls mybro-kernel bench times) at one size each:
/// GB/s by the catalogue's byte counts, GFLOP/s, arithmetic intensity and the share of STREAM.
/// The repetitions are interleaved (each round times every kernel once).
public enum KernelSuite {
    public static func measure(
        n: Int, repetitions: Int, triad: Double?, sampler: Sampler, kernels: [KernelInfo] = KernelCatalog.all,
        sampleSeconds: Double = 0.002
    ) -> [Measurement] {
        let buffers = BenchBuffers(n: n, rowLength: 768)
        defer { buffers.release() }
        let timings = sampler.interleaved(
            kernels.map { kernel in ("kernel." + kernel.name, { buffers.run(kernel.name) }) },
            repetitions: repetitions, minimum: sampleSeconds)
        return zip(kernels, timings).map { kernel, seconds in
            let name = "kernel." + kernel.name
            let elements = Double(buffers.elements(kernel.name))
            let rates = seconds.map { kernel.bytesPerElement * elements / $0 / 1e9 }
            let best = rates.max() ?? 0
            var context = JSONObject()
            context["n"] = .number(Double(n))
            context["threads"] = .number(Double(Kernels.threads))
            context["path"] = .string(Kernels.path.description)
            context["gflop_per_s"] = .number(
                Measurement.rounded(kernel.flopsPerElement * elements / seconds.min()! / 1e9))
            context["flops_per_element"] = .number(kernel.flopsPerElement)
            context["bytes_per_element"] = .number(kernel.bytesPerElement)
            context["intensity"] = .number(Measurement.rounded(kernel.flopsPerElement / kernel.bytesPerElement))
            if let triad, triad > 0 { context["stream_fraction"] = .number(Measurement.rounded(best / triad)) }
            return Measurement(
                name: name, unit: "GB/s", better: .higher, samples: rates, context: context, identity: ["n"])
        }
    }
}
