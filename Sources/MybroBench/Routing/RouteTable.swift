/// The decision as a table for a terminal: one row per option, then the choice and the reason.
public enum RouteTable {
    public static func text(_ decision: RouteDecision) -> String {
        var rows = [["OPTION", "GPU", "$/HOUR", "TIME", "COST", "FITS"]]
        for option in decision.options {
            let gpu: String
            if let offer = option.offer {
                gpu = (offer.gpus > 1 ? "\(offer.gpus)× " : "") + (option.gpu?.name ?? offer.gpuType)
            } else {
                gpu = "-"
            }
            rows.append([
                option.id, gpu, option.offer.map { RouteFormat.dollars(Double($0.hourlyCents) / 100) } ?? "$0",
                option.seconds.map { RouteFormat.duration($0) } ?? "-",
                option.seconds == nil ? "-" : RouteFormat.dollars(option.cost),
                option.feasible ? "yes" : "no: " + (option.whyNot ?? ""),
            ])
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for row in rows {
            for column in 0..<5 {
                let cell = row[column]
                text += cell + String(repeating: " ", count: widths[column] - cell.count + 2)
            }
            text += row[5] + "\n"
        }
        text += "\nworkload:       \(decision.workload.phrase)\n"
        text += "classification: \(decision.classification.text)"
        if let ridge = decision.classification.ridgePoint {
            text += " (intensity \(RouteFormat.scientific(decision.classification.intensity)) flop/byte, ridge point "
            text += "\(RouteFormat.scientific(ridge)))"
        }
        text += "\nchoice:         \(decision.choice?.label ?? "none")\n"
        text += "reason:         \(decision.reason)"
        return text
    }
}
