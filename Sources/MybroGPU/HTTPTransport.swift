import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP exchange, as the client sees it.
public struct HTTPExchange: Sendable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Data?
}

public struct HTTPAnswer: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Sends a request and waits for the answer; the seam tests and `--dry-run` replace.
public protocol HTTPTransport: Sendable {
    func send(_ exchange: HTTPExchange, timeout: TimeInterval) throws -> HTTPAnswer
}

/// A connection-level failure (refused, reset, timed out): worth retrying for reads.
public struct TransportFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// URLSession's `dataTask`, waited for synchronously: the commands are synchronous programs
/// (their signal handling and teardown are simplest that way), and FoundationNetworking's
/// `data(for:)` would only wrap the same task.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    public func send(_ exchange: HTTPExchange, timeout: TimeInterval) throws -> HTTPAnswer {
        var request = URLRequest(url: exchange.url, timeoutInterval: timeout)
        request.httpMethod = exchange.method
        for (name, value) in exchange.headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = exchange.body
        let outcome = Mutex<Result<HTTPAnswer, Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            let result: Result<HTTPAnswer, Error>
            if let response = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (key, value) in response.allHeaderFields {
                    if let key = key as? String, let value = value as? String { headers[key] = value }
                }
                result = .success(HTTPAnswer(status: response.statusCode, headers: headers, body: data ?? Data()))
            } else {
                let reason = (error as NSError?)?.localizedDescription ?? "no answer"
                result = .failure(TransportFailure(description: reason))
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        task.resume()
        // Our own limit: FoundationNetworking does not always end a task at the request's timeout.
        if done.wait(timeout: .now() + timeout) == .timedOut {
            task.cancel()
            throw TransportFailure(description: "no answer within \(Int(timeout)) s")
        }
        return try outcome.withLock { $0 }!.get()
    }
}
