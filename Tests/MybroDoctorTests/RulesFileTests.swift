import Foundation
import MybroCore
import MybroRules
import MybroTestSupport
import Testing

@Suite("rules file")
struct RulesFileTests {
    @Test("the TOML subset: comments, strings, multi-line arrays, tables of arrays")
    func parse() throws {
        let text = """
            # project rules
            forbidden = [
              "Django",   # not for APIs
              'Tornado',
            ]
            [[stack]]
            need = "web backend"
            use = ["Litestar"]
            never = ["Flask"]
            """
        let overlay = try RulesLoader.parse(text, path: "r.toml")
        #expect(overlay.forbidden == ["Django", "Tornado"])
        #expect(overlay.stack == [.init(need: "web backend", use: ["Litestar"], never: ["Flask"])])
    }

    @Test(
        "a bad file is status 78 naming its line",
        arguments: [
            ("forbidden = [\"a\"\nuse = 1\n", 2),
            ("[[stack]]\nneed = \"x\"\ncolour = \"red\"\n", 3),
            ("forbidden = \"CUDA\"\n", 1),
            ("[stack]\nneed = \"x\"\n", 1),
            ("\n\nforbidden = [\"a\"] trailing\n", 3),
            ("[[stack]]\nuse = [\"x\"]\n", 1),
            ("forbidden = [\"unterminated]\n", 1),
        ])
    func errors(_ text: String, _ line: Int) {
        do {
            _ = try RulesLoader.parse(text, path: "bad.toml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.status == .configuration)
            #expect(error.message.hasPrefix("bad.toml:\(line):"), "\(error.message)")
        }
    }

    @Test("merging: a need is replaced, forbidden is added to, allowed lifts a name everywhere")
    func merge() throws {
        let overlay = try RulesLoader.parse(
            "allowed = [\"Flask\"]\nforbidden = [\"Django\"]\n[[stack]]\nneed = \"Web Backend\"\nuse = [\"Litestar\"]\n",
            path: "p.toml")
        let merged = TechnologyRuleSet.builtIn.merged(with: overlay)
        #expect(merged.prohibition(of: "flask") == nil)
        #expect(merged.prohibition(of: "Django") == "forbidden everywhere")
        #expect(merged.prohibition(of: "express.js") == "forbidden everywhere")
        #expect(merged.stack.first { $0.need == "Web Backend" }?.use == ["Litestar"])
        #expect(merged.stack.count == TechnologyRuleSet.builtIn.stack.count)
    }

    @Test("the printed rules parse back to the same rules")
    func roundTrip() throws {
        let printed = TechnologyRuleSet.builtIn.tomlText
        let parsed = try RulesLoader.parse(printed, path: "printed.toml")
        #expect(parsed.stack == TechnologyRuleSet.builtIn.stack)
        #expect(parsed.forbidden == TechnologyRuleSet.builtIn.forbidden)
    }

    @Test("built-in < user file < project file, through the built command's --print-rules")
    func layering() throws {
        try withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(
                atPath: directory + "/config/mybro", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(
                atPath: directory + "/project/.mybro", withIntermediateDirectories: true)
            try "forbidden = [\"Django\"]\n".write(
                toFile: directory + "/config/mybro/rules.toml", atomically: true, encoding: .utf8)
            try "allowed = [\"Django\", \"Flask\"]\n".write(
                toFile: directory + "/project/.mybro/rules.toml", atomically: true, encoding: .utf8)
            let result = try shell(
                "mybro-doctor --print-rules \(shellQuoted(directory + "/project"))",
                environment: ["XDG_CONFIG_HOME": directory + "/config"])
            #expect(result.status == 0)
            #expect(result.stdoutText.contains("allowed = [\"Django\", \"Flask\"]"))
            #expect(
                !result.stdoutText.contains(
                    "forbidden = [\"CUDA\", \"Docker for development\", \"Electron\", \"Flask\""))
            try "forbidden = [\n".write(
                toFile: directory + "/project/.mybro/rules.toml", atomically: true, encoding: .utf8)
            let bad = try shell(
                "mybro-doctor \(shellQuoted(directory + "/project"))",
                environment: ["XDG_CONFIG_HOME": directory + "/config"])
            #expect(bad.status == 78)
            #expect(bad.stderr.contains("rules.toml:1:"))
        }
    }
}
