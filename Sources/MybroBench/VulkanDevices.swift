import CMybroVulkan
import Foundation
import MybroCore

/// The machine's Vulkan devices for the hardware report, with nvidia-smi's view added to an
/// NVIDIA card where that tool exists.
public enum VulkanDevices {
    /// The devices, or none and why (no loader, no driver).
    public static func list() -> (gpus: [Hardware.GPU], problem: String?) {
        var devices = [mybro_gpu_device_info](repeating: mybro_gpu_device_info(), count: 16)
        var why = [CChar](repeating: 0, count: 256)
        let count = devices.withUnsafeMutableBufferPointer { buffer in
            mybro_gpu_list_devices(buffer.baseAddress, Int32(buffer.count), &why, why.count)
        }
        guard count > 0 else {
            return (
                [],
                count < 0
                    ? String(decoding: why.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    : "no Vulkan device"
            )
        }
        let nvidia = NvidiaSMI.query()
        var nvidiaIndex = 0
        let gpus = devices.prefix(Int(count)).map { device in
            let name = withUnsafeBytes(of: device.name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var gpu = Hardware.GPU(
                name: name, vendor: vendorName(device.vendor_id), deviceType: typeName(device.device_type),
                memoryBytes: device.device_local_bytes > 0 ? Int(device.device_local_bytes) : nil,
                subgroupSize: device.subgroup_size > 0 ? Int(device.subgroup_size) : nil,
                apiVersion:
                    "\(device.api_version >> 22).\((device.api_version >> 12) & 0x3ff).\(device.api_version & 0xfff)")
            if device.vendor_id == 0x10de, nvidiaIndex < nvidia.count {
                gpu.vendorTool = nvidia[nvidiaIndex]
                nvidiaIndex += 1
            }
            return gpu
        }
        return (gpus, nil)
    }

    /// PCI vendor ids (the Khronos registry's and PCI-SIG's).
    static func vendorName(_ id: UInt32) -> String {
        switch id {
        case 0x10de: return "NVIDIA"
        case 0x1002: return "AMD"
        case 0x8086: return "Intel"
        case 0x13b5: return "ARM"
        case 0x5143: return "Qualcomm"
        case 0x106b: return "Apple"
        case 0x10005: return "Mesa"
        default: return String(format: "0x%04x", id)
        }
    }

    static func typeName(_ type: Int32) -> String {
        switch type {
        case 1: return "integrated"
        case 2: return "discrete"
        case 3: return "virtual"
        case 4: return "cpu"
        default: return "other"
        }
    }
}

/// nvidia-smi's CSV query: driver, memory, clocks and power limit of each card.
enum NvidiaSMI {
    static let fields = ["name", "driver_version", "memory.total", "clocks.max.sm", "clocks.max.memory", "power.limit"]

    static func query() -> [JSONObject] {
        guard let path = executable("nvidia-smi"),
            let captured = try? ChildProcess.capture(
                arguments: [path, "--query-gpu=" + fields.joined(separator: ","), "--format=csv,noheader,nounits"],
                timeout: 10),
            captured.status == 0
        else { return [] }
        return String(decoding: captured.stdout, as: UTF8.self).split(separator: "\n").map { line in
            var object = JSONObject()
            let values = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            for (field, value) in zip(fields, values) {
                let key = field.replacingOccurrences(of: ".", with: "_")
                object[key] = Double(value).map { .number($0) } ?? .string(value)
            }
            return object
        }
    }

    /// The program on PATH (the NVIDIA container images put it in /usr/bin or /usr/local/nvidia/bin).
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/local/nvidia/bin"] {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
