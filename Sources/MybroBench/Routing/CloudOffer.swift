import MybroCore

/// An `offer` record from `mybro-gpu offers --format json`, as much of it as routing needs.
public struct CloudOffer: Sendable, Equatable {
    public var id: String
    public var gpuType: String
    public var gpus: Int
    public var vramPerGPU: Double
    public var interconnect: String
    /// The whole instance's price per hour, in cents.
    public var hourlyCents: Int
    /// Seconds from launch until the machine takes work (the offer's worst case).
    public var bootSeconds: Double
    /// Whether the offer gave no boot time, so `bootSeconds` is the assumed `unknownBootSeconds`.
    public var bootAssumed: Bool

    /// Boot time assumed for an offer that states none.
    public static let unknownBootSeconds = 600.0

    public init(
        id: String, gpuType: String, gpus: Int, vramPerGPU: Double, interconnect: String, hourlyCents: Int,
        bootSeconds: Double?
    ) {
        self.id = id
        self.gpuType = gpuType
        self.gpus = gpus
        self.vramPerGPU = vramPerGPU
        self.interconnect = interconnect
        self.hourlyCents = hourlyCents
        self.bootSeconds = bootSeconds ?? Self.unknownBootSeconds
        self.bootAssumed = bootSeconds == nil
    }

    /// Reads an offer record; the error names what is missing (the record is then skipped).
    public init(record: Record) throws(MybroError) {
        func text(_ key: String) -> String? { record[key]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        guard let gpuType = text("gpu_type") else {
            throw MybroError("an offer record without gpu_type", status: .dataError)
        }
        guard let gpus = record["gpus"]?.intValue, (1...1024).contains(gpus) else {
            throw MybroError("offer of \(gpuType): gpus must be a whole number from 1 to 1024", status: .dataError)
        }
        guard let cents = record["hourly_cents"]?.intValue, (0...100_000_000).contains(cents) else {
            throw MybroError(
                "offer of \(gpuType): hourly_cents must be whole cents from 0 to 100000000", status: .dataError)
        }
        let id =
            text("id")
            ?? [text("cloud"), text("region"), text("shade_instance_type")].compactMap { $0 }
            .joined(separator: "/")
        let vram =
            record["vram_per_gpu_gb"]?.doubleValue ?? record["vram_gb"]?.doubleValue.map { $0 / Double(gpus) } ?? 0
        let boot = (record["boot_max_s"]?.doubleValue ?? record["boot_min_s"]?.doubleValue).flatMap {
            $0.isFinite && $0 >= 0 && $0 <= 7 * 86400 ? $0 : nil
        }
        self.init(
            id: id.isEmpty ? gpuType : id, gpuType: gpuType, gpus: gpus,
            vramPerGPU: vram.isFinite && vram >= 0 ? vram : 0, interconnect: text("interconnect") ?? "",
            hourlyCents: cents, bootSeconds: boot)
    }
}
