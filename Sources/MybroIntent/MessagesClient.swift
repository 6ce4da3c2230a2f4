import Foundation
import MybroCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Settings for talking to the Anthropic Messages API.
public struct MessagesAPIConfiguration: Sendable {
    public static let defaultBaseURL = "https://api.anthropic.com"
    public static let apiVersion = "2023-06-01"

    public var baseURL: URL
    public var apiKey: String
    /// Limit on connecting and on each silence while the answer arrives (Foundation's request timeout).
    public var connectTimeout: TimeInterval
    /// Limit on one whole attempt, from sending the request to the last byte of the answer.
    public var attemptTimeout: TimeInterval
    public var retry: RetryPolicy

    public init(
        baseURL: URL, apiKey: String, connectTimeout: TimeInterval = 10, attemptTimeout: TimeInterval = 30,
        retry: RetryPolicy = RetryPolicy()
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.connectTimeout = connectTimeout
        self.attemptTimeout = attemptTimeout
        self.retry = retry
    }
}

/// A Messages API answer (HTTP 200), decoded leniently: unknown fields and block types are kept as JSON.
public struct MessagesResponse: Sendable {
    public var id: String
    public var model: String
    public var stopReason: String
    public var content: [JSONObject]
    public var requestID: String?
}

/// Something that can answer a Messages API request; the HTTP client, or a test double.
public protocol MessagesSending: Sendable {
    func send(_ body: JSONObject) throws(MessagesAPIError) -> MessagesResponse
}

/// A synchronous Messages API client over URLSession (libcurl on Linux), with the SDK's
/// retry policy. The API key goes into one header and nowhere else: no message it builds
/// contains it.
public final class MessagesClient: MessagesSending {
    public let configuration: MessagesAPIConfiguration
    private let session: URLSession
    private let sleep: @Sendable (Double) -> Void
    private let random: @Sendable () -> Double
    private let onRetry: @Sendable (String) -> Void

