import Testing

@testable import MybroCore

@Suite struct JSONParserTests {
    @Test func parsesFlatRecord() throws {
        let value = try JSONParser.parse(
            #"{"type":"say","text":"héllo \"you\"\n","n":3,"x":-1.5e2,"ok":true,"z":null}"#)
        let object = try #require(value.objectValue)
        #expect(object["type"] == "say")
        #expect(object["text"] == .string("héllo \"you\"\n"))
        #expect(object["n"]?.intValue == 3)
        #expect(object["x"]?.doubleValue == -150)
        #expect(object["ok"] == .bool(true))
        #expect(object["z"] == .null)
        #expect(object.keys == ["type", "text", "n", "x", "ok", "z"])
    }

    @Test func decodesSurrogatePairs() throws {
        let value = try JSONParser.parse(#""\ud83d\ude00 \u00e9""#)
        #expect(value == .string("😀 é"))
    }

    @Test(arguments: [
        "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "01", "1.", "\"\\x\"", "\"\u{01}\"", "tru", "{} x", "\"\\ud800\"", "-",
    ])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func roundTripsThroughSerialization() throws {
        var object = JSONObject()
        object["type"] = "transcript"
        object["text"] = .string("line\nbreak \u{07} \"q\" \\ ü")
        object["t0"] = 1.25
        object["n"] = 42
        object["segments"] = .array([.object(JSONObject(["start": 0, "end": 1.5]))])
        let text = JSONValue.object(object).serialized()
        #expect(text.hasPrefix(#"{"type":"transcript","text":"line\nbreak \u0007"#))
        #expect(try JSONParser.parse(text) == .object(object))
    }
}
