import Foundation
import MybroRules

/// The technology rules applied to files: dependencies in manifests, imports, script tags,
/// configuration files, CUDA sources and calls, development containers, database drivers and
/// `requests` inside `async def`.
struct PolicyScanner: Sendable {
    typealias C = CheckCatalog

    /// A technology the scanner knows how to find, and the name the rules call it.
    struct Technology: Sendable {
        let check: CheckInfo
        let ruleName: String
        /// Dependency names (normalized) in any manifest.
        let packages: Set<String>
        /// Module names whose import marks it (Python `import x`, JavaScript `require('x')`).
        let modules: [String]
    }

    static let technologies: [Technology] = [
        Technology(check: C.forbiddenFlask, ruleName: "Flask", packages: ["flask"], modules: ["flask"]),
        Technology(check: C.forbiddenExpress, ruleName: "Express.js", packages: ["express"], modules: ["express"]),
        Technology(check: C.forbiddenElectron, ruleName: "Electron", packages: ["electron"], modules: ["electron"]),
        Technology(
            check: C.forbiddenCRA, ruleName: "Create React App", packages: ["reactscripts", "createreactapp"],
            modules: []),
        Technology(check: C.forbiddenJQuery, ruleName: "jQuery", packages: ["jquery"], modules: ["jquery"]),
        Technology(
            check: C.forbiddenWebpack, ruleName: "Webpack", packages: ["webpack", "webpackcli", "webpackdevserver"],
            modules: ["webpack"]),
        Technology(
            check: C.forbiddenCUDA, ruleName: "CUDA",
            packages: ["pycuda", "cupy", "cudapython", "cudarc", "cust", "numbacuda", "cupycuda12x", "cupycuda11x"],
            modules: ["pycuda", "cupy"]),
    ]

    static let mongoPackages: Set<String> = [
        "pymongo", "motor", "mongoengine", "mongoose", "mongodb", "gomongodborgmongodriver",
    ]
    static let mongoModules = ["pymongo", "motor", "mongoengine", "mongoose", "mongodb"]
    static let mysqlPackages: Set<String> = [
        "mysqlclient", "pymysql", "mysqlconnectorpython", "aiomysql", "mysql", "mysql2", "githubcomgosqldrivermysql",
    ]
    static let mysqlModules = ["pymysql", "MySQLdb", "mysql.connector", "aiomysql", "mysql2"]

    let rules: TechnologyRuleSet
    let active: [Technology]
    let postgresMandated: Bool
    let requestsInAsyncForbidden: Bool
    let dockerDevForbidden: Bool
    /// Prohibited names no built-in technology covers: matched against dependency names.
    let otherProhibited: [(name: String, key: String)]

    init(rules: TechnologyRuleSet) {
        self.rules = rules
        active = Self.technologies.filter { rules.prohibition(of: $0.ruleName) != nil }
        postgresMandated = rules.mandate(of: "PostgreSQL") != nil
        requestsInAsyncForbidden = rules.prohibition(of: "requests in async code") != nil
        dockerDevForbidden = rules.prohibition(of: "Docker for development") != nil
        let known = Set(
            Self.technologies.map { TechnologyRuleSet.normalized($0.ruleName) } + [
                "requestsinasynccode", "dockerfordevelopment",
            ])
        otherProhibited = rules.prohibitedNames.map { ($0, TechnologyRuleSet.normalized($0)) }.filter {
            !known.contains($0.key)
        }
    }

    func message(_ name: String) -> String {
        "\(name) is not allowed (\(rules.prohibition(of: name) ?? "technology rules"))"
    }

