import Foundation
import MybroCore
import MybroTestSupport
import Testing

/// Every numeric option of every command, fed extreme and malformed values on the built
/// binaries: a value is accepted (0) or refused with status 64 and one line that names the
/// option, and no value kills a command with a signal (the traps of issue 10: SIGILL on
/// `Int(1e15 * rate)`, a 2·10¹⁸-byte allocation for `--max-ms 9223372036854775807`).
///
/// The options come from each command's `--experimental-dump-help`, so new ones are covered
/// without editing this file. An option counts as numeric when ArgumentParser itself refuses
/// "abc" for it (a typed value without a fixed list of choices).
@Suite struct OptionPropertyTests {
    static let commands = [
        "mybro", "mybro-capture", "mybro-vad", "mybro-transcribe", "mybro-intent", "mybro-exec", "mybro-say",
        "mybro-listen", "mybro-doctor", "mybro-gpu", "mybro-status", "mybro-kernel", "mybro-bench",
    ]

    /// Values tried on every numeric option.
    static let values = [
        "0", "-1", "-0", "1e-300", "1e308", "inf", "-inf", "nan", "1e15", "86401", "9223372036854775807",
        "-9223372036854775808", "abc", "",
    ]

    /// Values no numeric option can take: these must be refused with 64.
    static let alwaysRefused: Set = [
        "1e308", "inf", "-inf", "nan", "9223372036854775807", "-9223372036854775808", "abc", "",
    ]

    /// Arguments under which each command, run for real with empty stdin, ends at once without
    /// a sound card, a model or the network.
    static func harmlessArguments(_ command: String, scratch: String) -> [String] {
        switch command {
        case "mybro": return ["--list"]
        case "mybro-capture": return ["--input", "-"]
        case "mybro-transcribe": return ["--raw", "--model", scratch + "/no-model"]
        case "mybro-intent": return ["--backend", "rules"]
        case "mybro-exec": return ["--no-history", "--no-undo", "--cwd", scratch]
        case "mybro-say": return ["--output", "/dev/null"]
        case "mybro-listen": return ["--print-pipeline"]
        case "mybro-kernel": return ["sum"]
        case "mybro-bench": return ["--quick", "--only", "sgemm", "--format", "json", "-q"]
        case "mybro-doctor": return ["--list-checks"]
        // No such address: it ends at once (69) instead of serving.
        case "mybro-status": return ["--listen", "256.0.0.1", "--token-file", scratch + "/token"]
        default: return []
        }
    }

    @Test(arguments: commands)
    func numericOptionsAreRangeChecked(command: String) throws {
        try withTemporaryDirectory("mybro-options") { scratch in
            let options = try Self.numericOptions(of: command)
            if command == "mybro-vad" {
                // The discovery must find what it is there for.
                #expect(Set(["--pad-ms", "--max-ms", "--window-ms", "--silence-ms"]).isSubset(of: options))
            }
            var accepted: [(String, String)] = []
            for option in options {
                for value in Self.values {
                    let check = try Self.run(
                        command, ["\(option)=\(value)"] + Self.harmlessArguments(command, scratch: scratch),
                        environment: ["MYBRO_CHECK_ARGUMENTS": "1"])
                    let what = "\(command) \(option)=\(value)"
                    #expect(!check.signalled, "\(what) died of signal \(check.status)")
                    #expect(check.status == 0 || check.status == 64, "\(what) exited \(check.status): \(check.stderr)")
                    if Self.alwaysRefused.contains(value) { #expect(check.status == 64, "\(what) was accepted") }
                    if check.status == 64 {
                        let lines = check.stderr.split(separator: "\n")
                        #expect(lines.count == 1, "\(what): \(check.stderr)")
                        #expect(check.stderr.hasPrefix("\(command): error: "), "\(what): \(check.stderr)")
                        #expect(check.stderr.contains(option), "\(what): the message does not name \(option)")
                    } else {
                        accepted.append((option, value))
                    }
                }
            }
            // What validation lets through must also run: no trap after validate().
            for (option, value) in accepted {
                let result = try Self.run(
                    command, ["\(option)=\(value)"] + Self.harmlessArguments(command, scratch: scratch),
                    environment: ["XDG_STATE_HOME": scratch, "XDG_CACHE_HOME": scratch])
                let documented = ExitStatus.allCases.map(\.rawValue)
                #expect(!result.signalled, "\(command) \(option)=\(value) died of signal \(result.status)")
                #expect(
                    documented.contains(result.status),
                    "\(command) \(option)=\(value) exited \(result.status): \(result.stderr)")
            }
        }
    }

    /// The long names of the command's options that take a typed value other than a choice.
    static func numericOptions(of command: String) throws -> [String] {
        let dump = try run(command, ["--experimental-dump-help"])
        try #require(dump.status == 0, "\(command) --experimental-dump-help: \(dump.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: dump.stdout) as? [String: Any])
        let arguments = (root["command"] as? [String: Any])?["arguments"] as? [[String: Any]] ?? []
        var options: [String] = []
        for argument in arguments where argument["kind"] as? String == "option" {
            if let choices = argument["allValues"] as? [String], !choices.isEmpty { continue }
            guard let names = argument["names"] as? [[String: Any]],
                let long = names.first(where: { $0["kind"] as? String == "long" })?["name"] as? String
            else { continue }
            let probe = try run(command, ["--\(long)=abc"], environment: ["MYBRO_CHECK_ARGUMENTS": "1"])
            if probe.status == 64 && probe.stderr.contains("The value 'abc' is invalid") {
                options.append("--\(long)")
            }
        }
        return options
    }

    struct Outcome {
        var status: Int32
        var signalled: Bool
        var stdout: Data
        var stderr: String
    }

    /// Runs a built command directly (no shell, so a signal death shows as one) with empty stdin.
    static func run(_ command: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltCommands.path(command))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "MYBRO_LOG_FILE")
        env.removeValue(forKey: "ANTHROPIC_API_KEY")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = DataCollector(stdout.fileHandleForReading)
        let errors = DataCollector(stderr.fileHandleForReading)
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(2000) }
        if process.isRunning {
            process.terminate()
            Issue.record("\(command) \(arguments) did not finish within 60 s")
        }
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
            stdout: output.wait(), stderr: String(decoding: errors.wait(), as: UTF8.self))
    }
}

/// Reads a pipe to its end on a thread of its own, so that neither output can fill up.
private final class DataCollector: @unchecked Sendable {
    // Written once by the reading thread before `done` is signalled, read after the wait.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
