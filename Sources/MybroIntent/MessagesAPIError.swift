import MybroCore

/// Why a Messages API call failed, with what a person needs to fix it: the HTTP status,
/// the API's error type and message, and the request id to quote to support.
public struct MessagesAPIError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The API answered with an error status.
        case http(status: Int, type: String)
        /// No answer: the connection failed.
        case transport
        /// No complete answer within the time limit.
        case timeout
        /// A 200 answer that breaks the API's format.
        case malformed
        /// The model declined (`stop_reason: refusal`).
        case refusal
        /// The answer was cut off (`stop_reason: max_tokens`) and does not parse.
        case truncated
        /// No API key was configured.
        case missingKey
    }

    public var kind: Kind
    public var message: String
    public var requestID: String?
    /// How many attempts were made, retries included.
    public var attempts: Int

    public init(kind: Kind, message: String, requestID: String? = nil, attempts: Int = 1) {
        self.kind = kind
        self.message = message
        self.requestID = requestID
        self.attempts = attempts
    }

    public var description: String {
        var text: String
        switch kind {
        case .http(let status, let type): text = "Messages API error: HTTP \(status) \(type): \(message)"
        case .transport: text = "cannot reach the Messages API: \(message)"
        case .timeout: text = "the Messages API did not answer in time: \(message)"
        case .malformed: text = "the Messages API sent a malformed answer: \(message)"
        case .refusal: text = "the model refused the request: \(message)"
        case .truncated: text = "the model's answer was cut off at max_tokens: \(message)"
        case .missingKey: text = message
        }
        if let requestID { text += " (request-id \(requestID))" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        return text
    }

    /// Authentication and permission failures will not get better by asking again.
    public var isPermanent: Bool {
        switch kind {
        case .http(let status, _): return status == 401 || status == 403
        case .missingKey: return true
        default: return false
        }
    }

    /// The toolkit's exit status for this failure.
    public var exitStatus: ExitStatus {
        switch kind {
        case .http(let status, _):
            switch status {
            case 401, 403: return .noPermission
            case 404: return .configuration  // usually an unknown model id
            case 408, 409, 429, 500...: return .temporaryFailure
            default: return .protocolError
            }
        case .transport: return .unavailable
        case .timeout: return .temporaryFailure
        case .malformed, .refusal, .truncated: return .protocolError
        case .missingKey: return .configuration
        }
    }
}
