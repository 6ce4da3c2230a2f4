import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Who may use the services, and how a browser is kept from being turned against them.
///
/// - On loopback (the default) no token is asked for, but the `Host` header must name the
///   loopback address (a DNS-rebinding page sends its own name), WebSocket upgrades must come
///   from the dashboard's own origin (cross-site WebSocket hijacking), and the control
///   endpoints need the CSRF token, which only a page served from here can read.
/// - Off loopback every request needs the token: `Authorization: Bearer TOKEN` for the API,
///   or the session cookie that the one-time login link sets for the page.
public final class AccessPolicy: Sendable {
    public let requiresToken: Bool
    private let token: String?
    public let csrfToken: String
    private let listenHost: String
    private let hosts = Mutex<Set<String>>([])
    private let loginCodes = Mutex<Set<String>>([])
    private let sessions = Mutex<Set<String>>([])
    public static let sessionCookie = "mybro_session"
    public static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    public init(listenHost: String, token: String?) {
        self.listenHost = listenHost
        self.token = token
        self.requiresToken = token != nil
        self.csrfToken = Self.randomToken()
    }

    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Hex of 32 random bytes (the system's secure generator: getrandom).
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }

    /// Accepts the names a browser on this machine uses for a port we serve on.
    public func allow(port: Int) {
        hosts.withLock { set in
            for name in ["127.0.0.1", "localhost", "[::1]", listenHost.contains(":") ? "[\(listenHost)]" : listenHost] {
                set.insert("\(name):\(port)")
            }
        }
    }

    /// A new one-time login code; its link sets the session cookie.
    public func newLoginCode() -> String {
        let code = Self.randomToken()
        loginCodes.withLock { _ = $0.insert(code) }
        return code
    }

    /// Uses up a login code: the new session's id, or nil.
    public func redeem(code: String) -> String? {
        guard loginCodes.withLock({ $0.remove(code) }) != nil else { return nil }
        let session = Self.randomToken()
        sessions.withLock { _ = $0.insert(session) }
        return session
    }

    // MARK: Checks

    /// Every request: the Host header (on loopback) and the token (off loopback).
    func check(_ request: Request) throws {
        if !requiresToken {
            let host = request.head.authority ?? ""
            guard hosts.withLock({ $0.contains(host) }) else {
                throw APIError(
                    .misdirectedRequest, "bad_host",
                    "Host \"\(host)\" is not this service's loopback address (use http://127.0.0.1:PORT/)")
            }
            return
        }
        if request.uri.path == "/login" { return }
        guard hasBearer(request) || hasSession(request) else {
            var error = APIError(
                .unauthorized, "unauthorized",
                "this service is off loopback: send Authorization: Bearer TOKEN, or open the login link printed on stderr"
            )
            error.headers[.wwwAuthenticate] = "Bearer"
            throw error
        }
    }

    /// WebSocket upgrades: every Origin a web page could send (http, https, or "null") must be
    /// the dashboard's own. Clients that are not browsers send none, or a non-web one
    /// (`ws://host`), which no page can forge.
    func checkOrigin(_ request: Request) throws {
        let host = request.head.authority ?? ""
        for origin in request.headers[values: .origin] {
            let fromPage = origin == "null" || origin.hasPrefix("http://") || origin.hasPrefix("https://")
            guard fromPage else { continue }
            guard origin == "http://\(host)" && (requiresToken || hosts.withLock({ $0.contains(host) })) else {
                throw APIError(
                    .forbidden, "bad_origin",
                    "WebSocket from origin \(origin) refused: only the dashboard's own pages may connect")
            }
        }
    }

    /// Control requests: the CSRF token in `X-CSRF-Token`, or the bearer token.
    func checkCSRF(_ request: Request) throws {
        if hasBearer(request) { return }
        guard let sent = request.headers[Self.csrfHeader], Self.equal(sent, csrfToken) else {
            throw APIError(
                .forbidden, "csrf", "missing or wrong X-CSRF-Token header (GET /v1/session gives the token)")
        }
    }

    private func hasBearer(_ request: Request) -> Bool {
        guard let token, let value = request.headers[.authorization], value.hasPrefix("Bearer ") else { return false }
        return Self.equal(String(value.dropFirst("Bearer ".count)), token)
    }

    private func hasSession(_ request: Request) -> Bool {
        guard let cookie = request.headers[.cookie] else { return false }
        for part in cookie.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            if pair.hasPrefix(Self.sessionCookie + "=") {
                let id = String(pair.dropFirst(Self.sessionCookie.count + 1))
                if sessions.withLock({ $0.contains(id) }) { return true }
            }
        }
        return false
    }

    /// Compares secrets in time that does not depend on where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<x.count { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

/// Applies the access policy to every request of a router.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: AccessPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        try policy.check(request)
        return try await next(request, context)
    }
}
