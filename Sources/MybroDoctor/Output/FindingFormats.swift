import MybroCore

/// The output formats: JSON Lines records, ruff-like text and SARIF 2.1.0.
public enum OutputFormat: String, CaseIterable, Sendable {
    case jsonl, text, sarif
}

public enum FindingFormats {
    public static func record(_ finding: Finding) -> Record {
        var fields = JSONObject()
        fields["check"] = .string(finding.check)
        fields["category"] = .string(finding.category.rawValue)
        fields["severity"] = .string(finding.severity.rawValue)
        if let file = finding.file { fields["file"] = .string(file) }
        if let line = finding.line {
            fields["line"] = .number(Double(line))
            fields["end_line"] = .number(Double(finding.endLine ?? line))
        }
        if let commit = finding.commit { fields["commit"] = .string(commit) }
        fields["message"] = .string(finding.message)
        fields["fix"] = .string(finding.fix)
        fields["fingerprint"] = .string(finding.fingerprint)
        return Record(type: "finding", fields: fields)
    }

    // MARK: text

    /// ruff-style: `file:line: check [severity] message`, grouped by file, then a summary line.
    public static func text(_ report: DoctorReport, colour: Bool) -> String {
        func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func severityColour(_ severity: Severity) -> String {
            switch severity {
            case .critical: "1;31"
            case .high: "31"
            case .medium: "33"
            case .low: "36"
            case .info: "2"
            }
        }
        var out = ""
        var currentFile: String?? = .none
        for finding in report.findings {
            if currentFile != .some(finding.file) {
                if currentFile != nil { out += "\n" }
                out += paint(finding.file ?? "(repository)", "1") + "\n"
                currentFile = .some(finding.file)
            }
            var location = finding.file ?? "."
            if let line = finding.line { location += ":\(line)" }
            if let commit = finding.commit { location = "\(commit.prefix(12)):" + location }
            out += "  \(location): \(paint(finding.check, severityColour(finding.severity))) "
            out += "[\(finding.severity.rawValue)] \(finding.message)\n"
            out += paint("    fix: \(finding.fix)", "2") + "\n"
        }
        let summary = Summary(report.findings)
        if !report.findings.isEmpty { out += "\n" }
        let counts = Severity.allCases.compactMap { severity in
            summary.bySeverity[severity].map { "\($0) \(severity.rawValue)" }
        }
        out += "Found \(summary.total) problem\(summary.total == 1 ? "" : "s")"
        if !counts.isEmpty { out += " (\(counts.joined(separator: ", ")))" }
        out += " in \(report.filesScanned) files. Health score \(summary.score)/100.\n"
        return out
    }

    // MARK: SARIF

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    /// GitHub's security-severity scale (0-10) for code scanning's severity badges.
    static func securitySeverity(_ severity: Severity) -> String {
        switch severity {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "0.0"
        }
    }

    public static func sarif(_ report: DoctorReport, version: String) -> String {
        let used = Set(report.findings.map(\.check))
        let rules = CheckCatalog.all.filter { used.contains($0.id) }
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let ruleObjects: [JSONValue] = rules.map { check in
            .object(
                JSONObject([
                    "id": .string(check.id),
                    "name": .string(check.id.replacingOccurrences(of: ".", with: "/")),
                    "shortDescription": .object(JSONObject(["text": .string(check.title)])),
                    "fullDescription": .object(JSONObject(["text": .string("\(check.title). Fix: \(check.fix).")])),
                    "help": .object(JSONObject(["text": .string(check.fix)])),
                    "defaultConfiguration": .object(JSONObject(["level": .string(level(check.severity))])),
                    "properties": .object(
                        JSONObject([
                            "tags": .array([.string(check.category.rawValue)]),
                            "security-severity": .string(securitySeverity(check.severity)),
                        ])),
                ]))
        }
        let results: [JSONValue] = report.findings.map { finding in
            var result = JSONObject()
            result["ruleId"] = .string(finding.check)
            result["ruleIndex"] = .number(Double(ruleIndex[finding.check] ?? 0))
            result["level"] = .string(level(finding.severity))
            var message = finding.message
            if let commit = finding.commit { message += " (commit \(commit))" }
            result["message"] = .object(JSONObject(["text": .string(message)]))
            // GitHub code scanning shows a result only with a location: a repository-level
            // finding points at the repository root, a whole-file finding at its first line.
            var physical = JSONObject()
            physical["artifactLocation"] = .object(JSONObject(["uri": .string(finding.file.map(uri) ?? ".")]))
            let line = finding.line ?? 1
            physical["region"] = .object(
                JSONObject([
                    "startLine": .number(Double(line)), "endLine": .number(Double(finding.endLine ?? line)),
                ]))
            result["locations"] = .array([.object(JSONObject(["physicalLocation": .object(physical)]))])
            result["partialFingerprints"] = .object(
                JSONObject([
                    "primaryLocationLineHash": .string(finding.fingerprint + ":1"),
                    "mybroFingerprint/v1": .string(finding.fingerprint),
                ]))
            return .object(result)
        }
        let driver = JSONObject([
            "name": "mybro-doctor", "version": .string(version),
            "informationUri": "https://github.com/mybro/mybro", "rules": .array(ruleObjects),
        ])
        let run = JSONObject([
            "tool": .object(JSONObject(["driver": .object(driver)])),
            "results": .array(results),
            "columnKind": "unicodeCodePoints",
        ])
        let log = JSONObject([
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": .array([.object(run)]),
        ])
        return log.serialized()
    }

    /// A relative path as a URI reference (percent-encoding what a URI may not hold).
    static func uri(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            if ByteClass.isAlnum(byte) || "/-._~".utf8.contains(byte) {
                out.append(Character(Unicode.Scalar(byte)))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
