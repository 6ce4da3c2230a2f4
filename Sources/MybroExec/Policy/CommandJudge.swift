import Foundation

/// The verdict so far while a command is judged: the strictest wins, the first reason of it stays.
struct Judgement {
    var verdict: PolicyVerdict = .allow
    /// Every part is known to change no file.
    var readOnly = true

    mutating func ask(_ reason: String, changes: Bool = true) {
        if changes { readOnly = false }
        if case .allow = verdict { verdict = .confirm(reason: reason) }
    }

    mutating func deny(_ reason: String) {
        readOnly = false
        if case .deny = verdict { return }
        verdict = .deny(reason: reason)
    }

    mutating func merge(_ other: Judgement) {
        if !other.readOnly { readOnly = false }
        switch other.verdict {
        case .allow: break
        case .confirm(let reason): ask(reason, changes: !other.readOnly)
        case .deny(let reason): deny(reason)
        }
    }
}

/// Judges a parsed command against the policy's rules, simple command by simple command.
struct CommandJudge {
    let rules: PolicyRules
    let workspace: String
    let realWorkspace: String
    let home: String
    var judgement = Judgement()
    private var depth = 0

    init(rules: PolicyRules, workspace: String, home: String) {
        self.rules = rules
        self.workspace = Self.normalize(workspace, relativeTo: "/")
        self.home = Self.normalize(home, relativeTo: "/")
        self.realWorkspace = Self.realPath(self.workspace) ?? self.workspace
    }

    // MARK: structure

    mutating func judge(_ script: ShellScript) {
        depth += 1
        defer { depth -= 1 }
        guard depth < 32 else { return judgement.ask("it nests commands too deeply to follow") }
        for pipeline in script.pipelines { judge(pipeline) }
    }

    private mutating func judge(_ pipeline: ShellPipeline) {
        var input: [ShellWord]?
        for command in pipeline.commands {
            judge(command, input: input)
            input = nil
            // `echo a b | xargs cmd`: xargs gets words we know.
            if case .simple(let simple) = command, let tool = simple.words.first?.value,
                tool == "echo" || tool == "printf",
                simple.words.dropFirst().allSatisfy({ $0.value != nil && !($0.value!.hasPrefix("-")) })
            {
                input = simple.words.dropFirst().flatMap { word in
                    word.value!.split(whereSeparator: \.isWhitespace).map {
                        ShellWord(source: String($0), value: String($0), isPlain: false)
                    }
                }
            }
        }
        // A download piped into a shell, or handed to one through a substitution.
        let tools = pipeline.commands.map { Self.effectiveTools(of: $0, deep: false) }
        for rule in rules.tools where rule.verb == .deny && !rule.pipedTo.isEmpty {
            for (i, sources) in tools.enumerated() where sources.contains(where: rule.matchesTool) {
                for sinks in tools[(i + 1)...] where sinks.contains(where: rule.pipedTo.contains) {
                    judgement.deny(rule.because ?? "it pipes \(sources[0]) into \(sinks[0])")
                }
            }
            for command in pipeline.commands {
                guard case .simple(let simple) = command,
                    Self.effectiveTools(of: command, deep: false).contains(where: rule.pipedTo.contains)
                else { continue }
                for word in simple.words + simple.redirections.map(\.target) {
                    for inner in word.substitutions
                    where Self.effectiveTools(of: inner).contains(where: rule.matchesTool) {
                        judgement.deny(rule.because ?? "it runs what it downloads")
                    }
                }
            }
        }
    }

    private mutating func judge(_ command: ShellCommand, input: [ShellWord]?) {
        switch command {
        case .simple(let simple):
            judge(simple, input: input)
        case .compound(let script, let redirections):
            judge(script)
            for redirection in redirections { judge(redirection) }
        case .function(let name, let body):
            if Self.effectiveTools(of: body).contains(name) {
                judgement.deny("it defines a function that calls itself (a fork bomb)")
            } else {
                judgement.ask("it defines a shell function")
            }
            judge(body)
        }
    }

    private mutating func judge(_ command: SimpleCommand, input: [ShellWord]?) {
        for word in command.assignments + command.words { judgeSubstitutions(word) }
        for redirection in command.redirections {
            judgeSubstitutions(redirection.target)
            judge(redirection)
        }
        for assignment in command.assignments {
            let name = assignment.assignmentName ?? ""
            if command.words.isEmpty && (name.first?.isLowercase == true || isSafeVariable(name)) { continue }
            if !isSafeVariable(name) {
                judgement.ask("it sets \(name), which can change what programs do")
            }
        }
        judge(words: command.words, input: input)
    }

    private mutating func judgeSubstitutions(_ word: ShellWord) {
        if let opaque = word.opaque { judgement.ask("it uses \(opaque)") }
        for script in word.substitutions { judge(script) }
    }

