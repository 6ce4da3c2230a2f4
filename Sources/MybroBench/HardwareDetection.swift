import Foundation
import MybroCore

/// Reads what this machine is from /proc and /sys (Linux), Vulkan for the GPUs, and nvidia-smi
/// where it exists. Anything unreadable is left out rather than guessed.
public enum HardwareDetection {
    public static func detect(root: String = "", includeGPUs: Bool = true) -> Hardware {
        let cpuinfo = read(root + "/proc/cpuinfo") ?? ""
        let threads = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        return Hardware(
            cpuModel: cpuModel(cpuinfo), architecture: architecture(), cores: physicalCores(cpuinfo) ?? threads,
            threads: threads, simd: simdFeatures(cpuinfo), caches: caches(root: root), numa: numaNodes(root: root),
            memoryBytes: memoryBytes(read(root + "/proc/meminfo") ?? ""),
            gpus: includeGPUs ? VulkanDevices.list().gpus : [], disks: disks(root: root), os: osName(root: root),
            kernel: kernelRelease(), landlockABI: LandlockRuleset.abi > 0 ? LandlockRuleset.abi : nil)
    }

    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), data.count < 16 << 20 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func value(_ key: String, in cpuinfo: String) -> String? {
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == key {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    static func cpuModel(_ cpuinfo: String) -> String {
        value("model name", in: cpuinfo) ?? value("Model", in: cpuinfo) ?? value("Hardware", in: cpuinfo)
            ?? "unknown CPU"
    }

    /// Distinct (physical id, core id) pairs; nil where /proc/cpuinfo does not say (arm64).
    static func physicalCores(_ cpuinfo: String) -> Int? {
        var cores = Set<String>()
        var physical = "0"
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            if parts[0] == "physical id" { physical = parts[1] }
            if parts[0] == "core id" { cores.insert(physical + "/" + parts[1]) }
        }
        return cores.isEmpty ? nil : cores.count
    }

    /// The vector extensions that matter to mybro's kernels, in the order the CPU names them.
    static func simdFeatures(_ cpuinfo: String) -> [String] {
        let flags = Set((value("flags", in: cpuinfo) ?? value("Features", in: cpuinfo) ?? "").split(separator: " "))
        let known = [
            "sse2", "ssse3", "sse4_1", "sse4_2", "avx", "f16c", "fma", "avx2", "avx512f", "avx512bw", "avx512vl",
            "avx512_bf16", "avx512_fp16", "amx_tile", "asimd", "asimdhp", "sve", "sve2",
        ]
        return known.filter { flags.contains(Substring($0)) }
    }

    static func architecture() -> String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    static func kernelRelease() -> String {
        var name = utsname()
        uname(&name)
        let system = withUnsafeBytes(of: name.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let release = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return system + " " + release
    }

    static func osName(root: String) -> String {
        for line in (read(root + "/etc/os-release") ?? "").split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return "unknown"
    }

    /// Sizes such as 32K, 1024K, 32M as the kernel writes them in sysfs.
    static func bytes(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let last = trimmed.last else { return nil }
        let multiplier: Int
        var digits = trimmed
        switch last {
        case "K": multiplier = 1 << 10
        case "M": multiplier = 1 << 20
        case "G": multiplier = 1 << 30
        default: multiplier = 1
        }
        if multiplier != 1 { digits.removeLast() }
        return Int(digits).map { $0 * multiplier }
    }

    /// CPU ranges such as 0-3,8 counted.
    static func count(cpuList: String) -> Int {
        cpuList.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").reduce(0) { total, part in
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 2 { return total + max(0, bounds[1] - bounds[0] + 1) }
            return total + (bounds.count == 1 ? 1 : 0)
        }
    }

    /// cpu0's caches (each level once), from /sys/devices/system/cpu/cpu0/cache.
    static func caches(root: String) -> [Hardware.Cache] {
        let base = root + "/sys/devices/system/cpu/cpu0/cache"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        return entries.filter { $0.hasPrefix("index") }.sorted().compactMap { entry in
            let directory = base + "/" + entry
            guard
                let level = read(directory + "/level").flatMap({
                    Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
                }),
                let size = read(directory + "/size").flatMap(bytes)
            else { return nil }
            let kind = (read(directory + "/type") ?? "Unified").trimmingCharacters(in: .whitespacesAndNewlines)
                .lowercased()
            let shared = read(directory + "/shared_cpu_list").map(count(cpuList:)) ?? 1
            return Hardware.Cache(level: level, kind: kind, bytes: size, sharedBy: max(1, shared))
        }
    }

    static func numaNodes(root: String) -> [Hardware.NUMANode] {
        let base = root + "/sys/devices/system/node"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        return entries.compactMap { entry -> Hardware.NUMANode? in
            guard entry.hasPrefix("node"), let node = Int(entry.dropFirst(4)) else { return nil }
            let cpus = (read("\(base)/\(entry)/cpulist") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let memory = (read("\(base)/\(entry)/meminfo") ?? "").split(separator: "\n").first {
                $0.contains("MemTotal:")
            }
            .flatMap { line in line.split(separator: " ").dropLast().last.flatMap { Int($0) }.map { $0 * 1024 } }
            return Hardware.NUMANode(node: node, cpus: cpus, memoryBytes: memory)
        }.sorted { $0.node < $1.node }
    }

    static func memoryBytes(_ meminfo: String) -> Int {
        for line in meminfo.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return Int(sysconf(Int32(_SC_PHYS_PAGES))) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Whole block devices with a size, without loop, ram and zram devices (not disks).
    static func disks(root: String) -> [Hardware.Disk] {
        let base = root + "/sys/block"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        return entries.sorted().compactMap { name in
            guard !["loop", "ram", "zram", "dm-", "sr", "nbd"].contains(where: { name.hasPrefix($0) }) else {
                return nil
            }
            let directory = base + "/" + name
            guard
                let sectors = read(directory + "/size").flatMap({
                    Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
                }),
                sectors > 0
            else { return nil }
            let model = read(directory + "/device/model")?.trimmingCharacters(in: .whitespacesAndNewlines)
            let rotational = read(directory + "/queue/rotational").map { $0.hasPrefix("1") }
            return Hardware.Disk(
                name: name, model: model?.isEmpty == false ? model : nil, bytes: sectors * 512, rotational: rotational)
        }
    }
}
