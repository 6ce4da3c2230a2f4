import Foundation
import MybroCore

/// Shadeform's REST API (`X-API-KEY`, GET and POST only, 200 on success), with the retry
/// rules of the spec: reads are retried on 429, 5xx and connection errors with exponential
/// backoff and jitter, honouring `Retry-After`; writes are sent once (a create that may have
/// happened is found again by listing instances by name, never by sending it again).
public final class ShadeformClient: Sendable {
    public static let defaultBaseURL = "https://api.shadeform.ai/v1"

    public struct Settings: Sendable {
        /// How many times a read is tried again after its first try.
        public var retries = 5
        public var firstRetryDelay: TimeInterval = 0.5
        public var maximumRetryDelay: TimeInterval = 20
        /// The most a `Retry-After` may make us wait.
        public var maximumRetryAfter: TimeInterval = 120
        /// Every request's limit, connecting and answering together.
        public var requestTimeout: TimeInterval = 30
        public init() {}
    }

    public let baseURL: URL
    private let key: String
    private let transport: HTTPTransport
    public let settings: Settings

    public init(
        baseURL: URL, key: String, transport: HTTPTransport = URLSessionTransport(), settings: Settings = .init()
    ) {
        self.baseURL = baseURL
        self.key = key
        self.transport = transport
        self.settings = settings
    }

    /// `text` with the API key replaced, for anything that leaves this process.
    public func redact(_ text: String) -> String {
        key.count >= 4 ? text.replacingOccurrences(of: key, with: "[redacted]") : text
    }

    // MARK: endpoints

    public func instanceTypes(query: [URLQueryItem] = []) throws -> [InstanceType] {
        try decode(InstanceTypesResponse.self, get("/instances/types", query: query)).instanceTypes
    }

    public func instances() throws -> [Instance] {
        try decode(InstancesResponse.self, get("/instances")).instances
    }

    /// The instance, or nil once Shadeform no longer knows it (deleted: a 404).
    public func instance(id: String, cancellable: Bool = true) throws -> Instance? {
        do {
            return try decode(Instance.self, get("/instances/\(pathComponent(id))/info", cancellable: cancellable))
        } catch let error as ShadeformError where error.kind == .notFound {
            return nil
        }
    }

    public func create(_ request: CreateRequest) throws -> String {
        let body = try JSONEncoder.shadeform.encode(request)
        return try decode(IDResponse.self, post("/instances/create", body: body, retry: false)).id
    }

    /// Deletes the instance: true if the API took the delete, false if it no longer knew the
    /// instance (404), which counts as done too.
    @discardableResult
    public func delete(id: String) throws -> Bool {
        do {
            // A repeated delete cannot do harm, so unlike create it is retried.
            _ = try post("/instances/\(pathComponent(id))/delete", body: nil, retry: true, cancellable: false)
            return true
        } catch let error as ShadeformError where error.kind == .notFound {
            return false
        }
    }

    public func sshKeys() throws -> [SSHKey] {
        try decode(SSHKeysResponse.self, get("/sshkeys")).sshKeys
    }

    public func addSSHKey(name: String, publicKey: String) throws -> String {
        let body = try JSONSerialization.data(
            withJSONObject: ["name": name, "public_key": publicKey], options: [.sortedKeys])
        return try decode(IDResponse.self, post("/sshkeys/add", body: body, retry: false)).id
    }

    // MARK: requests

