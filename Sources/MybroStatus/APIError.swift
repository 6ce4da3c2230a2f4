import Foundation
import Hummingbird
import MybroCore

/// An error the API answers with `{"error":{"code":"…","message":"…"}}` and its HTTP status.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        fields[.cacheControl] = "no-store"
        let body = JSONObject([
            "error": .object(JSONObject(["code": .string(code), "message": .string(message)]))
        ])
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body.serialized())))
    }
}

/// Turns every other error (Hummingbird's 404 for an unknown path, a body too large) into the
/// same structured form, so clients parse one shape.
struct StructuredErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            let code: String
            switch error.status {
            case .notFound: code = "not_found"
            case .methodNotAllowed: code = "method_not_allowed"
            case .contentTooLarge: code = "too_large"
            case .unauthorized: code = "unauthorized"
            default: code = error.status.code < 500 ? "bad_request" : "internal"
            }
            let message =
                error.status == .notFound
                ? "no such endpoint: \(request.method) \(request.uri.path)" : (error.body ?? error.status.reasonPhrase)
            throw APIError(error.status, code, message)
        } catch {
            throw APIError(.internalServerError, "internal", "internal error: \(error)")
        }
    }
}

/// JSON responses.
enum JSONResponse {
    static func make(_ object: JSONObject, status: HTTPResponse.Status = .ok) -> Response {
        make(text: object.serialized(), status: status)
    }

    static func make(text: String, status: HTTPResponse.Status = .ok, type: String = "application/json") -> Response {
        var fields = HTTPFields()
        fields[.contentType] = type
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
