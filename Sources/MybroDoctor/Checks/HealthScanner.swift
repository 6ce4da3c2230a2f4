import Foundation

/// Repository health: per file (scripts without set -e, unpinned requirements, conflict
/// markers, TODO counts, oversized files) and for the repository as a whole (README,
/// LICENSE, tests, .gitignore, lockfiles, CI, a committed .env).
enum HealthScanner {
    typealias C = CheckCatalog

    /// Per-file checks; returns the number of TODO/FIXME markers in the file.
    static func scan(
        _ text: inout ByteText, file: String, kind: FileKind, executable: Bool, into findings: inout [Finding]
    ) -> Int {
        // A script that is run (a shebang, and an execute bit or a .sh name), not a sourced library.
        let runnable = executable || [".sh", ".bash", ".zsh", ".ksh"].contains { file.hasSuffix($0) }
        if kind.contains(.shell) && text.hasLiteral("#!", at: 0) && runnable && !setsErrexit(text) {
            findings.append(Finding(check: C.shellNoErrexit, file: file, line: 1, evidence: "errexit"))
        }
        if kind.contains(.requirements) {
            text.forEachLine { range, number in
                let line = text.string(range)
                let trimmed =
                    line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?
                    .trimmingCharacters(in: .whitespaces) ?? ""
                if trimmed.isEmpty || trimmed.hasPrefix("-") || trimmed.contains("==") || trimmed.contains(" @ ")
                    || trimmed.contains("://") || trimmed.hasPrefix(".") || trimmed.hasPrefix("/")
                {
                    return
                }
                findings.append(
                    Finding(
                        check: C.unpinnedDependency, file: file, line: number,
                        message: "requirement \(trimmed) has no exact version", evidence: trimmed))
            }
        }
        var from = 0
        while let offset = text.find("<<<<<<< ", from: from) {
            from = offset + 8
            if offset == 0 || text[offset - 1] == 0x0A {
                findings.append(
                    Finding(
                        check: C.mergeConflict, file: file, line: text.lineNumber(at: offset),
                        evidence: text.lineText(at: offset)))
            }
        }
        return count("TODO", text) + count("FIXME", text)
    }

    private static func count(_ word: StaticString, _ text: ByteText) -> Int {
        var total = 0
        var from = 0
        while let offset = text.find(word, from: from) {
            from = offset + word.utf8CodeUnitCount
            let before = offset > 0 ? text[offset - 1] : 0x20
            let after = from < text.count ? text[from] : 0x20
            if !ByteClass.isAlnum(before) && !ByteClass.isAlnum(after) { total += 1 }
        }
        return total
    }

    /// `set -e` in any spelling (set -eu, set -euo pipefail, set -o errexit) or a `-e` shebang.
    static func setsErrexit(_ text: ByteText) -> Bool {
        if text.contains("errexit") { return true }
        let firstLine = text.lineText(at: 0)
        if firstLine.hasPrefix("#!"),
            firstLine.split(separator: " ").dropFirst().contains(where: {
                $0.hasPrefix("-") && $0.contains("e")
            })
        {
            return true
        }
        var from = 0
        while let offset = text.find("set -", from: from) {
            from = offset + 5
            var index = from
            while index < text.count && ByteClass.isAlnum(text[index]) {
                if text[index] == 0x65 { return true }  // e
                index += 1
            }
        }
        return false
    }

    // MARK: repository level

    static let lockfiles: [String: [String]] = [
        "package.json": [
            "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock", "npm-shrinkwrap.json",
        ],
        "pyproject.toml": [
            "uv.lock", "poetry.lock", "pdm.lock", "requirements.txt", "requirements.lock", "pylock.toml",
        ],
        "Pipfile": ["Pipfile.lock"],
        "Cargo.toml": ["Cargo.lock"],
        "go.mod": ["go.sum"],
        "Gemfile": ["Gemfile.lock"],
        "Package.swift": ["Package.resolved"],
        "composer.json": ["composer.lock"],
    ]