    public func url(_ path: String, query: [URLQueryItem] = []) -> URL {
        var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query }
        return components.url!
    }

    /// The request as it would be sent, with the key redacted (what `--dry-run` prints).
    public func describe(method: String, path: String, body: Data?) -> Record {
        var fields = JSONObject()
        fields["method"] = .string(method)
        fields["url"] = .string(url(path).absoluteString)
        var headers = JSONObject()
        headers["X-API-KEY"] = .string("[redacted]")
        if body != nil { headers["Content-Type"] = .string("application/json") }
        fields["headers"] = .object(headers)
        if let body, let text = String(data: body, encoding: .utf8) {
            fields["body"] = (try? JSONParser.parse(redact(text))) ?? .string(redact(text))
        }
        return Record(type: "request", fields: fields)
    }

    func get(_ path: String, query: [URLQueryItem] = [], cancellable: Bool = true) throws -> Data {
        try send(
            HTTPExchange(method: "GET", url: url(path, query: query), headers: headers(body: false), body: nil),
            retry: true, cancellable: cancellable)
    }

    func post(_ path: String, body: Data?, retry: Bool, cancellable: Bool = true) throws -> Data {
        try send(
            HTTPExchange(method: "POST", url: url(path), headers: headers(body: body != nil), body: body),
            retry: retry, cancellable: cancellable)
    }

    private func headers(body: Bool) -> [String: String] {
        // Content-Type only with a body, as Shadeform's own Terraform provider sends it.
        var headers = ["X-API-KEY": key, "Accept": "application/json"]
        if body { headers["Content-Type"] = "application/json" }
        return headers
    }

    private func send(_ exchange: HTTPExchange, retry: Bool, cancellable: Bool) throws -> Data {
        let what = "\(exchange.method) \(exchange.url.path)"
        var attempt = 0
        while true {
            let started = Date()
            var wait: TimeInterval?
            var failure: ShadeformError
            do {
                let answer = try transport.send(exchange, timeout: settings.requestTimeout)
                Log.shared.debug(
                    "\(what) → \(answer.status) (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
                if answer.status == 200 { return answer.body }
                failure = error(for: answer, what: what)
                wait = answer.header("Retry-After").flatMap(Self.retryAfterSeconds)
                guard answer.status == 429 || answer.status >= 500 else { throw failure }
            } catch let error as TransportFailure {
                failure = ShadeformError(
                    kind: .transport, status: nil,
                    message: redact("\(what): cannot reach Shadeform at \(baseURL.absoluteString): \(error)"))
            }
            guard retry, attempt < settings.retries else {
                if failure.kind == .transport { throw failure }
                throw ShadeformError(
                    kind: .unavailable, status: failure.status,
                    message: failure.message + (retry ? " (after \(attempt + 1) tries)" : ""))
            }
            let backoff = min(settings.maximumRetryDelay, settings.firstRetryDelay * pow(2, Double(attempt)))
            // Equal jitter: at least half the backoff, so retries from many clients spread out.
            let delay = wait.map { min($0, settings.maximumRetryAfter) } ?? backoff * Double.random(in: 0.5...1)
            Log.shared.debug("\(failure.message); trying again in \(String(format: "%.2f", delay)) s")
            attempt += 1
            if !Pause.sleep(seconds: delay, cancellable: cancellable) {
                throw ShadeformError(kind: .transport, status: nil, message: "\(what): stopped by a signal")
            }
        }
    }

    private func error(for answer: HTTPAnswer, what: String) -> ShadeformError {
        let text = String(decoding: answer.body.prefix(2000), as: UTF8.self)
        var message = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
            let text = object["message"] as? String ?? object["error"] as? String
        {
            message = text
        }
        message = redact(message.replacingOccurrences(of: "\n", with: " "))
        let line = "\(what): HTTP \(answer.status)" + (message.isEmpty ? "" : ": \(message)")
        let kind: ShadeformError.Kind
        switch answer.status {
        case 401, 403: kind = .unauthorized
        case 404: kind = .notFound
        case 429, 500...599: kind = .unavailable
        case 400...499: kind = ShadeformError.looksLikeCapacity(message) ? .capacity : .rejected
        default: kind = .malformed
        }
        let fix = kind == .unauthorized ? " (check SHADEFORM_API_KEY or the key file)" : ""
        return ShadeformError(kind: kind, status: answer.status, message: line + fix)
    }

    /// `Retry-After` as seconds: a number, or an HTTP date.
    static func retryAfterSeconds(_ value: String) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite, seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ data: Data) throws -> Value {
        do {
            return try JSONDecoder.shadeform.decode(type, from: data)
        } catch {
            throw ShadeformError(
                kind: .malformed, status: 200,
                message: "Shadeform answered with JSON that is not a \(type): \(Self.describe(error))")
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: return "not JSON"
        default: return "\(error)"
        }
    }

    /// An id as one path segment: anything but unreserved characters is percent-encoded.
    private func pathComponent(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? id
    }
}
