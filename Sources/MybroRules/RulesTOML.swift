/// The strict TOML subset the rules file uses: comments, `key = value` pairs, `[table]` and
/// `[[array-of-tables]]` headers, and values that are strings ("basic" with \" \\ \n \t \uXXXX
/// escapes, or 'literal'), booleans, integers and arrays of strings (which may span lines).
/// Anything else is an error that names its line, so a typo never passes silently.
public enum RulesTOML {
    public enum Value: Equatable, Sendable {
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case strings([String])
    }

    /// One table: the top level (name ""), a `[name]` table, or one element of `[[name]]`.
    public struct Table: Equatable, Sendable {
        public var name: String
        public var isArrayElement: Bool
        public var line: Int
        public var pairs: [(key: String, value: Value, line: Int)]

        public static func == (lhs: Table, rhs: Table) -> Bool {
            lhs.name == rhs.name && lhs.isArrayElement == rhs.isArrayElement
                && lhs.pairs.map(\.key) == rhs.pairs.map(\.key) && lhs.pairs.map(\.value) == rhs.pairs.map(\.value)
        }
    }

    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> [Table] {
        var tables = [Table(name: "", isArrayElement: false, line: 0, pairs: [])]
        var seenTables: Set<String> = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            Array($0.unicodeScalars.map(Character.init))
        }
        var index = 0
        while index < lines.count {
            let number = index + 1
            var cursor = Cursor(characters: lines[index], line: number)
            index += 1
            cursor.skipSpace()
            if cursor.atEndOrComment { continue }
            if cursor.peek == "[" {
                let isArray = cursor.peek(at: 1) == "["
                cursor.advance(isArray ? 2 : 1)
                cursor.skipSpace()
                let name = try cursor.bareKey()
                cursor.skipSpace()
                guard cursor.take("]"), !isArray || cursor.take("]") else {
                    throw ParseError(line: number, reason: "a table header ends with \(isArray ? "]]" : "]")")
                }
                cursor.skipSpace()
                guard cursor.atEndOrComment else { throw ParseError(line: number, reason: "text after a table header") }
                if !isArray {
                    guard seenTables.insert(name).inserted else {
                        throw ParseError(line: number, reason: "table [\(name)] is defined twice")
                    }
                }
                tables.append(Table(name: name, isArrayElement: isArray, line: number, pairs: []))
                continue
            }
            let key = try cursor.bareKey()
            cursor.skipSpace()
            guard cursor.take("=") else { throw ParseError(line: number, reason: "expected '=' after \(key)") }
            cursor.skipSpace()
            let value: Value
            if cursor.peek == "[" {
                // An array may continue on the following lines: gather them into one cursor.
                var characters = Array(cursor.rest)
                var depthOpen = true
                var strings: [String] = []
                var arrayCursor = Cursor(characters: characters, line: number)
                arrayCursor.advance(1)
                while depthOpen {
                    arrayCursor.skipSpace()
                    if arrayCursor.atEndOrComment {
                        guard index < lines.count else {
                            throw ParseError(line: number, reason: "array of \(key) is not closed with ]")
                        }
                        characters = lines[index]
                        arrayCursor = Cursor(characters: characters, line: index + 1)
                        index += 1
                        continue
                    }
                    if arrayCursor.take("]") {
                        depthOpen = false
                        break
                    }
                    strings.append(try arrayCursor.string())
                    arrayCursor.skipSpace()
                    if arrayCursor.take(",") { continue }
                    arrayCursor.skipSpace()
                    if arrayCursor.atEndOrComment { continue }
                    guard arrayCursor.peek == "]" else {
                        throw ParseError(line: arrayCursor.line, reason: "expected ',' or ']' in the array of \(key)")
                    }
                }
                cursor = arrayCursor
                value = .strings(strings)
            } else if cursor.peek == "\"" || cursor.peek == "'" {
                value = .string(try cursor.string())
            } else {
                let word = cursor.word()
                if word == "true" {
                    value = .boolean(true)
                } else if word == "false" {
                    value = .boolean(false)
                } else if let number = Int(word.replacingOccurrences(of: "_", with: "")) {
                    value = .integer(number)
                } else {
                    throw ParseError(
                        line: number, reason: "value of \(key) must be a string, integer, boolean or array of strings")
                }
            }
            cursor.skipSpace()
            guard cursor.atEndOrComment else {
                throw ParseError(line: cursor.line, reason: "text after the value of \(key)")
            }
            if tables[tables.count - 1].pairs.contains(where: { $0.key == key }) {
                throw ParseError(line: number, reason: "key \(key) is defined twice")
            }
            tables[tables.count - 1].pairs.append((key, value, number))
        }
        return tables
    }

    private struct Cursor {
        let characters: [Character]
        let line: Int
        var position = 0

        init(characters: [Character], line: Int) {
            self.characters = characters
            self.line = line
        }

        var peek: Character? { position < characters.count ? characters[position] : nil }
        func peek(at offset: Int) -> Character? {
            position + offset < characters.count ? characters[position + offset] : nil
        }
        var rest: ArraySlice<Character> { characters[position...] }
        var atEndOrComment: Bool { peek == nil || peek == "#" || peek == "\r" }

        mutating func advance(_ count: Int) { position += count }

        mutating func skipSpace() {
            while let character = peek, character == " " || character == "\t" { position += 1 }
        }

        mutating func take(_ character: Character) -> Bool {
            guard peek == character else { return false }
            position += 1
            return true
        }

        mutating func word() -> String {
            var text = ""
            while let character = peek, character != " ", character != "\t", character != "#", character != "\r" {
                text.append(character)
                position += 1
            }
            return text
        }

        mutating func bareKey() throws(ParseError) -> String {
            var key = ""
            while let character = peek, character.isLetter || character.isNumber || "_-.".contains(character) {
                key.append(character)
                position += 1
            }
            guard !key.isEmpty else { throw ParseError(line: line, reason: "expected a key (letters, digits, _ - .)") }
            return key
        }

        mutating func string() throws(ParseError) -> String {
            guard let quote = peek, quote == "\"" || quote == "'" else {
                throw ParseError(line: line, reason: "expected a quoted string")
            }
            position += 1
            var text = ""
            while let character = peek {
                position += 1
                if character == quote { return text }
                if character == "\\" && quote == "\"" {
                    guard let escaped = peek else { break }
                    position += 1
                    switch escaped {
                    case "\"": text.append("\"")
                    case "\\": text.append("\\")
                    case "n": text.append("\n")
                    case "t": text.append("\t")
                    case "u":
                        let digits = String(characters[position..<min(position + 4, characters.count)])
                        guard digits.count == 4, let code = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(code)
                        else { throw ParseError(line: line, reason: "bad \\u escape") }
                        text.unicodeScalars.append(scalar)
                        position += 4
                    default: throw ParseError(line: line, reason: "unknown escape \\\(escaped)")
                    }
                    continue
                }
                text.append(character)
            }
            throw ParseError(line: line, reason: "string is not closed with \(quote)")
        }
    }
}
