/// Runs every secret detector over one file and keeps one finding per secret: a provider's
/// format wins over a URI password, a .env value or a generic assignment on the same line.
enum SecretScanner {
    static func scan(_ text: inout ByteText, file: String, kind: FileKind, into findings: inout [Finding]) {
        if Decoys.isFixturePath(file) { return }
        var hits: [ContextDetectors.Hit] = []
        let detectors = ProviderDetectors.all
        ProviderDetectors.index.forEachMatch(in: text) { index, offset in
            let detector = detectors[index]
            do {
                if let last = hits.last, last.range.contains(offset) { return }
                guard let range = detector.match(text, offset) else { return }
                if hits.contains(where: { $0.range.overlaps(range) }) { return }
                let secret = text.slice(range)
                let body = text.slice(
                    min(range.lowerBound + detector.anchor.utf8CodeUnitCount, range.upperBound)..<range.upperBound)
                if detector.check == CheckCatalog.privateKey {
                    if Decoys.containsAny(secret, ["example", "xxxx", "...", "<", "redacted"]) { return }
                } else if Decoys.isPlaceholder(secret) || Decoys.isLowVariety(body) {
                    return
                }
                hits.append(ContextDetectors.Hit(check: detector.check, label: detector.label, range: range))
            }
        }
        let providerCount = hits.count
        ContextDetectors.serviceAccount(text, into: &hits)
        if kind.contains(.yaml) || kind.contains(.json) { ContextDetectors.kubernetesSecret(text, into: &hits) }
        ContextDetectors.uriCredentials(text, into: &hits)
        if kind.contains(.env) {
            ContextDetectors.envValues(text, into: &hits)
        } else {
            ContextDetectors.genericAssignments(text, unquotedValues: kind.contains(.unquotedConfig), into: &hits)
        }
        let hasServiceAccount = hits.contains { $0.check == CheckCatalog.gcpServiceAccount }
        var providerLines: Set<Int> = []
        var seenLines: Set<Int> = []
        for (index, hit) in hits.enumerated() {
            if hasServiceAccount && hit.check == CheckCatalog.privateKey { continue }
            let line = text.lineNumber(at: hit.range.lowerBound)
            if index < providerCount {
                providerLines.insert(line)
            } else {
                // One contextual finding per line, and none where a provider's format was found.
                if providerLines.contains(line) || !seenLines.insert(line).inserted { continue }
            }
            let secret = text.slice(hit.range)
            let endLine = hit.check == CheckCatalog.privateKey ? text.lineNumber(at: hit.range.upperBound) : line
            findings.append(
                Finding(
                    check: hit.check, file: file, line: line, endLine: endLine,
                    message: "\(hit.label) \(SecretRedaction.describe(secret))",
                    evidence: String(decoding: secret, as: UTF8.self)))
        }
    }
}
