import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroBench

/// Detection from a made-up /proc and /sys (a two-socket machine with SMT and a NVMe disk),
/// and the record read back.
@Suite struct HardwareDetectionTests {
    func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func fakeRoot(_ root: String) throws {
        var cpuinfo = ""
        for cpu in 0..<8 {
            cpuinfo += """
                processor\t: \(cpu)
                model name\t: Example Xeon <Gold> & "6430"
                physical id\t: \(cpu / 4)
                core id\t: \(cpu % 4 / 2)
                flags\t\t: fpu sse2 ssse3 avx avx2 fma avx512f amx_tile

                """
        }
        try write(cpuinfo, root + "/proc/cpuinfo")
        try write("MemTotal:       16384000 kB\nMemFree: 1 kB\n", root + "/proc/meminfo")
        let cache = root + "/sys/devices/system/cpu/cpu0/cache"
        for (index, entry) in [
            (1, "Data", "48K", "0,4"), (1, "Instruction", "32K", "0,4"), (2, "Unified", "2048K", "0,4"),
            (3, "Unified", "60M", "0-7"),
        ].enumerated() {
            try write("\(entry.0)\n", "\(cache)/index\(index)/level")
            try write("\(entry.1)\n", "\(cache)/index\(index)/type")
            try write("\(entry.2)\n", "\(cache)/index\(index)/size")
            try write("\(entry.3)\n", "\(cache)/index\(index)/shared_cpu_list")
        }
        for node in 0..<2 {
            try write("\(node * 4)-\(node * 4 + 3)\n", root + "/sys/devices/system/node/node\(node)/cpulist")
            try write(
                "Node \(node) MemTotal:       8192000 kB\n", root + "/sys/devices/system/node/node\(node)/meminfo")
        }
        try write("1000215216\n", root + "/sys/block/nvme0n1/size")
        try write("0\n", root + "/sys/block/nvme0n1/queue/rotational")
        try write("Example NVMe 1TB\n", root + "/sys/block/nvme0n1/device/model")
        try write("2048\n", root + "/sys/block/loop0/size")
        try write("4096\n", root + "/sys/block/zram0/size")
        try write("PRETTY_NAME=\"Example Linux 1.0\"\nID=example\n", root + "/etc/os-release")
    }

    @Test func aTwoSocketMachineIsReadAsItIs() throws {
        try withTemporaryDirectory("mybro-hw") { root in
            try fakeRoot(root)
            let hardware = HardwareDetection.detect(root: root, includeGPUs: false)
            #expect(hardware.cpuModel == "Example Xeon <Gold> & \"6430\"")
            #expect(hardware.cores == 4)
            #expect(hardware.simd.contains("avx512f") && hardware.simd.contains("amx_tile"))
            #expect(!hardware.simd.contains("fpu"))
            #expect(hardware.caches.map(\.bytes) == [48 << 10, 32 << 10, 2 << 20, 60 << 20])
            #expect(hardware.caches.map(\.sharedBy) == [2, 2, 2, 8])
            #expect(hardware.lastLevelCacheBytes == 60 << 20)
            #expect(hardware.numa.map(\.cpus) == ["0-3", "4-7"])
            #expect(hardware.numa.map(\.memoryBytes) == [8_192_000 * 1024, 8_192_000 * 1024])
            #expect(hardware.memoryBytes == 16_384_000 * 1024)
            #expect(hardware.disks.map(\.name) == ["nvme0n1"])
            #expect(hardware.disks.first?.rotational == false)
            #expect(hardware.disks.first?.model == "Example NVMe 1TB")
            #expect(hardware.disks.first?.bytes == 1_000_215_216 * 512)
            #expect(hardware.os == "Example Linux 1.0")
            let object = try #require(try JSONParser.parse(hardware.record.serialized()).objectValue)
            let back = try #require(Hardware(record: Record(type: "hardware", fields: object)))
            #expect(back == hardware)
        }
    }

    @Test func anEmptyRootGivesHonestUnknownsNotACrash() throws {
        try withTemporaryDirectory("mybro-hw-empty") { root in
            let hardware = HardwareDetection.detect(root: root, includeGPUs: false)
            #expect(hardware.cpuModel == "unknown CPU")
            #expect(hardware.caches.isEmpty && hardware.disks.isEmpty && hardware.numa.isEmpty)
            #expect(hardware.os == "unknown")
            #expect(hardware.memoryBytes > 0)  // sysconf's answer
        }
    }

    @Test func theVulkanListNamesLavapipeAsACPUDevice() throws {
        let (gpus, problem) = VulkanDevices.list()
        guard let lavapipe = gpus.first(where: { $0.name.contains("llvmpipe") }) else {
            // Without Mesa's Vulkan driver (make setup installs it) the reason is given instead.
            #expect(gpus.isEmpty == (problem != nil))
            return
        }
        #expect(lavapipe.deviceType == "cpu")
        #expect(lavapipe.vendor == "Mesa")
        #expect((lavapipe.subgroupSize ?? 0) >= 4)
        #expect((lavapipe.memoryBytes ?? 0) > 0)
    }
}
