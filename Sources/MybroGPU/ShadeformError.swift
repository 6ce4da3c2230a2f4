import MybroCore

/// What went wrong talking to Shadeform, sorted by what the caller can do about it.
public struct ShadeformError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The offer cannot be had now ("out of capacity"): try the next one.
        case capacity
        case notFound
        /// 401/403: the key is wrong or lacks the right.
        case unauthorized
        /// Another 4xx: the request itself is wrong.
        case rejected
        /// 429 or 5xx that persisted after retries.
        case unavailable
        /// No connection, or no answer in time, after retries.
        case transport
        /// An answer that breaks the API's shape.
        case malformed
    }

    public var kind: Kind
    public var status: Int?
    /// One line, with the API key already removed.
    public var message: String

    public var description: String { message }

    public var exitStatus: ExitStatus {
        switch kind {
        case .capacity, .unavailable: .temporaryFailure
        case .notFound: .noInput
        case .unauthorized: .noPermission
        case .rejected: .dataError
        case .transport: .unavailable
        case .malformed: .protocolError
        }
    }

    public var asMybroError: MybroError { MybroError(message, status: exitStatus) }

    /// Whether a message from the API says the offer is out of capacity.
    static func looksLikeCapacity(_ message: String) -> Bool {
        let lower = message.lowercased()
        return ["capacity", "not available", "unavailable", "no availability", "sold out"].contains {
            lower.contains($0)
        }
    }
}