    private mutating func judge(_ redirection: ShellRedirection) {
        if redirection.isHereDocument { return }
        let target = redirection.target
        let shown = "\(redirection.fd.map(String.init) ?? "")\(redirection.op) \(target.shown)"
        if redirection.duplicates {
            if let value = target.value, value == "-" || value.allSatisfy(\.isNumber) { return }
            if redirection.op == "<&" { return checkRead(target) }
            return checkWrite(target, shown: shown)
        }
        if redirection.op == "<" { return checkRead(target) }
        checkWrite(target, shown: shown)
    }

    // MARK: one command

    private static let systemDirectories: Set<String> = [
        "/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin",
    ]
    private static let shells: Set<String> = ["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "fish"]

    /// The program a word names: `/bin/rm` is `rm`; `./rm` stays itself (a workspace file).
    private static func programName(_ word: String) -> (name: String, base: String) {
        guard let slash = word.lastIndex(of: "/") else { return (word, word) }
        let directory = String(word[..<slash])
        let base = String(word[word.index(after: slash)...])
        return (systemDirectories.contains(directory) ? base : word, base)
    }

    mutating func judge(words: [ShellWord], input: [ShellWord]? = nil) {
        guard let first = words.first else { return }
        guard let written = first.value, !first.hasGlob, !written.isEmpty else {
            return judgement.ask("I can't tell which program \(first.shown) runs")
        }
        var args = Array(words.dropFirst())
        if first.isPlain {
            switch written {
            case "if", "then", "else", "elif", "do", "while", "until", "!":
                return judge(words: args, input: input)
            case "fi", "done", "esac":
                return judge(words: args, input: input)
            case "for", "select":
                return
            case "case", "function", "coproc":
                return judgement.ask("it uses \(written), which I can't follow")
            default: break
            }
        }
        var (name, base) = Self.programName(written)
        // Aliases: `python3 -m pytest` is `pytest`.
        for alias in rules.aliases where alias.words.first == base && alias.words.count - 1 <= args.count {
            if zip(alias.words.dropFirst(), args).allSatisfy({ $0 == $1.value }) {
                args.removeFirst(alias.words.count - 1)
                (name, base) = (alias.tool, alias.tool)
                break
            }
        }
        if let input, base == "xargs" || name == "xargs" { return judgeXargs(args, input: input) }
        // The catastrophic list first, then the rules that ask.
        for rule in rules.tools where rule.verb == .deny && rule.pipedTo.isEmpty && rule.matchesTool(base) {
            if let matched = conditionMatches(rule, args, tool: base) {
                return judgement.deny("\(rule.because ?? "it is on the deny list") (\(matched))")
            }
        }
        if judgeBuiltin(base, args, input: input) { return }
        for rule in rules.tools where rule.verb == .confirm && rule.matchesTool(base) {
            if let matched = conditionMatches(rule, args, tool: base) {
                return judgement.ask("\(rule.because ?? "it is on the confirm list") (\(matched))")
            }
        }
        judgeByRules(name, args)
    }

    /// Shell built-ins and wrappers whose argument is a command; true when handled.
    private mutating func judgeBuiltin(_ tool: String, _ args: [ShellWord], input: [ShellWord]?) -> Bool {
        switch tool {
        case "sudo", "doas":
            judgement.ask("it runs as root (\(tool))")
            let rest = Self.skipOptions(
                args,
                valued: [
                    "-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "--user", "--group", "--host",
                    "--prompt", "--chdir", "--role", "--type", "--other-user", "--command-timeout", "--close-from",
                ])
            judge(words: rest)
        case "env":
            var rest = args[...]
            while let word = rest.first, let value = word.value, value.hasPrefix("-"), value != "-" {
                rest.removeFirst()
                if value == "--" { break }
                if ["-u", "--unset", "-C", "--chdir"].contains(value) {
                    if value.hasSuffix("C") || value == "--chdir", let dir = rest.first { checkDirectory(dir) }
                    rest = rest.dropFirst()
                } else if value == "-S" || value == "--split-string" || value.hasPrefix("--split-string=") {
                    let text = value.hasPrefix("--split-string=") ? String(value.dropFirst(15)) : rest.first?.value
                    if !value.hasPrefix("--split-string=") { rest = rest.dropFirst() }
                    guard let text else {
                        judgement.ask("I can't read the command env -S runs")
                        return true
                    }
                    judgeString(text, trailing: Array(rest))
                    return true
                } else if value.hasPrefix("--chdir=") {
                    checkDirectory(ShellWord(source: value, value: String(value.dropFirst(8))))
                } else if !["-i", "--ignore-environment", "-0", "--null", "-v", "--debug", "-"].contains(value)
                    && !value.hasPrefix("--unset=")
                {
                    judgement.ask("it uses an env option I don't know (\(value))")
                }
            }
            while let word = rest.first, let name = word.assignmentName {
                if !isSafeVariable(name) { judgement.ask("it sets \(name), which can change what programs do") }
                rest.removeFirst()
            }
            if rest.isEmpty {
                if rules.tools.contains(where: { ($0.verb == .read || $0.verb == .allow) && $0.matchesTool("env") }) {
                    judgeByRules("env", [])
                } else {
                    judgement.ask("it prints the environment, which can hold secrets", changes: false)
                }
            }
            judge(words: Array(rest), input: input)
        case "nice":
            judge(words: Self.skipOptions(args, valued: ["-n", "--adjustment"]), input: input)
        case "timeout":
            let rest = Self.skipOptions(args, valued: ["-s", "--signal", "-k", "--kill-after"])
            judge(words: Array(rest.dropFirst()), input: input)
        case "builtin", "busybox":
            judge(words: args, input: input)
        case "strace", "ltrace":
            judge(
                words: Self.skipOptions(args, valued: ["-o", "-e", "-p", "-s", "-u", "-E", "-P", "-a", "-b"]),
                input: input)
        case "watch":
            let rest = Self.skipOptions(args, valued: ["-n", "--interval", "-d", "--differences"])
            let values = rest.compactMap(\.value)
            guard values.count == rest.count else {
                judgement.ask("I can't read the command watch runs")
                return true
            }
            judgeString(values.joined(separator: " "), trailing: [])
        case "su":
            judgement.ask("it runs as another user (su)")
            if let index = args.firstIndex(where: { $0.value == "-c" || $0.value == "--command" }),
                index + 1 < args.count
            {
                guard let text = args[index + 1].value else {
                    judgement.ask("I can't read the command su runs")
                    return true
                }
                judgeString(text, trailing: [])
            }
        case "nohup", "exec", "setsid":
            judge(words: Self.skipOptions(args, valued: ["-a"]), input: input)
        case "time":
            if args.contains(where: { $0.value == "-o" || $0.value?.hasPrefix("--output") == true }) {
                judgement.ask("it writes a file (time -o)")
            }
            judge(words: Self.skipOptions(args, valued: ["-f", "--format", "-o", "--output"]), input: input)
        case "stdbuf":
            judge(words: Self.skipOptions(args, valued: ["-i", "-o", "-e"]), input: input)
        case "ionice":
            if args.contains(where: { ["-p", "-P", "-u", "--pid", "--pgid", "--uid"].contains($0.value ?? "") }) {
                judgement.ask("it changes other processes' priority")
                return true
            }
            judge(words: Self.skipOptions(args, valued: ["-c", "-n", "--class", "--classdata"]), input: input)
        case "command":
            if args.contains(where: { $0.value == "-v" || $0.value == "-V" }) { return true }
            judge(words: Self.skipOptions(args, valued: []), input: input)
        case "xargs":
            judgeXargs(args, input: nil)
        case "eval":
            let values = args.compactMap(\.value)
            guard values.count == args.count else {
                judgement.ask("it uses eval on a string I can't read")
                return true
            }
            judgeString(values.joined(separator: " "), trailing: [])
        case "source", ".":
            judgement.ask("it runs a shell script in this shell")
        case "cd", "pushd":
            let rest = args.filter { !($0.value?.hasPrefix("-") ?? false) || $0.value == "-" }
            if let target = rest.first {
                if target.value == "-" { judgement.ask("it goes back to a directory I can't tell", changes: false) }
                checkDirectory(target)
            } else {
                judgement.ask("it changes to the home directory", changes: false)
            }
        case "popd":
            judgement.ask("it goes back to a directory I can't tell", changes: false)
        case "export", "readonly", "declare", "typeset", "local":
            for word in args {
                if let name = word.assignmentName, !isSafeVariable(name) {
                    judgement.ask("it sets \(name), which can change what programs do")
                } else if word.value == "-f" {
                    judgement.ask("it exports a shell function")
                } else if word.value == nil {
                    judgement.ask("I can't tell what \(tool) \(word.shown) sets")
                }
            }
        case "trap", "alias":
            judgement.ask("it sets up a command that runs later (\(tool))")
        case "unset", "set", "shopt", "true", "false", ":", "wait", "exit", "return", "shift", "break", "continue",
            "umask", "ulimit", "hash", "getopts", "read", "[[":
            break
        case _ where Self.shells.contains(tool):
            judgeShell(tool, args)
        case "find":
            judgeFindActions(args)
            return false
        case "make":
            judgeMake(args)
        default:
            return false
        }
        return true
    }

    private mutating func judgeString(_ text: String, trailing: [ShellWord]) {
        do {
            judge(try ShellParser.parse(text, home: home, workspace: workspace))
        } catch {
            judgement.ask("I can't parse the command inside it (\(error.reason))")
        }
        _ = trailing
    }

    private mutating func judgeShell(_ shell: String, _ args: [ShellWord]) {
        var index = 0
        var runsString = false
        while index < args.count, let value = args[index].value, value.hasPrefix("-") || value.hasPrefix("+") {
            index += 1
            if value == "--" { break }
            if value == "-o" || value == "+o" || value == "-O" || value == "+O" {
                index += 1
            } else if !value.hasPrefix("--"), value.dropFirst().contains("c") {
                runsString = true
            }
        }
        if index < args.count, args[index].value == nil {
            return judgement.ask("I can't tell what \(shell) runs (\(args[index].shown))")
        }
        if runsString {
            guard index < args.count, let text = args[index].value else {
                return judgement.ask("\(shell) -c has no command")
            }
            return judgeString(text, trailing: [])
        }
        if index < args.count {
            judgement.ask("it runs a shell script (\(args[index].shown))")
        } else {
            judgement.ask("it runs a shell that reads commands from its input")
        }
    }

    private mutating func judgeXargs(_ args: [ShellWord], input: [ShellWord]?) {
        var rest = Self.skipOptions(
            args,
            valued: [
                "-n", "-L", "-P", "-I", "-d", "-a", "-s", "-E", "--max-args", "--max-lines", "--max-procs",
                "--replace", "--delimiter", "--arg-file", "--max-chars", "--eof",
            ])
        if rest.isEmpty { rest = [ShellWord(source: "echo", value: "echo")] }
        rest += input ?? [ShellWord(source: "(its input)", value: nil, isPlain: false)]
        judge(words: rest)
    }

    /// `find … -exec CMD {} ;`: the command it runs is judged too.
    private mutating func judgeFindActions(_ args: [ShellWord]) {
        var index = 0
        while index < args.count {
            if let value = args[index].value, ["-exec", "-execdir", "-ok", "-okdir"].contains(value) {
                var inner: [ShellWord] = []
                index += 1
                while index < args.count, args[index].value != ";", args[index].value != "+" {
                    var word = args[index]
                    if word.value?.contains("{}") == true { word.value = nil }
                    inner.append(word)
                    index += 1
                }
                judge(words: inner)
            }
            index += 1
        }
    }

    /// `make` with no target runs the Makefile's default goal: judge that one.
    private mutating func judgeMake(_ argsIn: [ShellWord]) {
        var hasTarget = false
        var index = 0
        while index < argsIn.count {
            let value = argsIn[index].value ?? "?"
            if value == "-j" || value == "-l" || value == "--jobs" || value == "--load-average",
                index + 1 < argsIn.count, argsIn[index + 1].value?.allSatisfy(\.isNumber) == true
            {
                index += 2
                continue
            }
            if !value.hasPrefix("-") { hasTarget = true }
            if value.contains("="), !value.hasPrefix("-") {
                return judgement.ask("it overrides a make variable (\(argsIn[index].shown))")
            }
            index += 1
        }
        var args: [ShellWord] = []
        index = 0
        let original = argsIn
        while index < original.count {
            if let value = original[index].value, value == "-j" || value == "-l", index + 1 < original.count,
                let count = original[index + 1].value, !count.isEmpty, count.allSatisfy(\.isNumber)
            {
                args.append(ShellWord(source: value + count, value: value + count))
                index += 2
                continue
            }
            args.append(original[index])
            index += 1
        }
        if !hasTarget {
            switch Self.defaultGoal(in: workspace) {
            case .none: return  // no Makefile: make stops at once
            case .some(nil): return judgement.ask("I can't tell what make's default target is")
            case .some(let goal?): args.append(ShellWord(source: goal, value: goal))
            }
        }
        judgeByRules("make", args)
    }

    /// The goal `make` runs without arguments: `.DEFAULT_GOAL`, or the first target not starting
    /// with a dot. nil when there is no makefile; .some(nil) when it can't be told.
    static func defaultGoal(in directory: String) -> String?? {
        guard
            let text = ["GNUmakefile", "makefile", "Makefile"].lazy.compactMap({
                try? String(contentsOfFile: directory + "/" + $0, encoding: .utf8)
            }).first
        else { return .none }
        var first: String?
        var explicit: String??
        var inDefine = false
        for raw in text.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n") {
            if raw.hasPrefix("\t") { continue }
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("define ") { inDefine = true }
            if line.hasPrefix("endef") { inDefine = false }
            if inDefine || line.isEmpty { continue }
            if line.hasPrefix(".DEFAULT_GOAL") {
                let value = line.drop { $0 != "=" }.dropFirst().trimmingCharacters(in: .whitespaces)
                explicit = value.isEmpty || value.contains("$") ? .some(nil) : .some(value)
                continue
            }
            guard first == nil, let colon = line.firstIndex(of: ":") else { continue }
            let before = line[..<colon]
            let after = line[line.index(after: colon)...]
            if before.contains("=") || after.hasPrefix("=") || after.hasPrefix(":=") { continue }
            for target in before.split(separator: " ") where !target.hasPrefix(".") && !target.contains("%") {
                first = target.contains("$") ? "" : String(target)
                break
            }
        }
        if let explicit { return explicit }
        guard let first else { return .some(nil) }
        return first.isEmpty ? .some(nil) : .some(first)
    }

