/// Compact JSON text for values and objects: no whitespace, keys in order, UTF-8 kept as is
/// (only the characters JSON requires are escaped).
extension JSONValue {
    public func serialized() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value): out += JSONValue.format(number: value)
        case .string(let value): JSONValue.write(string: value, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let object): object.write(to: &out)
        }
    }

    static func format(number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number.rounded() == number && abs(number) < 1e15 { return String(Int64(number)) }
        return "\(number)"
    }

    static func write(string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSONObject {
    public func serialized() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        out += "{"
        var first = true
        for (key, value) in self {
            if !first { out += "," }
            first = false
            JSONValue.write(string: key, to: &out)
            out += ":"
            value.write(to: &out)
        }
        out += "}"
    }
}
