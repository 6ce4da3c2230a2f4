import MybroCore

/// Counts by category and severity and the health score.
///
/// The score starts at 100 and loses, for each check, its severity's penalty (critical 25,
/// high 10, medium 4, low 1, info 0) once per finding, at most three times per check, so one
/// noisy check cannot hide the others; it never goes below 0.
public struct Summary: Sendable, Equatable {
    public var byCategory: [Category: Int] = [:]
    public var bySeverity: [Severity: Int] = [:]
    public var total = 0
    public var score = 100

    public init(_ findings: [Finding]) {
        var perCheck: [String: (count: Int, severity: Severity)] = [:]
        for finding in findings {
            byCategory[finding.category, default: 0] += 1
            bySeverity[finding.severity, default: 0] += 1
            total += 1
            perCheck[finding.check, default: (0, finding.severity)].count += 1
        }
        let penalty = perCheck.values.reduce(0) { $0 + min($1.count, 3) * $1.severity.penalty }
        score = max(0, 100 - penalty)
    }

    public var worst: Severity? { Severity.allCases.first { (bySeverity[$0] ?? 0) > 0 } }

    public func record(report: DoctorReport) -> Record {
        var categories = JSONObject()
        for category in Category.allCases { categories[category.rawValue] = .number(Double(byCategory[category] ?? 0)) }
        var severities = JSONObject()
        for severity in Severity.allCases { severities[severity.rawValue] = .number(Double(bySeverity[severity] ?? 0)) }
        var fields = JSONObject()
        fields["findings"] = .number(Double(total))
        fields["by_category"] = .object(categories)
        fields["by_severity"] = .object(severities)
        fields["score"] = .number(Double(score))
        fields["files"] = .number(Double(report.filesScanned))
        fields["bytes"] = .number(Double(report.bytesScanned))
        fields["skipped_binary"] = .number(Double(report.skippedBinary))
        fields["unreadable"] = .number(Double(report.unreadable.count))
        if report.baselined > 0 { fields["baselined"] = .number(Double(report.baselined)) }
        return Record(type: "summary", fields: fields)
    }
}
