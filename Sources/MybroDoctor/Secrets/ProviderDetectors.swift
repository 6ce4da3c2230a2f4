/// Secrets with a provider's own shape: a literal prefix found by memmem, then the exact
/// length and alphabet checked around it.
struct ProviderDetector: Sendable {
    let anchor: StaticString
    let check: CheckInfo
    let label: String
    /// The secret's byte range given the anchor's offset, or nil when the shape does not fit.
    let match: @Sendable (ByteText, Int) -> Range<Int>?

    init(
        _ anchor: StaticString, _ check: CheckInfo, _ label: String,
        _ match: @escaping @Sendable (ByteText, Int) -> Range<Int>?
    ) {
        self.anchor = anchor
        self.check = check
        self.label = label
        self.match = match
    }
}

/// Shape helpers shared by the detectors.
enum Shape {
    typealias Alphabet = @Sendable (UInt8) -> Bool

    /// No token character right before `offset`.
    static func boundaryBefore(_ text: ByteText, _ offset: Int, _ alphabet: Alphabet = ByteClass.isAlnum) -> Bool {
        offset == 0 || !alphabet(text[offset - 1])
    }

    /// The end of a run of `alphabet` bytes from `start` whose length lies in `lengths`, ending
    /// at a byte outside the alphabet (or the end of the text).
    static func run(_ text: ByteText, from start: Int, _ alphabet: Alphabet, _ lengths: ClosedRange<Int>) -> Int? {
        var end = start
        let limit = min(text.count, start + lengths.upperBound + 1)
        while end < limit && alphabet(text[end]) { end += 1 }
        let length = end - start
        guard lengths.contains(length), end == text.count || !alphabet(text[end]) else { return nil }
        return end
    }

    /// A prefix anchor followed by a run of `lengths` bytes of `alphabet`.
    static func prefixed(
        _ prefixLength: Int, _ alphabet: @escaping Alphabet, _ lengths: ClosedRange<Int>,
        before: @escaping Alphabet = ByteClass.isAlnum
    ) -> @Sendable (ByteText, Int) -> Range<Int>? {
        { text, offset in
            guard boundaryBefore(text, offset, before),
                let end = run(text, from: offset + prefixLength, alphabet, lengths)
            else { return nil }
            return offset..<end
        }
    }
}

enum ProviderDetectors {
    typealias C = CheckCatalog

    /// All anchors, for one pass over each file.
    static let index = AnchorIndex(all.map(\.anchor))
    static let alnum: Shape.Alphabet = ByteClass.isAlnum
    static let token: Shape.Alphabet = ByteClass.isToken
    static let word: Shape.Alphabet = ByteClass.isWord
    static let lowerHex: Shape.Alphabet = ByteClass.isLowerHex
    static let hex: Shape.Alphabet = ByteClass.isHex
    static let upper: Shape.Alphabet = ByteClass.isUpperAlnum

