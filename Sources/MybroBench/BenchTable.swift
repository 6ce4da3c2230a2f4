import Foundation
import MybroCore

/// The run as a table for a terminal: the hardware, then one line per figure with its spread.
public enum BenchTable {
    public static func text(_ run: BenchRun) -> String {
        var lines: [String] = []
        if let hardware = run.hardware { lines += hardwareLines(hardware) }
        if !run.measurements.isEmpty {
            lines.append("")
            lines.append(pad("figure", 44) + pad("best", 12) + pad("median", 12) + pad("spread", 9) + "unit")
            for measurement in run.measurements {
                lines.append(
                    pad(measurement.key, 44) + pad(number(measurement.value), 12) + pad(number(measurement.median), 12)
                        + pad(String(format: "±%.1f%%", measurement.spread * 50), 9) + measurement.unit)
            }
        }
        return lines.joined(separator: "\n")
    }

    static func hardwareLines(_ hardware: Hardware) -> [String] {
        var lines = [
            "CPU      \(hardware.cpuModel) (\(hardware.architecture)), \(hardware.cores) cores, \(hardware.threads) threads",
            "SIMD     \(hardware.simd.isEmpty ? "none detected" : hardware.simd.joined(separator: " "))",
            "caches   "
                + hardware.caches.map { "L\($0.level)\($0.kind.prefix(1)) \(size($0.bytes))/\($0.sharedBy) CPU" }
                .joined(separator: ", "),
            "NUMA     "
                + (hardware.numa.isEmpty
                    ? "not reported"
                    : hardware.numa.map {
                        "node \($0.node): CPUs \($0.cpus)" + ($0.memoryBytes.map { ", \(size($0))" } ?? "")
                    }
                    .joined(separator: "; ")),
            "memory   \(size(hardware.memoryBytes))",
        ]
        if hardware.gpus.isEmpty { lines.append("GPU      none through Vulkan") }
        for gpu in hardware.gpus {
            var line = "GPU      \(gpu.name) (\(gpu.vendor), \(gpu.deviceType)"
            if let memory = gpu.memoryBytes { line += ", \(size(memory))" }
            if let subgroup = gpu.subgroupSize { line += ", subgroup \(subgroup)" }
            lines.append(line + ")")
        }
        for disk in hardware.disks {
            let kind = disk.rotational.map { $0 ? "rotational" : "solid state" } ?? "unknown kind"
            lines.append("disk     \(disk.name) \(disk.model ?? "") \(size(disk.bytes)) (\(kind))")
        }
        lines.append("OS       \(hardware.os), \(hardware.kernel)")
        lines.append("Landlock " + (hardware.landlockABI.map { "ABI \($0)" } ?? "not available"))
        return lines
    }

    static func size(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return value == value.rounded() ? "\(Int(value)) \(units[unit])" : String(format: "%.1f %@", value, units[unit])
    }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        if value != 0 && (abs(value) >= 1e6 || abs(value) < 1e-3) { return String(format: "%.3e", value) }
        return String(format: "%.4g", value)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}
