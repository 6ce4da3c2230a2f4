import MybroCore

/// The product's compute rule: estimate every option, drop those that cannot run the workload
/// (memory), break the budget or miss the deadline, and take the cheapest of the rest. Costs
/// within `nearTie` of the cheapest count as the same; among those this machine wins, then the
/// fastest. This machine costs nothing, so it wins whenever it fits and meets the deadline.
public enum Router {
    /// Two costs closer than this (dollars) are a tie.
    public static let nearTie = 0.01

    /// `local` is nil when there is no profile; `missingProfile` then says how to make one.
    public static func route(
        _ workload: Workload, local: LocalCapabilities?, missingProfile: String? = nil, offers: [CloudOffer],
        constraints: RouteConstraints
    ) -> RouteDecision {
        var options: [RouteOption] = []
        if let local {
            options.append(LocalEstimate.option(for: workload, capabilities: local))
        } else {
            var option = RouteOption(place: .local, basis: "no profile")
            option.whyNot = missingProfile ?? "no profile of this machine: make one with mybro-bench --save FILE"
            options.append(option)
        }
        for offer in offers {
            options.append(CloudEstimate.option(for: workload, offer: offer, constraints: constraints))
        }
        for index in options.indices where options[index].whyNot == nil {
            options[index].whyNot = violation(options[index], constraints)
        }
        let feasible = options.filter(\.feasible)
        let choice = feasible.min { better($0, than: $1) }
        let localSeconds = options.first(where: \.isLocal)?.seconds
        let fastestCloud = options.filter { !$0.isLocal }.compactMap(\.computeSeconds).min()
        let classification = Classification(
            intensity: workload.intensity, ridgePoint: local?.ridgePoint, seconds: localSeconds ?? fastestCloud)
        return RouteDecision(
            workload: workload, options: options, choice: choice, classification: classification,
            constraints: constraints)
    }

    /// Why an option that can run the work breaks a constraint, or nil.
    static func violation(_ option: RouteOption, _ constraints: RouteConstraints) -> String? {
        guard let seconds = option.seconds else { return "cannot be estimated" }
        if let deadline = constraints.deadlineSeconds, seconds > deadline {
            let place = option.isLocal ? "here" : "there"
            return
                "takes \(RouteFormat.duration(seconds)) \(place), past the \(RouteFormat.duration(deadline)) deadline"
        }
        if let budget = constraints.budgetDollars, option.cost > budget {
            return "costs \(RouteFormat.dollars(option.cost)), over the \(RouteFormat.dollars(budget)) budget"
        }
        return nil
    }

    /// The choice order: cheaper (beyond a near-tie), then this machine, then faster, then by id.
    static func better(_ a: RouteOption, than b: RouteOption) -> Bool {
        if abs(a.cost - b.cost) >= nearTie { return a.cost < b.cost }
        if a.isLocal != b.isLocal { return a.isLocal }
        let (sa, sb) = (a.seconds ?? .infinity, b.seconds ?? .infinity)
        if sa != sb { return sa < sb }
        return a.id < b.id
    }
}