    static let all: [ProviderDetector] = [
        ProviderDetector("AKIA", C.awsAccessKey, "AWS access key ID", Shape.prefixed(4, upper, 16...16)),
        ProviderDetector("ASIA", C.awsAccessKey, "AWS temporary access key ID", Shape.prefixed(4, upper, 16...16)),
        ProviderDetector("ABIA", C.awsAccessKey, "AWS STS key ID", Shape.prefixed(4, upper, 16...16)),
        ProviderDetector("ACCA", C.awsAccessKey, "AWS context key ID", Shape.prefixed(4, upper, 16...16)),
        ProviderDetector("ecret_access_key", C.awsSecretKey, "AWS secret access key", awsSecret),
        ProviderDetector("ECRET_ACCESS_KEY", C.awsSecretKey, "AWS secret access key", awsSecret),
        ProviderDetector("ecretAccessKey", C.awsSecretKey, "AWS secret access key", awsSecret),
        ProviderDetector("ws_secret_key", C.awsSecretKey, "AWS secret access key", awsSecret),
        ProviderDetector("WS_SECRET_KEY", C.awsSecretKey, "AWS secret access key", awsSecret),
        ProviderDetector("ghp_", C.githubClassic, "GitHub token", Shape.prefixed(4, alnum, 36...36)),
        ProviderDetector("gho_", C.githubOAuth, "GitHub OAuth token", Shape.prefixed(4, alnum, 36...36)),
        ProviderDetector("ghu_", C.githubApp, "GitHub App user token", Shape.prefixed(4, alnum, 36...36)),
        ProviderDetector("ghs_", C.githubApp, "GitHub App installation token", Shape.prefixed(4, alnum, 36...36)),
        ProviderDetector("ghr_", C.githubApp, "GitHub refresh token", Shape.prefixed(4, alnum, 36...76)),
        ProviderDetector(
            "github_pat_", C.githubFineGrained, "GitHub fine-grained token", Shape.prefixed(11, word, 70...100)),
        ProviderDetector("glpat-", C.gitlab, "GitLab personal access token", Shape.prefixed(6, token, 20...64)),
        ProviderDetector("glrt-", C.gitlab, "GitLab runner token", Shape.prefixed(5, token, 20...64)),
        ProviderDetector("gldt-", C.gitlab, "GitLab deploy token", Shape.prefixed(5, token, 20...64)),
        ProviderDetector("gloas-", C.gitlab, "GitLab OAuth secret", Shape.prefixed(6, token, 20...80)),
        ProviderDetector("glptt-", C.gitlab, "GitLab pipeline trigger token", Shape.prefixed(6, hex, 40...40)),
        ProviderDetector("xoxb-", C.slackToken, "Slack bot token", slack),
        ProviderDetector("xoxp-", C.slackToken, "Slack user token", slack),
        ProviderDetector("xoxa-", C.slackToken, "Slack app token", slack),
        ProviderDetector("xoxr-", C.slackToken, "Slack refresh token", slack),
        ProviderDetector("xoxs-", C.slackToken, "Slack session token", slack),
        ProviderDetector("xoxe-", C.slackToken, "Slack config token", slack),
        ProviderDetector("xapp-", C.slackToken, "Slack app-level token", slack),
        ProviderDetector("hooks.slack.com/", C.slackWebhook, "Slack webhook", slackWebhook),
        ProviderDetector("sk_live_", C.stripeLive, "Stripe live key", Shape.prefixed(8, alnum, 20...247)),
        ProviderDetector("rk_live_", C.stripeLive, "Stripe restricted key", Shape.prefixed(8, alnum, 20...247)),
        ProviderDetector("sk_test_", C.stripeTest, "Stripe test key", Shape.prefixed(8, alnum, 20...247)),
        ProviderDetector("sk-ant-", C.anthropic, "Anthropic API key", Shape.prefixed(7, token, 32...200)),
        ProviderDetector("sk-proj-", C.openai, "OpenAI project key", Shape.prefixed(8, token, 32...250)),
        ProviderDetector("sk-svcacct-", C.openai, "OpenAI service-account key", Shape.prefixed(11, token, 32...250)),
        ProviderDetector("sk-admin-", C.openai, "OpenAI admin key", Shape.prefixed(9, token, 32...250)),
        ProviderDetector("T3BlbkFJ", C.openai, "OpenAI API key", openaiLegacy),
        ProviderDetector("AIza", C.googleAPI, "Google API key", Shape.prefixed(4, token, 35...35)),
        ProviderDetector("-----BEGIN ", C.privateKey, "private key", privateKey),
        ProviderDetector("eyJ", C.jwt, "JSON Web Token", jwt),
        ProviderDetector("npm_", C.npm, "npm token", Shape.prefixed(4, alnum, 36...36)),
        ProviderDetector("pypi-AgEIcHlwaS5vcmc", C.pypi, "PyPI token", Shape.prefixed(20, token, 50...400)),
        ProviderDetector("SG.", C.sendgrid, "SendGrid API key", sendgrid),
        ProviderDetector("SK", C.twilio, "Twilio API key", Shape.prefixed(2, lowerHex, 32...32)),
        ProviderDetector("hf_", C.huggingface, "Hugging Face token", Shape.prefixed(3, alnum, 34...34)),
        ProviderDetector("dop_v1_", C.digitalocean, "DigitalOcean token", Shape.prefixed(7, lowerHex, 64...64)),
        ProviderDetector("doo_v1_", C.digitalocean, "DigitalOcean OAuth token", Shape.prefixed(7, lowerHex, 64...64)),
        ProviderDetector("dor_v1_", C.digitalocean, "DigitalOcean refresh token", Shape.prefixed(7, lowerHex, 64...64)),
        ProviderDetector("dapi", C.databricks, "Databricks token", databricks),
        ProviderDetector("shpat_", C.shopify, "Shopify access token", Shape.prefixed(6, hex, 32...32)),
        ProviderDetector("shpca_", C.shopify, "Shopify custom app token", Shape.prefixed(6, hex, 32...32)),
        ProviderDetector("shppa_", C.shopify, "Shopify private app token", Shape.prefixed(6, hex, 32...32)),
        ProviderDetector("shpss_", C.shopify, "Shopify shared secret", Shape.prefixed(6, hex, 32...32)),
        ProviderDetector("sq0atp-", C.square, "Square access token", Shape.prefixed(7, token, 22...22)),
        ProviderDetector("sq0csp-", C.square, "Square OAuth secret", Shape.prefixed(7, token, 43...43)),
        ProviderDetector("EAAA", C.square, "Square access token", Shape.prefixed(4, token, 60...60)),
        ProviderDetector("Q~", C.azure, "Azure client secret", azure),
        ProviderDetector(":AA", C.telegram, "Telegram bot token", telegram),
        ProviderDetector("AGE-SECRET-KEY-1", C.age, "age secret key", Shape.prefixed(16, upper, 58...58)),
        ProviderDetector("hvs.", C.vault, "Vault service token", Shape.prefixed(4, token, 24...200)),
        ProviderDetector("hvb.", C.vault, "Vault batch token", Shape.prefixed(4, token, 24...300)),
    ]

