import Foundation

/// Dangerous calls in Python, shell, Swift and Dockerfiles. Each language has literal anchors
/// found with memmem; only lines holding one are looked at closely.
enum SecurityScanner {
    typealias C = CheckCatalog

    static func scan(_ text: inout ByteText, file: String, kind: FileKind, into findings: inout [Finding]) {
        if kind.contains(.python) { python(&text, file, &findings) }
        if kind.contains(.shell) { shell(&text, file, &findings) }
        if kind.contains(.swift) { swift(&text, file, &findings) }
        if kind.contains(.dockerfile) { dockerfile(&text, file, &findings) }
    }

    /// Every line holding one of the anchors of `index`, once, in order.
    static func candidateLines(_ text: ByteText, _ index: AnchorIndex) -> [(Int, String)] {
        var starts: [Int] = []
        index.forEachMatch(in: text) { _, offset in
            let start = text.lineStart(at: offset)
            if starts.last != start { starts.append(start) }
        }
        return starts.map { ($0, text.lineText(at: $0)) }
    }

    /// Every line holding one of `anchors`, once, as (offset of the line, its text).
    static func candidateLines(_ text: ByteText, _ anchors: [StaticString]) -> [(Int, String)] {
        var starts: Set<Int> = []
        for anchor in anchors {
            var from = 0
            while let offset = text.find(anchor, from: from) {
                starts.insert(text.lineStart(at: offset))
                from = text.lineEnd(at: offset) + 1
            }
        }
        return starts.sorted().map { ($0, text.lineText(at: $0)) }
    }

    static func report(
        _ check: CheckInfo, _ text: inout ByteText, _ offset: Int, _ line: String, _ file: String,
        _ findings: inout [Finding]
    ) {
        let number = text.lineNumber(at: offset)
        if findings.contains(where: { $0.check == check.id && $0.line == number }) { return }
        findings.append(
            Finding(
                check: check, file: file, line: number,
                evidence: line.trimmingCharacters(in: .whitespaces)))
    }

    static func isComment(_ line: String) -> Bool {
        line.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("#")
    }

    // MARK: Python

    static let pythonAnchors = AnchorIndex([
        "eval(", "exec(", "shell=True", "shell = True", "os.system(", "os.popen(", "execute(", "executemany(",
        "executescript(", "pickle.load", "marshal.load", "dill.load", "shelve.open(", "yaml.load(",
        "yaml.load_all(", "yaml.unsafe_load", "verify=False", "verify = False", "CERT_NONE",
        "_create_unverified_context", "check_hostname = False", "check_hostname=False", "debug=True",
        "DEBUG = True", "DEBUG=True", "SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "select ",
    ])

