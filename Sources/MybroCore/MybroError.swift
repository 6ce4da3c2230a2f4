/// An error a command reports as one line on stderr before exiting with `status`.
///
/// The message names the problem and, where there is one, the fix.
public struct MybroError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var status: ExitStatus

    public init(_ message: String, status: ExitStatus) {
        self.message = message
        self.status = status
    }

    public var description: String { message }
}

/// Thrown when the reader of our stdout has gone away: the command ends quietly with status 0.
public struct DownstreamClosed: Error, Sendable {
    public init() {}
}