    /// The 40-character secret after an AWS secret key name on the same line.
    static let awsSecret: @Sendable (ByteText, Int) -> Range<Int>? = { text, offset in
        let end = text.lineEnd(at: offset)
        var index = offset
        while index < end {
            if ByteClass.isBase64(text[index]) {
                var runEnd = index
                while runEnd < end && ByteClass.isBase64(text[runEnd]) { runEnd += 1 }
                if runEnd - index == 40 { return index..<runEnd }
                index = runEnd
            } else {
                index += 1
            }
        }
        return nil
    }

    static let slack: @Sendable (ByteText, Int) -> Range<Int>? = { text, offset in
        guard Shape.boundaryBefore(text, offset),
            let end = Shape.run(
                text, from: offset + 5, { ByteClass.isAlnum($0) || $0 == 0x2D }, 20...250)
        else { return nil }
        // Real tokens carry digit groups (team and user ids); "xoxb-your-token-here" does not.
        let digits = (offset..<end).filter { ByteClass.isDigit(text[$0]) }.count
        return digits >= 6 ? offset..<end : nil
    }

    static let slackWebhook: @Sendable (ByteText, Int) -> Range<Int>? = { text, offset in
        var index = offset + 16
        guard text.hasLiteral("services/", at: index) || text.hasLiteral("workflows/", at: index) else { return nil }
        index += text.hasLiteral("services/", at: index) ? 9 : 10
        let start = index
        // T…/B…/secret: three path parts of letters and digits.
        for part in 0..<3 {
            guard let end = Shape.run(text, from: index, ByteClass.isAlnum, (part == 2 ? 20 : 8)...40) else {
                return nil
            }
            index = end
            if part < 2 {
                guard index < text.count, text[index] == 0x2F else { return nil }
                index += 1
            }
        }
        return start..<index
    }

    static let openaiLegacy: @Sendable (ByteText, Int) -> Range<Int>? = { text, offset in
        var start = offset
        while start > 0 && ByteClass.isToken(text[start - 1]) { start -= 1 }
        guard text.hasLiteral("sk-", at: start), !text.hasLiteral("sk-proj-", at: start),
            !text.hasLiteral("sk-svcacct-", at: start), !text.hasLiteral("sk-admin-", at: start),
            let end = Shape.run(text, from: offset + 8, ByteClass.isToken, 16...200), end - start >= 40
        else { return nil }
        return start..<end
    }

