import Foundation
import MybroCore

/// git, run through MybroCore's ChildProcess: never a shell, never a pager or an external diff.
enum Git {
    static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_PAGER"] = "cat"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        return environment
    }()

    /// Runs git in `directory` and returns its stdout; a failure is an error with git's message.
    static func run(_ arguments: [String], in directory: String, timeout: Double = 300) throws(MybroError) -> String {
        let captured: ChildProcess.Captured
        do {
            captured = try ChildProcess.capture(
                arguments: ["git"] + arguments, directory: directory, environment: environment, timeout: timeout)
        } catch let error as MybroError {
            throw error
        } catch {
            throw MybroError("cannot run git: \(error)", status: .unavailable)
        }
        guard captured.status == 0 else {
            let message = String(decoding: captured.stderr, as: UTF8.self).split(separator: "\n").first.map(String.init)
            throw MybroError(
                "git \(arguments.first ?? "") failed in \(directory): \(message ?? "status \(captured.status)")",
                status: captured.timedOut ? .temporaryFailure : .unavailable)
        }
        return String(decoding: captured.stdout, as: UTF8.self)
    }

    static func runData(_ arguments: [String], in directory: String) throws(MybroError) -> Data {
        let captured: ChildProcess.Captured
        do {
            captured = try ChildProcess.capture(
                arguments: ["git"] + arguments, directory: directory, environment: environment, timeout: 300)
        } catch let error as MybroError {
            throw error
        } catch {
            throw MybroError("cannot run git: \(error)", status: .unavailable)
        }
        guard captured.status == 0 else {
            throw MybroError("git \(arguments.first ?? "") failed in \(directory)", status: .unavailable)
        }
        return captured.stdout
    }

    /// The top of the work tree holding `directory`, or an error saying it is not a repository.
    static func topLevel(_ directory: String) throws(MybroError) -> String {
        do {
            return try run(["rev-parse", "--show-toplevel"], in: directory).trimmingCharacters(in: .newlines)
        } catch {
            throw MybroError(
                "\(directory) is not in a git repository: --staged, --history and --install-hook need one",
                status: .noInput)
        }
    }
}
