import MybroCore

/// What `mybro-bench` detects about this machine, as one `hardware` record.
public struct Hardware: Sendable, Equatable {
    public struct Cache: Sendable, Equatable {
        public var level: Int
        /// data, instruction or unified.
        public var kind: String
        public var bytes: Int
        /// CPUs that share one instance of this cache.
        public var sharedBy: Int
        public init(level: Int, kind: String, bytes: Int, sharedBy: Int) {
            self.level = level
            self.kind = kind
            self.bytes = bytes
            self.sharedBy = sharedBy
        }
    }

    public struct NUMANode: Sendable, Equatable {
        public var node: Int
        public var cpus: String
        public var memoryBytes: Int?
        public init(node: Int, cpus: String, memoryBytes: Int?) {
            self.node = node
            self.cpus = cpus
            self.memoryBytes = memoryBytes
        }
    }

    public struct GPU: Sendable, Equatable {
        public var name: String
        public var vendor: String
        /// discrete, integrated, virtual or cpu (lavapipe).
        public var deviceType: String
        public var memoryBytes: Int?
        public var subgroupSize: Int?
        public var apiVersion: String?
        /// Extra facts from the vendor's tool (nvidia-smi), when it exists.
        public var vendorTool: JSONObject?
        public init(
            name: String, vendor: String, deviceType: String, memoryBytes: Int?, subgroupSize: Int?,
            apiVersion: String?, vendorTool: JSONObject? = nil
        ) {
            self.name = name
            self.vendor = vendor
            self.deviceType = deviceType
            self.memoryBytes = memoryBytes
            self.subgroupSize = subgroupSize
            self.apiVersion = apiVersion
            self.vendorTool = vendorTool
        }
    }

    public struct Disk: Sendable, Equatable {
        public var name: String
        public var model: String?
        public var bytes: Int
        public var rotational: Bool?
        public init(name: String, model: String?, bytes: Int, rotational: Bool?) {
            self.name = name
            self.model = model
            self.bytes = bytes
            self.rotational = rotational
        }
    }

    public var cpuModel: String
    public var architecture: String
    public var cores: Int
    public var threads: Int
    public var simd: [String]
    public var caches: [Cache]
    public var numa: [NUMANode]
    public var memoryBytes: Int
    public var gpus: [GPU]
    public var disks: [Disk]
    public var os: String
    public var kernel: String
    /// The Landlock ABI version, nil when the kernel has none (or it is disabled).
    public var landlockABI: Int?

    public init(
        cpuModel: String, architecture: String, cores: Int, threads: Int, simd: [String], caches: [Cache],
        numa: [NUMANode], memoryBytes: Int, gpus: [GPU], disks: [Disk], os: String, kernel: String,
        landlockABI: Int?
    ) {
        self.cpuModel = cpuModel
        self.architecture = architecture
        self.cores = cores
        self.threads = threads
        self.simd = simd
        self.caches = caches
        self.numa = numa
        self.memoryBytes = memoryBytes
        self.gpus = gpus
        self.disks = disks
        self.os = os
        self.kernel = kernel
        self.landlockABI = landlockABI
    }

    /// The largest data or unified cache (the last level): STREAM's arrays must dwarf it.
    public var lastLevelCacheBytes: Int {
        caches.filter { $0.kind != "instruction" }.max { $0.level < $1.level }?.bytes ?? 32 << 20
    }

    public static let recordType = "hardware"

