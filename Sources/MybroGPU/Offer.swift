import MybroCore

/// One thing that can be rented now: an instance type in one region, on demand or spot.
/// `GET /instances/types` lists types with their regions; each available region is an offer.
public struct Offer: Sendable, Equatable {
    public var cloud: String
    public var region: String
    public var regionName: String?
    public var shadeInstanceType: String
    public var cloudInstanceType: String
    public var gpuType: String
    public var gpus: Int
    public var vramPerGPU: Int
    public var interconnect: String
    public var nvlink: Bool
    /// The whole instance's price per hour in cents.
    public var hourlyCents: Int
    public var spot: Bool
    public var bootMinSeconds: Int?
    public var bootMaxSeconds: Int?
    public var osOptions: [String]
    public var vcpus: Int?
    public var memoryGB: Int?

    public init(
        cloud: String, region: String, regionName: String? = nil, shadeInstanceType: String, cloudInstanceType: String,
        gpuType: String, gpus: Int, vramPerGPU: Int, interconnect: String, nvlink: Bool, hourlyCents: Int, spot: Bool,
        bootMinSeconds: Int?, bootMaxSeconds: Int?, osOptions: [String], vcpus: Int? = nil, memoryGB: Int? = nil
    ) {
        self.cloud = cloud
        self.region = region
        self.regionName = regionName
        self.shadeInstanceType = shadeInstanceType
        self.cloudInstanceType = cloudInstanceType
        self.gpuType = gpuType
        self.gpus = gpus
        self.vramPerGPU = vramPerGPU
        self.interconnect = interconnect
        self.nvlink = nvlink
        self.hourlyCents = hourlyCents
        self.spot = spot
        self.bootMinSeconds = bootMinSeconds
        self.bootMaxSeconds = bootMaxSeconds
        self.osOptions = osOptions
        self.vcpus = vcpus
        self.memoryGB = memoryGB
    }

    /// `cloud/region/type` (with `/spot` for spot rentals): what `launch OFFER-ID` takes.
    public var id: String { "\(cloud)/\(region)/\(shadeInstanceType)" + (spot ? "/spot" : "") }

    public var totalVRAM: Int { vramPerGPU * gpus }

    /// Whether the GPUs talk over NVLink (or SXM, whose boards carry it).
    public var hasNVLink: Bool {
        nvlink || interconnect.lowercased().contains("nvlink") || interconnect.lowercased().hasPrefix("sxm")
    }

    /// Every available offer of `types`: on-demand entries, or with `spot` the spot entries
    /// (priced by their own dollar string).
    public static func offers(from types: [InstanceType], spot: Bool = false) -> [Offer] {
        var offers: [Offer] = []
        for type in types {
            var seen = Set<String>()
            for entry in type.availability where entry.available {
                let isSpot = (entry.rentalType ?? "on_demand") == "spot"
                guard isSpot == spot, seen.insert(entry.region).inserted else { continue }
                var price = type.hourlyPrice
                if isSpot {
                    guard let text = entry.hourlyPrice, let cents = Money.cents(fromDollars: text) else { continue }
                    price = cents
                }
                let configuration = type.configuration
                offers.append(
                    Offer(
                        cloud: type.cloud, region: entry.region, regionName: entry.displayName,
                        shadeInstanceType: type.shadeInstanceType, cloudInstanceType: type.cloudInstanceType,
                        gpuType: configuration.gpuType, gpus: configuration.numGpus,
                        vramPerGPU: configuration.vramPerGpuInGb, interconnect: configuration.interconnect ?? "",
                        nvlink: configuration.nvlink ?? false, hourlyCents: price, spot: isSpot,
                        bootMinSeconds: type.bootTime?.minBootInSec, bootMaxSeconds: type.bootTime?.maxBootInSec,
                        osOptions: configuration.osOptions ?? [], vcpus: configuration.vcpus,
                        memoryGB: configuration.memoryInGb))
            }
        }
        return offers
    }

    /// The `offer` record (see mybro-protocol(7)).
    public var record: Record {
        var fields = JSONObject()
        fields["id"] = .string(id)
        fields["cloud"] = .string(cloud)
        fields["region"] = .string(region)
        if let regionName { fields["region_name"] = .string(regionName) }
        fields["shade_instance_type"] = .string(shadeInstanceType)
        fields["cloud_instance_type"] = .string(cloudInstanceType)
        fields["gpu_type"] = .string(gpuType)
        fields["gpus"] = .number(Double(gpus))
        fields["vram_per_gpu_gb"] = .number(Double(vramPerGPU))
        fields["vram_gb"] = .number(Double(totalVRAM))
        fields["interconnect"] = .string(interconnect)
        fields["nvlink"] = .bool(hasNVLink)
        fields["hourly_cents"] = .number(Double(hourlyCents))
        fields["hourly_price"] = .string(Money.dollars(hourlyCents))
        fields["rental_type"] = .string(spot ? "spot" : "on_demand")
        fields["boot_min_s"] = bootMinSeconds.map { .number(Double($0)) } ?? .null
        fields["boot_max_s"] = bootMaxSeconds.map { .number(Double($0)) } ?? .null
        return Record(type: "offer", fields: fields)
    }
}
