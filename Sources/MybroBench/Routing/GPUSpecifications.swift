/// Published figures of the data-centre and workstation GPUs that clouds rent, per GPU, dense
/// (without structured sparsity), from the vendors' datasheets:
/// - NVIDIA H100 Tensor Core GPU datasheet (H100 SXM5, H100 PCIe, H100 NVL);
/// - NVIDIA H200 Tensor Core GPU datasheet (H200 SXM);
/// - NVIDIA A100 Tensor Core GPU datasheet (40 GB and 80 GB, SXM and PCIe);
/// - NVIDIA B200 in the DGX B200 / HGX B200 datasheet (per GPU);
/// - NVIDIA L40S, L40, L4, A10, A40, T4 datasheets; NVIDIA RTX A6000 datasheet; NVIDIA Ada
///   Lovelace architecture whitepaper (GeForce RTX 4090: fp16 tensor with fp32 accumulate);
/// - NVIDIA V100 Tensor Core GPU datasheet (SXM2);
/// - AMD Instinct MI300X data sheet.
public struct GPUSpecification: Sendable, Equatable {
    public var name: String
    /// Non-tensor fp32 TFLOP/s.
    public var fp32TFLOPS: Double
    /// fp16/bf16 tensor TFLOP/s with fp32 accumulate, dense.
    public var fp16TensorTFLOPS: Double
    /// Memory bandwidth in GB/s.
    public var bandwidthGBs: Double
    public var memoryGB: Double
}

public enum GPUSpecifications {
    public static let h100SXM = GPUSpecification(
        name: "H100 SXM", fp32TFLOPS: 67, fp16TensorTFLOPS: 989, bandwidthGBs: 3350, memoryGB: 80)
    public static let h100PCIe = GPUSpecification(
        name: "H100 PCIe", fp32TFLOPS: 51, fp16TensorTFLOPS: 756, bandwidthGBs: 2000, memoryGB: 80)
    public static let h100NVL = GPUSpecification(
        name: "H100 NVL", fp32TFLOPS: 60, fp16TensorTFLOPS: 835, bandwidthGBs: 3900, memoryGB: 94)
    public static let h200 = GPUSpecification(
        name: "H200", fp32TFLOPS: 67, fp16TensorTFLOPS: 989, bandwidthGBs: 4800, memoryGB: 141)
    // The B200's fp32 rate is not in its headline table; 80 TFLOP/s is the HGX B200 figure per GPU.
    public static let b200 = GPUSpecification(
        name: "B200", fp32TFLOPS: 80, fp16TensorTFLOPS: 2250, bandwidthGBs: 8000, memoryGB: 180)
    public static let a100SXM40 = GPUSpecification(
        name: "A100 40GB", fp32TFLOPS: 19.5, fp16TensorTFLOPS: 312, bandwidthGBs: 1555, memoryGB: 40)
    public static let a100SXM80 = GPUSpecification(
        name: "A100 80GB", fp32TFLOPS: 19.5, fp16TensorTFLOPS: 312, bandwidthGBs: 2039, memoryGB: 80)
    public static let a100PCIe80 = GPUSpecification(
        name: "A100 80GB PCIe", fp32TFLOPS: 19.5, fp16TensorTFLOPS: 312, bandwidthGBs: 1935, memoryGB: 80)
    public static let l40s = GPUSpecification(
        name: "L40S", fp32TFLOPS: 91.6, fp16TensorTFLOPS: 362, bandwidthGBs: 864, memoryGB: 48)
    public static let l40 = GPUSpecification(
        name: "L40", fp32TFLOPS: 90.5, fp16TensorTFLOPS: 181, bandwidthGBs: 864, memoryGB: 48)
    public static let l4 = GPUSpecification(
        name: "L4", fp32TFLOPS: 30.3, fp16TensorTFLOPS: 121, bandwidthGBs: 300, memoryGB: 24)
    public static let a10 = GPUSpecification(
        name: "A10", fp32TFLOPS: 31.2, fp16TensorTFLOPS: 125, bandwidthGBs: 600, memoryGB: 24)
    public static let a40 = GPUSpecification(
        name: "A40", fp32TFLOPS: 37.4, fp16TensorTFLOPS: 149.7, bandwidthGBs: 696, memoryGB: 48)
    public static let a6000 = GPUSpecification(
        name: "RTX A6000", fp32TFLOPS: 38.7, fp16TensorTFLOPS: 154.8, bandwidthGBs: 768, memoryGB: 48)
    public static let rtx4090 = GPUSpecification(
        name: "RTX 4090", fp32TFLOPS: 82.6, fp16TensorTFLOPS: 165.2, bandwidthGBs: 1008, memoryGB: 24)
    public static let v100 = GPUSpecification(
        name: "V100 SXM2", fp32TFLOPS: 15.7, fp16TensorTFLOPS: 125, bandwidthGBs: 900, memoryGB: 32)
    public static let t4 = GPUSpecification(
        name: "T4", fp32TFLOPS: 8.1, fp16TensorTFLOPS: 65, bandwidthGBs: 320, memoryGB: 16)
    public static let mi300x = GPUSpecification(
        name: "MI300X", fp32TFLOPS: 163.4, fp16TensorTFLOPS: 1307, bandwidthGBs: 5300, memoryGB: 192)

