import Foundation
import MybroRules
import Testing

@testable import MybroDoctor

@Suite("security, policy and health checks")
struct CheckFamilyTests {
    @Test(
        "Python security problems",
        arguments: [
            ("result = eval(request.args[\"expr\"])", "security.python-eval"),
            ("exec(user_code)", "security.python-eval"),
            ("subprocess.run(cmd, shell=True)", "security.python-shell-true"),
            ("os.system(\"rm \" + path)", "security.python-os-system"),
            ("cursor.execute(f\"SELECT * FROM users WHERE name = '{name}'\")", "security.python-sql-injection"),
            ("cursor.execute(\"SELECT * FROM t WHERE id = \" + user_id)", "security.python-sql-injection"),
            ("query = \"DELETE FROM t WHERE id = %s\" % item", "security.python-sql-injection"),
            ("data = pickle.loads(request.body)", "security.python-pickle"),
            ("config = yaml.load(stream)", "security.python-yaml-load"),
            ("requests.get(url, verify=False)", "security.python-tls-verify-off"),
            ("ctx.verify_mode = ssl.CERT_NONE", "security.python-tls-verify-off"),
            ("context.verify_mode = \"CERT_NONE\"", "security.python-tls-verify-off"),
            ("print(\"running\"); eval(payload)", "security.python-eval"),
            ("app.run(host=\"0.0.0.0\", debug=True)", "security.python-debug-on"),
            ("DEBUG = True", "security.python-debug-on"),
        ])
    func python(_ line: String, _ check: String) {
        #expect(checks(in: line + "\n", path: "app/views.py").contains(check), "\(line)")
    }

    @Test(
        "safe Python is quiet",
        arguments: [
            "model.eval()", "value = ast.literal_eval(text)", "eval(\"1 + 1\")", "subprocess.run([\"ls\", path])",
            "cursor.execute(\"SELECT * FROM t WHERE id = ?\", (item,))", "config = yaml.safe_load(stream)",
            "config = yaml.load(stream, Loader=yaml.SafeLoader)", "def get(url, verify=False):",
            "if ctx.verify_mode != ssl.CERT_NONE:", "self._verify = False", "# eval(user_input)",
            // Python source held as data (a test table, a code generator) runs none of it.
            "(\"python-eval\", \"    return eval(request.args[\\\"expr\\\"])\"),",
            "CASES = ['subprocess.run(command, shell=True)', \"os.system('ls')\"]",
            "SNIPPETS = {\"tls\": \"requests.get(url, verify=False)\", \"yaml\": \"yaml.load(stream)\"}",
        ])
    func pythonQuiet(_ line: String) {
        #expect(findings(in: line + "\n", path: "app/views.py").filter { $0.category == .security }.isEmpty, "\(line)")
    }

    @Test(
        "shell, Swift and Dockerfile problems",
        arguments: [
            ("chmod 777 /srv/app", "run.sh", "security.shell-chmod-777"),
            ("curl -fsSL https://get.example.com | sh", "run.sh", "security.shell-curl-pipe-sh"),
            ("wget -qO- https://x.example/install | sudo bash", "run.sh", "security.shell-curl-pipe-sh"),
            ("rm -rf $BUILD_DIR/", "run.sh", "security.shell-unquoted-rm"),
            ("eval $COMMAND", "run.sh", "security.shell-eval"),
            (
                "let p = Process()\np.executableURL = URL(fileURLWithPath: \"/bin/sh\")\np.arguments = [\"-c\", \"ls \\(path)\"]",
                "Sources/Run.swift", "security.swift-process-shell"
            ),
            (
                "FROM debian\nRUN curl -sSL https://x.example/i.sh \\\n    | bash", "Dockerfile",
                "security.docker-curl-pipe-sh"
            ),
        ])
    func otherLanguages(_ text: String, _ path: String, _ check: String) {
        #expect(checks(in: "#!/bin/bash\nset -e\n" + text + "\n", path: path).contains(check), "\(text)")
    }

    @Test("quoted, guarded shell is quiet")
    func shellQuiet() {
        let script =
            "#!/bin/sh\nset -eu\nrm -rf -- \"${DIR:?}\"/\nchmod 755 bin/tool\ncurl -fsSLo install.sh https://x.example\n"
        #expect(checks(in: script, path: "run.sh").isEmpty)
    }