    static let privateKey: @Sendable (ByteText, Int) -> Range<Int>? = { text, offset in
        let lineEnd = text.lineEnd(at: offset)
        let header = text.string(offset..<lineEnd)
        guard header.contains("PRIVATE KEY"), header.contains("-----", after: 11) else { return nil }
        // A real key has a body: soon after the header, a line that starts (after indentation or
        // a quote) with a long base64 run. A run later in a line is something else: code that
        // builds a key from pieces, then a base64 value assigned a few lines below it.
        let limit = min(text.count, lineEnd + 600)
        var index = lineEnd
        while index < limit {
            if ByteClass.isBase64(text[index]) {
                var end = index
                while end < text.count && ByteClass.isBase64(text[end]) { end += 1 }
                let lead = text.lineStart(at: index)..<index
                let startsTheLine = lead.allSatisfy {
                    ByteClass.isSpace(text[$0]) || text[$0] == 0x22 || text[$0] == 0x27
                }
                if end - index >= 40 && startsTheLine {
                    // The whole block, to its END line when there is one.
                    if let close = text.find("-----END ", from: end), close - end < 64 * 1024 {
                        return offset..<text.lineEnd(at: close)
                    }
                    return offset..<end
                }
                index = end
            } else {
                index += 1
            }
        }
        return nil
    }

    static let jwt: @Sendable (ByteText, Int) -> Range<Int>? = { text, offset in
        guard Shape.boundaryBefore(text, offset, ByteClass.isToken),
            let headerEnd = Shape.run(text, from: offset, ByteClass.isToken, 10...2000), headerEnd < text.count,
            text[headerEnd] == 0x2E, text.hasLiteral("eyJ", at: headerEnd + 1),
            let payloadEnd = Shape.run(text, from: headerEnd + 1, ByteClass.isToken, 10...8000),
            payloadEnd < text.count, text[payloadEnd] == 0x2E,
            let signatureEnd = Shape.run(text, from: payloadEnd + 1, ByteClass.isToken, 16...2000)
        else { return nil }
        let payload = Base64URL.decode(text.slice(headerEnd + 1..<payloadEnd))
        if Decoys.exampleJWTClaims.allSatisfy({ payload.contains($0) }) || payload == "{\"some\":\"payload\"}" {
            return nil
        }
        return offset..<signatureEnd
    }

    static let sendgrid: @Sendable (ByteText, Int) -> Range<Int>? = { text, offset in
        guard Shape.boundaryBefore(text, offset), let first = Shape.run(text, from: offset + 3, token, 22...22),
            first < text.count, text[first] == 0x2E,
            let end = Shape.run(text, from: first + 1, token, 43...43)
        else { return nil }
        return offset..<end
    }

    static let databricks: @Sendable (ByteText, Int) -> Range<Int>? = { text, offset in
        guard Shape.boundaryBefore(text, offset),
            let end = Shape.run(text, from: offset + 4, ByteClass.isLowerHex, 32...32)
        else { return nil }
        return offset..<end
    }

    /// Azure AD client secrets: three characters, a digit, "Q~", then 31 to 34 more.
    static let azure: @Sendable (ByteText, Int) -> Range<Int>? = { text, offset in
        let alphabet: Shape.Alphabet = { ByteClass.isWord($0) || $0 == 0x7E || $0 == 0x2E || $0 == 0x2D }
        guard offset >= 4, ByteClass.isDigit(text[offset - 1]),
            (offset - 4..<offset - 1).allSatisfy({ alphabet(text[$0]) }),
            Shape.boundaryBefore(text, offset - 4, alphabet),
            let end = Shape.run(text, from: offset + 2, alphabet, 31...34)
        else { return nil }
        return offset - 4..<end
    }

    static let telegram: @Sendable (ByteText, Int) -> Range<Int>? = { text, offset in
        var start = offset
        while start > 0 && ByteClass.isDigit(text[start - 1]) { start -= 1 }
        guard (8...10).contains(offset - start), Shape.boundaryBefore(text, start),
            let end = Shape.run(text, from: offset + 3, ByteClass.isToken, 33...33)
        else { return nil }
        return start..<end
    }
}

extension String {
    fileprivate func contains(_ other: String, after offset: Int) -> Bool {
        guard count > offset else { return false }
        return dropFirst(offset).contains(other)
    }
}

/// Base64url decoding without padding, for JWT payloads (invalid input gives what decodes).
enum Base64URL {
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            let value: UInt32
            switch byte {
            case 0x41...0x5A: value = UInt32(byte - 0x41)
            case 0x61...0x7A: value = UInt32(byte - 0x61 + 26)
            case 0x30...0x39: value = UInt32(byte - 0x30 + 52)
            case 0x2D, 0x2B: value = 62
            case 0x5F, 0x2F: value = 63
            default: continue
            }
            buffer = (buffer << 6) | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
