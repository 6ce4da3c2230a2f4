import Foundation
import MybroTestSupport
import Testing

/// The examples in mybro(7) are promises: each display block of `$ ` lines in its EXAMPLES
/// section runs here as one script, in a fresh directory, with the built commands first on PATH.
@Suite struct ManualExampleTests {
    static func examples() throws -> [String] {
        let page = try String(contentsOfFile: BuiltCommands.packageRoot + "/man/man7/mybro.7", encoding: .utf8)
        var inExamples = false
        var blocks: [String] = []
        var block: [String] = []
        for line in page.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(".Sh ") { inExamples = line == ".Sh EXAMPLES" }
            if inExamples && line.hasPrefix("$ ") {
                // Undo roff's escaping of the backslash.
                block.append(String(line.dropFirst(2)).replacingOccurrences(of: "\\e", with: "\\"))
            } else if line == ".Ed" && !block.isEmpty {
                blocks.append(block.joined(separator: " && "))
                block = []
            }
        }
        return blocks
    }

    @Test func theManualHasRunnableExamples() throws {
        #expect(try Self.examples().count >= 3)
    }

    @Test(arguments: try examples())
    func exampleRuns(command: String) throws {
        let directory = try temporaryDirectory("mybro-example")
        let result = try shell("cd \(shellQuoted(directory)) && " + command)
        #expect(result.status == 0, "\(command)\n\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(command)\n\(result.stderr)")
    }
}
