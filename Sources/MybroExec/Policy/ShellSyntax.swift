import Foundation

/// One shell word after quote removal, as far as it can be known without running anything.
struct ShellWord: Equatable, Sendable {
    /// The word as written.
    var source: String
    /// Its value after quote removal and tilde/`$HOME`/`$PWD` expansion; nil when it holds an
    /// expansion whose value can't be known (`$X`, `$(…)`, `${X:-y}`, `$((…))`, `{a,b}`).
    var value: String?
    /// It holds an unquoted glob character (`*`, `?`, `[`): `value` is then a pattern.
    var hasGlob = false
    /// No quoting or expansion at all (reserved words like `{`, `if`, `do` count only then).
    var isPlain = true
    /// `NAME=` starts it unquoted: an assignment when it comes before the command name.
    var assignmentName: String?
    /// The commands inside its `$(…)`, backticks and `<(…)`: they run too.
    var substitutions: [ShellScript] = []
    /// A word that is `<(…)` or `>(…)`.
    var isProcessSubstitution = false
    /// Why its value can't be followed at all (an expansion with a command inside `${…}`).
    var opaque: String?

    /// What the user hears for it in a reason.
    var shown: String { source.count > 60 ? String(source.prefix(57)) + "…" : source }
}

/// A redirection: `2>&1`, `> file`, `< file`, `<<EOF`, `<<< word`.
struct ShellRedirection: Equatable, Sendable {
    var fd: Int?
    var op: String
    var target: ShellWord

    /// It may write to its target (not a pure read, here-doc or fd duplication).
    var writes: Bool { [">", ">>", ">|", "&>", "&>>", "<>"].contains(op) }
    var duplicates: Bool { op == ">&" || op == "<&" }
    var isHereDocument: Bool { op == "<<" || op == "<<-" || op == "<<<" }
}

/// A command as written: its assignments, words and redirections.
struct SimpleCommand: Equatable, Sendable {
    var assignments: [ShellWord] = []
    var words: [ShellWord] = []
    var redirections: [ShellRedirection] = []
}

/// One element of a pipeline.
indirect enum ShellCommand: Equatable, Sendable {
    case simple(SimpleCommand)
    /// `( … )` or `{ …; }` with the redirections after it.
    case compound(ShellScript, redirections: [ShellRedirection])
    /// `name() { … }`.
    case function(name: String, body: ShellScript)
}

/// `a | b | c`.
struct ShellPipeline: Equatable, Sendable {
    var commands: [ShellCommand] = []
}

/// A list of pipelines joined by `;`, `&&`, `||`, `&` or newlines: each of them may run.
struct ShellScript: Equatable, Sendable {
    var pipelines: [ShellPipeline] = []

    /// Every word it holds (arguments, assignments, redirection targets), those in
    /// substitutions, subshells and functions included.
    var allWords: [ShellWord] {
        pipelines.flatMap { pipeline in
            pipeline.commands.flatMap { command -> [ShellWord] in
                switch command {
                case .simple(let simple):
                    let own = simple.assignments + simple.words + simple.redirections.map(\.target)
                    return own + own.flatMap { $0.substitutions.flatMap(\.allWords) }
                case .compound(let inner, let redirections):
                    return inner.allWords + redirections.map(\.target)
                case .function(_, let body): return body.allWords
                }
            }
        }
    }

    /// How many simple commands it holds, those in substitutions, subshells and functions included.
    var simpleCommandCount: Int {
        pipelines.reduce(0) { total, pipeline in
            total
                + pipeline.commands.reduce(0) { sum, command in
                    switch command {
                    case .simple(let simple):
                        return sum + 1
                            + (simple.assignments + simple.words + simple.redirections.map(\.target)).reduce(0) {
                                $0 + $1.substitutions.reduce(0) { $0 + $1.simpleCommandCount }
                            }
                    case .compound(let inner, _): return sum + inner.simpleCommandCount
                    case .function(_, let body): return sum + body.simpleCommandCount
                    }
                }
        }
    }
}

struct ShellSyntaxError: Error, Equatable, Sendable {
    var reason: String
}

