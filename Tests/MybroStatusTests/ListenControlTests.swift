import Foundation
import MybroCore
import MybroTestSupport
import MybroWhisper
import Testing

/// The whole loop with its control channel: `mybro listen --control FIFO --events FILE` and
/// `mybro-status --follow FILE --control FIFO`; the dashboard's Stop stops the running job.
@Suite("mybro listen --control with mybro-status", .serialized)
struct ListenControlTests {
    static let modelInstalled = FileManager.default.fileExists(
        atPath: ModelDirectory.resolve(option: nil) + "/model.bin")

    @Test(.enabled(if: modelInstalled, "the speech model is not installed: run make setup"))
    func stopFromTheDashboardStopsTheJobAndOtherRecordsAreDropped() throws {
        try withTemporaryDirectory("mybro-status-listen") { directory in
            let setup = try shell(
                """
                cd \(shellQuoted(directory))
                mybro-say 'run the tests' --output - > request.raw
                mkdir -p workspace state
                printf 'test:\\n\\t@sleep 61.3\\n' > workspace/Makefile
                mkfifo input
                """)
            try #require(setup.status == 0, "\(setup.stderr)")
            // The loop hears the request, then silence for as long as the test needs.
            let loop = Process()
            loop.executableURL = URL(fileURLWithPath: "/bin/bash")
            loop.arguments = [
                "-c",
                """
                cd \(shellQuoted(directory))
                \(shellQuoted(BuiltCommands.path("mybro-listen"))) --input - --output reply.wav --backend rules \
                  --cwd workspace --events events.jsonl --control control < input > /dev/null 2> listen.err &
                listen=$!
                exec 3> input
                cat request.raw >&3; head -c 64000 /dev/zero >&3
                for i in $(seq 1 600); do [ -e stop-loop ] && break; sleep 0.1; done
                kill -INT $listen; wait $listen; echo "status $?" > listen.status
                """,
            ]
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_STATE_HOME"] = directory + "/state"
            environment["PATH"] = BuiltCommands.directory + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            environment.removeValue(forKey: "MYBRO_LOG_FILE")
            loop.environment = environment
            try loop.run()
            defer {
                FileManager.default.createFile(atPath: directory + "/stop-loop", contents: nil)
                loop.waitUntilExit()
            }
            let events = directory + "/events.jsonl"
            func eventsText() -> String { (try? String(contentsOfFile: events, encoding: .utf8)) ?? "" }
            #expect(waitUntil(timeout: 60) { eventsText().contains("\"job_started\"") }, "\(eventsText())")

            // A writer to the FIFO may not run anything: only stop, confirm, deny and mute pass.
            let injected = open(directory + "/control", O_WRONLY | O_NONBLOCK)
            #expect(injected >= 0)
            _ = SystemIO.writeAll(injected, #"{"type":"intent","action":"run","command":"touch hacked"}"# + "\n")
            _ = SystemIO.writeAll(injected, "garbage\n")
            close(injected)

            let status = try RunningStatus(
                directory: directory,
                arguments: [
                    "--follow", events, "--control", directory + "/control", "--history",
                    directory + "/state/mybro/history.sqlite",
                ])
            defer { status.stop() }
            let port = status.dashboardPort
            #expect(
                waitUntil(timeout: 10) {
                    (try? RawHTTP.request(port: port, path: "/v1/state"))?.json?["job"]?.objectValue?["status"]?
                        .stringValue == "running"
                })
            let csrf = try #require(RawHTTP.request(port: port, path: "/v1/session").json?["csrf"]?.stringValue)
            let stop = try RawHTTP.request(
                port: port, method: "POST", path: "/v1/control/stop", headers: ["X-CSRF-Token": csrf])
            #expect(stop.status == 202, "\(stop.body)")
            #expect(
                waitUntil(timeout: 20) {
                    (try? RawHTTP.request(port: port, path: "/v1/state"))?.json?["job"]?.objectValue?["status"]?
                        .stringValue == "stopped"
                }, "\(eventsText())")
            #expect(eventsText().contains(#""backend":"control""#))
            #expect(!eventsText().contains("touch hacked"))
            #expect(!FileManager.default.fileExists(atPath: directory + "/workspace/hacked"))
            let listenErrors = (try? String(contentsOfFile: directory + "/listen.err", encoding: .utf8)) ?? ""
            #expect(listenErrors.contains("control line dropped (2 so far)"), "\(listenErrors)")
        }
    }
}
