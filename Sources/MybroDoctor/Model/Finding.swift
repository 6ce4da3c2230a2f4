/// How bad a finding is, worst first.
public enum Severity: String, CaseIterable, Sendable, Comparable, Codable {
    case critical, high, medium, low, info

    var rank: Int {
        switch self {
        case .critical: 4
        case .high: 3
        case .medium: 2
        case .low: 1
        case .info: 0
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// Health-score points one finding of this severity costs (see the man page, HEALTH SCORE).
    public var penalty: Int {
        switch self {
        case .critical: 25
        case .high: 10
        case .medium: 4
        case .low: 1
        case .info: 0
        }
    }
}

public enum Category: String, CaseIterable, Sendable, Codable {
    case secret, security, policy, health
}

/// One problem found: a check, where (a file and line, or the repository as a whole) and what to do.
public struct Finding: Sendable, Hashable {
    public var check: String
    public var category: Category
    public var severity: Severity
    /// Relative to the scanned root; nil for a repository-level finding.
    public var file: String?
    public var line: Int?
    public var endLine: Int?
    public var message: String
    public var fix: String
    /// For --history: the commit that added the line.
    public var commit: String?
    /// What identifies the finding across runs (the secret, the line's text): hashed into the
    /// fingerprint and never printed.
    var evidence: String

    public init(
        check: CheckInfo, file: String?, line: Int?, endLine: Int? = nil, message: String? = nil, evidence: String,
        commit: String? = nil
    ) {
        self.check = check.id
        self.category = check.category
        self.severity = check.severity
        self.file = file
        self.line = line
        self.endLine = endLine ?? line
        self.message = message ?? check.title
        self.fix = check.fix
        self.commit = commit
        self.evidence = evidence
    }

    /// A stable identity for baselines: the check, the file and the evidence (not the line
    /// number, so findings survive edits above them).
    public var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in check.utf8 + [0] + (file ?? "").utf8 + [0] + evidence.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Deterministic order: file (repository-level first), line, check.
    static func ordered(_ lhs: Finding, _ rhs: Finding) -> Bool {
        let left = (lhs.file ?? "", lhs.line ?? 0, lhs.check, lhs.commit ?? "", lhs.message)
        let right = (rhs.file ?? "", rhs.line ?? 0, rhs.check, rhs.commit ?? "", rhs.message)
        return left < right
    }
}

/// How a secret appears in messages: its first four characters and its length, never more.
enum SecretRedaction {
    static func describe(_ secret: some Collection<UInt8>) -> String {
        let prefix = String(decoding: secret.prefix(4), as: UTF8.self)
        let safePrefix = String(
            prefix.unicodeScalars.filter { $0.value >= 0x21 && $0.value < 0x7F }.map(Character.init))
        return "\(safePrefix)… (\(secret.count) characters)"
    }
}