/// A POSIX sh parser, enough to judge a command: it never expands anything that would need
/// running something, and marks what it can't know instead.
struct ShellParser {
    private let characters: [Character]
    private var index = 0
    private let home: String
    private let workspace: String
    /// Where the lexer goes at the next newline: past the here-documents announced on this line.
    private var hereDocumentSkip: Int?
    private var peeked: Token?
    private var depth: Int

    enum Token: Equatable {
        case word(ShellWord)
        case op(String)
        case redirect(fd: Int?, op: String)
        case end
    }

    init(_ text: String, home: String, workspace: String, depth: Int = 0) {
        // One Character per Unicode scalar: sh reads bytes, so a quote followed by a combining
        // mark must still be a quote here (as one grapheme it would hide the quote from the judge).
        characters = text.unicodeScalars.map(Character.init)
        self.home = home
        self.workspace = workspace
        self.depth = depth
    }

    static func parse(_ text: String, home: String, workspace: String) throws(ShellSyntaxError) -> ShellScript {
        var parser = ShellParser(text, home: home, workspace: workspace)
        let script = try parser.parseList(until: nil)
        guard case .end = try parser.next() else { throw ShellSyntaxError(reason: "an unexpected token") }
        return script
    }

    // MARK: grammar

    private mutating func parseList(until closer: String?) throws(ShellSyntaxError) -> ShellScript {
        var script = ShellScript()
        while true {
            let token = try peek()
            switch token {
            case .end:
                if closer != nil { throw ShellSyntaxError(reason: "a missing \(closer!)") }
                return script
            case .op(let op) where op == ")" && closer == ")":
                return script
            case .word(let word) where word.isPlain && word.value == "}" && closer == "}":
                return script
            case .op(let op) where [";", "&", "\n"].contains(op):
                _ = try next()
                continue
            case .op(let op) where op == ";;":
                throw ShellSyntaxError(reason: "a case statement")
            default:
                break
            }
            script.pipelines.append(try parsePipeline(closer: closer))
            switch try peek() {
            case .op(let op) where [";", "&", "\n", "&&", "||"].contains(op):
                _ = try next()
            default:
                continue
            }
        }
    }

    private mutating func parsePipeline(closer: String?) throws(ShellSyntaxError) -> ShellPipeline {
        var pipeline = ShellPipeline()
        if case .word(let word) = try peek(), word.isPlain, word.value == "!" { _ = try next() }
        while true {
            pipeline.commands.append(try parseCommand(closer: closer))
            if case .op(let op) = try peek(), op == "|" || op == "|&" {
                _ = try next()
                while case .op("\n") = try peek() { _ = try next() }
                continue
            }
            return pipeline
        }
    }

    private mutating func parseCommand(closer: String?) throws(ShellSyntaxError) -> ShellCommand {
        switch try peek() {
        case .op("("):
            _ = try next()
            let body = try parseList(until: ")")
            _ = try next()
            return .compound(body, redirections: try parseTrailingRedirections())
        case .word(let word) where word.isPlain && word.value == "{":
            _ = try next()
            let body = try parseList(until: "}")
            _ = try next()
            return .compound(body, redirections: try parseTrailingRedirections())
        default:
            break
        }
        var command = SimpleCommand()
        while true {
            switch try peek() {
            case .word(let word):
                if command.words.isEmpty, closer == "}", word.isPlain, word.value == "}" { return .simple(command) }
                _ = try next()
                if command.words.isEmpty, word.assignmentName != nil {
                    command.assignments.append(word)
                } else {
                    command.words.append(word)
                }
            case .redirect(let fd, let op):
                _ = try next()
                command.redirections.append(try parseRedirectionTarget(fd: fd, op: op))
            case .op("(") where command.words.count == 1 && command.assignments.isEmpty:
                // name() body
                _ = try next()
                guard case .op(")") = try next() else { throw ShellSyntaxError(reason: "a malformed function") }
                while case .op("\n") = try peek() { _ = try next() }
                let name = command.words[0].value ?? command.words[0].source
                let body = try parseCommand(closer: closer)
                switch body {
                case .compound(let script, _): return .function(name: name, body: script)
                default: return .function(name: name, body: ShellScript(pipelines: [ShellPipeline(commands: [body])]))
                }
            default:
                if command.words.isEmpty && command.assignments.isEmpty && command.redirections.isEmpty {
                    throw ShellSyntaxError(reason: "a missing command")
                }
                return .simple(command)
            }
        }
    }

