import Foundation
import MybroTestSupport

/// Runs the built `mybro-vad` as a pipeline stage, through the toolkit's test support.
enum BuiltBinary {
    static var path: String { BuiltCommands.path("mybro-vad") }

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var lines: [String] { String(decoding: stdout, as: UTF8.self).split(separator: "\n").map(String.init) }
    }

    /// `mybro-vad ARGUMENTS` with `input` on stdin.
    static func run(_ arguments: [String], input: Data) throws -> Result {
        let result = try shell((["mybro-vad"] + arguments).map(shellQuoted).joined(separator: " "), input: input)
        return Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    static func pcm(_ samples: [Int16]) -> Data {
        samples.withUnsafeBytes { Data($0) }
    }
}
