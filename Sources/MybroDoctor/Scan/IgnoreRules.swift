/// .gitignore matching as git does it: patterns from each directory's .gitignore apply below it;
/// the last matching pattern wins; `!` re-includes; a leading or inner `/` anchors a pattern to
/// its directory; a trailing `/` matches directories only; `*`, `?` and `[…]` stay within one
/// path component, and `**` spans components (`**/x`, `x/**`, `a/**/b`).
struct IgnorePattern: Sendable {
    let glob: [UInt8]
    let negated: Bool
    let directoryOnly: Bool
    /// Matched against the path relative to `base` rather than against the name alone.
    let anchored: Bool
    /// The directory holding the .gitignore, relative to the root ("" for the root), with a
    /// trailing slash when not empty.
    let base: String

    /// Parses one line of a .gitignore in `base`; nil for blank lines and comments.
    init?(line: Substring, base: String) {
        var text = Array(line.utf8)
        if text.last == 0x0D { text.removeLast() }
        // Trailing spaces are ignored unless escaped.
        while let last = text.last, last == 0x20, !(text.count >= 2 && text[text.count - 2] == 0x5C) {
            text.removeLast()
        }
        guard !text.isEmpty, text[0] != 0x23 else { return nil }
        var negated = false
        if text[0] == 0x21 {
            negated = true
            text.removeFirst()
        } else if text.count >= 2, text[0] == 0x5C, text[1] == 0x21 || text[1] == 0x23 {
            text.removeFirst()
        }
        var directoryOnly = false
        if text.last == 0x2F {
            directoryOnly = true
            text.removeLast()
        }
        guard !text.isEmpty else { return nil }
        let anchored = text.contains(0x2F)
        if text.first == 0x2F { text.removeFirst() }
        self.glob = text
        self.negated = negated
        self.directoryOnly = directoryOnly
        self.anchored = anchored
        self.base = base
    }

    /// Whether the pattern matches `path` (relative to the root).
    func matches(path: String, name: Substring, isDirectory: Bool) -> Bool {
        if directoryOnly && !isDirectory { return false }
        if anchored {
            guard path.hasPrefix(base) else { return false }
            return Glob.match(glob, Array(path.utf8.dropFirst(base.utf8.count)))
        }
        return Glob.match(glob, Array(name.utf8))
    }
}

/// The patterns in force in one directory: its parents' and its own, in order.
struct IgnoreRules: Sendable {
    private(set) var patterns: [IgnorePattern] = []

    mutating func add(contents: String, base: String) {
        for line in contents.split(separator: "\n", omittingEmptySubsequences: true) {
            if let pattern = IgnorePattern(line: line, base: base) { patterns.append(pattern) }
        }
    }

    var isEmpty: Bool { patterns.isEmpty }

    func isIgnored(path: String, isDirectory: Bool) -> Bool {
        let name = path.split(separator: "/").last ?? Substring(path)
        for pattern in patterns.reversed() where pattern.matches(path: path, name: name, isDirectory: isDirectory) {
            return !pattern.negated
        }
        return false
    }
}

/// fnmatch-style globbing over bytes with git's `**`.
enum Glob {
    static func match(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
        pattern.withUnsafeBufferPointer { p in text.withUnsafeBufferPointer { t in match(p, 0, t, 0) } }
    }

    private static func match(_ p: UnsafeBufferPointer<UInt8>, _ pi: Int, _ t: UnsafeBufferPointer<UInt8>, _ ti: Int)
        -> Bool
    {
        var pi = pi
        var ti = ti
        while pi < p.count {
            let c = p[pi]
            if c == 0x2A {  // *
                let isDouble = pi + 1 < p.count && p[pi + 1] == 0x2A
                let atStart = pi == 0 || p[pi - 1] == 0x2F
                if isDouble && atStart && (pi + 2 == p.count || p[pi + 2] == 0x2F) {
                    if pi + 2 == p.count { return true }  // "x/**": everything below
                    // "**/": zero or more whole components.
                    let rest = pi + 3
                    var position = ti
                    while true {
                        if match(p, rest, t, position) { return true }
                        guard let slash = t[position...].firstIndex(of: 0x2F) else { return false }
                        position = slash + 1
                    }
                }
                // A single star (or a stray **): any run within this component.
                var next = pi + 1
                while next < p.count && p[next] == 0x2A { next += 1 }
                var position = ti
                while true {
                    if match(p, next, t, position) { return true }
                    guard position < t.count, t[position] != 0x2F else { return false }
                    position += 1
                }
            }
            guard ti < t.count else { return false }
            switch c {
            case 0x3F:  // ?
                if t[ti] == 0x2F { return false }
            case 0x5B:  // [
                guard let (matched, end) = matchClass(p, pi, t[ti]) else {
                    if t[ti] != c { return false }
                    break
                }
                if !matched || t[ti] == 0x2F { return false }
                pi = end
                ti += 1
                continue
            case 0x5C:  // backslash escapes the next byte
                if pi + 1 < p.count {
                    pi += 1
                }
                if t[ti] != p[pi] { return false }
            default:
                if t[ti] != c { return false }
            }
            pi += 1
            ti += 1
        }
        return ti == t.count
    }

    /// A bracket expression at `start`: whether `byte` is in it and the index after it, or nil
    /// when the bracket is not closed (then it is a literal '[').
    private static func matchClass(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var index = start + 1
        var negate = false
        if index < p.count && (p[index] == 0x21 || p[index] == 0x5E) {
            negate = true
            index += 1
        }
        var matched = false
        var first = true
        while index < p.count {
            if p[index] == 0x5D && !first { return (matched != negate, index + 1) }
            first = false
            var low = p[index]
            if low == 0x5C && index + 1 < p.count {
                index += 1
                low = p[index]
            }
            if index + 2 < p.count && p[index + 1] == 0x2D && p[index + 2] != 0x5D {
                let high = p[index + 2]
                if byte >= low && byte <= high { matched = true }
                index += 3
            } else {
                if byte == low { matched = true }
                index += 1
            }
        }
        return nil
    }
}
