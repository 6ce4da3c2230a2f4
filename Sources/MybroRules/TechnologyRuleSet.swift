/// The product's technology mandates: for each need the technology to use and those never to
/// use, plus technologies forbidden everywhere. `mybro-doctor` enforces them and mybro-intent's
/// Claude backend puts them in its system prompt, so generated code follows them.
public struct TechnologyRuleSet: Equatable, Sendable {
    public struct StackRule: Equatable, Sendable {
        public var need: String
        public var use: [String]
        public var never: [String]

        public init(need: String, use: [String], never: [String] = []) {
            self.need = need
            self.use = use
            self.never = never
        }
    }

    public var stack: [StackRule]
    public var forbidden: [String]
    /// Names taken off every `forbidden` and `never` list by an override file.
    public var allowed: [String]
    /// The files merged into this set, in order (the built-in table is not a file).
    public var sources: [String]

    public init(stack: [StackRule], forbidden: [String], allowed: [String] = [], sources: [String] = []) {
        self.stack = stack
        self.forbidden = forbidden
        self.allowed = allowed
        self.sources = sources
    }

    /// The product's stack table.
    public static let builtIn = TechnologyRuleSet(
        stack: [
            StackRule(need: "web backend", use: ["FastAPI"], never: ["Flask", "Express.js"]),
            StackRule(need: "performance-critical", use: ["Rust"]),
            StackRule(need: "ML inference", use: ["MLX", "PyTorch+MPS"], never: ["CUDA"]),
            StackRule(need: "GPU compute", use: ["Metal shaders"], never: ["CUDA"]),
            StackRule(need: "web DB", use: ["PostgreSQL"]),
            StackRule(need: "local DB", use: ["SQLite"]),
            StackRule(need: "cache", use: ["Redis"]),
            StackRule(need: "payments", use: ["Stripe"]),
            StackRule(need: "AI", use: ["Anthropic Claude API"]),
            StackRule(need: "HTTP client", use: ["httpx"], never: ["requests in async code"]),
            StackRule(need: "serverless", use: ["Vercel Edge Functions"]),
            StackRule(need: "lightweight API", use: ["Hono + Cloudflare Workers"]),
        ],
        forbidden: [
            "CUDA", "Docker for development", "Electron", "Flask", "Express.js", "Create React App", "jQuery",
            "Webpack",
        ])

    /// A name reduced to lowercase letters and digits, so "Express.js", "expressjs" and
    /// "EXPRESS JS" are one technology.
    public static func normalized(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") })
    }

    /// Why `name` may not be used (the need whose `never` lists it, or "forbidden everywhere"),
    /// or nil when the rules allow it.
    public func prohibition(of name: String) -> String? {
        let key = Self.normalized(name)
        if allowed.contains(where: { Self.normalized($0) == key }) { return nil }
        if forbidden.contains(where: { Self.normalized($0) == key }) { return "forbidden everywhere" }
        if let rule = stack.first(where: { $0.never.contains { Self.normalized($0) == key } }) {
            return "\(rule.need): use \(rule.use.joined(separator: " or "))"
        }
        return nil
    }

    /// The need whose `use` list names `name` (e.g. PostgreSQL for "web DB").
    public func mandate(of name: String) -> StackRule? {
        let key = Self.normalized(name)
        return stack.first { $0.use.contains { Self.normalized($0) == key } }
    }

    /// Every name that is prohibited somewhere, without duplicates, in first-seen order.
    public var prohibitedNames: [String] {
        var seen: Set<String> = []
        var names: [String] = []
        for name in forbidden + stack.flatMap(\.never) where prohibition(of: name) != nil {
            if seen.insert(Self.normalized(name)).inserted { names.append(name) }
        }
        return names
    }

    /// `overlay` on top of this set: a need it names replaces ours, its `forbidden` names are
    /// added, and its `allowed` names are lifted from every list.
    public func merged(with overlay: TechnologyRuleSet) -> TechnologyRuleSet {
        var result = self
        for rule in overlay.stack {
            if let index = result.stack.firstIndex(where: { Self.normalized($0.need) == Self.normalized(rule.need) }) {
                result.stack[index] = rule
            } else {
                result.stack.append(rule)
            }
        }
        for name in overlay.forbidden
        where !result.forbidden.contains(where: { Self.normalized($0) == Self.normalized(name) }) {
            result.forbidden.append(name)
        }
        let lifted = Set(overlay.allowed.map(Self.normalized))
        result.forbidden.removeAll { lifted.contains(Self.normalized($0)) }
        for index in result.stack.indices {
            result.stack[index].never.removeAll { lifted.contains(Self.normalized($0)) }
        }
        // Re-forbidding a name the overlay itself lists wins over an older allowance.
        result.allowed =
            result.allowed.filter { name in
                !overlay.forbidden.contains { Self.normalized($0) == Self.normalized(name) }
            } + overlay.allowed.filter { name in !result.allowed.contains(name) }
        result.sources = sources + overlay.sources
        return result
    }

    /// The set as a rules file (what `mybro-doctor --print-rules` prints): parsing it gives it back.
    public var tomlText: String {
        var text = "# mybro technology rules (merged"
        text +=
            sources.isEmpty ? " built-in table)\n" : " from the built-in table, \(sources.joined(separator: ", ")))\n"
        text += "forbidden = [\(forbidden.map(Self.quoted).joined(separator: ", "))]\n"
        if !allowed.isEmpty { text += "allowed = [\(allowed.map(Self.quoted).joined(separator: ", "))]\n" }
        for rule in stack {
            text += "\n[[stack]]\nneed = \(Self.quoted(rule.need))\n"
            text += "use = [\(rule.use.map(Self.quoted).joined(separator: ", "))]\n"
            if !rule.never.isEmpty { text += "never = [\(rule.never.map(Self.quoted).joined(separator: ", "))]\n" }
        }
        return text
    }

    /// The set as the instructions a model is given.
    public var promptText: String {
        var text = "Technology mandates (need: use; never):\n"
        for rule in stack {
            text += "- \(rule.need): \(rule.use.joined(separator: " or "))"
            if !rule.never.isEmpty { text += "; never \(rule.never.joined(separator: ", "))" }
            text += "\n"
        }
        if !forbidden.isEmpty { text += "Forbidden everywhere: \(forbidden.joined(separator: ", ")).\n" }
        return text
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
