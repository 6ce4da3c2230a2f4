import ArgumentParser

/// Logging options every command shares.
public struct LogOptions: ParsableArguments, Sendable {
    @Flag(name: .shortAndLong, help: "Print errors only on stderr.")
    public var quiet = false

    @Flag(name: .shortAndLong, help: "Print debugging diagnostics on stderr.")
    public var verbose = false

    @Option(name: .customLong("log-format"), help: "Diagnostics on stderr as 'text' or 'json' (JSON Lines).")
    public var logFormat: LogFormat = .text

    public init() {}

    public var threshold: LogLevel {
        if verbose { return .debug }
        return quiet ? .error : .info
    }
}

/// The option that turns malformed input from a warning into a fatal error.
public struct StrictOption: ParsableArguments, Sendable {
    @Flag(help: "Treat the first malformed record or sample as fatal (exit 65) instead of skipping it.")
    public var strict = false

    public init() {}
}

extension LogFormat: ExpressibleByArgument {}

/// Shared text for every command's help and man page.
public enum ManualText {
    /// The environment and exit-status sections every command's discussion ends with.
    public static let common =
        "\n" + """
            ENVIRONMENT
              MYBRO_LOG_FILE     also append JSON Lines diagnostics to this file (rotated by size)
              MYBRO_LOG_MAX_BYTES  rotate the log file past this size (default 10485760)
              MYBRO_LOG_KEEP     rotated log files to keep (default 3)
              MYBRO_LOG_URL      also send them to this log service (http://127.0.0.1:7778/v1/logs:
                                 mybro-status); never waits, drops and counts when it is down

            \(ExitStatus.manualTable)  130, 143  stopped by SIGINT or SIGTERM, after flushing output and closing devices

            See mybro-protocol(7) for the stream formats and mybro(7) for pipelines.
            """
}
