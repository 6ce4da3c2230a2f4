import Foundation
import MybroRules

/// All per-file checks over one file's bytes, then the file's inline `mybro:ignore` comments.
struct ContentScanner: Sendable {
    let policy: PolicyScanner
    var categories: Set<Category> = Set(Category.allCases)

    init(rules: TechnologyRuleSet) { policy = PolicyScanner(rules: rules) }

    /// Scans `bytes` as the file `path`; returns its TODO/FIXME count.
    func scan(
        path: String, bytes: UnsafeBufferPointer<UInt8>, executable: Bool = false, into findings: inout [Finding]
    ) -> Int {
        var text = ByteText(bytes)
        let kind = FileKind.of(path: path, firstBytes: UnsafeBufferPointer(rebasing: bytes.prefix(256)))
        var found: [Finding] = []
        var todos = 0
        if categories.contains(.secret) { SecretScanner.scan(&text, file: path, kind: kind, into: &found) }
        if categories.contains(.security) { SecurityScanner.scan(&text, file: path, kind: kind, into: &found) }
        if categories.contains(.policy) { policy.scan(&text, file: path, kind: kind, into: &found) }
        if categories.contains(.health) {
            todos = HealthScanner.scan(&text, file: path, kind: kind, executable: executable, into: &found)
        }
        if !found.isEmpty && text.contains("mybro:ignore") {
            found.removeAll { finding in
                guard let line = finding.line else { return false }
                return InlineIgnore.silences(lineText(&text, line), check: finding.check)
            }
        }
        findings.append(contentsOf: found)
        return todos
    }

    private func lineText(_ text: inout ByteText, _ line: Int) -> String {
        // Walk to the line's start: the index is already built by the checks that found something.
        var offset = 0
        var current = 1
        while current < line && offset < text.count {
            offset = text.lineEnd(at: offset) + 1
            current += 1
        }
        return offset < text.count ? text.lineText(at: offset) : ""
    }
}

/// `mybro:ignore` silences every check on its line; `mybro:ignore[a, b]` only the checks named
/// (a name may also be a category, "secret", or an id prefix ending in "*", "secret.aws-*").
enum InlineIgnore {
    static func silences(_ line: String, check: String) -> Bool {
        guard let marker = line.range(of: "mybro:ignore") else { return false }
        let rest = line[marker.upperBound...]
        guard rest.hasPrefix("[") else { return true }
        guard let close = rest.firstIndex(of: "]") else { return true }
        let names = rest[rest.index(after: rest.startIndex)..<close].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return names.contains { name in
            name == check || check.hasPrefix(name + ".") || (name.hasSuffix("*") && check.hasPrefix(name.dropLast()))
        }
    }
}