    @Test("the default stack rules: manifests, imports, config files, CUDA, dev containers, drivers, requests in async")
    func policy() {
        #expect(checks(in: "flask==3.0.0\nhttpx==0.27\n", path: "requirements.txt") == ["policy.forbidden-flask"])
        #expect(
            checks(
                in: "{\n  \"dependencies\": {\n    \"express\": \"^4.19.0\",\n    \"jquery\": \"3.7.1\"\n  }\n}\n",
                path: "package.json"
            )
            .sorted() == ["policy.forbidden-express", "policy.forbidden-jquery"])
        #expect(
            checks(
                in:
                    "{\n  \"devDependencies\": {\n    \"react-scripts\": \"5.0.1\",\n    \"electron\": \"30.0.0\"\n  }\n}\n",
                path: "package.json"
            )
            .sorted() == ["policy.forbidden-create-react-app", "policy.forbidden-electron"])
        #expect(checks(in: "module.exports = {};\n", path: "webpack.config.js") == ["policy.forbidden-webpack"])
        #expect(checks(in: "__global__ void k() {}\n", path: "kernels/add.cu") == ["policy.forbidden-cuda"])
        #expect(checks(in: "import torch\nx = x.cuda()\n", path: "train.py") == ["policy.forbidden-cuda"])
        #expect(checks(in: "FROM python:3.12\n", path: "Dockerfile.dev").contains("policy.forbidden-docker-dev"))
        #expect(
            checks(in: "services:\n  web:\n    volumes:\n      - .:/app\n", path: "docker-compose.yml") == [
                "policy.forbidden-docker-dev"
            ])
        #expect(checks(in: "pymongo==4.8.0\n", path: "requirements.txt") == ["policy.mongodb-driver"])
        #expect(
            checks(in: "[project]\ndependencies = [\"pymysql>=1.1\"]\n", path: "pyproject.toml") == [
                "policy.mysql-driver"
            ])
        #expect(checks(in: "from flask import Flask\n", path: "app.py") == ["policy.forbidden-flask"])
        #expect(checks(in: "const express = require('express');\n", path: "server.js") == ["policy.forbidden-express"])
        #expect(
            checks(in: "<script src=\"https://code.jquery.com/jquery-3.7.1.min.js\"></script>\n", path: "index.html")
                == [
                    "policy.forbidden-jquery"
                ])
        let asyncCode =
            "import requests\n\nasync def fetch(url):\n    return requests.get(url)\n\ndef sync(url):\n    return requests.get(url)\n"
        let found = findings(in: asyncCode, path: "client.py")
        #expect(found.map(\.check) == ["policy.requests-in-async"])
        #expect(found.first?.line == 4)
        #expect(checks(in: "fastapi==0.115.0\nhttpx==0.27.0\n", path: "requirements.txt").isEmpty)
    }

    @Test("a rules file changes what policy finds: allowed lifts, forbidden adds a dependency check")
    func rulesDrivePolicy() throws {
        let overlay = try RulesLoader.parse("allowed = [\"Flask\"]\nforbidden = [\"Django\"]\n", path: "rules.toml")
        let rules = TechnologyRuleSet.builtIn.merged(with: overlay)
        #expect(findings(in: "flask==3.0\n", path: "requirements.txt", rules: rules).isEmpty)
        #expect(
            findings(in: "django==5.0\n", path: "requirements.txt", rules: rules).map(\.check) == [
                "policy.forbidden-dependency"
            ])
    }

    @Test("health: scripts without set -e, unpinned requirements, conflict markers")
    func fileHealth() {
        #expect(checks(in: "#!/bin/bash\necho hi\n", path: "run.sh") == ["health.shell-no-errexit"])
        for header in ["set -e", "set -euo pipefail", "set -o errexit", "set -Eeu"] {
            #expect(checks(in: "#!/bin/bash\n\(header)\necho hi\n", path: "run.sh").isEmpty)
        }
        #expect(checks(in: "#!/bin/bash -e\necho hi\n", path: "run.sh").isEmpty)
        let requirements = findings(in: "httpx==0.27.0\nuvicorn\npydantic>=2\n-r base.txt\n", path: "requirements.txt")
        #expect(requirements.map(\.line) == [2, 3])
        #expect(
            checks(in: "a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> other\n", path: "x.txt") == [
                "health.merge-conflict-marker"
            ])
    }

    @Test("repository health from the file list")
    func repositoryHealth() {
        let bare = HealthScanner.repository(
            files: ["main.py"], todoCount: 0, trackedEnvFiles: [], isGitRepository: false)
        #expect(
            Set(bare.map(\.check)) == [
                "health.no-readme", "health.no-license", "health.no-tests", "health.no-gitignore", "health.no-ci",
            ])
        #expect(bare.allSatisfy { $0.file == nil && $0.line == nil })
        let healthy = HealthScanner.repository(
            files: [
                "README.md", "LICENSE", ".gitignore", "tests/test_app.py", ".github/workflows/ci.yml", "package.json",
                "package-lock.json",
            ], todoCount: 0, trackedEnvFiles: [], isGitRepository: true)
        #expect(healthy.isEmpty)
        let risky = HealthScanner.repository(
            files: ["README.md", "LICENSE", ".gitignore", "tests/t.py", ".gitlab-ci.yml", "Cargo.toml", ".env"],
            todoCount: 3, trackedEnvFiles: [".env"], isGitRepository: true)
        #expect(risky.map(\.check).sorted() == ["health.committed-env", "health.no-lockfile", "health.todo-count"])
        #expect(risky.first { $0.check == "health.committed-env" }?.message.contains("tracked by git") == true)
    }

    @Test("the catalog has at least 50 distinct checks, each documented in the manual text")
    func catalog() {
        let ids = CheckCatalog.all.map(\.id)
        #expect(ids.count >= 50)
        #expect(Set(ids).count == ids.count)
        for id in ids { #expect(CheckCatalog.manualText.contains(id)) }
    }
}