    func scan(_ text: inout ByteText, file: String, kind: FileKind, into findings: inout [Finding]) {
        let name = (file.split(separator: "/").last.map(String.init) ?? file).lowercased()
        func add(_ check: CheckInfo, _ offset: Int?, _ message: String, _ evidence: String) {
            let line = offset.map { text.lineNumber(at: $0) }
            if findings.contains(where: { $0.check == check.id && $0.file == file && $0.line == line }) { return }
            findings.append(Finding(check: check, file: file, line: line, message: message, evidence: evidence))
        }
        // Files that are a technology by their name.
        if let webpack = active.first(where: { $0.check == C.forbiddenWebpack }), name.hasPrefix("webpack.config.") {
            add(webpack.check, nil, message("Webpack") + ": webpack configuration", name)
        }
        if let cuda = active.first(where: { $0.check == C.forbiddenCUDA }), kind.contains(.cuda) {
            add(cuda.check, nil, message("CUDA") + ": CUDA source file", name)
        }
        if dockerDevForbidden {
            if kind.contains(.dockerfile)
                && (name.contains(".dev") || name.contains("dev.") || name.contains("develop"))
            {
                add(C.forbiddenDockerDev, nil, message("Docker for development") + ": development Dockerfile", name)
            } else if kind.contains(.compose), let offset = developmentCompose(text, name: name) {
                add(
                    C.forbiddenDockerDev, offset, message("Docker for development") + ": development compose file", name
                )
            }
        }
        if kind.contains(.manifest) {
            for dependency in Self.dependencies(text, name: name) {
                let key = TechnologyRuleSet.normalized(dependency.name)
                if let technology = active.first(where: { $0.packages.contains(key) }) {
                    add(
                        technology.check, dependency.offset,
                        message(technology.ruleName) + ": dependency \(dependency.name)", dependency.name)
                } else if postgresMandated && Self.mongoPackages.contains(key) {
                    add(
                        C.mongoDriver, dependency.offset,
                        "MongoDB driver \(dependency.name) where the rules mandate PostgreSQL", dependency.name)
                } else if postgresMandated && Self.mysqlPackages.contains(key) {
                    add(
                        C.mysqlDriver, dependency.offset,
                        "MySQL driver \(dependency.name) where the rules mandate PostgreSQL", dependency.name)
                } else if let other = otherProhibited.first(where: { $0.key == key }) {
                    add(
                        C.forbiddenDependency, dependency.offset,
                        message(other.name) + ": dependency \(dependency.name)", dependency.name)
                }
            }
        }
        if kind.contains(.python) || kind.contains(.javascript) || kind.contains(.html) {
            let imports = Self.imports(text, kind: kind)
            func offset(of module: String) -> Int? {
                imports.first {
                    $0.module == module || $0.module.hasPrefix(module + ".") || $0.module.hasPrefix(module + "/")
                }?
                .offset
            }
            for technology in active {
                for module in technology.modules {
                    if let offset = offset(of: module) {
                        add(technology.check, offset, message(technology.ruleName) + ": imports \(module)", module)
                        break
                    }
                }
            }
            if postgresMandated {
                if let module = Self.mongoModules.first(where: { offset(of: $0) != nil }) {
                    add(
                        C.mongoDriver, offset(of: module),
                        "MongoDB driver \(module) imported where the rules mandate PostgreSQL", module)
                }
                if let module = Self.mysqlModules.first(where: { offset(of: $0) != nil }) {
                    add(
                        C.mysqlDriver, offset(of: module),
                        "MySQL driver \(module) imported where the rules mandate PostgreSQL", module)
                }
            }
        }
        if kind.contains(.python) {
            if let cuda = active.first(where: { $0.check == C.forbiddenCUDA }),
                let offset = text.find(".cuda(") ?? text.find("device(\"cuda") ?? text.find("device('cuda")
                    ?? text.find("device=\"cuda") ?? text.find("device='cuda") ?? text.find(".to(\"cuda")
                    ?? text.find(".to('cuda")
            {
                add(cuda.check, offset, message("CUDA") + ": CUDA device use", "cuda-call")
            }
            if requestsInAsyncForbidden, text.contains("async def"), text.contains("requests.") {
                for offset in Self.requestsInsideAsync(text) {
                    add(
                        C.requestsInAsync, offset, "requests called inside async def (rules: use httpx)",
                        text.lineText(at: offset))
                }
            }
        }
    }

    // MARK: manifests

    struct Dependency {
        let name: String
        let offset: Int
    }