    // What a real job reaches of those peaks. Assumptions, stated once:
    /// A large fp32 matrix product in cuBLAS/rocBLAS sustains about 70 % of the fp32 peak.
    public static let computeEfficiency = 0.7
    /// STREAM-like kernels reach about 80 % of the datasheet bandwidth on HBM and GDDR.
    public static let bandwidthEfficiency = 0.8
    /// Batched Whisper inference reaches about 4 % of the fp16 tensor peak: the autoregressive
    /// decoder is memory-bound and drags the compute-bound encoder's rate down. Calibrated on the
    /// Hugging Face Open ASR Leaderboard, where whisper-large-v3 runs at about 145× real time on an
    /// A100 80GB: 145 × 53.3 flop × 1.55e9 parameters / 312e12 flop/s ≈ 0.04.
    public static let whisperEfficiency = 0.04

    /// The specification for an offer's `gpu_type` (Shadeform's names: H100, A100_80G, RTX4090, …),
    /// told apart by the offer's interconnect and memory where one name covers several boards.
    public static func lookup(gpuType: String, interconnect: String = "", vramPerGPU: Double = 0) -> GPUSpecification? {
        let key = String(gpuType.uppercased().filter { $0.isLetter || $0.isNumber })
        let sxm = interconnect.lowercased().contains("sxm")
        switch key {
        case "H100", "H100SXM", "H100SXM5", "H100PCIE", "H10080G", "H10080GB":
            if key == "H100PCIE" { return h100PCIe }
            if sxm || key.hasPrefix("H100SXM") { return h100SXM }
            return vramPerGPU >= 90 ? h100NVL : h100PCIe
        case "H100NVL": return h100NVL
        case "H200", "H200SXM", "GH200": return h200
        case "B200": return b200
        case "A100", "A10040G", "A10040GB", "A100SXM4", "A100PCIE":
            if vramPerGPU >= 80 { return sxm ? a100SXM80 : a100PCIe80 }
            return a100SXM40
        case "A10080G", "A10080GB", "A100SXM480GB": return sxm ? a100SXM80 : a100PCIe80
        case "L40S": return l40s
        case "L40": return l40
        case "L4": return l4
        case "A10": return a10
        case "A40": return a40
        case "A6000", "RTXA6000": return a6000
        case "RTX4090", "4090", "GEFORCERTX4090": return rtx4090
        case "V100", "V100SXM2", "V10032G", "V10016G": return v100
        case "T4": return t4
        case "MI300X": return mi300x
        default: return nil
        }
    }
}
