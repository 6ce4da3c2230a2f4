import Foundation
import Hummingbird
import HummingbirdWebSocket
import MybroCore

/// The log service on port 7778: takes JSON Lines diagnostics (`POST /v1/logs`, what
/// MYBRO_LOG_URL sends), serves the ring buffer (`GET /v1/logs`), a WebSocket tail and the
/// rotated files.
enum LogRoutes {
    static let maximumLineBytes = 64 << 10

    static func router(_ service: StatusService) -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.middlewares.add(StructuredErrorMiddleware())
        router.middlewares.add(AccessMiddleware(policy: service.access))

        router.get("/v1/logs") { request, _ in try query(request, service: service) }
        router.post("/v1/logs") { request, _ -> Response in
            // A browser may not post here: a form from another site would carry a simple
            // content type, and a cross-site fetch of this one needs a preflight we never allow.
            if request.headers[.origin] != nil {
                throw APIError(.forbidden, "bad_origin", "browsers may not send logs here")
            }
            var splitter = LineSplitter(maximumLineBytes: maximumLineBytes)
            var accepted = 0
            var malformed = 0
            var batch: [ArraySlice<UInt8>] = []
            for try await buffer in request.body {
                batch.removeAll(keepingCapacity: true)
                splitter.feed(buffer.readableBytesView) { piece in
                    switch piece {
                    case .line(let bytes): batch.append(bytes)
                    case .tooLong: malformed += 1
                    }
                }
                if !batch.isEmpty {
                    malformed += service.logs.ingest(lines: batch, source: "http")
                    accepted += batch.count
                }
            }
            batch.removeAll()
            splitter.finish { piece in
                if case .line(let bytes) = piece { batch.append(bytes) } else { malformed += 1 }
            }
            if !batch.isEmpty {
                malformed += service.logs.ingest(lines: batch, source: "http")
                accepted += batch.count
            }
            return JSONResponse.make(
                JSONObject([
                    "accepted": .number(Double(accepted - malformed)), "malformed": .number(Double(malformed)),
                ]))
        }
        router.get("/v1/logs/stats") { _, _ in JSONResponse.make(service.logs.stats) }
        router.get("/v1/logs/files") { _, _ -> Response in
            JSONResponse.make(JSONObject(["files": .array(logFiles(service).map { .object($0) })]))
        }
        router.get("/v1/logs/files/:name") { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            guard let directory = service.settings.logDirectory,
                logFiles(service).contains(where: { $0["name"]?.stringValue == name })
            else { throw APIError.notFound("no log file \"\(name)\" (GET /v1/logs/files lists them)") }
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else {
                throw APIError.notFound("log file \(name) went away (rotated)")
            }
            return JSONResponse.make(text: String(decoding: data, as: UTF8.self), type: "application/x-ndjson")
        }
        router.ws("/v1/logs/tail") { request, _ in
            try service.access.checkOrigin(request)
            _ = try Query.level(request)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let request = context.request
            let filter = HubFilter(minimumLevel: try? Query.level(request), tool: Query.string(request, "tool"))
            // The first message says the tail is live: lines logged from now on will come.
            let subscription = service.logs.tail.subscribe(
                filter: filter, first: [#"{"kind":"tail","next":"# + "\(service.logs.lastSequence)}"])
            await WebSocketPump.run(subscription, hub: service.logs.tail, inbound: inbound, outbound: outbound)
        }
        return router
    }

    static func query(_ request: Request, service: StatusService) throws -> Response {
        let level = try Query.level(request)
        let limit = try Query.integer(request, "limit", default: 100, range: 1...10_000)
        let since = Query.string(request, "since")
        if let since, Int(since) == nil, !since.contains("T") {
            throw APIError.badRequest("since is a sequence number (a response's \"next\") or an ISO 8601 time")
        }
        return JSONResponse.make(
            service.logs.query(level: level, tool: Query.string(request, "tool"), since: since, limit: limit))
    }

    /// The log file and its rotated copies (mybro.log, mybro.log.1, …), newest first.
    static func logFiles(_ service: StatusService) -> [JSONObject] {
        guard let directory = service.settings.logDirectory else { return [] }
        let names =
            [StatusService.logFileName]
            + (1...service.settings.logFilesKept).map { "\(StatusService.logFileName).\($0)" }
        return names.compactMap { name in
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + name) else {
                return nil
            }
            return JSONObject([
                "name": .string(name), "bytes": .number(Double((attributes[.size] as? Int) ?? 0)),
                "modified": .number(((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0).rounded()),
            ])
        }
    }
}
