import Foundation
import MybroTestSupport
import Testing

@testable import MybroDoctor

@Suite("secret detectors")
struct SecretDetectorTests {
    /// One made-up secret per provider format, with the check that must find it.
    static func planted() -> [(String, String)] {
        var random = SeededRandom(seed: 11)
        let a = SeededRandom.alnum
        let t = SeededRandom.token
        let h = SeededRandom.hex
        return [
            ("AKIA" + random.string(16, from: SeededRandom.upper), "secret.aws-access-key"),
            ("ASIA" + random.string(16, from: SeededRandom.upper), "secret.aws-access-key"),
            ("ghp_" + random.string(36, from: a), "secret.github-token"),
            ("gho_" + random.string(36, from: a), "secret.github-oauth"),
            ("ghs_" + random.string(36, from: a), "secret.github-app-token"),
            (
                "github_pat_" + random.string(22, from: a) + "_" + random.string(59, from: a),
                "secret.github-fine-grained"
            ),
            ("glpat-" + random.string(20, from: t), "secret.gitlab-token"),
            (
                "xoxb-" + random.string(12, from: "123456789") + "-" + random.string(13, from: "0123456789") + "-"
                    + random.string(24, from: a), "secret.slack-token"
            ),
            (
                "https://hooks.slack.com/services/T" + random.string(10, from: SeededRandom.upper) + "/B"
                    + random.string(10, from: SeededRandom.upper) + "/" + random.string(24, from: a),
                "secret.slack-webhook"
            ),
            ("sk_live_" + random.string(24, from: a), "secret.stripe-live-key"),
            ("rk_live_" + random.string(24, from: a), "secret.stripe-live-key"),
            ("sk-ant-api03-" + random.string(93, from: t) + "AA", "secret.anthropic-key"),
            ("sk-proj-" + random.string(48, from: t) + "T3BlbkFJ" + random.string(48, from: t), "secret.openai-key"),
            ("sk-" + random.string(20, from: a) + "T3BlbkFJ" + random.string(20, from: a), "secret.openai-key"),
            ("AIza" + random.string(35, from: t), "secret.google-api-key"),
            ("npm_" + random.string(36, from: a), "secret.npm-token"),
            ("pypi-AgEIcHlwaS5vcmc" + random.string(70, from: t), "secret.pypi-token"),
            ("SG." + random.string(22, from: t) + "." + random.string(43, from: t), "secret.sendgrid-key"),
            ("SK" + random.string(32, from: h), "secret.twilio-key"),
            ("hf_" + random.string(34, from: a), "secret.huggingface-token"),
            ("dop_v1_" + random.string(64, from: h), "secret.digitalocean-token"),
            ("dapi" + random.string(32, from: h), "secret.databricks-token"),
            ("shpat_" + random.string(32, from: h), "secret.shopify-token"),
            ("sq0atp-" + random.string(22, from: t), "secret.square-token"),
            ("sq0csp-" + random.string(43, from: t), "secret.square-token"),
            (random.string(3, from: a) + "8Q~" + random.string(34, from: a), "secret.azure-client-secret"),
            (random.string(9, from: "123456789") + ":AA" + random.string(33, from: t), "secret.telegram-bot-token"),
            ("AGE-SECRET-KEY-1" + random.string(58, from: "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"), "secret.age-key"),
            ("hvs." + random.string(90, from: t), "secret.vault-token"),
        ]
    }

    @Test("every provider format is found, named by its check, never printed whole")
    func providers() {
        for (secret, check) in Self.planted() {
            let found = findings(in: "value = \"\(secret)\"\n")
            #expect(found.map(\.check) == [check], "\(check): \(secret.prefix(6))…")
            for finding in found {
                #expect(!finding.message.contains(secret))
                #expect(!finding.message.contains(String(secret.suffix(8))))
                #expect(finding.message.contains(" characters)"))
                #expect(finding.line == 1)
            }
        }
    }