    public var record: Record {
        var fields = JSONObject()
        fields["cpu_model"] = .string(cpuModel)
        fields["architecture"] = .string(architecture)
        fields["cores"] = .number(Double(cores))
        fields["threads"] = .number(Double(threads))
        fields["simd"] = .array(simd.map { .string($0) })
        fields["caches"] = .array(
            caches.map {
                .object(
                    JSONObject([
                        "level": .number(Double($0.level)), "kind": .string($0.kind),
                        "bytes": .number(Double($0.bytes)), "shared_by": .number(Double($0.sharedBy)),
                    ]))
            })
        fields["numa"] = .array(
            numa.map {
                .object(
                    JSONObject([
                        "node": .number(Double($0.node)), "cpus": .string($0.cpus),
                        "memory_bytes": $0.memoryBytes.map { .number(Double($0)) } ?? .null,
                    ]))
            })
        fields["memory_bytes"] = .number(Double(memoryBytes))
        fields["gpus"] = .array(
            gpus.map { gpu in
                var object = JSONObject([
                    "name": .string(gpu.name), "vendor": .string(gpu.vendor), "device_type": .string(gpu.deviceType),
                    "memory_bytes": gpu.memoryBytes.map { .number(Double($0)) } ?? .null,
                    "subgroup_size": gpu.subgroupSize.map { .number(Double($0)) } ?? .null,
                    "api_version": gpu.apiVersion.map { .string($0) } ?? .null, "source": .string("vulkan"),
                ])
                if let tool = gpu.vendorTool { object["vendor_tool"] = .object(tool) }
                return .object(object)
            })
        fields["disks"] = .array(
            disks.map {
                .object(
                    JSONObject([
                        "name": .string($0.name), "model": $0.model.map { .string($0) } ?? .null,
                        "bytes": .number(Double($0.bytes)),
                        "rotational": $0.rotational.map { .bool($0) } ?? .null,
                    ]))
            })
        fields["os"] = .string(os)
        fields["kernel"] = .string(kernel)
        fields["landlock_abi"] = landlockABI.map { .number(Double($0)) } ?? .null
        return Record(type: Self.recordType, fields: fields)
    }

    /// A hardware record read back; nil when it is not one or lacks the CPU and memory fields.
    public init?(record: Record) {
        guard record.type == Self.recordType, let model = record["cpu_model"]?.stringValue,
            let memory = record["memory_bytes"]?.intValue
        else { return nil }
        func objects(_ key: String) -> [JSONObject] { record[key]?.arrayValue?.compactMap(\.objectValue) ?? [] }
        self.init(
            cpuModel: model, architecture: record["architecture"]?.stringValue ?? "",
            cores: record["cores"]?.intValue ?? 1, threads: record["threads"]?.intValue ?? 1,
            simd: record["simd"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            caches: objects("caches").compactMap { object in
                guard let level = object["level"]?.intValue, let bytes = object["bytes"]?.intValue else { return nil }
                return Cache(
                    level: level, kind: object["kind"]?.stringValue ?? "unified", bytes: bytes,
                    sharedBy: object["shared_by"]?.intValue ?? 1)
            },
            numa: objects("numa").compactMap { object in
                guard let node = object["node"]?.intValue else { return nil }
                return NUMANode(
                    node: node, cpus: object["cpus"]?.stringValue ?? "", memoryBytes: object["memory_bytes"]?.intValue)
            },
            memoryBytes: memory,
            gpus: objects("gpus").compactMap { object in
                guard let name = object["name"]?.stringValue else { return nil }
                return GPU(
                    name: name, vendor: object["vendor"]?.stringValue ?? "",
                    deviceType: object["device_type"]?.stringValue ?? "", memoryBytes: object["memory_bytes"]?.intValue,
                    subgroupSize: object["subgroup_size"]?.intValue, apiVersion: object["api_version"]?.stringValue,
                    vendorTool: object["vendor_tool"]?.objectValue)
            },
            disks: objects("disks").compactMap { object in
                guard let name = object["name"]?.stringValue else { return nil }
                return Disk(
                    name: name, model: object["model"]?.stringValue, bytes: object["bytes"]?.intValue ?? 0,
                    rotational: object["rotational"]?.boolValue)
            },
            os: record["os"]?.stringValue ?? "", kernel: record["kernel"]?.stringValue ?? "",
            landlockABI: record["landlock_abi"]?.intValue)
    }
}