    /// Dependency names declared in a manifest, with where they are.
    static func dependencies(_ text: ByteText, name: String) -> [Dependency] {
        var result: [Dependency] = []
        var section = ""
        var inRequire = false
        var inJSONDependencies = false
        text.forEachLine { range, _ in
            let line = text.string(range)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("//") { return }
            func leadingName(_ string: Substring) -> String {
                String(string.prefix { $0.isLetter || $0.isNumber || "._-/".contains($0) })
            }
            if name.hasPrefix("requirements") || name == "constraints.txt" {
                if trimmed.hasPrefix("-") { return }
                let dependency = leadingName(Substring(trimmed))
                if !dependency.isEmpty { result.append(Dependency(name: dependency, offset: range.lowerBound)) }
            } else if name == "package.json" {
                if trimmed.contains("ependencies\"") && trimmed.hasSuffix("{") { inJSONDependencies = true; return }
                if inJSONDependencies && trimmed.hasPrefix("}") { inJSONDependencies = false; return }
                if inJSONDependencies, trimmed.hasPrefix("\""), let end = trimmed.dropFirst().firstIndex(of: "\"") {
                    result.append(
                        Dependency(
                            name: String(trimmed[trimmed.index(after: trimmed.startIndex)..<end]),
                            offset: range.lowerBound))
                }
            } else if name == "go.mod" {
                if trimmed.hasPrefix("require (") { inRequire = true; return }
                if inRequire && trimmed.hasPrefix(")") { inRequire = false; return }
                let body = trimmed.hasPrefix("require ") ? trimmed.dropFirst(8) : (inRequire ? Substring(trimmed) : "")
                let module = leadingName(body)
                if !module.isEmpty { result.append(Dependency(name: module, offset: range.lowerBound)) }
            } else if name == "package.swift" {
                if let url = trimmed.range(of: "url: \"") {
                    let address = trimmed[url.upperBound...].prefix { $0 != "\"" }
                    var package = address.split(separator: "/").last.map(String.init) ?? ""
                    if package.hasSuffix(".git") { package.removeLast(4) }
                    if !package.isEmpty { result.append(Dependency(name: package, offset: range.lowerBound)) }
                }
            } else {
                // TOML-like manifests (pyproject, Pipfile, Cargo.toml, setup.cfg) and setup.py.
                if trimmed.hasPrefix("[") {
                    section = trimmed.lowercased()
                    return
                }
                if section.contains("dependencies") || section.contains("packages") || section.contains("requires"),
                    !trimmed.hasPrefix("\""), let equals = trimmed.firstIndex(of: "=")
                {
                    let key = leadingName(trimmed[..<equals])
                    if !key.isEmpty && key != "python" {
                        result.append(Dependency(name: key, offset: range.lowerBound))
                    }
                }
                // Quoted requirement strings: "flask>=2", 'pymongo'.
                var rest = Substring(trimmed)
                while let quote = rest.firstIndex(where: { $0 == "\"" || $0 == "'" }) {
                    let mark = rest[quote]
                    let after = rest[rest.index(after: quote)...]
                    guard let close = after.firstIndex(of: mark) else { break }
                    let content = after[..<close]
                    let dependency = leadingName(content)
                    let tail = content.dropFirst(dependency.count)
                    if !dependency.isEmpty && dependency.count < 60
                        && (tail.isEmpty || "<>=!~[; ".contains(tail.first!)) && !content.contains(" is ")
                        && (section.contains("dependencies") || section.contains("packages")
                            || trimmed.contains("requires")
                            || trimmed.contains("dependencies") || name == "setup.py" || name == "pyproject.toml")
                        && !trimmed.hasPrefix("name") && !trimmed.hasPrefix("description")
                        && !trimmed.hasPrefix("version")
                    {
                        result.append(Dependency(name: dependency, offset: range.lowerBound))
                    }
                    rest = after[after.index(after: close)...]
                }
            }
        }
        return result
    }