    @Test("an AWS secret key beside its name, private keys, JWTs, URIs, .env values, generic passwords")
    func contextual() {
        var random = SeededRandom(seed: 5)
        let awsSecret = random.string(40, from: SeededRandom.alnum + "/+")
        #expect(checks(in: "aws_secret_access_key = \"\(awsSecret)\"\n") == ["secret.aws-secret-key"])
        let body = (0..<8).map { _ in random.string(64, from: SeededRandom.alnum + "+/") }.joined(separator: "\n")
        for kind in ["RSA ", "EC ", "OPENSSH ", "", "ENCRYPTED "] {
            let key = "-----BEGIN \(kind)PRIVATE KEY-----\n\(body)\n-----END \(kind)PRIVATE KEY-----\n"
            let found = findings(in: key, path: "deploy/id_key")
            #expect(found.map(\.check) == ["secret.private-key"])
            #expect(found.first?.endLine == 10)
        }
        // Code that builds a key from pieces, and a base64 value assigned a few lines further on:
        // the value does not start its line, so it is not the key's body.
        let builder =
            "let key = \"-----BEGIN \\(kind)PRIVATE KEY-----\\n\\(body)\\n\"\n"
            + "let payload = \"eyJzdWIiOiJ1c2VyLTQyIiwicm9sZSI6ImFkbWluIn0eyJzdWIiOiJ1\"\n"
        #expect(!checks(in: builder, path: "Tests/KeyTests.swift").contains("secret.private-key"))
        let quoted = "key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  \(body)\n  -----END RSA PRIVATE KEY-----\n"
        #expect(checks(in: quoted, path: "deploy/values.yaml").contains("secret.private-key"))
        let pgp = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n\(body)\n-----END PGP PRIVATE KEY BLOCK-----\n"
        #expect(checks(in: pgp, path: "key.asc") == ["secret.private-key"])
        let header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
        let payload = "eyJzdWIiOiJ1c2VyLTQyIiwicm9sZSI6ImFkbWluIn0"
        #expect(
            checks(in: "auth = \"\(header).\(payload).\(random.string(43, from: SeededRandom.token))\"\n") == [
                "secret.jwt"
            ])
        #expect(
            checks(
                in:
                    "url = \"postgresql://app:Xk9#mP2q\(random.string(6, from: SeededRandom.alnum))@db.internal:5432/app\"\n"
            ) == [
                "secret.uri-credentials"
            ])
        #expect(
            checks(in: "STRIPE_KEY=\(random.string(32, from: SeededRandom.alnum))\n", path: ".env.production") == [
                "secret.dotenv-value"
            ])
        #expect(
            checks(in: "db_password = \"S3cr#t!\(random.string(6, from: SeededRandom.alnum))\"\n") == [
                "secret.generic-assignment"
            ])
        #expect(
            checks(
                in: "  \"client_secret\": \"q%8&Rz!\(random.string(10, from: SeededRandom.alnum))\",\n", path: "c.json")
                == [
                    "secret.generic-assignment"
                ])
        let manifest =
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: \(random.string(24, from: SeededRandom.alnum))==\n"
        #expect(checks(in: manifest, path: "k8s/secret.yaml") == ["secret.kubernetes-secret"])
        let account = """
            {"type": "service_account", "project_id": "p", "private_key_id": "\(random.string(40, from: SeededRandom.hex))",
             "private_key": "-----BEGIN PRIVATE KEY-----\\n\(random.string(64, from: SeededRandom.alnum))\\n-----END PRIVATE KEY-----\\n"}
            """
        #expect(checks(in: account, path: "sa.json") == ["secret.gcp-service-account"])
    }

    @Test(
        "decoys are not findings",
        arguments: [
            "AWS_ACCESS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\"",
            "aws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"",
            "api_key = \"<YOUR_API_KEY>\"",
            "OPENAI_API_KEY = \"sk-your-key-here\"",
            "token = \"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
            "password = \"changeme\"",
            "password = \"${DB_PASSWORD}\"",
            "password = os.environ[\"DB_PASSWORD\"]",
            "secret = os.getenv(\"APP_SECRET\", \"\")",
            "client_secret = vault.read(\"secret/app\")[\"client_secret\"]",
            "password_hash = \"$2b$12$KIXQJxQ8r9zFhR6Ww7pQeOaT0JbZl1Yb8s3d9c4f5g6h7i8j9k0l1\"",
            "sha256 = \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"",
            "<script src=\"x.js\" integrity=\"sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC\"></script>",
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host",
            "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----",
            "img = \"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\"",
            "token = \"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\"",
            "DATABASE_URL = \"postgresql://user:password@localhost/app\"",
            "url = \"https://user:${PASSWORD}@example.org\"",
            "password_field = \"Pa$$w0rd!input\"",
            "if password == \"hunter2!x9\":",
            "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
        ])
    func decoys(_ line: String) {
        #expect(findings(in: line + "\n").filter { $0.category == .secret }.isEmpty, "\(line)")
    }

    @Test("secrets in test fixture folders are made up on purpose")
    func fixtures() {
        var random = SeededRandom(seed: 3)
        let key = "AKIA" + random.string(16, from: SeededRandom.upper)
        #expect(checks(in: "k = \"\(key)\"\n", path: "tests/fixtures/keys.py").isEmpty)
        #expect(checks(in: "k = \"\(key)\"\n", path: "tests/test_keys.py") == ["secret.aws-access-key"])
    }

    @Test("mybro:ignore silences its line, all checks or those named")
    func inlineIgnore() {
        var random = SeededRandom(seed: 4)
        let key = "AKIA" + random.string(16, from: SeededRandom.upper)
        #expect(checks(in: "k = \"\(key)\"  # mybro:ignore\n").isEmpty)
        #expect(checks(in: "k = \"\(key)\"  # mybro:ignore[secret.aws-access-key]\n").isEmpty)
        #expect(checks(in: "k = \"\(key)\"  # mybro:ignore[secret]\n").isEmpty)
        #expect(checks(in: "k = \"\(key)\"  # mybro:ignore[secret.aws-*]\n").isEmpty)
        #expect(checks(in: "k = \"\(key)\"  # mybro:ignore[secret.jwt]\n") == ["secret.aws-access-key"])
        #expect(checks(in: "# mybro:ignore\nk = \"\(key)\"\n") == ["secret.aws-access-key"])
    }
}
