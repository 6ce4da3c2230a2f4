import Foundation

/// How long and how much on a rented GPU: boot (the offer's worst case), the upload at the given
/// uplink, and the compute from the GPU's published specification times an efficiency (see
/// `GPUSpecifications`), the work divided evenly over the offer's GPUs.
///
/// Speech streams up while the GPUs transcribe, so the slower of upload and compute counts; other
/// work needs its data first, so upload and compute add up.
public enum CloudEstimate {
    public static func option(for workload: Workload, offer: CloudOffer, constraints: RouteConstraints) -> RouteOption {
        let gpu = GPUSpecifications.lookup(
            gpuType: offer.gpuType, interconnect: offer.interconnect, vramPerGPU: offer.vramPerGPU)
        var option = RouteOption(place: .cloud(offer), gpu: gpu, basis: "")
        guard let gpu else {
            option.basis = "no specification"
            option.whyNot = "no published specification for GPU type \(offer.gpuType) in mybro-bench's table"
            return option
        }
        let gpus = Double(offer.gpus)
        let compute: Double
        switch workload.kind {
        case .transcription:
            let rate = gpu.fp16TensorTFLOPS * 1e12 * GPUSpecifications.whisperEfficiency
            compute = workload.flops / (rate * gpus)
            option.basis = String(
                format: "%@ fp16 tensor %.0f TFLOP/s at %.0f %%", gpu.name, gpu.fp16TensorTFLOPS,
                GPUSpecifications.whisperEfficiency * 100)
        case .kernel, .generic:
            let flopRate = gpu.fp32TFLOPS * 1e12 * GPUSpecifications.computeEfficiency
            let byteRate = gpu.bandwidthGBs * 1e9 * GPUSpecifications.bandwidthEfficiency
            compute = max(workload.flops / flopRate, workload.bytes / byteRate) / gpus
            option.basis = String(
                format: "%@ roofline: fp32 %.3g TFLOP/s at %.0f %%, %.0f GB/s at %.0f %%", gpu.name, gpu.fp32TFLOPS,
                GPUSpecifications.computeEfficiency * 100, gpu.bandwidthGBs, GPUSpecifications.bandwidthEfficiency * 100
            )
        }
        if offer.bootAssumed {
            option.basis += String(format: "; boot time not given, %.0f s assumed", offer.bootSeconds)
        }
        let transfer = workload.uploadBytes * 8 / (constraints.uplinkMbps * 1e6)
        option.bootSeconds = offer.bootSeconds
        option.transferSeconds = transfer
        option.computeSeconds = compute
        let working: Double
        if case .transcription = workload.kind {
            working = max(transfer, compute)
        } else {
            working = transfer + compute
        }
        option.seconds = offer.bootSeconds + working
        option.cost = Billing.cost(hourlyCents: offer.hourlyCents, seconds: working)
        if let perGPU = workload.gpuMemoryBytesPerGPU, offer.vramPerGPU > 0 {
            let share = workload.divisibleMemory ? perGPU / gpus : perGPU
            if share > offer.vramPerGPU * 1e9 {
                option.whyNot = String(
                    format: "needs %@ per GPU, the offer has %@", LocalEstimate.gigabytes(share),
                    LocalEstimate.gigabytes(offer.vramPerGPU * 1e9))
            }
        }
        return option
    }
}
