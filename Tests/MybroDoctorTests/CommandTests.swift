import Foundation
import MybroTestSupport
import Testing

@testable import MybroDoctor

/// The built mybro-doctor in shell pipelines: formats, --fail-on, baselines, git modes, fixes
/// and hostile input.
@Suite("mybro-doctor command", .serialized)
struct CommandTests {
    static func sampleRepository(_ root: String) throws -> [String: String] {
        var random = SeededRandom(seed: 21)
        let files = [
            "README.md": "# sample\n",
            "LICENSE": "MIT\n",
            ".gitignore": "build/\n",
            "app/config.py":
                "import os\n\nAWS_KEY = \"AKIA\(random.string(16, from: SeededRandom.upper))\"\nname = \"x\"\n",
            "tests/test_app.py": "def test_ok():\n    assert True\n",
            ".github/workflows/ci.yml": "on: push\n",
            "build/ignored.py": "token = \"ghp_\(random.string(36, from: SeededRandom.alnum))\"\n",
            "run.sh": "#!/bin/bash\necho hi\n",
        ]
        try write(files, under: root)
        return files
    }

    static func records(_ result: CommandResult) throws -> [[String: Any]] {
        try result.stdoutLines.map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test("JSON Lines: findings sorted, then one summary; .gitignore honoured unless --no-ignore")
    func jsonLines() throws {
        try withTemporaryDirectory { root in
            _ = try Self.sampleRepository(root)
            let result = try shell("mybro-doctor \(shellQuoted(root)) | cat")
            #expect(result.status == 0, "\(result.stderr)")
            let records = try Self.records(result)
            #expect(records.last?["type"] as? String == "summary")
            let found = records.dropLast().map { "\($0["file"] ?? "")|\($0["check"]!)" }
            #expect(found == ["app/config.py|secret.aws-access-key", "run.sh|health.shell-no-errexit"])
            let key = records.first!
            #expect(key["line"] as? Int == 3)
            #expect(key["severity"] as? String == "critical")
            #expect(
                !(key["message"] as! String).contains(String(decoding: [0x41, 0x4B, 0x49, 0x41], as: UTF8.self) + "Z"))
            let summary = records.last!
            #expect((summary["by_category"] as? [String: Int])?["secret"] == 1)
            #expect(summary["score"] as? Int == 100 - 25 - 1)
            let all = try shell("mybro-doctor --no-ignore \(shellQuoted(root))")
            #expect(all.stdoutText.contains("build/ignored.py"))
        }
    }

    @Test("--fail-on: exit 1 at or above the severity, 0 below")
    func failOn() throws {
        try withTemporaryDirectory { root in
            _ = try Self.sampleRepository(root)
            #expect(try shell("mybro-doctor --fail-on critical \(shellQuoted(root)) >/dev/null").status == 1)
            #expect(try shell("mybro-doctor --fail-on low \(shellQuoted(root)) >/dev/null").status == 1)
            try FileManager.default.removeItem(atPath: root + "/app/config.py")
            #expect(try shell("mybro-doctor --fail-on medium \(shellQuoted(root)) >/dev/null").status == 0)
            #expect(try shell("mybro-doctor --fail-on severe \(shellQuoted(root))").status == 64)
        }
    }

