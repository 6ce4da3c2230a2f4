import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import MybroCore
import MybroStore

/// The dashboard on port 7777: the page, its REST API under /v1/, the event WebSocket and the
/// control endpoints.
enum DashboardRoutes {
    static func router(_ service: StatusService) -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.middlewares.add(StructuredErrorMiddleware())
        router.middlewares.add(AccessMiddleware(policy: service.access))
        let access = service.access

        router.get("/") { _, _ -> Response in
            var response = JSONResponse.make(
                text: DashboardPage.html(csrfToken: access.csrfToken), type: "text/html; charset=utf-8")
            response.headers[.contentSecurityPolicy] =
                "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
            response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
            return response
        }
        router.get("/login") { request, _ -> Response in
            guard let code = request.uri.queryParameters["code"], let session = access.redeem(code: String(code)) else {
                throw APIError(.forbidden, "bad_login", "this login link is unknown or was used already")
            }
            var headers = HTTPFields()
            headers[.location] = "/"
            headers[.setCookie] = "\(AccessPolicy.sessionCookie)=\(session); Path=/; HttpOnly; SameSite=Strict"
            return Response(status: .seeOther, headers: headers)
        }
        router.get("/v1/state") { _, _ in JSONResponse.make(service.stateDocument()) }
        router.get("/v1/session") { _, _ in
            JSONResponse.make(
                JSONObject(["csrf": .string(access.csrfToken), "requires_token": .bool(access.requiresToken)]))
        }
        router.get("/v1/jobs") { request, _ -> Response in
            let limit = try Query.integer(request, "limit", default: 20, range: 1...500)
            do {
                return JSONResponse.make(JSONObject(["jobs": .array(try service.recentJobs(limit: limit))]))
            } catch {
                throw APIError(.serviceUnavailable, "history_unavailable", "cannot read the job history now: \(error)")
            }
        }
        router.get("/v1/jobs/:id") { request, context -> Response in
            guard let text = context.parameters.get("id"), let id = Int(text), id > 0 else {
                throw APIError.badRequest("a job id is a positive integer")
            }
            return JSONResponse.make(try service.jobDocument(id: id))
        }
        router.get("/v1/logs") { request, _ in try LogRoutes.query(request, service: service) }
        for command in ControlCommand.allCases {
            router.post("/v1/control/\(command.rawValue)") { request, _ -> Response in
                try access.checkCSRF(request)
                if let wait = service.controlLimit.take() {
                    var error = APIError(.tooManyRequests, "rate_limited", "too many control requests; slow down")
                    error.headers[.retryAfter] = String(Int(wait.rounded(.up)))
                    throw error
                }
                try service.control.send(command)
                return JSONResponse.make(JSONObject(["sent": .string(command.rawValue)]), status: .accepted)
            }
        }
        router.ws("/v1/events") { request, _ in
            try access.checkOrigin(request)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, _ in
            let (snapshot, _) = service.snapshotMessage()
            let subscription = service.events.subscribe(first: [snapshot])
            await WebSocketPump.run(subscription, hub: service.events, inbound: inbound, outbound: outbound)
        }
        return router
    }
}

extension StatusService {
    /// `/v1/jobs/{id}`: the job from the history, with its live output while it runs here.
    func jobDocument(id: Int) throws -> JSONObject {
        let live = state.withLock { $0.liveJob(id: id) }
        let entry: JobEntry?
        do {
            entry = try history.job(id: Int64(id))
        } catch {
            entry = nil
            if live == nil {
                throw APIError(.serviceUnavailable, "history_unavailable", "cannot read the job history now: \(error)")
            }
        }
        guard entry != nil || live != nil else { throw APIError.notFound("no job \(id) in the history") }
        var object = entry.map(Self.summary) ?? JSONObject()
        if let entry { object["output"] = .string(SecretRedaction.redact(entry.output)) }
        if let live {
            object["live"] = .object(live.job)
            object["live_output"] = .array(live.output.map { .object($0) })
        }
        return object
    }
}

/// Query parameters, checked.
enum Query {
    static func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.badRequest("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    static func level(_ request: Request) throws -> LogLevel? {
        guard let text = request.uri.queryParameters["level"], !text.isEmpty else { return nil }
        guard let level = LogStore.levels[String(text)] else {
            throw APIError.badRequest("level must be one of debug, info, warning, error")
        }
        return level
    }

    static func string(_ request: Request, _ name: String) -> String? {
        guard let text = request.uri.queryParameters[Substring(name)], !text.isEmpty else { return nil }
        return String(text)
    }
}
