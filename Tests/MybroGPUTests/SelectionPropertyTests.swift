import Foundation
import MybroGPU
import Testing

/// The chosen offer equals a brute-force optimum over generated offers, for many seeds.
@Suite struct SelectionPropertyTests {
    static let seeds = 0..<3000
    static let gpuTypes = ["H100", "A100", "A100_80G", "RTX4090", "A6000", "L40S"]
    static let clouds = ["aws", "hyperstack", "lambdalabs", "runpod", "datacrunch"]
    static let regions = ["us-east-1", "us-west-2", "us-central-1", "canada-1", "eu-se-1", "fin-01"]

    @Test func theChoiceIsTheBruteForceOptimum() {
        var checked = 0
        var nonEmpty = 0
        for seed in Self.seeds {
            var random = SplitMix64(seed: UInt64(seed))
            let offers = Self.offers(&random)
            let constraints = Self.constraints(&random)
            let ranked = constraints.rank(offers)
            let optimum = Self.bruteForceBest(offers, constraints)
            #expect(ranked.first == optimum, "seed \(seed)")
            // Every ranked offer is acceptable, and every acceptable offer is ranked.
            #expect(ranked.count == offers.filter { Self.acceptable($0, constraints) }.count, "seed \(seed)")
            checked += 1
            if optimum != nil { nonEmpty += 1 }
        }
        #expect(checked == Self.seeds.count)
        // The generator must exercise the interesting case most of the time.
        #expect(nonEmpty > Self.seeds.count / 2, "only \(nonEmpty) seeds had an acceptable offer")
    }

    @Test func failoverTriesOtherRegionsThenCloudsThenTypes() {
        func offer(_ cloud: String, _ region: String, _ type: String, _ cents: Int) -> Offer {
            Offer(
                cloud: cloud, region: region, shadeInstanceType: type, cloudInstanceType: type, gpuType: "H100",
                gpus: 1, vramPerGPU: 80, interconnect: "pcie", nvlink: false, hourlyCents: cents, spot: false,
                bootMinSeconds: 60, bootMaxSeconds: 120, osOptions: [])
        }
        let ranked = [
            offer("a", "r1", "T1", 100), offer("b", "r1", "T2", 110), offer("b", "r2", "T1", 120),
            offer("a", "r2", "T1", 130), offer("c", "r1", "T2", 140),
        ]
        let plan = FailoverPlan.order(ranked).map(\.id)
        #expect(plan == ["a/r1/T1", "a/r2/T1", "b/r2/T1", "b/r1/T2", "c/r1/T2"])
    }

    // MARK: the generator

    static func offers(_ random: inout SplitMix64) -> [Offer] {
        (0..<random.int(1...40)).map { _ in
            let gpus = [1, 1, 2, 4, 8].randomElement(using: &random)!
            let boot = random.int(0...3) == 0 ? nil : random.int(30...900)
            return Offer(
                cloud: clouds.randomElement(using: &random)!, region: regions.randomElement(using: &random)!,
                shadeInstanceType: "T\(random.int(0...9))", cloudInstanceType: "x",
                gpuType: gpuTypes.randomElement(using: &random)!, gpus: gpus,
                vramPerGPU: [24, 40, 48, 80, 141].randomElement(using: &random)!,
                interconnect: ["pcie", "sxm5", "nvlink"].randomElement(using: &random)!, nvlink: random.int(0...3) == 0,
                hourlyCents: random.int(20...400) * gpus, spot: random.int(0...4) == 0,
                bootMinSeconds: boot.map { $0 / 2 },
                bootMaxSeconds: boot, osOptions: [])
        }
    }

    static func constraints(_ random: inout SplitMix64) -> OfferConstraints {
        var constraints = OfferConstraints()
        if random.int(0...2) == 0 { constraints.gpuTypes = [gpuTypes.randomElement(using: &random)!] }
        if random.int(0...3) == 0 { constraints.count = [1, 2, 4, 8].randomElement(using: &random)! }
        if random.int(0...3) == 0 { constraints.minimumVRAM = [24, 48, 80].randomElement(using: &random)! }
        constraints.requireNVLink = random.int(0...5) == 0
        if random.int(0...4) == 0 {
            constraints.regionPrefixes = [["us-", "eu-", "canada"].randomElement(using: &random)!]
        }
        if random.int(0...2) == 0 {
            constraints.preferredRegionPrefixes = [["us-", "eu-"].randomElement(using: &random)!]
        }
        if random.int(0...2) == 0 { constraints.maximumHourlyCents = random.int(50...1500) }
        if random.int(0...4) == 0 { constraints.clouds = [clouds.randomElement(using: &random)!] }
        constraints.spot = random.int(0...6) == 0
        constraints.sort = OfferConstraints.Sort.allCases.randomElement(using: &random)!
        return constraints
    }

    // MARK: the oracle, written independently of OfferConstraints

    static func acceptable(_ offer: Offer, _ c: OfferConstraints) -> Bool {
        let nvlink = offer.nvlink || offer.interconnect == "nvlink" || offer.interconnect.hasPrefix("sxm")
        return (c.gpuTypes.isEmpty || c.gpuTypes.map { $0.lowercased() }.contains(offer.gpuType.lowercased()))
            && (c.count == nil || c.count == offer.gpus) && (c.minimumVRAM.map { offer.vramPerGPU >= $0 } ?? true)
            && (!c.requireNVLink || nvlink)
            && (c.regionPrefixes.isEmpty || c.regionPrefixes.contains { offer.region.hasPrefix($0) })
            && (c.maximumHourlyCents.map { offer.hourlyCents <= $0 } ?? true)
            && (c.clouds.isEmpty || c.clouds.contains(offer.cloud)) && offer.spot == c.spot
    }

    /// The key to minimise, as exact rationals turned into a tuple compared lexicographically.
    static func key(_ offer: Offer, _ c: OfferConstraints) -> [Double] {
        let preferred: Double = c.preferredRegionPrefixes.contains { offer.region.hasPrefix($0) } ? 0 : 1
        let boot = Double(offer.bootMaxSeconds ?? Int.max)
        let primary: Double
        switch c.sort {
        case .price: primary = Double(offer.hourlyCents)
        case .pricePerGPU: primary = Double(offer.hourlyCents) / Double(offer.gpus)
        case .bootTime: primary = boot
        }
        return [preferred, primary, Double(offer.hourlyCents), boot]
    }

    static func bruteForceBest(_ offers: [Offer], _ c: OfferConstraints) -> Offer? {
        var best: Offer?
        for offer in offers where acceptable(offer, c) {
            guard let current = best else {
                best = offer
                continue
            }
            let a = key(offer, c)
            let b = key(current, c)
            if a.lexicographicallyPrecedes(b) || (a == b && offer.id < current.id) { best = offer }
        }
        return best
    }
}

/// A small seeded generator (SplitMix64), so every seed gives the same offers on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}
