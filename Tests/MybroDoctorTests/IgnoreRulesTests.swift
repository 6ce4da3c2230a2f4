import Testing

@testable import MybroDoctor

@Suite(".gitignore matching")
struct IgnoreRulesTests {
    func rules(_ text: String, base: String = "") -> IgnoreRules {
        var rules = IgnoreRules()
        rules.add(contents: text, base: base)
        return rules
    }

    @Test("names match at any depth; a slash anchors; a trailing slash means directories only")
    func basics() {
        let r = rules("*.log\n/build\ndocs/out/\n# comment\n\nnode_modules/\n")
        #expect(r.isIgnored(path: "a.log", isDirectory: false))
        #expect(r.isIgnored(path: "src/deep/a.log", isDirectory: false))
        #expect(r.isIgnored(path: "build", isDirectory: true))
        #expect(!r.isIgnored(path: "src/build", isDirectory: true))
        #expect(r.isIgnored(path: "docs/out", isDirectory: true))
        #expect(!r.isIgnored(path: "docs/out", isDirectory: false))
        #expect(r.isIgnored(path: "web/node_modules", isDirectory: true))
        #expect(!r.isIgnored(path: "# comment", isDirectory: false))
    }

    @Test("negation re-includes, and the last match wins")
    func negation() {
        let r = rules("*.env\n!example.env\n.env*\n!.env.example\n")
        #expect(r.isIgnored(path: "prod.env", isDirectory: false))
        #expect(!r.isIgnored(path: "example.env", isDirectory: false))
        #expect(r.isIgnored(path: ".env.local", isDirectory: false))
        #expect(!r.isIgnored(path: ".env.example", isDirectory: false))
        #expect(rules("\\!important\n").isIgnored(path: "!important", isDirectory: false))
    }

    @Test("** spans directories; * and ? stay within one")
    func doubleStar() {
        let r = rules("**/cache\nlogs/**\na/**/z\nsrc/*.tmp\nfile?.txt\n[abc]x.md\n")
        #expect(r.isIgnored(path: "cache", isDirectory: true))
        #expect(r.isIgnored(path: "x/y/cache", isDirectory: true))
        #expect(r.isIgnored(path: "logs/one/two.txt", isDirectory: false))
        #expect(r.isIgnored(path: "a/z", isDirectory: false))
        #expect(r.isIgnored(path: "a/b/c/z", isDirectory: false))
        #expect(r.isIgnored(path: "src/x.tmp", isDirectory: false))
        #expect(!r.isIgnored(path: "src/deep/x.tmp", isDirectory: false))
        #expect(r.isIgnored(path: "file1.txt", isDirectory: false))
        #expect(!r.isIgnored(path: "file12.txt", isDirectory: false))
        #expect(r.isIgnored(path: "bx.md", isDirectory: false))
        #expect(!r.isIgnored(path: "dx.md", isDirectory: false))
    }

    @Test("a nested .gitignore applies below its own folder, relative to it")
    func nested() {
        var r = rules("*.o\n")
        r.add(contents: "/gen\n!keep.o\n", base: "lib/")
        #expect(r.isIgnored(path: "lib/gen", isDirectory: true))
        #expect(!r.isIgnored(path: "gen", isDirectory: true))
        #expect(!r.isIgnored(path: "lib/keep.o", isDirectory: false))
        #expect(r.isIgnored(path: "lib/other.o", isDirectory: false))
    }
}