    @Test("text: grouped by file, no colour off a terminal, a summary line")
    func text() throws {
        try withTemporaryDirectory { root in
            _ = try Self.sampleRepository(root)
            let result = try shell("mybro-doctor --format text \(shellQuoted(root))")
            #expect(!result.stdoutText.contains("\u{1B}["))
            #expect(result.stdoutLines.first == "app/config.py")
            #expect(
                result.stdoutText.contains(
                    "  app/config.py:3: secret.aws-access-key [critical] AWS access key ID AKIA… (20 characters)"))
            #expect(result.stdoutLines.last?.hasPrefix("Found 2 problems (1 critical, 1 low)") == true)
        }
    }

    @Test("SARIF 2.1.0: the fields the schema requires, rules and results that point at them")
    func sarif() throws {
        try withTemporaryDirectory { root in
            _ = try Self.sampleRepository(root)
            try write(["Cargo.toml": "[package]\nname = \"x\"\n"], under: root)
            let result = try shell("mybro-doctor --format sarif \(shellQuoted(root))")
            let log = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
            try SARIFShape.validate(log)
            let run = try #require((log["runs"] as? [[String: Any]])?.first)
            let results = try #require(run["results"] as? [[String: Any]])
            #expect(results.count == 3)
            let lockfile = try #require(results.first { ($0["ruleId"] as? String) == "health.no-lockfile" })
            let location = (lockfile["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            #expect((location?["artifactLocation"] as? [String: Any])?["uri"] as? String == "Cargo.toml")
        }
    }

    @Test("--write-baseline then --baseline reports only new findings; JSON Lines output works as a baseline")
    func baseline() throws {
        try withTemporaryDirectory { root in
            let project = root + "/p"
            _ = try Self.sampleRepository(project)
            let base = root + "/baseline"
            #expect(try shell("mybro-doctor --write-baseline \(shellQuoted(base)) \(shellQuoted(project))").status == 0)
            let quiet = try shell("mybro-doctor --baseline \(shellQuoted(base)) --fail-on low \(shellQuoted(project))")
            #expect(quiet.status == 0)
            #expect(try Self.records(quiet).count == 1)
            // A line added above does not make the old finding new; a new secret is new.
            var random = SeededRandom(seed: 99)
            let config = project + "/app/config.py"
            let old = try String(contentsOfFile: config, encoding: .utf8)
            try ("# moved\n" + old + "T = \"ghp_\(random.string(36, from: SeededRandom.alnum))\"\n").write(
                toFile: config, atomically: true, encoding: .utf8)
            let fresh = try Self.records(
                try shell("mybro-doctor --baseline \(shellQuoted(base)) \(shellQuoted(project))"))
            #expect(fresh.dropLast().map { $0["check"] as? String } == ["secret.github-token"])
            let jsonBaseline = root + "/old.jsonl"
            #expect(try shell("mybro-doctor \(shellQuoted(project)) > \(shellQuoted(jsonBaseline))").status == 0)
            let none = try Self.records(
                try shell("mybro-doctor --baseline \(shellQuoted(jsonBaseline)) \(shellQuoted(project))"))
            #expect(none.count == 1)
            try "not a fingerprint\n".write(toFile: base, atomically: true, encoding: .utf8)
            let bad = try shell("mybro-doctor --baseline \(shellQuoted(base)) \(shellQuoted(project))")
            #expect(bad.status == 65)
            #expect(bad.stderrLines.count == 1)
        }
    }

    @Test("--staged scans the index, not the working tree; --install-hook writes a hook that blocks a commit")
    func staged() throws {
        try withTemporaryDirectory { root in
            try git("init -q", in: root)
            var random = SeededRandom(seed: 7)
            let staged = "AKIA" + random.string(16, from: SeededRandom.upper)
            try write(["a.py": "k = \"\(staged)\"\n"], under: root)
            try git("add a.py", in: root)
            try write(
                [
                    "a.py": "k = os.environ[\"K\"]\n",
                    "b.py": "t = \"ghp_\(random.string(36, from: SeededRandom.alnum))\"\n",
                ], under: root)
            let result = try shell("cd \(shellQuoted(root)) && mybro-doctor --staged")
            let records = try Self.records(result)
            #expect(records.dropLast().map { "\($0["file"]!)|\($0["check"]!)" } == ["a.py|secret.aws-access-key"])
            let hook = try shell("cd \(shellQuoted(root)) && mybro-doctor --install-hook")
            #expect(hook.status == 0, "\(hook.stderr)")
            let commit = try shell(
                "cd \(shellQuoted(root)) && git -c user.name=t -c user.email=t@example.org commit -qm x")
            #expect(commit.status != 0)
            #expect(commit.stderr.contains("secret.aws-access-key"))
            try "#!/bin/sh\necho mine\n".write(
                toFile: root + "/.git/hooks/pre-commit", atomically: true, encoding: .utf8)
            let refused = try shell("cd \(shellQuoted(root)) && mybro-doctor --install-hook")
            #expect(refused.status == 64)
            #expect(try shell("cd \(shellQuoted(root)) && mybro-doctor --install-hook --force").status == 0)
            let notRepository = try shell("cd / && mybro-doctor --staged")
            #expect(notRepository.status == 66)
        }
    }

    @Test("--history finds a secret deleted at HEAD, with its commit, file and line")
    func history() throws {
        try withTemporaryDirectory { root in
            try git("init -q", in: root)
            var random = SeededRandom(seed: 8)
            try write(["README.md": "# x\n", "deploy/settings.py": "A = 1\nB = 2\n"], under: root)
            try git("add -A && git -c user.name=t -c user.email=t@example.org commit -qm one", in: root)
            try write(
                [
                    "deploy/settings.py":
                        "A = 1\nB = 2\nSLACK = \"xoxb-\(random.string(12, from: "123456789"))-\(random.string(13, from: "0123456789"))-\(random.string(24, from: SeededRandom.alnum))\"\n"
                ], under: root)
            try git("add -A && git -c user.name=t -c user.email=t@example.org commit -qm two", in: root)
            let added = try git("rev-parse HEAD", in: root).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            try write(["deploy/settings.py": "A = 1\nB = 2\n"], under: root)
            try git("add -A && git -c user.name=t -c user.email=t@example.org commit -qm three", in: root)
            let now = try Self.records(try shell("mybro-doctor \(shellQuoted(root))"))
            #expect(!now.contains { ($0["category"] as? String) == "secret" })
            let past = try Self.records(try shell("cd \(shellQuoted(root)) && mybro-doctor --history"))
            let finding = try #require(past.first)
            #expect(finding["check"] as? String == "secret.slack-token")
            #expect(finding["commit"] as? String == added)
            #expect(finding["file"] as? String == "deploy/settings.py")
            #expect(finding["line"] as? Int == 3)
            #expect(past.count == 2)
        }
    }

    @Test("--diff shows the fixes and changes nothing; --fix applies them; a second --fix changes nothing")
    func fixes() throws {
        try withTemporaryDirectory { root in
            try git("init -q", in: root)
            var random = SeededRandom(seed: 9)
            let secret = "sk_live_" + random.string(24, from: SeededRandom.alnum)
            let files = [
                ".env": "API_TOKEN=\(random.string(32, from: SeededRandom.alnum))\n",
                ".gitignore": "build/\n",
                "run.sh": "#!/bin/bash\necho hi\n",
                "tool.sh": "#!/bin/sh\necho hi\n",
                "requirements.txt": "httpx\nfastapi>=0.100 ; python_version >= \"3.9\"  # web\n",
                "uv.lock":
                    "[[package]]\nname = \"httpx\"\nversion = \"0.27.2\"\n\n[[package]]\nname = \"fastapi\"\nversion = \"0.115.4\"\n",
                "pay.py": "\"\"\"Payments.\"\"\"\nSTRIPE_KEY = \"\(secret)\"\n",
                "pay.js": "const stripeKey = \"\(secret)\";\n",
                "pay.sh": "#!/bin/bash\nset -e\nexport STRIPE_KEY=\"\(secret)\"\n",
            ]
            try write(files, under: root)
            try git("add -A", in: root)
            let diff = try shell("mybro-doctor --diff \(shellQuoted(root))")
            #expect(diff.status == 0, "\(diff.stderr)")
            for (path, contents) in files {
                #expect(try String(contentsOfFile: root + "/" + path, encoding: .utf8) == contents, "\(path)")
            }
            #expect(diff.stdoutText.contains("+.env"))
            #expect(diff.stdoutText.contains("# then: git rm --cached -q -- .env"))
            #expect(diff.stdoutText.contains("+set -euo pipefail"))
            #expect(diff.stdoutText.contains("+set -eu\n"))
            #expect(diff.stdoutText.contains("+httpx==0.27.2"))
            #expect(diff.stdoutText.contains("+fastapi==0.115.4 ; python_version >= \"3.9\"  # web"))
            #expect(diff.stdoutText.contains("+STRIPE_KEY = os.environ[\"STRIPE_KEY\"]"))
            #expect(diff.stdoutText.contains("+import os"))
            #expect(diff.stdoutText.contains("+const stripeKey = process.env.STRIPE_KEY;"))
            #expect(diff.stdoutText.contains("+export STRIPE_KEY=\"${STRIPE_KEY:?set STRIPE_KEY in the environment}\""))
            #expect(!diff.stdoutText.contains(secret))
            #expect(try shell("mybro-doctor --fix \(shellQuoted(root))").status == 0)
            let tracked = try git("ls-files", in: root).stdoutText
            #expect(!tracked.split(separator: "\n").contains(".env"))
            let python = try shell(
                "python3 -c 'import ast,sys; ast.parse(open(sys.argv[1]).read())' \(shellQuoted(root + "/pay.py"))")
            #expect(python.status == 0)
            #expect(
                try shell("bash -n \(shellQuoted(root + "/pay.sh")) && bash -n \(shellQuoted(root + "/run.sh"))").status
                    == 0)
            let snapshot = try shell(
                "cd \(shellQuoted(root)) && cat .gitignore run.sh tool.sh requirements.txt pay.py pay.js pay.sh"
            ).stdoutText
            let again = try shell("mybro-doctor --diff \(shellQuoted(root))")
            #expect(again.stdoutText.isEmpty, "\(again.stdoutText)")
            #expect(try shell("mybro-doctor --fix \(shellQuoted(root))").status == 0)
            #expect(
                try shell(
                    "cd \(shellQuoted(root)) && cat .gitignore run.sh tool.sh requirements.txt pay.py pay.js pay.sh"
                ).stdoutText == snapshot)
            let left = try Self.records(try shell("mybro-doctor \(shellQuoted(root))"))
            #expect(
                !left.contains {
                    ["secret", "policy"].contains($0["category"] as? String) && $0["type"] as? String == "finding"
                })
        }
    }

    @Test("hostile input: binaries, a 50 MB line, unreadable files, symlink loops, names that are not UTF-8")
    func hostile() throws {
        try withTemporaryDirectory { root in
            var random = SeededRandom(seed: 10)
            let key = "AKIA" + random.string(16, from: SeededRandom.upper)
            var binary = Data([0x7F, 0x45, 0x4C, 0x46, 0])
            binary.append(Data("k = \"\(key)\"\n".utf8))
            try binary.write(to: URL(fileURLWithPath: root + "/blob.bin"))
            var huge = Data(repeating: 0x61, count: 50 * 1_048_576)
            huge.append(Data("\(key)\n".utf8))
            try huge.write(to: URL(fileURLWithPath: root + "/huge.txt"))
            try write(["locked.py": "k = \"\(key)\"\n", "ok.py": "k = \"\(key)\"\n"], under: root)
            chmod(root + "/locked.py", 0)
            try FileManager.default.createDirectory(atPath: root + "/loop", withIntermediateDirectories: true)
            symlink(root, root + "/loop/back")
            symlink(root + "/loop/self", root + "/loop/self")
            let odd = root + "/caf\u{E9}-\u{FFFD}"
            _ = odd
            let rawName = Array((root + "/bad-").utf8) + [0xFF, 0xFE] + Array(".py".utf8) + [0]
            let fd = rawName.withUnsafeBufferPointer { pointer in
                pointer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
            }
            #expect(fd >= 0)
            _ = "k = \"\(key)\"\n".withCString { write(fd, $0, strlen($0)) }
            close(fd)
            let result = try shell("mybro-doctor \(shellQuoted(root))", timeout: 60)
            #expect(result.status == 0, "\(result.stderr)")
            let records = try Self.records(result)
            let files = records.compactMap { $0["file"] as? String }
            #expect(files.contains("ok.py"))
            #expect(files.contains("bad-\u{FFFD}\u{FFFD}.py"))
            #expect(files.contains("huge.txt"))
            #expect(records.first { $0["file"] as? String == "huge.txt" }?["check"] as? String == "health.large-file")
            #expect(!files.contains("blob.bin"))
            if getuid() != 0 {
                #expect(result.stderr.contains("cannot read locked.py"))
            }
            chmod(root + "/locked.py", 0o644)
        }
    }

    @Test("bad options are one line and status 64")
    func usage() throws {
        for arguments in ["--max-file-size 0", "--threads 65", "--staged --history", "--fix --diff", "--format xml"] {
            let result = try shell("mybro-doctor \(arguments) /nonexistent")
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderrLines.count == 1)
        }
        let missing = try shell("mybro-doctor /nonexistent/path")
        #expect(missing.status == 66)
    }
}