    private static func skipOptions(_ args: [ShellWord], valued: Set<String>) -> [ShellWord] {
        var index = 0
        while index < args.count, let value = args[index].value, value.hasPrefix("-"), value != "-" {
            index += 1
            if value == "--" { break }
            if valued.contains(value) { index += 1 }
        }
        return Array(args[min(index, args.count)...])
    }

    // MARK: rules

    /// Whether a deny or confirm rule's conditions hold; what matched, for the reason.
    private func conditionMatches(_ rule: ToolRule, _ args: [ShellWord], tool: String) -> String? {
        var shown: [String] = []
        // Subcommand words, in order, anywhere among the arguments.
        var index = 0
        for level in rule.levels {
            while index < args.count, !(args[index].value.map(level.contains) ?? false) { index += 1 }
            guard index < args.count else { return nil }
            shown.append(args[index].value!)
            index += 1
        }
        if !rule.flags.isEmpty {
            guard
                let group = rule.flags.first(where: { group in
                    group.allSatisfy { flag in args.contains { Self.uses($0, flag.names) } }
                })
            else { return nil }
            shown += group.map { $0.names[0] }
        }
        if !rule.with.isEmpty {
            guard let word = args.first(where: { arg in rule.with.contains { fnmatch($0, arg.value ?? "", 0) == 0 } })
            else { return nil }
            shown.append(word.value!)
        }
        if !rule.targets.isEmpty {
            var afterDashes = false
            var found: String?
            for arg in args {
                guard let value = arg.value else { continue }
                if value == "--" && !afterDashes {
                    afterDashes = true
                    continue
                }
                if value.hasPrefix("-") && !afterDashes { continue }
                if !places(of: arg).isDisjoint(with: rule.targets) {
                    found = arg.shown
                    break
                }
            }
            guard let found else { return nil }
            shown.append(found)
        }
        return ([tool] + shown).joined(separator: " ")
    }