    /// `sleep` and `random` are injectable so tests of the retry policy run fast and repeatably;
    /// `onRetry` hears a one-line reason before each retry (the command logs it).
    public init(
        configuration: MessagesAPIConfiguration,
        sleep: @escaping @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        onRetry: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.sleep = sleep
        self.random = random
        self.onRetry = onRetry
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.connectTimeout
        sessionConfiguration.timeoutIntervalForResource = configuration.attemptTimeout
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        sessionConfiguration.httpCookieStorage = nil
        sessionConfiguration.urlCache = nil
        self.session = URLSession(configuration: sessionConfiguration)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func send(_ body: JSONObject) throws(MessagesAPIError) -> MessagesResponse {
        guard !configuration.apiKey.isEmpty else {
            throw MessagesAPIError(kind: .missingKey, message: "no API key: set ANTHROPIC_API_KEY")
        }
        let payload = Data(body.serialized().utf8)
        var retriesTaken = 0
        while true {
            let attempt = perform(payload: payload, retryCount: retriesTaken)
            switch attempt {
            case .success(let response):
                return response
            case .failure(let failure):
                var error = failure.error
                error.attempts = retriesTaken + 1
                error.message = redacted(error.message)
                let retry =
                    retriesTaken < configuration.retry.maxRetries
                    && configuration.retry.shouldRetry(
                        status: failure.status, shouldRetryHeader: failure.header("x-should-retry"),
                        errorCode: failure.errorCode)
                guard retry else { throw error }
                let wait = configuration.retry.delay(
                    retriesTaken: retriesTaken, retryAfterMilliseconds: failure.header("retry-after-ms"),
                    retryAfter: failure.header("retry-after"), random: random())
                onRetry("\(error.description); retrying in \(String(format: "%.2f", wait)) s")
                sleep(wait)
                retriesTaken += 1
            }
        }
    }

    private struct AttemptFailure: Error {
        var error: MessagesAPIError
        var status: Int?
        var headers: [String: String] = [:]
        var errorCode: String?
        func header(_ name: String) -> String? { headers[name] }
    }

    private func perform(payload: Data, retryCount: Int) -> Result<MessagesResponse, AttemptFailure> {
        let url = configuration.baseURL.appendingPathComponent("v1").appendingPathComponent("messages")
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = payload
        request.timeoutInterval = configuration.connectTimeout
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        request.setValue(MessagesAPIConfiguration.apiVersion, forHTTPHeaderField: "anthropic-version")
        request.setValue(configuration.apiKey, forHTTPHeaderField: "x-api-key")
        request.setValue(String(retryCount), forHTTPHeaderField: "x-stainless-retry-count")

        let exchange = HTTPExchange()
        let task = session.dataTask(with: request) { data, response, error in
            exchange.finish(data: data, response: response, error: error)
        }
        task.resume()
        guard let outcome = exchange.wait(seconds: configuration.attemptTimeout) else {
            task.cancel()
            return .failure(
                AttemptFailure(
                    error: MessagesAPIError(
                        kind: .timeout,
                        message: "no complete answer within \(formatSeconds(configuration.attemptTimeout)) s")))
        }
        if let error = outcome.error {
            let nsError = error as NSError
            if nsError.domain == NSURLErrorDomain && nsError.code == NSURLErrorTimedOut {
                return .failure(
                    AttemptFailure(error: MessagesAPIError(kind: .timeout, message: error.localizedDescription)))
            }
            return .failure(
                AttemptFailure(error: MessagesAPIError(kind: .transport, message: error.localizedDescription)))
        }
        guard let http = outcome.response as? HTTPURLResponse else {
            return .failure(AttemptFailure(error: MessagesAPIError(kind: .transport, message: "no HTTP response")))
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        let requestID = headers["request-id"]
        let body = outcome.data ?? Data()
        if http.statusCode != 200 {
            let parsed = Self.errorBody(body)
            let type = parsed.type ?? Self.errorType(forStatus: http.statusCode)
            let message = parsed.message ?? "(no error message in the response body)"
            return .failure(
                AttemptFailure(
                    error: MessagesAPIError(
                        kind: .http(status: http.statusCode, type: type), message: message,
                        requestID: requestID ?? parsed.requestID),
                    status: http.statusCode, headers: headers, errorCode: parsed.errorCode))
        }
        do {
            return .success(try Self.decode(body, requestID: requestID))
        } catch {
            return .failure(AttemptFailure(error: error, status: 200, headers: headers))
        }
    }

    static func decode(_ body: Data, requestID: String?) throws(MessagesAPIError) -> MessagesResponse {
        func malformed(_ reason: String) -> MessagesAPIError {
            MessagesAPIError(kind: .malformed, message: reason, requestID: requestID)
        }
        guard let text = String(data: body, encoding: .utf8) else { throw malformed("the body is not UTF-8") }
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw malformed("the body is not JSON (\(error))")
        }
        guard let object = value.objectValue else { throw malformed("the body is not a JSON object") }
        guard object["type"]?.stringValue == "message" else { throw malformed("the body is not a message") }
        guard let blocks = object["content"]?.arrayValue else { throw malformed("the message has no content array") }
        guard let stopReason = object["stop_reason"]?.stringValue else {
            throw malformed("the message has no stop_reason")
        }
        return MessagesResponse(
            id: object["id"]?.stringValue ?? "", model: object["model"]?.stringValue ?? "", stopReason: stopReason,
            content: blocks.compactMap(\.objectValue), requestID: requestID)
    }

    static func errorBody(_ body: Data) -> (type: String?, message: String?, requestID: String?, errorCode: String?) {
        guard let text = String(data: body, encoding: .utf8), let value = try? JSONParser.parse(text),
            let object = value.objectValue
        else { return (nil, nil, nil, nil) }
        let error = object["error"]?.objectValue
        let code = error?["details"]?.objectValue?["error_code"]?.stringValue
        return (error?["type"]?.stringValue, error?["message"]?.stringValue, object["request_id"]?.stringValue, code)
    }

    static func errorType(forStatus status: Int) -> String {
        switch status {
        case 400: return "invalid_request_error"
        case 401: return "authentication_error"
        case 402: return "billing_error"
        case 403: return "permission_error"
        case 404: return "not_found_error"
        case 413: return "request_too_large"
        case 429: return "rate_limit_error"
        case 504: return "timeout_error"
        case 529: return "overloaded_error"
        case 500...: return "api_error"
        default: return "http_error"
        }
    }

    /// Belt and braces: should a server ever echo the key, it still never reaches a log.
    private func redacted(_ text: String) -> String {
        configuration.apiKey.count >= 4 ? text.replacingOccurrences(of: configuration.apiKey, with: "[redacted]") : text
    }
}

/// The answer to one URLSession task, handed from its callback to the waiting caller.
private final class HTTPExchange: @unchecked Sendable {
    struct Outcome {
        var data: Data?
        var response: URLResponse?
        var error: Error?
    }

    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var outcome: Outcome?

    func finish(data: Data?, response: URLResponse?, error: Error?) {
        lock.lock()
        outcome = Outcome(data: data, response: response, error: error)
        lock.unlock()
        done.signal()
    }

    func wait(seconds: TimeInterval) -> Outcome? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return outcome
    }
}

func formatSeconds(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
}