    static let ciMarkers = [
        ".github/workflows/", ".gitlab-ci.yml", ".circleci/", "Jenkinsfile", "azure-pipelines.yml", ".travis.yml",
        "bitbucket-pipelines.yml", ".drone.yml", ".woodpecker.yml", ".woodpecker/", ".ci/", ".buildkite/",
        ".forgejo/workflows/", ".gitea/workflows/",
    ]

    /// Checks on the list of files (relative paths) under a root.
    static func repository(
        files: [String], todoCount: Int, trackedEnvFiles: Set<String>, isGitRepository: Bool
    ) -> [Finding] {
        var findings: [Finding] = []
        let rootNames = Set(files.filter { !$0.contains("/") })
        let lowerRoot = Set(rootNames.map { $0.lowercased() })
        if !lowerRoot.contains(where: { $0.hasPrefix("readme") }) {
            findings.append(Finding(check: C.noReadme, file: nil, line: nil, evidence: "readme"))
        }
        if !lowerRoot.contains(where: { $0.hasPrefix("license") || $0.hasPrefix("licence") || $0.hasPrefix("copying") })
        {
            findings.append(Finding(check: C.noLicense, file: nil, line: nil, evidence: "license"))
        }
        if !files.contains(where: isTestPath) {
            findings.append(Finding(check: C.noTests, file: nil, line: nil, evidence: "tests"))
        }
        if !rootNames.contains(".gitignore") {
            findings.append(Finding(check: C.noGitignore, file: nil, line: nil, evidence: "gitignore"))
        }
        for (manifest, locks) in lockfiles.sorted(by: { $0.key < $1.key }) where rootNames.contains(manifest) {
            if !locks.contains(where: rootNames.contains) {
                findings.append(
                    Finding(
                        check: C.noLockfile, file: manifest, line: nil,
                        message: "\(manifest) without a lockfile (\(locks.prefix(3).joined(separator: ", ")))",
                        evidence: manifest))
            }
        }
        for file in files {
            let name = file.split(separator: "/").last ?? Substring(file)
            guard ContextDetectors.isEnvFile(name), !name.hasSuffix(".env") || name == ".env" else { continue }
            let how =
                trackedEnvFiles.contains(file)
                ? "tracked by git" : (isGitRepository ? "not ignored by .gitignore" : "not covered by a .gitignore")
            findings.append(
                Finding(check: C.committedEnv, file: file, line: nil, message: "\(file) is \(how)", evidence: file))
        }
        if !files.contains(where: { file in ciMarkers.contains { file.hasPrefix($0) || file == $0 } }) {
            findings.append(Finding(check: C.noCI, file: nil, line: nil, evidence: "ci"))
        }
        if todoCount > 0 {
            findings.append(
                Finding(
                    check: C.todoCount, file: nil, line: nil,
                    message: "\(todoCount) TODO/FIXME comment\(todoCount == 1 ? "" : "s")", evidence: "todo"))
        }
        return findings
    }

    static let codeExtensions: Set<String> = [
        "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "rs", "swift", "rb", "java", "kt", "c", "cc", "cpp", "h",
        "sh", "bats", "php", "cs", "ex", "exs", "scala", "clj", "lua",
    ]

    /// A test: a file named like one (test_x.py, x_test.go, x.test.ts, x.spec.js, XTests.swift,
    /// conftest.py), or a code file in a test folder outside its fixture and data folders.
    static func isTestPath(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        let name = (components.last ?? "").lowercased()
        if name.hasPrefix("test_") || name.hasSuffix("_test.py") || name.hasSuffix("_test.go")
            || name.contains(".test.") || name.contains(".spec.") || name.hasSuffix("tests.swift")
            || name.hasSuffix("test.java") || name.hasSuffix("_spec.rb") || name == "conftest.py"
        {
            return true
        }
        let folders = components.dropLast().map { $0.lowercased() }
        let fixtureFolders: Set<String> = [
            "fixtures", "fixture", "testdata", "test-data", "test_data", "__fixtures__", "__mocks__", "data",
            "snapshots", "__snapshots__", "resources",
        ]
        if folders.contains(where: fixtureFolders.contains) { return false }
        let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last!) : ""
        return folders.contains { ["test", "tests", "spec", "specs", "__tests__", "testing", "t"].contains($0) }
            && codeExtensions.contains(ext)
    }
}
