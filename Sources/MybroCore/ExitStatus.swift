/// The exit statuses every mybro command uses (sysexits style), one table for the whole toolkit.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    /// A predicate-like tool's negative answer (e.g. the doctor found problems).
    case negative = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unavailable = 69
    case software = 70
    case ioError = 74
    case temporaryFailure = 75
    case protocolError = 76
    case noPermission = 77
    case configuration = 78

    public var meaning: String {
        switch self {
        case .success: return "success, also after the downstream pipe closed"
        case .negative: return "a negative answer from a predicate-like command"
        case .usage: return "bad command line usage"
        case .dataError: return "malformed input data (with --strict, the first bad record or sample)"
        case .noInput: return "an input file, device or model is missing"
        case .unavailable: return "a device or service is unavailable (busy sound card, service down)"
        case .software: return "internal error"
        case .ioError: return "an I/O error reading or writing"
        case .temporaryFailure: return "a temporary failure that persisted after retries"
        case .protocolError: return "a service answered with something that breaks its protocol"
        case .noPermission: return "permission denied (HTTP 401/403, file permissions)"
        case .configuration: return "configuration error (a missing API key, a bad config file)"
        }
    }

    /// The table as it appears in every command's help and man page.
    public static var manualTable: String {
        var text = "EXIT STATUS\n"
        for status in allCases {
            text += "  \(String(status.rawValue).padding(toLength: 4, withPad: " ", startingAt: 0)) \(status.meaning)\n"
        }
        return text
    }
}
