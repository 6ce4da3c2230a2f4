#!/usr/bin/env python3
"""Generate a labelled corpus for mybro-doctor: git repositories with planted secrets in every
provider's shape (random each time), decoys, security lines, policy and health items, and
secrets that exist only in git history. The truth goes to truth.json beside the repositories.

    generate.py --seed 1 --repos 7 --out /tmp/doctor-corpus

Seeds 1-3 are the development seeds; report figures on a held-out seed (9001) as well, which
nobody tunes the detectors on.
"""
import argparse
import json
import os
import random
import string
import subprocess

UPPER = string.ascii_uppercase + "234567"
ALNUM = string.ascii_letters + string.digits
TOKEN = ALNUM + "_-"
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def s(self, n, alphabet):
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def secrets(self):
        """(kind, value) pairs in each provider's documented shape."""
        s = self.s
        r = self.r
        return [
            ("aws-access-key", "AKIA" + s(16, string.ascii_uppercase + "234567")),
            ("aws-secret-key", None),  # written with its name (below)
            ("github-token", "ghp_" + s(36, ALNUM)),
            ("github-oauth", "gho_" + s(36, ALNUM)),
            ("github-fine-grained", "github_pat_" + s(22, ALNUM) + "_" + s(59, ALNUM)),
            ("github-app-token", "ghs_" + s(36, ALNUM)),
            ("gitlab-token", "glpat-" + s(20, TOKEN)),
            ("slack-token", "xoxb-" + s(12, "0123456789") + "-" + s(13, "0123456789") + "-" + s(24, ALNUM)),
            ("slack-webhook", "https://hooks.slack.com/services/T" + s(10, UPPER) + "/B" + s(10, UPPER) + "/" + s(24, ALNUM)),
            ("stripe-live-key", "sk_live_" + s(r.choice([24, 34, 99]), ALNUM)),
            ("anthropic-key", "sk-ant-api03-" + s(93, TOKEN) + "AA"),
            ("openai-key", "sk-proj-" + s(74, TOKEN) + "T3BlbkFJ" + s(74, TOKEN)),
            ("google-api-key", "AIza" + s(35, TOKEN)),
            ("npm-token", "npm_" + s(36, ALNUM)),
            ("pypi-token", "pypi-AgEIcHlwaS5vcmc" + s(r.randint(60, 160), TOKEN)),
            ("sendgrid-key", "SG." + s(22, TOKEN) + "." + s(43, TOKEN)),
            ("twilio-key", "SK" + s(32, HEX)),
            ("huggingface-token", "hf_" + s(34, ALNUM)),
            ("digitalocean-token", "dop_v1_" + s(64, HEX)),
            ("databricks-token", "dapi" + s(32, HEX)),
            ("shopify-token", "shpat_" + s(32, HEX)),
            ("square-token", "sq0csp-" + s(43, TOKEN)),
            ("azure-client-secret", s(3, ALNUM) + str(r.randint(0, 9)) + "Q~" + s(34, ALNUM + "_~.-")),
            ("telegram-bot-token", str(r.randint(10**8, 10**10 - 1)) + ":AA" + s(33, TOKEN)),
            ("age-key", "AGE-SECRET-KEY-1" + s(58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L")),
            ("vault-token", "hvs." + s(90, TOKEN)),
            ("jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLSIsInJvbGUiOiJhZG1pbiIsIm4iOi"
             + s(12, ALNUM) + "fQ." + s(43, TOKEN)),
        ]

    def generic_password(self):
        symbols = "#%!&*@^~"
        core = self.s(self.r.randint(8, 16), ALNUM)
        chars = list(core + self.s(3, symbols) + self.s(2, string.digits))
        self.r.shuffle(chars)
        return "".join(chars)


def placements(g, kind, value, name):
    """(relative path, lines, index of the secret's line) for a secret in some file type."""
    var = name.upper()
    options = [
        ("config/settings.py", [f"# settings", f"{var} = \"{value}\""], 1),
        ("src/client.js", ["'use strict';", f"const {name} = '{value}';", "module.exports = {};"], 1),
        ("deploy/env.sh", ["#!/bin/bash", "set -euo pipefail", f"export {var}=\"{value}\""], 2),
        ("config/app.yaml", ["app:", "  name: demo", f"  {name}: \"{value}\""], 2),
        ("config/app.json", ["{", f"  \"{name}\": \"{value}\",", "  \"debug\": false", "}"], 1),
        ("src/main.go", ["package main", "", f"const {name} = \"{value}\""], 2),
    ]
    return g.r.choice(options)


DECOYS = [
    "AWS_ACCESS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\"",
    "aws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"",
    "API_KEY = \"<YOUR_API_KEY>\"",
    "OPENAI_API_KEY = \"sk-your-key-here\"",
    "GITHUB_TOKEN = \"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
    "DB_PASSWORD = \"changeme\"",
    "DB_PASSWORD = os.environ[\"DB_PASSWORD\"]",
    "SECRET_KEY = os.getenv(\"SECRET_KEY\")",
    "password = \"${DB_PASSWORD}\"",
    "token = vault.read(\"secret/app\")[\"token\"]",
    "checksum = \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"",
    "JWT_EXAMPLE = \"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\"",
    "DATABASE_URL = \"postgresql://user:password@localhost:5432/app\"",
    "STRIPE_KEY = \"sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\"",
    "ICON = \"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\"",
    "SLACK_TOKEN = \"xoxb-your-token-here\"",
]

HTML_DECOY = ('<script src="https://cdn.example.org/lib.js" '
              'integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"></script>')
PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl deploy@example"

SECURITY = {
    "python": [
        ("python-eval", "    return eval(request.args[\"expr\"])"),
        ("python-shell-true", "    subprocess.run(command, shell=True)"),
        ("python-os-system", "    os.system(\"convert \" + filename)"),
        ("python-sql-injection", "    cursor.execute(f\"SELECT * FROM users WHERE name = '{name}'\")"),
        ("python-pickle", "    return pickle.loads(payload)"),
        ("python-yaml-load", "    return yaml.load(stream)"),
        ("python-tls-verify-off", "    return requests.get(url, verify=False)"),
    ],
    "shell": [
        ("shell-chmod-777", "chmod 777 /srv/app"),
        ("shell-curl-pipe-sh", "curl -fsSL https://get.example.org/install.sh | sh"),
        ("shell-unquoted-rm", "rm -rf $BUILD_DIR/"),
        ("shell-eval", "eval $USER_COMMAND"),
    ],
}

POLICY = [
    ("forbidden-flask", "requirements.txt", "flask==3.0.3"),
    ("forbidden-express", "package.json", None),
    ("forbidden-webpack", "webpack.config.js", "module.exports = { mode: 'production' };"),
    ("forbidden-cuda", "kernels/add.cu", "__global__ void add(float *x) { x[threadIdx.x] += 1; }"),
    ("forbidden-docker-dev", "Dockerfile.dev", "FROM python:3.12\nCOPY . /app"),
    ("mongodb-driver", "requirements.txt", "pymongo==4.8.0"),
    ("requests-in-async", "app/fetch.py", "import requests\n\n\nasync def fetch(url):\n    return requests.get(url).text"),
    ("forbidden-jquery", "web/index.html", "<script src=\"https://code.jquery.com/jquery-3.7.1.min.js\"></script>"),
    ("forbidden-electron", "package.json", None),
    ("forbidden-create-react-app", "package.json", None),
]


def git(root, *args):
    subprocess.run(["git", "-c", "user.name=corpus", "-c", "user.email=corpus@example.org", "-c", "commit.gpgsign=false",
                    *args], cwd=root, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write(root, path, text, mode=None):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "a" if os.path.exists(full) else "w") as f:
        f.write(text)
    if mode:
        os.chmod(full, mode)


def line_count(root, path):
    full = os.path.join(root, path)
    if not os.path.exists(full):
        return 0
    with open(full) as f:
        return f.read().count("\n")


def make_repo(g, root, index):
    os.makedirs(root)
    git(root, "init", "-q", "-b", "main")
    truth = {"secrets": [], "history_secrets": [], "decoys": [], "security": [], "policy": [], "health": []}

    # Health: each item present or missing at random (the truth lists the checks that must fire).
    present = {k: g.r.random() < 0.6 for k in ["readme", "license", "tests", "gitignore", "ci"]}
    if present["readme"]:
        write(root, "README.md", "# demo\n")
    else:
        truth["health"].append({"check": "health.no-readme"})
    if present["license"]:
        write(root, "LICENSE", "MIT License\n")
    else:
        truth["health"].append({"check": "health.no-license"})
    if present["tests"]:
        write(root, "tests/test_app.py", "def test_ok():\n    assert True\n")
    else:
        truth["health"].append({"check": "health.no-tests"})
    if present["gitignore"]:
        write(root, ".gitignore", "__pycache__/\nbuild/\n")
    else:
        truth["health"].append({"check": "health.no-gitignore"})
    if present["ci"]:
        write(root, ".github/workflows/ci.yml", "on: push\njobs: {}\n")
    else:
        truth["health"].append({"check": "health.no-ci"})
    write(root, "scripts/run.sh", "#!/bin/bash\necho running\n", 0o755)
    truth["health"].append({"check": "health.shell-no-errexit", "file": "scripts/run.sh"})
    write(root, "requirements-dev.txt", "pytest\nhttpx==0.27.0\n")
    truth["health"].append({"check": "health.unpinned-dependency", "file": "requirements-dev.txt", "line": 1})
    write(root, "package.json", "")  # filled below
    truth["health"].append({"check": "health.no-lockfile", "file": "package.json"})
    write(root, "app/todo.py", "# TODO: finish\n")
    truth["health"].append({"check": "health.todo-count"})
    if g.r.random() < 0.5:
        write(root, ".env", f"SESSION_SECRET={g.s(40, ALNUM)}\n")
        truth["health"].append({"check": "health.committed-env", "file": ".env"})
        truth["secrets"].append({"file": ".env", "line": 1, "kind": "dotenv-value"})

    # Secrets in the working tree: a sample of providers, each in a random file type.
    for kind, value in g.r.sample(g.secrets(), 12):
        if kind == "aws-secret-key":
            value = g.s(40, B64)
            path, lines, at = ("config/aws.py", ["# aws", f"aws_secret_access_key = \"{value}\""], 1)
        else:
            name = g.r.choice(["api_key", "token", "credential", "auth_value", "service_key"])
            path, lines, at = placements(g, kind, value, name)
        start = line_count(root, path)
        write(root, path, "\n".join(lines) + "\n")
        truth["secrets"].append({"file": path, "line": start + at + 1, "kind": kind})
    # Generic passwords with symbols.
    for _ in range(2):
        path = "config/db.py"
        start = line_count(root, path)
        write(root, path, f"db_password = \"{g.generic_password()}\"\n")
        truth["secrets"].append({"file": path, "line": start + 1, "kind": "generic-assignment"})
    # A credential inside a URI.
    path = "config/urls.py"
    start = line_count(root, path)
    write(root, path, f"DATABASE_URL = \"postgresql://app:{g.generic_password()}@db.internal:5432/app\"\n")
    truth["secrets"].append({"file": path, "line": start + 1, "kind": "uri-credentials"})
    # A private key.
    body = "\n".join(g.s(64, B64) for _ in range(10))
    write(root, "deploy/id_rsa", f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n")
    truth["secrets"].append({"file": "deploy/id_rsa", "line": 1, "kind": "private-key"})

    # Decoys: none of these lines is a secret.
    decoy_path = "config/examples.py"
    start = line_count(root, decoy_path)
    chosen = g.r.sample(DECOYS, 8)
    write(root, decoy_path, "\n".join(chosen) + "\n")
    truth["decoys"] += [{"file": decoy_path, "line": start + i + 1} for i in range(len(chosen))]
    write(root, "web/cdn.html", HTML_DECOY + "\n")
    truth["decoys"].append({"file": "web/cdn.html", "line": 1})
    write(root, "deploy/authorized_keys", PUBLIC_KEY + "\n")
    truth["decoys"].append({"file": "deploy/authorized_keys", "line": 1})
    fixture_key = "AKIA" + g.s(16, string.ascii_uppercase)
    write(root, "tests/fixtures/credentials.py", f"FAKE_KEY = \"{fixture_key}\"\n")
    truth["decoys"].append({"file": "tests/fixtures/credentials.py", "line": 1})

    # Security lines.
    py = "app/handlers.py"
    write(root, py, "import os\nimport pickle\nimport subprocess\n\nimport requests\nimport yaml\n\n")
    for kind, line in g.r.sample(SECURITY["python"], 4):
        start = line_count(root, py)
        write(root, py, f"def handler_{start}(request, command, filename, name, payload, stream, url, cursor):\n{line}\n\n")
        truth["security"].append({"file": py, "line": start + 2, "kind": kind})
    sh = "scripts/deploy.sh"
    write(root, sh, "#!/bin/bash\nset -euo pipefail\n", 0o755)
    for kind, line in g.r.sample(SECURITY["shell"], 2):
        start = line_count(root, sh)
        write(root, sh, line + "\n")
        truth["security"].append({"file": sh, "line": start + 1, "kind": kind})
    write(root, "Dockerfile", "FROM debian:12\nRUN curl -fsSL https://get.example.org/tool.sh | bash\n")
    truth["security"].append({"file": "Dockerfile", "line": 2, "kind": "docker-curl-pipe-sh"})

    # Policy items (a sample per repository).
    npm = {}
    for kind, path, text in g.r.sample(POLICY, 4):
        if path == "package.json":
            npm[{"forbidden-express": "express", "forbidden-electron": "electron",
                 "forbidden-create-react-app": "react-scripts"}[kind]] = "^1.0.0"
        else:
            write(root, path, text + "\n")
        truth["policy"].append({"check": "policy." + kind, "file": path})
    deps = ",\n".join(f'    "{k}": "{v}"' for k, v in (npm or {"left-pad": "1.3.0"}).items())
    with open(os.path.join(root, "package.json"), "w") as f:
        f.write('{\n  "name": "demo",\n  "dependencies": {\n' + deps + "\n  }\n}\n")

    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")

    # History-only secrets: committed, then deleted.
    for kind, value in g.r.sample([s for s in g.secrets() if s[1]], 2):
        path = f"old/leak_{kind}.py"
        write(root, path, f"# leaked\nLEAKED = \"{value}\"\n")
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"add {kind}")
        os.remove(os.path.join(root, path))
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"remove {kind}")
        truth["history_secrets"].append({"file": path, "line": 2, "kind": kind})
    return truth


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repos", type=int, default=7)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if os.path.exists(args.out):
        raise SystemExit(f"{args.out} exists: give a new folder")
    os.makedirs(args.out)
    g = Gen(args.seed)
    truth = {}
    for index in range(args.repos):
        name = f"repo{index + 1}"
        truth[name] = make_repo(g, os.path.join(args.out, name), index)
    with open(os.path.join(args.out, "truth.json"), "w") as f:
        json.dump({"seed": args.seed, "repos": truth}, f, indent=1)
    print(f"{args.repos} repositories in {args.out} (seed {args.seed})")


if __name__ == "__main__":
    main()
