import Foundation
import MybroCore
import Testing

@testable import MybroBench

/// The pieces of the routing rules on their own: lookups, billing, durations, the classification.
@Suite struct RouteRuleTests {
    @Test func shadeformGPUNamesFindTheirDatasheets() {
        #expect(GPUSpecifications.lookup(gpuType: "H100", interconnect: "sxm5") == GPUSpecifications.h100SXM)
        #expect(GPUSpecifications.lookup(gpuType: "H100", interconnect: "pcie") == GPUSpecifications.h100PCIe)
        #expect(GPUSpecifications.lookup(gpuType: "A100_80G", interconnect: "pcie") == GPUSpecifications.a100PCIe80)
        #expect(GPUSpecifications.lookup(gpuType: "A100", vramPerGPU: 40) == GPUSpecifications.a100SXM40)
        #expect(GPUSpecifications.lookup(gpuType: "rtx4090") == GPUSpecifications.rtx4090)
        #expect(GPUSpecifications.lookup(gpuType: "MI300X") == GPUSpecifications.mi300x)
        #expect(GPUSpecifications.lookup(gpuType: "TPUv9") == nil)
    }

    @Test func billingChargesEveryStartedMinute() {
        #expect(Billing.billedMinutes(seconds: 0) == 0)
        #expect(Billing.billedMinutes(seconds: 1) == 1)
        #expect(Billing.billedMinutes(seconds: 60) == 1)
        #expect(Billing.billedMinutes(seconds: 61) == 2)
        // 61 s at $2.39/h: two minutes, 7.97 cents, charged as 8.
        #expect(Billing.cost(hourlyCents: 239, seconds: 61) == 0.08)
        #expect(Billing.cost(hourlyCents: 0, seconds: 1e9) == 0)
    }

    @Test func deadlinesReadAsPeopleWriteThem() {
        #expect(DurationText.seconds("24h", minimum: 1) == 86400)
        #expect(DurationText.seconds("90m", minimum: 1) == 5400)
        #expect(DurationText.seconds("1h30m", minimum: 1) == 5400)
        #expect(DurationText.seconds("2d", minimum: 1) == 172_800)
        #expect(DurationText.seconds("45", minimum: 1) == 45)
        for bad in ["", "0", "0s", "h", "forever", "1e400h", "-5m", "nan", "inf", "9999999999h", "1x"] {
            #expect(DurationText.seconds(bad, minimum: 1) == nil, "\(bad)")
        }
    }

    @Test func theRidgePointSplitsMemoryFromCompute() {
        let memory = Classification(intensity: 0.25, ridgePoint: 8.9, seconds: 0.4)
        #expect(memory.bound == .memory && memory.size == .small)
        let compute = Classification(intensity: 1e9, ridgePoint: 8.9, seconds: 1e7)
        #expect(compute.bound == .compute && compute.size == .large)
        #expect(Classification(intensity: 1, ridgePoint: nil, seconds: nil).bound == .unknown)
    }

    @Test func aModelWithoutItsOwnFigureIsScaledFromTheNearestBySize() throws {
        let run = try BenchRun(contentsOf: RouteHarness.profile)
        let local = LocalCapabilities(run: run)
        #expect(local.transcribeRTF["tiny.en"] == 0.033)
        let base = try #require(local.realTimeFactor(model: "base.en"))
        #expect(abs(base.rtf - 0.033 * 74 / 39) < 1e-9)
        #expect(local.ridgePoint.map { abs($0 - 110 / 12.3) < 1e-9 } == true)
        // The kernel figure nearest in size: the cache-resident one for a small n.
        #expect(local.kernelBandwidth("sum", n: 50_000)?.gbs == 31)
        #expect(local.kernelBandwidth("sum", n: 1e9)?.gbs == 9.8)
    }

    @Test func aWorkloadRecordReadsBack() throws {
        for workload in [
            try Workload.transcription(model: "whisper-large-v3", hours: 2), try Workload.kernel("dot", n: 1e6),
            Workload.generic(flops: 1e12, bytes: 4e9, memoryBytes: 2e9),
        ] {
            let read = try Workload(record: workload.record, source: "test")
            #expect(read.kind == workload.kind)
            #expect(abs(read.flops - workload.flops) <= 1e-3 * workload.flops)
        }
    }
}
