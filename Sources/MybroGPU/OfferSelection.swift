/// What the user asks of an offer, and the order offers are ranked in.
public struct OfferConstraints: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case price
        case pricePerGPU = "price-per-gpu"
        case bootTime = "boot-time"
    }

    /// Accepted GPU types (`H100`, `A100_80G`); empty accepts any. Compared without case.
    public var gpuTypes: [String] = []
    /// Exactly this many GPUs.
    public var count: Int?
    /// At least this much memory per GPU, in GB.
    public var minimumVRAM: Int?
    public var requireNVLink = false
    /// The region must start with one of these (requirement).
    public var regionPrefixes: [String] = []
    /// Offers whose region starts with one of these rank first (preference).
    public var preferredRegionPrefixes: [String] = []
    public var maximumHourlyCents: Int?
    /// Accepted clouds; empty accepts any.
    public var clouds: [String] = []
    public var spot = false
    public var sort = Sort.price

    public init() {}

    public func accepts(_ offer: Offer) -> Bool {
        if !gpuTypes.isEmpty && !gpuTypes.contains(where: { $0.caseInsensitiveCompare(offer.gpuType) == .orderedSame })
        {
            return false
        }
        if let count, offer.gpus != count { return false }
        if let minimumVRAM, offer.vramPerGPU < minimumVRAM { return false }
        if requireNVLink && !offer.hasNVLink { return false }
        if !regionPrefixes.isEmpty && !regionPrefixes.contains(where: { offer.region.hasPrefix($0) }) { return false }
        if let maximumHourlyCents, offer.hourlyCents > maximumHourlyCents { return false }
        if !clouds.isEmpty && !clouds.contains(where: { $0.caseInsensitiveCompare(offer.cloud) == .orderedSame }) {
            return false
        }
        return offer.spot == spot
    }

    func isPreferred(_ offer: Offer) -> Bool {
        preferredRegionPrefixes.contains { offer.region.hasPrefix($0) }
    }

    /// The ranking as a strict total order: preferred regions first, then the sort key, then
    /// price, the slowest expected boot, and the offer id, so the best offer is one offer.
    public func ranksBefore(_ a: Offer, _ b: Offer) -> Bool {
        let preferA = isPreferred(a)
        let preferB = isPreferred(b)
        if preferA != preferB { return preferA }
        switch sort {
        case .price: break
        case .pricePerGPU:
            // a.price / a.gpus < b.price / b.gpus, without division.
            let left = a.hourlyCents * max(b.gpus, 1)
            let right = b.hourlyCents * max(a.gpus, 1)
            if left != right { return left < right }
        case .bootTime:
            let bootA = a.bootMaxSeconds ?? Int.max
            let bootB = b.bootMaxSeconds ?? Int.max
            if bootA != bootB { return bootA < bootB }
        }
        if a.hourlyCents != b.hourlyCents { return a.hourlyCents < b.hourlyCents }
        let bootA = a.bootMaxSeconds ?? Int.max
        let bootB = b.bootMaxSeconds ?? Int.max
        if bootA != bootB { return bootA < bootB }
        return a.id < b.id
    }

    /// The acceptable offers, best first.
    public func rank(_ offers: [Offer]) -> [Offer] {
        offers.filter(accepts).sorted(by: ranksBefore)
    }
}

/// The order launches try offers in when one fails: the best offer, then the same type on the
/// same cloud in other regions, then the same type on other clouds, then the next type.
public enum FailoverPlan {
    public static func order(_ ranked: [Offer]) -> [Offer] {
        var typeOrder: [String] = []
        var byType: [String: [Offer]] = [:]
        for offer in ranked {
            if byType[offer.shadeInstanceType] == nil { typeOrder.append(offer.shadeInstanceType) }
            byType[offer.shadeInstanceType, default: []].append(offer)
        }
        var plan: [Offer] = []
        for type in typeOrder {
            let offers = byType[type]!
            var cloudOrder: [String] = []
            for offer in offers where !cloudOrder.contains(offer.cloud) { cloudOrder.append(offer.cloud) }
            for cloud in cloudOrder { plan += offers.filter { $0.cloud == cloud } }
        }
        return plan
    }
}
