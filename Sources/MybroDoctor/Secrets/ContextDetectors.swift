/// Secrets known by where they stand rather than by a prefix: assignments to secret-named
/// variables, .env values, passwords in URIs, Kubernetes Secret manifests, service-account files.
enum ContextDetectors {
    struct Hit {
        let check: CheckInfo
        let label: String
        let range: Range<Int>
    }

    /// Parts of names that mark a secret.
    static let secretNameParts: [String] = [
        "password", "passwd", "passphrase", "pwd", "secret", "token", "apikey", "api_key", "api-key", "accesskey",
        "access_key", "authkey", "auth_key", "privatekey", "private_key", "signingkey", "signing_key",
        "encryptionkey", "encryption_key", "masterkey", "master_key", "credential", "client_key",
    ]

    /// Words in a name that say it is not the secret itself (a hash of it, its length, its field name).
    static let notSecretWords: Set<String> = [
        "hash", "hashed", "digest", "checksum", "sha", "sha1", "sha256", "sha512", "md5", "public", "pub", "field",
        "name", "names", "label", "type", "placeholder", "prompt", "length", "len", "count", "file", "path", "dir",
        "url", "uri", "endpoint", "env", "var", "id", "min", "max", "regex", "pattern", "format", "policy", "header",
        "param", "input", "tokenizer", "tokens", "expiry", "expires", "expiration", "ttl", "timeout", "required",
        "enabled", "reset", "prefix", "suffix", "key_id", "keyid", "location", "ref", "source", "mode", "kind",
        "class", "hint", "help", "message", "error", "attr", "column", "validator", "strength", "manager", "store",
        "provider", "storage", "generator", "test", "mock", "example",
    ]

    static let assignmentSymbols: Set<UInt8> = Set("!#$%&*@^~+=?;|".utf8)

    // MARK: names

    /// A cheap first look without allocating: does the name hold one of the stems of
    /// `secretNameParts` (pass, pwd, secret, token, key, credential), in any case?
    static func mayNameSecret(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let stems: [StaticString] = ["pass", "pwd", "secret", "token", "key", "credential"]
        let count = name.count
        for stem in stems {
            let length = stem.utf8CodeUnitCount
            guard length <= count else { continue }
            let first = stem.utf8Start[0]
            var index = 0
            while index + length <= count {
                if ByteClass.lower(name[index]) == first {
                    var matched = true
                    for offset in 1..<length where ByteClass.lower(name[index + offset]) != stem.utf8Start[offset] {
                        matched = false
                        break
                    }
                    if matched { return true }
                }
                index += 1
            }
        }
        return false
    }

    /// Whether an identifier names a secret.
    static func isSecretName(_ name: [UInt8]) -> Bool {
        guard name.count >= 3, name.count <= 64 else { return false }
        let lowered = name.map(ByteClass.lower)
        guard Decoys.containsAny(lowered, secretNameParts) else { return false }
        for word in words(of: name) where notSecretWords.contains(word) { return false }
        return true
    }

