import CMybroScan

/// What tells a placeholder, an example or a lookup apart from a real secret.
enum Decoys {
    /// Words that only placeholders and documentation contain.
    static let placeholderWords: [String] = [
        "example", "xxxx", "your", "placeholder", "changeme", "change_me", "change-me", "dummy", "sample", "fake",
        "redacted", "<", ">", "${", "{{", "$(", "%(", "****", "...", "\u{2026}", "insert", "replace", "here", "todo",
        "secret_here", "notreal", "not_real", "mybro:", "xxx-",
    ]

    /// Extra words that, in a generic assignment, mark a value as made up.
    static let genericPlaceholderWords: [String] = [
        "test", "password", "passw0rd", "secret", "pass123", "letmein", "qwerty", "admin", "foobar", "hunter2",
        "12345678", "abcdef", "none", "null", "undefined", "default", "token", "string", "value", "env",
    ]

    static func containsAny(_ value: some Collection<UInt8>, _ words: [String]) -> Bool {
        let lowered = value.map(ByteClass.lower)
        return lowered.withUnsafeBufferPointer { buffer in
            words.contains { word in
                let needle = Array(word.utf8)
                guard needle.count <= buffer.count else { return false }
                return needle.withUnsafeBufferPointer {
                    mybro_memmem(buffer.baseAddress, buffer.count, $0.baseAddress, $0.count) != nil
                }
            }
        }
    }

    /// A value in a provider's shape that is still made up: placeholder words, long runs of
    /// one character, too few distinct characters, or a counting sequence.
    static func isPlaceholder(_ value: some Collection<UInt8>) -> Bool {
        if containsAny(value, placeholderWords) { return true }
        return isLowVariety(value)
    }

    static func isLowVariety(_ value: some Collection<UInt8>) -> Bool {
        var distinct = Set<UInt8>()
        var run = 0
        var longestRun = 0
        var previous: UInt8 = 0
        var ascending = 0
        var longestAscending = 0
        for byte in value {
            distinct.insert(byte)
            run = byte == previous ? run + 1 : 1
            ascending = byte == previous &+ 1 ? ascending + 1 : 1
            longestRun = max(longestRun, run)
            longestAscending = max(longestAscending, ascending)
            previous = byte
        }
        if longestRun >= 6 || longestAscending >= 7 { return true }
        return value.count >= 12 && distinct.count < min(8, value.count / 3)
    }

    /// A line that reads the value from somewhere else (the environment, a vault, a config
    /// object) rather than holding it.
    static func isLookup(_ line: some Collection<UInt8>) -> Bool {
        containsAny(line, lookupWords)
    }

    static let lookupWords: [String] = [
        "os.environ", "getenv", "process.env", "env[", "env(", "environ.get", "vault", "secrets.", "keyring",
        "keychain", "secretmanager", "secret_manager", "ssm.", "parameter_store", "config.get", "settings.",
        "import.meta.env", "valuefrom", "secretkeyref",
    ]

    /// Test fixture folders, whose secrets are made up on purpose.
    static func isFixturePath(_ path: String) -> Bool {
        path.split(separator: "/").dropLast().contains { component in
            let lowered = component.lowercased()
            return ["fixtures", "fixture", "testdata", "test-data", "test_data", "__fixtures__", "__mocks__"].contains(
                lowered)
        }
    }

    /// The payload of the jwt.io example token (or any with its claims) marks a documentation token.
    static let exampleJWTClaims = ["\"John Doe\"", "1234567890", "1516239022"]

    /// Tokens printed in specifications (RFC 6749 and RFC 5849 examples), never real ones.
    static let specificationExamples: Set<String> = [
        "2YotnFZFEjr1zCsicMWpAA", "tGzv3JOkF0XG5Qx2TlKWIA", "ad180jjd733klru7", "kd94hf93k423kf44",
        "nnch734d00sl2jdk", "hh5s93j4hdidpola", "hdk48Djdsa", "SplxlOBeZQQYbYS6WxSbIA",
    ]
}