    private mutating func parseTrailingRedirections() throws(ShellSyntaxError) -> [ShellRedirection] {
        var redirections: [ShellRedirection] = []
        while case .redirect(let fd, let op) = try peek() {
            _ = try next()
            redirections.append(try parseRedirectionTarget(fd: fd, op: op))
        }
        return redirections
    }

    private mutating func parseRedirectionTarget(fd: Int?, op: String) throws(ShellSyntaxError) -> ShellRedirection {
        guard case .word(let target) = try next() else {
            throw ShellSyntaxError(reason: "a redirection without a target")
        }
        if op == "<<" || op == "<<-" {
            let body = try readHereDocument(
                delimiter: target.value ?? target.source, expands: target.isPlain, strip: op == "<<-")
            return ShellRedirection(fd: fd, op: op, target: body)
        }
        return ShellRedirection(fd: fd, op: op, target: target)
    }

    // MARK: tokens

    private mutating func peek() throws(ShellSyntaxError) -> Token {
        if let peeked { return peeked }
        let token = try lex()
        peeked = token
        return token
    }

    private mutating func next() throws(ShellSyntaxError) -> Token {
        let token = try peek()
        peeked = nil
        return token
    }

    private func character(at offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func lex() throws(ShellSyntaxError) -> Token {
        while let c = character() {
            if c == " " || c == "\t" {
                index += 1
            } else if c == "\\" && character(at: 1) == "\n" {
                index += 2
            } else if c == "#" {
                while let d = character(), d != "\n" { index += 1 }
            } else {
                break
            }
        }
        guard let c = character() else { return .end }
        if c == "\n" {
            index += 1
            if let skip = hereDocumentSkip {
                index = skip
                hereDocumentSkip = nil
            }
            return .op("\n")
        }
        // A file descriptor number right before a redirection: `2>`, `2>&1`.
        var fd: Int?
        var lookahead = index
        while lookahead < characters.count, characters[lookahead].isASCII, characters[lookahead].isNumber {
            lookahead += 1
        }
        if lookahead > index, lookahead < characters.count, characters[lookahead] == ">" || characters[lookahead] == "<"
        {
            fd = Int(String(characters[index..<lookahead]))
            index = lookahead
        }
        // Compared one scalar at a time: as a String, ";" and a combining mark after it would be
        // one grapheme that is not ";", while the word below stops at the ";" (no progress).
        if (startsHere("<(") || startsHere(">(")) && fd == nil {
            return .word(try lexWord())
        }
        for op in ["<<<", "&>>", "<<-", ">>", "<<", ">&", "<&", "&>", ">|", "<>", ">", "<"] where startsHere(op) {
            index += op.count
            return .redirect(fd: fd, op: op)
        }
        for op in ["&&", "||", ";;", "|&", ";", "&", "|", "(", ")"] where startsHere(op) {
            index += op.count
            return .op(op)
        }
        let before = index
        let word = try lexWord()
        if index == before { throw ShellSyntaxError(reason: "a character the judge cannot read") }
        return .word(word)
    }

    /// Whether the ASCII operator `op` starts at `index`, scalar for scalar.
    private func startsHere(_ op: String) -> Bool {
        let scalars = Array(op)
        guard index + scalars.count <= characters.count else { return false }
        return zip(characters[index...], scalars).allSatisfy { $0 == $1 }
    }

    private static let metacharacters: Set<Character> = [" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">"]

    /// One word: quotes, escapes and expansions, up to an unquoted metacharacter.
    private mutating func lexWord() throws(ShellSyntaxError) -> ShellWord {
        let start = index
        var word = ShellWord(source: "")
        var value = ""
        var known = true
        // Process substitution `<(…)` / `>(…)`.
        if let c = character(), c == "<" || c == ">", character(at: 1) == "(" {
            index += 2
            word.substitutions.append(try parseNested())
            word.isProcessSubstitution = true
            word.isPlain = false
            word.value = nil
            word.source = String(characters[start..<index])
            return word
        }
        // Tilde prefix.
        if character() == "~" {
            var end = index + 1
            while end < characters.count, !Self.metacharacters.contains(characters[end]), characters[end] != "/" {
                end += 1
            }
            let user = String(characters[(index + 1)..<end])
            if user.isEmpty {
                value += home
                word.isPlain = false
            } else {
                known = false
            }
            index = end
        }
        while let c = character(), !Self.metacharacters.contains(c) {
            switch c {
            case "\\":
                word.isPlain = false
                index += 1
                if let d = character() {
                    if d != "\n" { value.append(d) }
                    index += 1
                }
            case "'":
                word.isPlain = false
                index += 1
                while let d = character(), d != "'" {
                    value.append(d)
                    index += 1
                }
                guard character() == "'" else { throw ShellSyntaxError(reason: "an unclosed single quote") }
                index += 1
            case "\"":
                word.isPlain = false
                index += 1
                while let d = character(), d != "\"" {
                    if d == "\\", let e = character(at: 1), "$`\"\\\n".contains(e) {
                        if e != "\n" { value.append(e) }
                        index += 2
                    } else if d == "$" || d == "`" {
                        if let expanded = try lexExpansion(into: &word) { value += expanded } else { known = false }
                    } else {
                        value.append(d)
                        index += 1
                    }
                }
                guard character() == "\"" else { throw ShellSyntaxError(reason: "an unclosed double quote") }
                index += 1
            case "$", "`":
                if let expanded = try lexExpansion(into: &word) { value += expanded } else { known = false }
                word.isPlain = false
            case "*", "?", "[":
                word.hasGlob = true
                value.append(c)
                index += 1
            case "{":
                // `{a,b}` and `{1..3}` expand to several words: unknown.
                var close = index + 1
                while close < characters.count, !Self.metacharacters.contains(characters[close]),
                    characters[close] != "}"
                {
                    close += 1
                }
                if close < characters.count, characters[close] == "}" {
                    let inside = String(characters[(index + 1)..<close])
                    if inside.contains(",") || inside.contains("..") { known = false }
                }
                value.append(c)
                index += 1
            case "=":
                if word.assignmentName == nil, word.isPlain, !value.isEmpty,
                    value.first.map({ $0 == "_" || $0.isLetter }) == true,
                    value.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
                {
                    word.assignmentName = value
                }
                value.append(c)
                index += 1
            default:
                value.append(c)
                index += 1
            }
        }
        word.source = String(characters[start..<index])
        word.value = known && word.opaque == nil ? value : nil
        return word
    }

    /// `$NAME`, `${…}`, `$(…)`, `$((…))` or a backtick substitution at `index`; returns the
    /// value when it is known (`$HOME`, `$PWD`), nil otherwise.
    private mutating func lexExpansion(into word: inout ShellWord) throws(ShellSyntaxError) -> String? {
        word.isPlain = false
        if character() == "`" {
            index += 1
            var inner = ""
            while let d = character(), d != "`" {
                if d == "\\", let e = character(at: 1), "`\\$".contains(e) {
                    inner.append(e)
                    index += 2
                } else {
                    inner.append(d)
                    index += 1
                }
            }
            guard character() == "`" else { throw ShellSyntaxError(reason: "an unclosed backtick") }
            index += 1
            word.substitutions.append(try parseString(inner))
            return nil
        }
        // `$`
        index += 1
        guard let c = character() else { return "$" }
        if c == "(" && character(at: 1) == "(" {
            // Arithmetic: skip to the matching `))`; a command inside it can't be followed.
            var level = 0
            while let d = character() {
                if d == "(" { level += 1 }
                if d == ")" {
                    level -= 1
                    if level == 0 {
                        index += 1
                        break
                    }
                }
                if d == "`" || (d == "$" && character(at: 1) == "(" && character(at: 2) != "(") {
                    word.opaque = "a command inside an arithmetic expansion"
                }
                index += 1
            }
            return nil
        }
        if c == "(" {
            index += 1
            word.substitutions.append(try parseNested())
            return nil
        }
        if c == "{" {
            var level = 0
            var inner = ""
            while let d = character() {
                if d == "{" { level += 1 }
                if d == "}" {
                    level -= 1
                    if level == 0 {
                        index += 1
                        break
                    }
                }
                inner.append(d)
                index += 1
            }
            if level != 0 { throw ShellSyntaxError(reason: "an unclosed ${") }
            inner.removeFirst()
            if inner.contains("$(") || inner.contains("`") {
                word.opaque = "a command inside ${…}"
            }
            return variable(inner)
        }
        if c == "_" || c.isLetter {
            var name = ""
            while let d = character(), d == "_" || (d.isASCII && (d.isLetter || d.isNumber)) {
                name.append(d)
                index += 1
            }
            return variable(name)
        }
        if "@*#?$!-0123456789".contains(c) {
            index += 1
            return nil
        }
        return "$"
    }

    private func variable(_ name: String) -> String? {
        switch name {
        case "HOME": return home
        case "PWD": return workspace
        default: return nil
        }
    }

    /// The script of a `$(…)` or `<(…)` starting at `index`, which ends past its `)`.
    private mutating func parseNested() throws(ShellSyntaxError) -> ShellScript {
        guard depth < 16 else { throw ShellSyntaxError(reason: "substitutions nested too deep") }
        var inner = ShellParser(sharing: characters, at: index, home: home, workspace: workspace, depth: depth + 1)
        let script = try inner.parseList(until: ")")
        guard case .op(")") = try inner.next() else { throw ShellSyntaxError(reason: "a missing )") }
        index = inner.index
        return script
    }

    private mutating func parseString(_ text: String) throws(ShellSyntaxError) -> ShellScript {
        guard depth < 16 else { throw ShellSyntaxError(reason: "substitutions nested too deep") }
        var inner = ShellParser(text, home: home, workspace: workspace, depth: depth + 1)
        let script = try inner.parseList(until: nil)
        guard case .end = try inner.next() else { throw ShellSyntaxError(reason: "an unexpected token") }
        return script
    }

    private init(sharing characters: [Character], at index: Int, home: String, workspace: String, depth: Int) {
        self.characters = characters
        self.index = index
        self.home = home
        self.workspace = workspace
        self.depth = depth
    }

    /// Reads the body of a here-document whose `<<` was just read: it starts on the next line
    /// (after the bodies of earlier here-documents on this line); the lexer skips it there.
    private mutating func readHereDocument(delimiter: String, expands: Bool, strip: Bool) throws(ShellSyntaxError)
        -> ShellWord
    {
        var position = hereDocumentSkip ?? index
        if hereDocumentSkip == nil {
            while position < characters.count, characters[position] != "\n" { position += 1 }
            position += 1
        }
        var body = ""
        var closed = false
        while position < characters.count {
            var end = position
            while end < characters.count, characters[end] != "\n" { end += 1 }
            var line = String(characters[position..<end])
            position = min(end + 1, characters.count)
            if strip { line = String(line.drop { $0 == "\t" }) }
            if line == delimiter {
                closed = true
                break
            }
            body += line + "\n"
        }
        if !closed { throw ShellSyntaxError(reason: "an unterminated here-document") }
        hereDocumentSkip = position
        var word = ShellWord(source: body, value: body, isPlain: false)
        if expands, body.contains("$") || body.contains("`") {
            // Its body expands like a double-quoted string: commands in it run.
            var inner = ShellParser(
                "\"" + Self.doubleQuotedBody(body) + "\"", home: home, workspace: workspace, depth: depth + 1)
            if case .word(let expanded) = try inner.lex() {
                word.substitutions = expanded.substitutions
                word.opaque = expanded.opaque
                // The body must be that one word: anything after it would go unjudged.
                if try inner.lex() != .end { word.opaque = "a here-document the judge cannot read" }
            } else {
                word.opaque = "a here-document the judge cannot read"
            }
        }
        return word
    }

    /// A here-document body as the inside of a double-quoted word with the same meaning: in the
    /// body a backslash escapes only $, `, \ and a newline, and " is an ordinary character; in
    /// double quotes a backslash also escapes ", so a body's \" must become \\\" there.
    static func doubleQuotedBody(_ body: String) -> String {
        var result = ""
        var scalars = body.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar {
            case "\\":
                if let next = pending, "$`\\\n".unicodeScalars.contains(next) {
                    result.unicodeScalars.append(scalar)
                    result.unicodeScalars.append(next)
                    pending = scalars.next()
                } else {
                    result += "\\\\"  // a literal backslash
                }
            case "\"": result += "\\\""
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