    /// The modules a file imports, with where: Python `import a, b` / `from a.b import c`,
    /// JavaScript `require('x')` / `import … from 'x'` / `import 'x'`, and for HTML the source of
    /// each script tag (its last path part, so ".../jquery-3.7.1.min.js" counts as jquery).
    static func imports(_ text: ByteText, kind: FileKind) -> [(module: String, offset: Int)] {
        var result: [(module: String, offset: Int)] = []
        var lines: [Int] = []
        for anchor: StaticString in ["import ", "require(", "<script"] {
            var from = 0
            while let offset = text.find(anchor, from: from) {
                lines.append(text.lineStart(at: offset))
                from = text.lineEnd(at: offset) + 1
            }
        }
        for start in Set(lines).sorted() {
            let line = text.lineText(at: start).trimmingCharacters(in: .whitespaces)
            if kind.contains(.python) {
                if line.hasPrefix("import ") {
                    for part in line.dropFirst(7).split(separator: ",") {
                        let name =
                            part.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
                        if !name.isEmpty { result.append((name, start)) }
                    }
                } else if line.hasPrefix("from "), let name = line.dropFirst(5).split(separator: " ").first {
                    result.append((String(name), start))
                }
            }
            if kind.contains(.javascript) {
                for marker in ["require(", " from ", "import "] {
                    var rest = Substring(line)
                    while let range = rest.range(of: marker) {
                        rest = rest[range.upperBound...]
                        let quoted = rest.drop { $0 == " " || $0 == "(" }
                        guard let quote = quoted.first, quote == "'" || quote == "\"" || quote == "`" else { continue }
                        let name = quoted.dropFirst().prefix { $0 != quote }
                        if !name.isEmpty { result.append((String(name), start)) }
                    }
                }
            }
            if kind.contains(.html), line.lowercased().contains("<script"), let source = line.range(of: "src=") {
                let value = line[source.upperBound...].dropFirst().prefix { $0 != "\"" && $0 != "'" }
                let last = value.split(separator: "/").last.map { $0.lowercased() } ?? ""
                let name = String(last.prefix { $0.isLetter })
                if !name.isEmpty { result.append((name, start)) }
            }
        }
        return result
    }

    /// Where `module` is imported (Python import, JavaScript require/import, an HTML script tag).
    static func importOffset(_ text: ByteText, module: String, kind: FileKind) -> Int? {
        var patterns: [String] = []
        if kind.contains(.python) {
            patterns = [
                "import \(module)\n", "import \(module) ", "import \(module).", "import \(module),",
                "from \(module) import", "from \(module).", "import \(module)\r",
            ]
        }
        if kind.contains(.javascript) {
            patterns += [
                "require('\(module)')", "require(\"\(module)\")", "from '\(module)'", "from \"\(module)\"",
                "import '\(module)'", "import \"\(module)\"",
            ]
        }
        if kind.contains(.html) { patterns += ["src=\"", "src='"] }
        for pattern in patterns {
            var from = 0
            let needle = Array(pattern.utf8)
            while let offset = needle.withUnsafeBufferPointer({ text.find($0, from: from) }) {
                from = offset + 1
                if pattern.hasPrefix("src=") {
                    let line = text.lineText(at: offset).lowercased()
                    if line.contains("<script") && line.contains(module.lowercased()) { return offset }
                    continue
                }
                if pattern.hasPrefix("import") || pattern.hasPrefix("from"), offset > 0 {
                    // Only at the start of a statement.
                    let before = text[offset - 1]
                    if before != 0x0A && before != 0x20 && before != 0x09 && before != 0x3B { continue }
                }
                return offset
            }
        }
        return nil
    }

    /// Offsets of `requests.` calls inside the body of an `async def`.
    static func requestsInsideAsync(_ text: ByteText) -> [Int] {
        var offsets: [Int] = []
        var asyncIndent: Int? = nil
        text.forEachLine { range, _ in
            let line = text.string(range)
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            let body = line.dropFirst(indent)
            if body.isEmpty || body.hasPrefix("#") { return }
            if let current = asyncIndent, indent <= current { asyncIndent = nil }
            if body.hasPrefix("async def ") {
                asyncIndent = indent
                return
            }
            if asyncIndent != nil, body.hasPrefix("def ") { return }
            if asyncIndent != nil,
                [
                    "requests.get(", "requests.post(", "requests.put(", "requests.delete(", "requests.patch(",
                    "requests.request(", "requests.head(", "requests.Session(",
                ].contains(where: { body.contains($0) })
            {
                offsets.append(range.lowerBound)
            }
        }
        return offsets
    }

    /// A compose file for development: "dev" in its name, the source bind-mounted, or a reloader.
    func developmentCompose(_ text: ByteText, name: String) -> Int?? {
        if name.contains("dev") || name.contains("override") { return .some(nil) }
        for marker: StaticString in ["- .:/", "- ./:/", "- \".:/", "--reload", "- ./src:/"] {
            if let offset = text.find(marker) { return .some(offset) }
        }
        return nil
    }
}
