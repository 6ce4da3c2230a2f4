import MybroCore

/// One place the workload could run, with its estimate and, when it cannot be chosen, why not.
public struct RouteOption: Sendable, Equatable {
    public enum Place: Sendable, Equatable {
        case local
        case cloud(CloudOffer)
    }

    public var place: Place
    /// The published specification the estimate used (cloud only).
    public var gpu: GPUSpecification?
    /// Estimated wall-clock seconds from now until the work is done (nil: cannot be estimated).
    public var seconds: Double?
    public var bootSeconds: Double = 0
    public var transferSeconds: Double = 0
    public var computeSeconds: Double?
    /// Estimated dollars (0 here).
    public var cost: Double = 0
    /// How the compute time was estimated, in words.
    public var basis: String
    public var whyNot: String?

    public init(place: Place, gpu: GPUSpecification? = nil, basis: String) {
        self.place = place
        self.gpu = gpu
        self.basis = basis
    }

    public var feasible: Bool { whyNot == nil && seconds != nil }

    public var isLocal: Bool { place == .local }

    public var id: String {
        switch place {
        case .local: return "local"
        case .cloud(let offer): return offer.id
        }
    }

    public var offer: CloudOffer? {
        if case .cloud(let offer) = place { return offer }
        return nil
    }

    /// "this machine" or "runpod/eu-se-1/H100 (H100 PCIe)".
    public var label: String {
        guard let offer else { return "this machine" }
        let count = offer.gpus > 1 ? "\(offer.gpus)× " : ""
        return "\(offer.id) (\(count)\(gpu?.name ?? offer.gpuType))"
    }

    public static let recordType = "route_option"

    public var record: Record {
        func number(_ value: Double?) -> JSONValue {
            guard let value, value.isFinite else { return .null }
            return .number(Measurement.rounded(value))
        }
        var fields = JSONObject()
        fields["where"] = .string(isLocal ? "local" : "cloud")
        fields["id"] = .string(id)
        fields["gpu_type"] = offer.map { .string($0.gpuType) } ?? .null
        fields["gpu"] = gpu.map { .string($0.name) } ?? .null
        fields["gpus"] = offer.map { .number(Double($0.gpus)) } ?? .null
        fields["hourly_cents"] = .number(Double(offer?.hourlyCents ?? 0))
        fields["est_seconds"] = number(seconds)
        fields["boot_s"] = number(bootSeconds)
        fields["transfer_s"] = number(transferSeconds)
        fields["compute_s"] = number(computeSeconds)
        fields["est_cost"] = .number((cost * 100).rounded() / 100)
        fields["feasible"] = .bool(feasible)
        fields["why_not"] = whyNot.map { .string($0) } ?? .null
        fields["basis"] = .string(basis)
        return Record(type: Self.recordType, fields: fields)
    }
}