    static func python(_ text: inout ByteText, _ file: String, _ findings: inout [Finding]) {
        for (offset, fullLine) in candidateLines(text, pythonAnchors) where !isComment(fullLine) {
            // Calls are looked for in the code, not in the strings: a line that holds Python
            // source as data ("return eval(x)" in a test table) runs none of it. SQL is built in
            // strings, so buildsSQL reads the whole line.
            let line = outsideStrings(fullLine)
            if callsEvalOnInput(line) { report(C.pythonEval, &text, offset, fullLine, file, &findings) }
            if line.contains("shell=True") || line.contains("shell = True") {
                report(C.pythonShellTrue, &text, offset, fullLine, file, &findings)
            }
            if line.contains("os.system(") || line.contains("os.popen(") {
                report(C.pythonOsSystem, &text, offset, fullLine, file, &findings)
            }
            if buildsSQL(fullLine) { report(C.pythonSQL, &text, offset, fullLine, file, &findings) }
            if ["pickle.load", "marshal.load", "dill.load", "shelve.open("].contains(where: { line.contains($0) }) {
                report(C.pythonPickle, &text, offset, fullLine, file, &findings)
            }
            if line.contains("yaml.unsafe_load")
                || ((line.contains("yaml.load(") || line.contains("yaml.load_all("))
                    && !["SafeLoader", "CSafeLoader", "BaseLoader", "safe_load"].contains(where: { line.contains($0) }))
            {
                report(C.pythonYAML, &text, offset, fullLine, file, &findings)
            }
            if turnsTLSVerificationOff(line, whole: fullLine) {
                report(C.pythonTLS, &text, offset, fullLine, file, &findings)
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("DEBUG = True") || trimmed.hasPrefix("DEBUG=True")
                || (line.contains("debug=True")
                    && [".run(", "FastAPI(", "Flask(", "uvicorn.run(", "Starlette("].contains(where: {
                        line.contains($0)
                    }))
            {
                report(C.pythonDebug, &text, offset, fullLine, file, &findings)
            }
        }
    }

    /// The line with the contents of its '…' and "…" literals blanked out (quotes, prefixes and
    /// length kept), so that a pattern found in it is code. A literal left open at the end of
    /// the line (a triple-quoted block) blanks the rest.
    static func outsideStrings(_ line: String) -> String {
        var bytes = Array(line.utf8)
        var quote: UInt8? = nil
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == 0x5C && index + 1 < bytes.count {  // backslash: the escaped byte too
                    bytes[index] = 0x20
                    bytes[index + 1] = 0x20
                    index += 2
                    continue
                }
                if byte == open { quote = nil } else { bytes[index] = 0x20 }
            } else if byte == 0x22 || byte == 0x27 {
                quote = byte
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// eval(x)/exec(x) whose argument is not a string literal, not a method (`model.eval()`)
    /// and not a definition.
    static func callsEvalOnInput(_ line: String) -> Bool {
        let bytes = Array(line.utf8)
        for name in ["eval(", "exec("] {
            var from = bytes.startIndex
            let needle = Array(name.utf8)
            while let range = bytes[from...].firstRange(of: needle) {
                from = range.upperBound
                let before = range.lowerBound > 0 ? bytes[range.lowerBound - 1] : 0x20
                if ByteClass.isWord(before) || before == 0x2E { continue }
                let prefix = String(decoding: bytes[..<range.lowerBound], as: UTF8.self)
                if prefix.hasSuffix("def ") { continue }
                var index = range.upperBound
                while index < bytes.count && bytes[index] == 0x20 { index += 1 }
                guard index < bytes.count else { continue }
                let first = bytes[index]
                if first == 0x29 || first == 0x22 || first == 0x27 { continue }  // ) " '
                // r"…", b"…", f"…" literals.
                if index + 1 < bytes.count, [0x72, 0x62, 0x75].contains(first),
                    bytes[index + 1] == 0x22 || bytes[index + 1] == 0x27
                {
                    continue
                }
                return true
            }
        }
        return false
    }

    /// verify=False in a call (not a parameter default), CERT_NONE assigned (not compared),
    /// an unverified context, or hostname checking switched off.
    /// `whole`: the line with its strings, when `line` has them blanked (`outsideStrings`).
    static func turnsTLSVerificationOff(_ line: String, whole: String? = nil) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("def ") || trimmed.hasPrefix("async def ") { return false }
        if line.contains("_create_unverified_context") || line.contains("check_hostname = False")
            || line.contains("check_hostname=False")
        {
            return true
        }
        for pattern in ["verify=False", "verify = False"] {
            if let range = line.range(of: pattern) {
                let before = line[..<range.lowerBound].last
                if before == nil || !(before!.isLetter || before!.isNumber || before! == "_" || before! == ".") {
                    return true
                }
            }
        }
        if (whole ?? line).contains("CERT_NONE"), !line.contains("!="), !line.contains("=="), !line.contains(" if "),
            line.contains("= ssl.CERT_NONE") || line.contains("=ssl.CERT_NONE")
                || (whole ?? line).contains("= \"CERT_NONE\"")
        {
            return true
        }
        return false
    }

    static let sqlWords = ["SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "select ", "insert into", "delete from"]

    /// SQL text that is put together from pieces rather than passed with parameters.
    static func buildsSQL(_ line: String) -> Bool {
        let executes = ["execute(", "executemany(", "executescript(", ".raw("].contains { line.contains($0) }
        let hasSQL = sqlWords.contains { line.contains($0) }
        guard executes || hasSQL else { return false }
        let formatted = line.contains("f\"") || line.contains("f'")
        let interpolates = line.contains("{") && formatted
        let concatenates =
            line.contains("\" +") || line.contains("' +") || line.contains("+ \"") || line.contains("+ '")
        let percent = line.contains("\" %") || line.contains("' %")
        let format = line.contains(".format(")
        if hasSQL { return interpolates || concatenates || percent || format }
        // execute(f"…{x}") or execute("…" + x) without SQL words on the line.
        guard let call = line.range(of: "execute(") ?? line.range(of: ".raw(") else { return false }
        let argument = line[call.upperBound...]
        return argument.hasPrefix("f\"") || argument.hasPrefix("f'")
            || (argument.contains("+") && argument.contains("\""))
            || argument.contains(".format(") || argument.contains("\" %") || argument.contains("' %")
    }

    // MARK: shell

    static func shell(_ text: inout ByteText, _ file: String, _ findings: inout [Finding]) {
        let anchors: [StaticString] = ["chmod", "curl", "wget", "rm ", "eval "]
        for (offset, line) in candidateLines(text, anchors) where !isComment(line) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if let chmod = words.firstIndex(of: "chmod"),
                words[(chmod + 1)...].contains(where: {
                    ["777", "0777", "a+rwx", "ugo+rwx", "o+w", "a+w"].contains($0)
                })
            {
                report(C.shellChmod777, &text, offset, line, file, &findings)
            }
            if pipesDownloadIntoShell(line) { report(C.shellCurlPipe, &text, offset, line, file, &findings) }
            if removesUnquotedVariable(words) { report(C.shellUnquotedRm, &text, offset, line, file, &findings) }
            if let eval = words.firstIndex(of: "eval"),
                eval == 0 || [";", "&&", "||", "then", "do"].contains(words[eval - 1]),
                words[(eval + 1)...].contains(where: { $0.contains("$") })
            {
                report(C.shellEval, &text, offset, line, file, &findings)
            }
        }
    }

    /// curl/wget … | [sudo] sh|bash|zsh|python.
    static func pipesDownloadIntoShell(_ line: String) -> Bool {
        guard let download = line.range(of: "curl ") ?? line.range(of: "wget ") else { return false }
        for part in line[download.upperBound...].split(separator: "|").dropFirst() {
            var words = part.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            while let first = words.first, first == "sudo" || first.hasPrefix("-") || first == "env" {
                words.removeFirst()
            }
            guard let program = words.first?.split(separator: "/").last.map(String.init) else { continue }
            if ["sh", "bash", "zsh", "dash", "ksh", "python", "python3", "perl", "ruby"].contains(program) {
                return true
            }
        }
        return false
    }

    /// rm with -r and -f on an argument that expands a variable outside quotes.
    static func removesUnquotedVariable(_ words: [String]) -> Bool {
        guard let rm = words.firstIndex(of: "rm") else { return false }
        let rest = words[(rm + 1)...]
        let flags = rest.filter { $0.hasPrefix("-") && !$0.hasPrefix("--") }.joined()
        guard flags.contains("r") || flags.contains("R"), flags.contains("f") else { return false }
        return rest.contains { $0.hasPrefix("$") && !$0.contains(":?") }
    }

    // MARK: Swift

    static func swift(_ text: inout ByteText, _ file: String, _ findings: inout [Finding]) {
        guard text.contains("Process"),
            text.contains("\"/bin/sh\"") || text.contains("\"/bin/bash\"") || text.contains("\"sh\"")
                || text.contains("\"bash\"") || text.contains("/usr/bin/env")
        else { return }
        for (offset, line) in candidateLines(text, ["\"-c\""]) {
            guard let flag = line.range(of: "\"-c\"") else { continue }
            let rest = line[flag.upperBound...].drop(while: { $0 == "," || $0 == " " })
            // A literal command without interpolation is fixed; anything else carries input.
            let literal = rest.hasPrefix("\"") && !rest.contains("\\(") && !rest.contains("+")
            if !literal && !rest.isEmpty && !rest.hasPrefix("]") {
                report(C.swiftProcessShell, &text, offset, line, file, &findings)
            }
        }
    }

    // MARK: Dockerfile

    static func dockerfile(_ text: inout ByteText, _ file: String, _ findings: inout [Finding]) {
        // RUN instructions joined across their backslash continuations, with where each starts.
        var instruction = ""
        var instructionOffset = 0
        var risky: [(offset: Int, text: String)] = []
        text.forEachLine { range, _ in
            let line = text.string(range)
            if instruction.isEmpty { instructionOffset = range.lowerBound }
            if line.hasSuffix("\\") {
                instruction += line.dropLast() + " "
                return
            }
            instruction += line
            let trimmed = instruction.trimmingCharacters(in: .whitespaces)
            if trimmed.uppercased().hasPrefix("RUN "), pipesDownloadIntoShell(trimmed) {
                risky.append((instructionOffset, trimmed))
            }
            instruction = ""
        }
        for (offset, instruction) in risky { report(C.dockerCurlPipe, &text, offset, instruction, file, &findings) }
    }
}
