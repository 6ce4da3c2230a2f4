import Foundation
import MybroRules
import MybroTestSupport

@testable import MybroDoctor

/// Random text from MybroTestSupport's seeded generator, so made-up secrets differ from run to
/// run of the generator but not between test runs (and none is committed in a provider's shape).
extension SeededRandom {
    mutating func string(_ count: Int, from alphabet: String) -> String {
        let characters = Array(alphabet)
        return String((0..<count).map { _ in characters[Int(next() % UInt64(characters.count))] })
    }

    static let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    static let alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    static let token = alnum + "_-"
    static let hex = "0123456789abcdef"
}

/// Runs the per-file checks over `text` as the file `path`.
func findings(in text: String, path: String = "app/config.py", rules: TechnologyRuleSet = .builtIn) -> [Finding] {
    let scanner = ContentScanner(rules: rules)
    var found: [Finding] = []
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBufferPointer { scanner.scan(path: path, bytes: $0, executable: true, into: &found) }
    return found
}

func checks(in text: String, path: String = "app/config.py") -> [String] {
    findings(in: text, path: path).map(\.check)
}

/// Writes `files` (relative path → contents) under `root`.
func write(_ files: [String: String], under root: String) throws {
    for (path, contents) in files {
        let url = URL(fileURLWithPath: root + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }
}

/// Runs git in `directory` (the tests' fixture repositories), failing the test on error.
@discardableResult
func git(_ arguments: String, in directory: String) throws -> CommandResult {
    let result = try shell(
        "cd \(shellQuoted(directory)) && git -c user.name=t -c user.email=t@example.org -c commit.gpgsign=false "
            + "-c init.defaultBranch=main \(arguments)")
    if result.status != 0 { throw GitFailed(message: "git \(arguments): \(result.stderr)") }
    return result
}

struct GitFailed: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
