/// Hides credentials in text that leaves a process for others to read: log lines sent to the
/// log service, and the records and logs the dashboard shows.
///
/// Three kinds of secret are found: the values of the credentials this process withdrew from
/// its environment (`SecretEnvironment`), tokens of the well-known shapes API providers give
/// (`sk-ant-…`, `ghp_…`, `AKIA…`), and the value in `NAME=value` or `NAME: value` where NAME
/// is a credential variable's name (`ANTHROPIC_API_KEY=…`), or after `Bearer `.
public enum SecretRedaction {
    public static let marker = "[redacted]"

    /// Prefixes of API tokens, each with the fewest token characters that must follow it.
    static let tokenPrefixes: [(prefix: [UInt8], minimumRest: Int)] = [
        ("sk-ant-", 16), ("sk-proj-", 16), ("sk-", 20), ("ghp_", 20), ("gho_", 20), ("ghs_", 20), ("ghu_", 20),
        ("github_pat_", 20), ("glpat-", 16), ("hf_", 20), ("xoxb-", 16), ("xoxp-", 16), ("xoxa-", 16),
        ("xoxs-", 16), ("AKIA", 16), ("sk_live_", 16), ("sk_test_", 16), ("rk_live_", 16), ("npm_", 30),
        ("dop_v1_", 40), ("AIza", 30), ("eyJ", 40), ("Bearer ", 8), ("pypi-", 40), ("tskey-", 16),
    ].map { (Array($0.0.utf8), $0.1) }

    /// `text` with every secret it holds replaced by `[redacted]`.
    public static func redact(_ text: String) -> String {
        var bytes = Array(text.utf8)
        var changed = false
        for value in SecretEnvironment.withdrawnSecretValues() where value.utf8.count >= 8 {
            changed = replaceAll(Array(value.utf8), in: &bytes) || changed
        }
        changed = redactShapes(&bytes) || changed
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// `value` with `redact` applied to every string in it.
    public static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(redact(text))
        case .array(let items): return .array(items.map { redact($0) })
        case .object(let object):
            var copy = JSONObject()
            for (key, item) in object { copy[key] = redact(item) }
            return .object(copy)
        default: return value
        }
    }

    /// `record` with every string redacted (the base64 audio of `pcm` aside); the same record,
    /// its original line kept, when it held nothing to hide.
    public static func redact(_ record: Record) -> Record {
        var fields = JSONObject()
        var changed = false
        for (key, value) in record.fields {
            let redacted = key == "pcm" || key == "type" ? value : redact(value)
            changed = changed || redacted != value
            fields[key] = redacted
        }
        return changed ? Record(type: record.type, fields: fields) : record
    }

    /// Whether `text` holds something `redact` would hide.
    public static func containsSecret(_ text: String) -> Bool { redact(text) != text }

    /// Whether `text` holds a token of a known shape (no value of the environment consulted).
    static func hasTokenShape(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        return redactShapes(&bytes)
    }

    static func isTokenByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x5F || byte == 0x2D || byte == 0x2E || byte == 0x2B || byte == 0x2F || byte == 0x3D
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
    }

    private static func replaceAll(_ needle: [UInt8], in bytes: inout [UInt8]) -> Bool {
        guard needle.count <= bytes.count else { return false }
        var output: [UInt8] = []
        var index = 0
        var found = false
        while index < bytes.count {
            if bytes[index] == needle[0], index + needle.count <= bytes.count,
                bytes[index..<index + needle.count].elementsEqual(needle)
            {
                output.append(contentsOf: marker.utf8)
                index += needle.count
                found = true
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        if found { bytes = output }
        return found
    }

    /// Replaces token shapes and `NAME=value` credentials in one pass.
    private static func redactShapes(_ bytes: inout [UInt8]) -> Bool {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        var found = false
        scan: while index < bytes.count {
            // After `=`, `:` or `/` a token starts too: `KEY=sk-ant-…`, `https://ghp_…@github.com`.
            let atWordStart =
                index == 0 || !isTokenByte(bytes[index - 1]) || bytes[index - 1] == 0x3D || bytes[index - 1] == 0x2F
            if atWordStart {
                for (prefix, minimumRest) in tokenPrefixes where bytes[index] == prefix[0] {
                    guard index + prefix.count <= bytes.count,
                        bytes[index..<index + prefix.count].elementsEqual(prefix)
                    else { continue }
                    var end = index + prefix.count
                    while end < bytes.count && isTokenByte(bytes[end]) { end += 1 }
                    if end - index - prefix.count >= minimumRest {
                        if prefix.last == 0x20 { output.append(contentsOf: prefix) }  // keep "Bearer "
                        output.append(contentsOf: marker.utf8)
                        index = end
                        found = true
                        continue scan
                    }
                }
            }
            // NAME=value / NAME: value, where NAME names a credential variable.
            if bytes[index] == 0x3D || (bytes[index] == 0x3A && index + 1 < bytes.count && bytes[index + 1] == 0x20) {
                var start = index
                while start > 0 && isNameByte(bytes[start - 1]) { start -= 1 }
                let name = String(decoding: bytes[start..<index], as: UTF8.self)
                if start < index, SecretEnvironment.isSecret(name) {
                    var valueStart = index + 1
                    while valueStart < bytes.count
                        && (bytes[valueStart] == 0x20 || bytes[valueStart] == 0x22 || bytes[valueStart] == 0x27)
                    {
                        valueStart += 1
                    }
                    var end = valueStart
                    while end < bytes.count && bytes[end] != 0x20 && bytes[end] != 0x22 && bytes[end] != 0x27
                        && bytes[end] != 0x0A && bytes[end] != 0x2C
                    {
                        end += 1
                    }
                    if end > valueStart {
                        output.append(contentsOf: bytes[index..<valueStart])
                        output.append(contentsOf: marker.utf8)
                        index = end
                        found = true
                        continue scan
                    }
                }
            }
            output.append(bytes[index])
            index += 1
        }
        if found { bytes = output }
        return found
    }
}
