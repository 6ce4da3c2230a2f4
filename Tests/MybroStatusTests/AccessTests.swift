import Foundation
import MybroCore
import MybroTestSupport
import Testing

@Suite("mybro-status tokens, login links and MYBRO_LOG_FILE", .serialized)
struct AccessTests {
    @Test func aTokenGuardsEveryRequestAndTheLoginLinkWorksOnce() throws {
        try withTemporaryDirectory { directory in
            let tokenFile = directory + "/token"
            let token = String(repeating: "t0k3n", count: 8)
            try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: tokenFile))
            let status = try RunningStatus(directory: directory, arguments: ["--token-file", tokenFile])
            defer { status.stop() }
            let port = status.dashboardPort
            let anonymous = try RawHTTP.request(port: port, path: "/v1/state")
            #expect(anonymous.status == 401 && anonymous.errorCode == "unauthorized")
            #expect(try RawHTTP.request(port: status.logPort, path: "/v1/logs").status == 401)
            let wrong = try RawHTTP.request(port: port, path: "/v1/state", headers: ["Authorization": "Bearer nope"])
            #expect(wrong.status == 401)
            let bearer = try RawHTTP.request(
                port: port, path: "/v1/state", headers: ["Authorization": "Bearer \(token)"])
            #expect(bearer.status == 200)
            // The token itself is never printed; the one-time login link is.
            #expect(!status.stderr.contains(token))
            let code = try #require(
                status.stderr.range(of: "/login?code=").map { String(status.stderr[$0.upperBound...].prefix(64)) })
            let login = try RawHTTP.request(port: port, path: "/login?code=\(code)")
            #expect(login.status == 303)
            let cookie = try #require(login.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
            #expect(login.headers["set-cookie"]?.contains("HttpOnly") == true)
            #expect(try RawHTTP.request(port: port, path: "/login?code=\(code)").status == 403)
            let page = try RawHTTP.request(port: port, path: "/", headers: ["Cookie": cookie])
            #expect(page.status == 200 && page.body.contains("csrf-token"))
            // Control with the bearer token needs no CSRF header (nothing ambient to forge).
            let control = try RawHTTP.request(
                port: port, method: "POST", path: "/v1/control/stop", headers: ["Authorization": "Bearer \(token)"])
            #expect(control.errorCode == "no_control_channel")
        }
    }

    @Test func theDiagnosticsFileIsFollowedThroughRotation() throws {
        try withTemporaryDirectory { directory in
            let logFile = directory + "/mybro.jsonl"
            let status = try RunningStatus(directory: directory, environment: ["MYBRO_LOG_FILE": logFile])
            defer { status.stop() }
            for round in 0..<2 {
                let result = try shell(
                    "printf '{broken \(round)\\n' | mybro-intent --backend rules",
                    environment: ["MYBRO_LOG_FILE": logFile])
                #expect(result.status == 0)
                if round == 0 {
                    // Rotated away once its line was read: a file created and renamed before the
                    // follower's first look is never seen by name, as with tail -F.
                    #expect(
                        waitUntil(timeout: 10) {
                            let logs = try? RawHTTP.request(port: status.logPort, path: "/v1/logs?tool=mybro-intent")
                            return logs?.json?["logs"]?.arrayValue?.count == 1
                        })
                    #expect(rename(logFile, logFile + ".1") == 0)
                }
            }
            #expect(
                waitUntil(timeout: 10) {
                    let logs = try? RawHTTP.request(port: status.logPort, path: "/v1/logs?tool=mybro-intent")
                    return logs?.json?["logs"]?.arrayValue?.count == 2
                })
        }
    }
}