/// The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json, OASIS) a consumer relies on:
/// sarifLog requires version and runs; run requires tool; tool requires driver; toolComponent
/// requires name; reportingDescriptor requires id; result requires message (with text or id);
/// a physicalLocation's region has startLine >= 1; level is one of none, note, warning, error.
/// GitHub code scanning also requires $schema, rules' shortDescription, fullDescription and
/// help text, a location per result, and partialFingerprints (its SARIF support page).
enum SARIFShape {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static func validate(_ log: [String: Any]) throws {
        guard log["version"] as? String == "2.1.0" else { throw Invalid(description: "version") }
        guard let runs = log["runs"] as? [[String: Any]], !runs.isEmpty else { throw Invalid(description: "runs") }
        for run in runs {
            guard let driver = (run["tool"] as? [String: Any])?["driver"] as? [String: Any],
                driver["name"] is String
            else { throw Invalid(description: "tool.driver.name") }
            let rules = driver["rules"] as? [[String: Any]] ?? []
            guard log["$schema"] is String else { throw Invalid(description: "$schema") }
            for rule in rules {
                guard rule["id"] is String else { throw Invalid(description: "rule id") }
                for field in ["shortDescription", "fullDescription", "help"] {
                    guard (rule[field] as? [String: Any])?["text"] is String else { throw Invalid(description: field) }
                }
            }
            for result in run["results"] as? [[String: Any]] ?? [] {
                guard let message = result["message"] as? [String: Any], message["text"] is String else {
                    throw Invalid(description: "result.message.text")
                }
                guard (result["locations"] as? [Any])?.isEmpty == false, result["partialFingerprints"] is [String: Any]
                else { throw Invalid(description: "locations and partialFingerprints") }
                if let level = result["level"] as? String, !["none", "note", "warning", "error"].contains(level) {
                    throw Invalid(description: "level \(level)")
                }
                if let index = result["ruleIndex"] as? Int {
                    guard index < rules.count, rules[index]["id"] as? String == result["ruleId"] as? String else {
                        throw Invalid(description: "ruleIndex")
                    }
                }
                for location in result["locations"] as? [[String: Any]] ?? [] {
                    let physical = location["physicalLocation"] as? [String: Any]
                    guard (physical?["artifactLocation"] as? [String: Any])?["uri"] is String else {
                        throw Invalid(description: "artifactLocation.uri")
                    }
                    if let region = physical?["region"] as? [String: Any] {
                        guard let start = region["startLine"] as? Int, start >= 1 else {
                            throw Invalid(description: "region.startLine")
                        }
                    }
                }
            }
        }
    }
}