    /// Whether an argument uses one of these flag spellings, in any form: `--force`,
    /// `--force=x`, `-f`, or `f` inside a cluster like `-rf`.
    private static func uses(_ arg: ShellWord, _ names: [String]) -> Bool {
        guard let value = arg.value, value.hasPrefix("-") else { return false }
        for name in names {
            if value == name || value.hasPrefix(name + "=") { return true }
            if name.count == 2, !value.hasPrefix("--"), value.count > 2,
                value.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber }), value.dropFirst().contains(name.last!)
            {
                return true
            }
        }
        return false
    }

    private enum FlagRole {
        case allowed, writes, runs
        case confirm(String?)
    }

    private mutating func judgeByRules(_ tool: String, _ args: [ShellWord]) {
        let toolRules = rules.tools.filter { $0.matchesTool(tool) }
        let allowRules = toolRules.filter { $0.verb == .read || $0.verb == .allow }
        guard !allowRules.isEmpty else {
            return judgement.ask("\(tool) is not a program I know to be safe")
        }
        var rest = args[...]
        var leading: [ShellWord] = []
        var path: [String] = []
        let hasOptionsRule = toolRules.contains { $0.verb == .options }
        if !hasOptionsRule, allowRules.contains(where: { !$0.levels.isEmpty }),
            let sub = args.firstIndex(where: { !($0.value?.hasPrefix("-") ?? false) }), sub > 0
        {
            // Flags may come before the subcommand (`make -j4 test`): they are judged with its rule.
            leading = Array(args[..<sub])
            rest = args[sub...]
        } else if allowRules.contains(where: { !$0.levels.isEmpty }) {
            // Options before the subcommand: `git -C dir --no-pager log`.
            let global = table(
                for: toolRules.filter {
                    $0.verb == .options || (($0.verb == .writes || $0.verb == .runs) && $0.levels.isEmpty)
                })
            var scratch = Judgement()
            while let word = rest.first, let value = word.value, value.hasPrefix("-"), value != "--" {
                rest = parseFlag(rest, table: global, into: &scratch) ?? []
                if case .confirm = scratch.verdict { return judgement.merge(scratch) }
            }
            judgement.merge(scratch)
            if let word = rest.first, word.value == nil {
                return judgement.ask("I can't tell which \(tool) command \(word.shown) is")
            }
        }
        var best: [ToolRule] = []
        for rule in allowRules where rule.levels.count <= rest.count {
            guard zip(rule.levels, rest).allSatisfy({ $0.contains($1.value ?? "\u{0}") }) else { continue }
            if best.isEmpty || rule.levels.count > best[0].levels.count {
                best = [rule]
            } else if rule.levels.count == best[0].levels.count {
                best.append(rule)
            }
        }
        guard let chosen = best.first else {
            let sub = rest.first.map { " \($0.shown)" } ?? ""
            return judgement.ask("\(tool)\(sub) is not on the allow list")
        }
        path = rest.prefix(chosen.levels.count).compactMap(\.value)
        let operands = leading + Array(rest.dropFirst(chosen.levels.count))
        var outcomes: [Judgement] = []
        for rule in best {
            let outcome = evaluate(rule, operands, tool: tool, path: path, toolRules: toolRules)
            if case .allow = outcome.verdict { return judgement.merge(outcome) }
            outcomes.append(outcome)
        }
        judgement.merge(outcomes[0])
    }

    private func table(for rules: [ToolRule], role: (ToolRule) -> FlagRole = { _ in .allowed }) -> [String: (
        PolicyFlag, FlagRole
    )] {
        var table: [String: (PolicyFlag, FlagRole)] = [:]
        for rule in rules {
            let role: FlagRole =
                switch rule.verb {
                case .writes: .writes
                case .runs: .runs
                case .confirm: .confirm(rule.because)
                default: .allowed
                }
            for group in rule.flags where group.count == 1 {
                for name in group[0].names { table[name] = (group[0], role) }
            }
        }
        return table
    }

    private func evaluate(_ rule: ToolRule, _ args: [ShellWord], tool: String, path: [String], toolRules: [ToolRule])
        -> Judgement
    {
        var outcome = Judgement()
        if rule.verb != .read { outcome.readOnly = false }
        let related = toolRules.filter { other in
            [.writes, .runs, .confirm].contains(other.verb) && other.with.isEmpty && other.targets.isEmpty
                && other.levels.count <= path.count
                && zip(other.levels, path).allSatisfy { $0.contains($1) }
        }
        var table = table(for: [rule])
        for (name, entry) in self.table(for: related) { table[name] = entry }
        var rest = args[...]
        var positional = 0
        var afterDashes = false
        let kinds = rule.arguments.isEmpty ? [PolicyArgumentKind.path] : rule.arguments
        let everythingPositional = rule.flags.isEmpty && kinds == [.any]
        while let word = rest.first {
            let value = word.value
            if !afterDashes, !everythingPositional, let value, value.hasPrefix("-"), value != "-" {
                if value == "--" {
                    afterDashes = true
                    rest.removeFirst()
                    continue
                }
                guard let next = parseFlag(rest, table: table, into: &outcome) else { return outcome }
                rest = next
                continue
            }
            rest.removeFirst()
            let kind = kinds[min(positional, kinds.count - 1)]
            positional += 1
            switch kind {
            case .any: break
            case .text:
                if value == nil { outcome.ask("I can't tell what \(word.shown) holds", changes: false) }
            case .path:
                checkRead(word, into: &outcome)
            case .none:
                outcome.ask("\(([tool] + path).joined(separator: " ")) takes no argument \(word.shown) here")
            case .same:
                if !(value.map { rule.levels.last?.contains($0) ?? false } ?? false) {
                    outcome.ask("\(([tool] + path).joined(separator: " ")) \(word.shown) is not on the allow list")
                }
            }
        }
        for group in rule.flags {
            for flag in group where flag.required && !args.contains(where: { Self.uses($0, flag.names) }) {
                outcome.ask("\(([tool] + path).joined(separator: " ")) runs at once only with \(flag.names[0])")
            }
        }
        return outcome
    }

    /// Reads one flag (and its value) at the head of `args`; nil when judging should stop.
    private func parseFlag(
        _ args: ArraySlice<ShellWord>, table: [String: (PolicyFlag, FlagRole)], into outcome: inout Judgement
    ) -> ArraySlice<ShellWord>? {
        var rest = args
        let word = rest.removeFirst()
        guard let text = word.value else { return nil }
        func use(_ name: String, _ entry: (PolicyFlag, FlagRole), inline: String?) -> Bool {
            let (flag, role) = entry
            var value: ShellWord?
            var isAllowed = false
            if case .allowed = role { isAllowed = true }
            if let inline {
                guard flag.value != nil || !isAllowed else {
                    outcome.ask("it uses an option I don't know (\(word.shown))")
                    return false
                }
                value = ShellWord(source: inline, value: inline, isPlain: false)
            } else if let kind = flag.value {
                if flag.optionalValue {
                    if kind == .number, let next = rest.first, next.value?.allSatisfy(\.isNumber) == true,
                        next.value?.isEmpty == false
                    {
                        value = rest.removeFirst()
                    }
                } else if let next = rest.first {
                    value = next
                    rest.removeFirst()
                } else {
                    outcome.ask("\(name) has no value")
                    return false
                }
            } else if case .writes = role, let next = rest.first {
                value = next
                rest.removeFirst()
            }
            let display = inline != nil ? word.shown : value.map { "\(name) \($0.shown)" } ?? name
            switch role {
            case .writes:
                if let value, let place = value.value.map({ Self.normalize($0, relativeTo: workspace) }),
                    isInside(place)
                {
                    outcome.ask("it writes a file (\(display))")
                } else {
                    outcome.ask("it writes a file outside the workspace (\(display))")
                }
            case .runs: outcome.ask("it can run another program (\(display))")
            case .confirm(let because): outcome.ask("\(because ?? "it needs a yes") (\(display))")
            case .allowed:
                guard let value, let kind = flag.value else { return true }
                switch kind {
                case .text: break
                case .path: checkRead(value, into: &outcome)
                case .number:
                    if !(value.value.map { !$0.isEmpty && $0.allSatisfy { $0.isNumber || "+-kKmMgG".contains($0) } }
                        ?? false)
                    {
                        outcome.ask("\(name) expects a number, not \(value.shown)")
                    }
                case .choices(let choices):
                    if !(value.value.map(choices.contains) ?? false) {
                        outcome.ask("it uses \(name) with a value I don't know (\(value.shown))")
                    }
                }
            }
            return true
        }
        if text.hasPrefix("--") || table[text] != nil || text.contains("=") {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard let entry = table[parts[0]] else {
                outcome.ask("it uses an option I don't know (\(word.shown))")
                return nil
            }
            return use(parts[0], entry, inline: parts.count > 1 ? parts[1] : nil) ? rest : nil
        }
        if text.dropFirst().allSatisfy(\.isNumber), table["-NUM"] != nil { return rest }
        // A cluster of short flags: `-la`, `-n5`, `-oFILE`.
        var letters = Substring(text.dropFirst())
        while let letter = letters.first {
            letters.removeFirst()
            let name = "-\(letter)"
            guard let entry = table[name] else {
                outcome.ask("it uses an option I don't know (\(name) in \(word.shown))")
                return nil
            }
            if entry.0.value != nil {
                if letters.isEmpty {
                    return use(name, entry, inline: nil) ? rest : nil
                }
                return use(name, entry, inline: String(letters)) ? rest : nil
            }
            guard use(name, entry, inline: nil) else { return nil }
        }
        return rest
    }

    // MARK: places

    static func normalize(_ path: String, relativeTo base: String) -> String {
        var parts: [Substring] = []
        for component in absolute(path, relativeTo: base).split(separator: "/") {
            if component == "." { continue }
            if component == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(component)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func isInside(_ path: String) -> Bool {
        func under(_ root: String) -> Bool { root == "/" || path == root || path.hasPrefix(root + "/") }
        guard under(workspace) || under(realWorkspace) else { return false }
        // A symbolic link inside the workspace may point out of it.
        if let real = Self.realPath(path), real != path {
            return real == realWorkspace || real.hasPrefix(realWorkspace + "/") || real.hasPrefix(workspace + "/")
        }
        return true
    }

    private static let devicePrefixes = [
        "/dev/sd", "/dev/nvme", "/dev/hd", "/dev/vd", "/dev/xvd", "/dev/mmcblk", "/dev/disk", "/dev/loop",
        "/dev/mapper/", "/dev/dm-", "/dev/md", "/dev/mem", "/dev/kmem", "/dev/port",
    ]

    /// What a path argument points at; empty when it is inside the workspace (or unknown).
    func places(of word: ShellWord) -> Set<PolicyPlace> {
        guard let value = word.value else { return [] }
        var path = value
        var places: Set<PolicyPlace> = []
        if word.hasGlob, let glob = value.firstIndex(where: { "*?[".contains($0) }) {
            let prefix = value[..<glob]
            path = prefix.lastIndex(of: "/").map { String(prefix[...$0]) } ?? "."
            let pattern = value[(prefix.lastIndex(of: "/").map { value.index(after: $0) } ?? value.startIndex)...]
            // `.*` matches `..` in many shells.
            if pattern.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { places.insert(.parent) }
        }
        // What the glob matches now: a link in the workspace (keys -> ~/.ssh) makes `cat k*/id_rsa`
        // read outside it though the folder before the pattern is inside.
        if word.hasGlob, Self.globReachesOutside(value, workspace: workspace, isInside: isInside) {
            places.insert(.outside)
        }
        let resolved = Self.normalize(path, relativeTo: workspace)
        if resolved == "/" { places.insert(.root) }
        if resolved == home { places.insert(.home) }
        if resolved == workspace || resolved == realWorkspace { places.insert(.workspace) }
        if workspace.hasPrefix(resolved == "/" ? "/" : resolved + "/") { places.insert(.parent) }
        if !isInside(resolved) { places.insert(.outside) }
        if Self.devicePrefixes.contains(where: resolved.hasPrefix) { places.insert(.device) }
        return places
    }

    /// Whether any of the paths `pattern` matches in the file system now (glob(3), relative to
    /// the workspace) resolves outside the workspace; more than `globLimit` matches count as
    /// outside (the judge will not read a whole tree to decide).
    static let globLimit = 10_000

    static func globReachesOutside(_ pattern: String, workspace: String, isInside: (String) -> Bool) -> Bool {
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(absolute(pattern, relativeTo: workspace), GLOB_NOSORT, nil, &matches) == 0 else { return false }
        let count = Int(matches.gl_pathc)
        if count > globLimit { return true }
        for index in 0..<count {
            guard let raw = matches.gl_pathv[index] else { continue }
            if !isInside(normalize(String(cString: raw), relativeTo: workspace)) { return true }
        }
        return false
    }

    /// The entries of a process's /proc folder that lead into another tree: its root, current
    /// directory, executable and open files.
    static let procLinks: Set<String> = ["root", "cwd", "exe"]
    /// Folders of links: listing them is harmless, going through an entry is not.
    static let procLinkFolders: Set<String> = ["fd", "map_files"]

    /// Whether a path under /proc passes through a link into another tree (/proc/self/root/etc,
    /// /proc/1/cwd, /proc/self/fd/3, /proc/self/task/7/root/…).
    static func passesThroughProcLink(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.first == "proc", parts.count >= 3 else { return false }
        for index in 2..<parts.count {
            if procLinks.contains(parts[index]) { return true }
            if procLinkFolders.contains(parts[index]), index + 1 < parts.count { return true }
        }
        return false
    }

    /// The path as written, made absolute against the workspace, without resolving . or ..
    static func absolute(_ path: String, relativeTo workspace: String) -> String {
        path.hasPrefix("/") ? path : workspace + "/" + path
    }

    private func isReadable(_ path: String) -> Bool {
        rules.readable.contains { pattern in
            if pattern.hasSuffix("/**") {
                let root = String(pattern.dropLast(3))
                return path == root || path.hasPrefix(root + "/")
            }
            return fnmatch(pattern, path, 0) == 0
        }
    }

    private mutating func checkRead(_ word: ShellWord) {
        checkRead(word, into: &judgement)
    }

    private func checkRead(_ word: ShellWord, into outcome: inout Judgement) {
        guard let value = word.value else {
            return outcome.ask("I can't tell which path \(word.shown) is", changes: false)
        }
        let places = places(of: word)
        let resolved = Self.normalize(value, relativeTo: workspace)
        // /proc/self/root is "/", its cwd and fd entries are links anywhere: no readable rule
        // reaches through them (checked on the words as written too, since the kernel resolves
        // root/.. to / where the lexical normalization does not).
        if Self.passesThroughProcLink(resolved)
            || Self.passesThroughProcLink(Self.absolute(value, relativeTo: workspace))
        {
            return outcome.ask(
                "it reads \(word.shown) through a /proc link that leads elsewhere in the system", changes: false)
        }
        if places.isDisjoint(with: [.outside, .parent]) || isReadable(resolved) && !word.hasGlob { return }
        if resolved == "/proc" || resolved.hasPrefix("/proc/") {
            return outcome.ask(
                "it reads \(word.shown) under /proc, which can hold other programs' secrets", changes: false)
        }
        outcome.ask("it reads a path outside the workspace (\(word.shown))", changes: false)
    }

    private mutating func checkDirectory(_ word: ShellWord) {
        guard word.value != nil else {
            return judgement.ask("I can't tell which directory \(word.shown) is", changes: false)
        }
        if !places(of: word).isDisjoint(with: [.outside, .parent]) {
            judgement.ask("it changes to a directory outside the workspace (\(word.shown))", changes: false)
        }
    }

    private mutating func checkWrite(_ word: ShellWord, shown: String) {
        if let value = word.value {
            if ["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"].contains(value) || value.hasPrefix("/dev/fd/") {
                return
            }
            let places = places(of: word)
            if places.contains(.device) { return judgement.deny("it writes straight to a disk device (\(shown))") }
            if places.isDisjoint(with: [.outside, .parent]) && !word.hasGlob {
                return judgement.ask("it writes a file (\(shown))")
            }
        }
        judgement.ask("it writes a file outside the workspace (\(shown))")
    }

    private func isSafeVariable(_ name: String) -> Bool {
        rules.safeEnvironment.contains { fnmatch($0, name, 0) == 0 }
    }

    // MARK: tools, roughly

    private static let wrappers: Set<String> = [
        "sudo", "doas", "env", "nice", "timeout", "nohup", "exec", "time", "stdbuf", "ionice", "command", "xargs",
        "setsid", "builtin", "busybox", "strace", "ltrace",
    ]

    /// The programs a command runs, looking through wrappers (for pipe and fork-bomb checks).
    static func effectiveTools(of command: ShellCommand, deep: Bool = true) -> [String] {
        switch command {
        case .simple(let simple):
            var tools: [String] = []
            if deep {
                for word in simple.words + simple.assignments + simple.redirections.map(\.target) {
                    for script in word.substitutions { tools += effectiveTools(of: script) }
                }
            }
            var words = simple.words[...]
            while let first = words.first {
                guard let value = first.value else { break }
                let name = programName(value).base
                if wrappers.contains(name) {
                    words.removeFirst()
                    while let next = words.first, let text = next.value,
                        text.hasPrefix("-") || text.contains("=") || text.first?.isNumber == true
                    {
                        words.removeFirst()
                    }
                    continue
                }
                tools.append(name)
                if shells.contains(name), let index = words.firstIndex(where: { $0.value == "-c" }),
                    index + 1 < words.endIndex, let text = words[index + 1].value,
                    let script = try? ShellParser.parse(text, home: "/", workspace: "/")
                {
                    tools += effectiveTools(of: script)
                }
                break
            }
            return tools
        case .compound(let script, _):
            return effectiveTools(of: script)
        case .function(let name, let body):
            return [name] + effectiveTools(of: body)
        }
    }

    static func effectiveTools(of script: ShellScript) -> [String] {
        script.pipelines.flatMap { $0.commands.flatMap { effectiveTools(of: $0) } }
    }
}