    /// The words of an identifier: split at _ - . and camelCase humps, lowercased.
    static func words(of name: [UInt8]) -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        var previousLower = false
        for byte in name {
            if byte == 0x5F || byte == 0x2D || byte == 0x2E || byte == 0x24 {
                if !current.isEmpty { result.append(String(decoding: current, as: UTF8.self)) }
                current = []
                previousLower = false
                continue
            }
            let isUpper = byte >= 0x41 && byte <= 0x5A
            if isUpper && previousLower && !current.isEmpty {
                result.append(String(decoding: current, as: UTF8.self))
                current = []
            }
            current.append(ByteClass.lower(byte))
            previousLower = !isUpper
        }
        if !current.isEmpty { result.append(String(decoding: current, as: UTF8.self)) }
        return result
    }

    // MARK: generic assignments

    /// `name = "value"`, `name: value`, `"name": "value"`, `name := "value"`, `name => 'value'`
    /// where the name is secret-like and the value looks like a real secret.
    static func genericAssignments(_ text: ByteText, unquotedValues: Bool, into hits: inout [Hit]) {
        var index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            guard byte == 0x3D || byte == 0x3A else {
                index += 1
                continue
            }
            defer { index += 1 }
            // Skip comparisons (==, !=, <=, >=), "::" and "://".
            if index + 1 < count {
                let next = text[index + 1]
                if next == 0x3D && byte == 0x3D {
                    index += 1
                    continue
                }
                if byte == 0x3A && (next == 0x3A || next == 0x2F) { continue }
            }
            var nameEnd = index
            if byte == 0x3D && nameEnd > 0 && text[nameEnd - 1] == 0x3A { nameEnd -= 1 }  // :=
            if nameEnd > 0 && [0x21, 0x3C, 0x3E, 0x3D].contains(text[nameEnd - 1]) { continue }
            while nameEnd > 0 && ByteClass.isSpace(text[nameEnd - 1]) { nameEnd -= 1 }
            var closingQuote = false
            if nameEnd > 0 && (text[nameEnd - 1] == 0x22 || text[nameEnd - 1] == 0x27) {
                nameEnd -= 1
                closingQuote = true
            }
            var nameStart = nameEnd
            while nameStart > 0
                && (ByteClass.isWord(text[nameStart - 1]) || text[nameStart - 1] == 0x2D
                    || text[nameStart - 1] == 0x2E || text[nameStart - 1] == 0x24)
            {
                nameStart -= 1
            }
            guard nameEnd - nameStart >= 3, nameEnd - nameStart <= 64,
                mayNameSecret(text.slice(nameStart..<nameEnd))
            else { continue }
            let name = Array(text.slice(nameStart..<nameEnd))
            guard isSecretName(name) else { continue }
            // The value.
            var valueStart = index + 1
            if byte == 0x3D && valueStart < count && text[valueStart] == 0x3E { valueStart += 1 }  // =>
            while valueStart < count && ByteClass.isSpace(text[valueStart]) { valueStart += 1 }
            guard valueStart < count else { continue }
            let lineEnd = text.lineEnd(at: valueStart)
            var range: Range<Int>
            let opener = text[valueStart]
            if opener == 0x22 || opener == 0x27 || opener == 0x60 {
                var end = valueStart + 1
                while end < lineEnd && text[end] != opener {
                    if text[end] == 0x5C { end += 1 }
                    end += 1
                }
                guard end < lineEnd else { continue }
                range = valueStart + 1..<end
                // A string that is concatenated or formatted is built, not a literal secret.
                var after = end + 1
                while after < lineEnd && ByteClass.isSpace(text[after]) { after += 1 }
                if after < lineEnd && (text[after] == 0x2B || text[after] == 0x25 || text[after] == 0x2E) { continue }
            } else if unquotedValues && !closingQuote {
                var end = valueStart
                while end < lineEnd && !ByteClass.isSpace(text[end]) && text[end] != 0x0D { end += 1 }
                range = valueStart..<end
            } else {
                continue
            }
            let lineStart = text.lineStart(at: index)
            guard looksLikeSecret(text.slice(range), strongName: true),
                !Decoys.isLookup(text.slice(lineStart..<lineEnd))
            else { continue }
            hits.append(
                Hit(
                    check: CheckCatalog.genericAssignment, label: "value of \(String(decoding: name, as: UTF8.self))",
                    range: range))
        }
    }

    /// A value that is a secret rather than a word, a placeholder, a reference or a path.
    static func looksLikeSecret(_ value: UnsafeBufferPointer<UInt8>, strongName: Bool) -> Bool {
        guard value.count >= 6, value.count <= 256 else { return false }
        if value.contains(where: { $0 == 0x20 || $0 == 0x09 }) { return false }
        if Decoys.isPlaceholder(value) || Decoys.containsAny(value, Decoys.genericPlaceholderWords) { return false }
        if value.first == 0x24 || value.first == 0x2F || value.first == 0x7B { return false }
        if Decoys.containsAny(value, ["://", "\\(", "#{", "%s", "%d"]) { return false }
        // A JWT is judged by its own detector (which knows the jwt.io example).
        if value.starts(with: "eyJ".utf8) { return false }
        if Decoys.specificationExamples.contains(String(decoding: value, as: UTF8.self)) { return false }
        // An environment-variable name (DB_PASSWORD) or an identifier is a reference.
        if value.allSatisfy({ ByteClass.isUpperAlnum($0) || $0 == 0x5F }) { return false }
        if value.allSatisfy({ ByteClass.isWord($0) || $0 == 0x2E }) && !value.contains(where: ByteClass.isDigit) {
            return false
        }
        let hasLetter = value.contains { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
        let hasDigit = value.contains(where: ByteClass.isDigit)
        let hasSymbol = value.contains { assignmentSymbols.contains($0) }
        if hasSymbol && hasLetter && value.count >= 8 && (hasDigit || Entropy.bitsPerCharacter(value) >= 3) {
            return true
        }
        return value.count >= 16 && hasLetter && hasDigit && Entropy.bitsPerCharacter(value) >= 3.5
    }

    // MARK: .env files

    static func isEnvFile(_ name: Substring) -> Bool {
        guard name == ".env" || name.hasPrefix(".env.") || name.hasSuffix(".env") else { return false }
        let lowered = name.lowercased()
        return !["example", "sample", "template", "dist", "defaults", "tpl"].contains { lowered.hasSuffix($0) }
    }

    static func envValues(_ text: ByteText, into hits: inout [Hit]) {
        text.forEachLine { range, _ in
            var start = range.lowerBound
            while start < range.upperBound && ByteClass.isSpace(text[start]) { start += 1 }
            if text.hasLiteral("export ", at: start) { start += 7 }
            guard start < range.upperBound, text[start] != 0x23 else { return }
            var equals = start
            while equals < range.upperBound && text[equals] != 0x3D { equals += 1 }
            guard equals < range.upperBound else { return }
            let name = Array(text.slice(start..<equals)).filter { !ByteClass.isSpace($0) }
            let upperWords = words(of: name)
            let named =
                isSecretName(name) || upperWords.last == "key" || upperWords.contains("pass")
                || upperWords.contains("dsn")
            guard named else { return }
            var valueStart = equals + 1
            var valueEnd = range.upperBound
            while valueStart < valueEnd && ByteClass.isSpace(text[valueStart]) { valueStart += 1 }
            if valueStart < valueEnd, text[valueStart] == 0x22 || text[valueStart] == 0x27 {
                let quote = text[valueStart]
                valueStart += 1
                var end = valueStart
                while end < valueEnd && text[end] != quote { end += 1 }
                valueEnd = end
            } else {
                var end = valueStart
                while end < valueEnd && !ByteClass.isSpace(text[end]) { end += 1 }
                valueEnd = end
            }
            let value = text.slice(valueStart..<valueEnd)
            guard value.count >= 8, !Decoys.isPlaceholder(value), value.first != 0x24,
                !Decoys.containsAny(value, ["changeme", "secret", "password", "test", "localhost"])
                    || value.count >= 24,
                Entropy.bitsPerCharacter(value) >= 2.5
            else { return }
            hits.append(
                Hit(
                    check: CheckCatalog.dotenvValue, label: "value of \(String(decoding: name, as: UTF8.self))",
                    range: valueStart..<valueEnd))
        }
    }

    // MARK: URIs

    static let placeholderPasswords: Set<String> = [
        "password", "pass", "passwd", "pwd", "secret", "changeme", "user", "username", "admin", "root", "guest",
        "test", "example", "mypassword", "yourpassword", "xxx", "foo", "bar", "postgres", "mysql", "redis",
    ]

    /// `scheme://user:password@host`: the password, unless it is a placeholder.
    static func uriCredentials(_ text: ByteText, into hits: inout [Hit]) {
        var from = 0
        while let offset = text.find("://", from: from) {
            from = offset + 3
            var schemeStart = offset
            while schemeStart > 0
                && (ByteClass.isAlnum(text[schemeStart - 1]) || text[schemeStart - 1] == 0x2B
                    || text[schemeStart - 1] == 0x2E || text[schemeStart - 1] == 0x2D)
            {
                schemeStart -= 1
            }
            guard offset - schemeStart >= 2 else { continue }
            let start = offset + 3
            var index = start
            var colon: Int?
            var at: Int?
            let limit = min(text.count, start + 300)
            while index < limit {
                let byte = text[index]
                if byte == 0x40 { at = index }  // the last @ before the host ends the userinfo
                if byte == 0x2F || byte == 0x20 || byte == 0x22 || byte == 0x27 || byte == 0x0A || byte == 0x3E
                    || byte == 0x3C || byte == 0x60 || byte == 0x09 || byte == 0x29
                {
                    break
                }
                if byte == 0x3A && colon == nil { colon = index }
                index += 1
            }
            guard let colon, let at, colon < at, at + 1 < text.count, ByteClass.isAlnum(text[at + 1]) else { continue }
            let user = text.string(start..<colon)
            let password = text.slice(colon + 1..<at)
            let passwordText = String(decoding: password, as: UTF8.self)
            guard password.count >= 3, !Decoys.isPlaceholder(password),
                !placeholderPasswords.contains(passwordText.lowercased()), passwordText != user,
                !passwordText.allSatisfy({ $0 == "*" || $0 == "x" || $0 == "X" }),
                !["$", "{", "<", "[", "%s", "%(", "%d", "%v"].contains(where: { passwordText.hasPrefix($0) }),
                !user.contains("{"), !user.contains("$")
            else { continue }
            hits.append(Hit(check: CheckCatalog.uriCredentials, label: "password in a URI", range: colon + 1..<at))
        }
    }

    // MARK: manifests and key files

    /// A Kubernetes Secret with literal `data:` or `stringData:` values.
    static func kubernetesSecret(_ text: ByteText, into hits: inout [Hit]) {
        guard let kind = text.find("kind: Secret") ?? text.find("\"kind\": \"Secret\"") else { return }
        let sectionStart = text.find("\nstringData:") ?? text.find("\ndata:") ?? text.find("\"data\":")
        guard let sectionStart else { return }
        var start = text.lineEnd(at: sectionStart + 1) + 1
        var values: [Range<Int>] = []
        while start < text.count {
            let end = text.lineEnd(at: start)
            guard end > start, ByteClass.isSpace(text[start]) else { break }
            if let colon = text.slice(start..<end).firstIndex(of: 0x3A) {
                var valueStart = start + colon + 1
                while valueStart < end && (ByteClass.isSpace(text[valueStart]) || text[valueStart] == 0x22) {
                    valueStart += 1
                }
                var valueEnd = end
                while valueEnd > valueStart
                    && (ByteClass.isSpace(text[valueEnd - 1]) || text[valueEnd - 1] == 0x22
                        || text[valueEnd - 1] == 0x2C || text[valueEnd - 1] == 0x0D)
                {
                    valueEnd -= 1
                }
                let value = text.slice(valueStart..<valueEnd)
                if value.count >= 4, !Decoys.isPlaceholder(value), value.first != 0x7C, value.first != 0x3E {
                    values.append(valueStart..<valueEnd)
                }
            }
            start = end + 1
        }
        _ = kind
        if let first = values.first {
            hits.append(Hit(check: CheckCatalog.kubernetesSecret, label: "Kubernetes Secret value", range: first))
        }
    }

    /// A Google Cloud service-account key file: its private_key_id marks it.
    static func serviceAccount(_ text: ByteText, into hits: inout [Hit]) {
        guard text.contains("\"service_account\""), let id = text.find("\"private_key_id\"") else { return }
        var index = id + 16
        while index < text.count && !ByteClass.isHex(text[index]) && text[index] != 0x0A { index += 1 }
        guard let end = Shape.run(text, from: index, ByteClass.isHex, 20...64) else { return }
        let value = text.slice(index..<end)
        guard !Decoys.isPlaceholder(value) else { return }
        hits.append(Hit(check: CheckCatalog.gcpServiceAccount, label: "service-account key", range: index..<end))
    }
}
