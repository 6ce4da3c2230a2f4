import Foundation

/// Runs a command's body under the toolkit's conventions: signal policy, logging set-up,
/// one-line diagnostics for errors, the exit-status table, and a quiet status 0 when the
/// downstream pipe closes.
public enum ToolRunner {
    public static func run(tool: String, log options: LogOptions, _ body: () throws -> Void) -> Never {
        Signals.install()
        ParentLifeline.armIfAsked()
        SecretEnvironment.withdraw()
        Log.shared.configure(tool: tool, threshold: options.threshold, format: options.logFormat)
        do {
            try body()
        } catch is DownstreamClosed {
            exit(ExitStatus.success.rawValue)
        } catch let error as MybroError {
            Log.shared.error(error.message)
            exit(error.status.rawValue)
        } catch {
            Log.shared.error("unexpected error: \(error)")
            exit(ExitStatus.software.rawValue)
        }
        if let signal = Signals.stopSignalNumber { exit(128 + signal) }
        exit(ExitStatus.success.rawValue)
    }
}
