import MybroCore

/// The options, the one chosen (nil: nothing fits) and the reason in one sentence.
public struct RouteDecision: Sendable, Equatable {
    public var workload: Workload
    public var options: [RouteOption]
    public var choice: RouteOption?
    public var classification: Classification
    public var constraints: RouteConstraints

    /// Why this choice, in words a person checks at a glance.
    public var reason: String {
        let local = options.first(where: \.isLocal)
        let clouds = options.filter { !$0.isLocal }
        let cheapestCloud = clouds.filter(\.feasible).min { Router.better($0, than: $1) }
        let fastestCloud = clouds.filter { $0.seconds != nil && $0.gpu != nil }.min {
            ($0.seconds ?? .infinity) < ($1.seconds ?? .infinity)
        }
        guard let choice else {
            var parts = ["nothing fits \(workload.phrase): this machine: \(localWhy(local))"]
            if clouds.isEmpty {
                parts.append("no cloud offers on stdin (pipe in mybro-gpu offers --format json)")
            } else if let fastestCloud {
                parts.append("the fastest cloud offer, \(fastestCloud.label): \(fastestCloud.whyNot ?? "does not fit")")
            } else {
                parts.append("none of the \(clouds.count) cloud offers has a known GPU")
            }
            return parts.joined(separator: "; ")
        }
        if choice.isLocal {
            var text = "\(workload.phrase) takes \(RouteFormat.duration(choice.seconds ?? 0)) here and costs nothing"
            if let deadline = constraints.deadlineSeconds {
                text += ", within the \(RouteFormat.duration(deadline)) deadline"
            }
            if let cheapestCloud {
                text +=
                    "; the cheapest cloud offer, \(cheapestCloud.label), would take "
                    + "\(RouteFormat.duration(cheapestCloud.seconds ?? 0)) and cost \(RouteFormat.dollars(cheapestCloud.cost))"
                if constraints.deadlineSeconds == nil, let seconds = cheapestCloud.seconds,
                    seconds < (choice.seconds ?? 0)
                {
                    text += " (give --deadline to trade money for time)"
                }
            }
            return text
        }
        let meeting = options.filter(\.feasible).count
        var text =
            "\(workload.phrase): \(localWhy(local)); \(choice.label) takes "
            + "\(RouteFormat.duration(choice.seconds ?? 0)) for \(RouteFormat.dollars(choice.cost)), "
        text += meeting == 1 ? "the only offer that fits" : "the cheapest of \(meeting) offers that fit"
        if let deadline = constraints.deadlineSeconds {
            text += " and meet the \(RouteFormat.duration(deadline)) deadline"
        }
        return text
    }

    private func localWhy(_ local: RouteOption?) -> String {
        guard let local else { return "was not considered" }
        return local.whyNot ?? "could run it"
    }

    public static let recordType = "route_choice"

    public var record: Record {
        var fields = JSONObject()
        fields["choice"] = choice.map { .string($0.id) } ?? .null
        fields["where"] = choice.map { .string($0.isLocal ? "local" : "cloud") } ?? .null
        fields["est_seconds"] = choice?.seconds.map { .number(Measurement.rounded($0)) } ?? .null
        fields["est_cost"] = choice.map { .number(($0.cost * 100).rounded() / 100) } ?? .null
        fields["reason"] = .string(reason)
        fields["classification"] = .string(classification.text)
        fields["bound"] = .string(classification.bound.rawValue)
        fields["size"] = .string(classification.size.rawValue)
        fields["intensity"] =
            classification.intensity.isFinite
            ? .number(Measurement.rounded(classification.intensity)) : .null
        fields["ridge_point"] = classification.ridgePoint.map { .number(Measurement.rounded($0)) } ?? .null
        fields["workload"] = .string(workload.phrase)
        fields["budget"] = constraints.budgetDollars.map { .number($0) } ?? .null
        fields["deadline_s"] = constraints.deadlineSeconds.map { .number($0) } ?? .null
        return Record(type: Self.recordType, fields: fields)
    }
}
