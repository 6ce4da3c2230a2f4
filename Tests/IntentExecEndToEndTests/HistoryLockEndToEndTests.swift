import Foundation
import MybroCore
import MybroStore
import Testing

/// mybro-exec while another process holds its history database locked: records still flow at
/// once, stop still acts at once, and every job gets its own row once the lock goes.
@Suite(.serialized) struct HistoryLockEndToEndTests {
    let workspace: URL
    let state: URL

    init() throws {
        workspace = try Harness.temporaryDirectory("workspace")
        state = try Harness.temporaryDirectory("state")
    }

    var historyFile: String { state.appendingPathComponent("history.sqlite").path }

    func exec(_ extra: [String] = []) throws -> [String] {
        let policy = state.appendingPathComponent("policy").path
        try "read echo args: ANY\nread sleep args: ANY\n".write(toFile: policy, atomically: true, encoding: .utf8)
        return [
            Harness.binary("mybro-exec"), "--cwd", workspace.path, "--history-file", historyFile, "--policy", policy,
        ]
            + extra
    }

    func run(_ command: String) -> String {
        #"{"type":"intent","action":"run","command":"\#(command)","confidence":0.9}"#
    }

    /// Runs one job to its end with the database free, so the history holds an unrelated job 1.
    func historyWithOneJob() throws {
        let live = try LiveCommand(try exec())
        live.send(run("echo unrelated"))
        #expect(live.waitFor(type: "job_done") != nil)
        #expect(live.finish().status == 0)
        #expect(try JobHistory(path: historyFile).recent().map(\.id) == [1])
    }

    @Test func aHistoryLockedAtStartDelaysNoRecord() throws {
        try historyWithOneJob()
        let lock = try ExternalDatabaseLock(path: historyFile, seconds: 10)
        let begun = Date()
        let live = try LiveCommand(try exec())
        live.send(#"{"type":"speech_start","t":1}"#)
        let forwarded = live.waitFor(type: "speech_start")
        let forwardDelay = Date().timeIntervalSince(begun)
        live.send(run("echo one"))
        live.send(run("echo two"))
        #expect(live.waitFor { $0["type"]?.stringValue == "job_done" && $0["job"]?.intValue == 3 } != nil)
        let jobsDelay = Date().timeIntervalSince(begun)
        #expect(forwarded != nil)
        #expect(lock.isHeld, "the lock must outlast the jobs for this test to mean anything")
        // a record held behind the 10 s lock would wait for it; the bound allows for a loaded machine
        #expect(forwardDelay < 3, "a record waited \(forwardDelay) s")
        let started = live.output.compactMap { try? JSONParser.parse($0).objectValue }
            .filter { $0["type"]?.stringValue == "job_started" }.compactMap { $0["job"]?.intValue }
        #expect(started == [2, 3])
        let (status, stderr) = live.finish(seconds: 20)
        let exited = Date().timeIntervalSince(begun)
        print(
            "locked at start: record forwarded after \(ms(forwardDelay)), two jobs done after \(ms(jobsDelay)), exit after \(ms(exited)) (lock \(ms(lock.heldFor)))"
        )
        #expect(status == 0, "\(stderr)")
        #expect(stderr.components(separatedBy: "locked by another process").count == 2, "\(stderr)")
        #expect(stderr.contains("writable again"))
        let rows = try JobHistory(path: historyFile).recent()
        #expect(rows.map(\.id) == [3, 2, 1])
        #expect(rows.map(\.command) == ["echo two", "echo one", "echo unrelated"])
        #expect(rows.allSatisfy { $0.status == "succeeded" && $0.exitCode == 0 })
    }

    @Test func stopActsAtOnceWhileTheHistoryIsLocked() throws {
        try historyWithOneJob()
        let live = try LiveCommand(try exec())
        live.send(run("sleep 30"))
        let started = try #require(live.waitFor(type: "job_started"))
        #expect(started["job"]?.intValue == 2)
        let lock = try ExternalDatabaseLock(path: historyFile, seconds: 10)
        let stopSent = Date()
        live.send(#"{"type":"intent","action":"stop","confidence":0.9}"#)
        let done = try #require(live.waitFor(type: "job_done"))
        let stopDelay = Date().timeIntervalSince(stopSent)
        #expect(done["status"]?.stringValue == "stopped" && done["job"]?.intValue == 2)
        live.send(run("echo next"))
        let next = try #require(
            live.waitFor { $0["type"]?.stringValue == "job_done" && $0["job"]?.intValue != 2 })
        let nextDelay = Date().timeIntervalSince(stopSent)
        #expect(next["job"]?.intValue == 3 && next["status"]?.stringValue == "succeeded")
        #expect(lock.isHeld, "the lock must outlast the jobs for this test to mean anything")
        let (status, stderr) = live.finish(seconds: 20)
        print("locked mid-run: stop took \(ms(stopDelay)), the next job was done \(ms(nextDelay)) after the stop")
        // a stop held behind the 10 s lock would wait for it; the bound allows for a loaded machine
        #expect(stopDelay < 3, "stop took \(stopDelay) s")
        #expect(status == 0, "\(stderr)")
        let rows = try JobHistory(path: historyFile).recent()
        #expect(rows.map(\.id) == [3, 2, 1])
        #expect(rows.map(\.command) == ["echo next", "sleep 30", "echo unrelated"])
        #expect(rows.map(\.status) == ["succeeded", "stopped", "succeeded"])
        #expect(rows[1].processGroup == started["pid"]?.intValue.map(Int32.init))
    }

    @Test func jobsStillUnwrittenAtExitAreSpilledAndReplayed() throws {
        try historyWithOneJob()
        let lock = try ExternalDatabaseLock(path: historyFile, seconds: 8)
        let live = try LiveCommand(try exec(["--history-drain-timeout", "0.3"]))
        live.send(run("echo late"))
        #expect(live.waitFor(type: "job_done") != nil)
        let finishing = Date()
        let (status, stderr) = live.finish()
        #expect(status == 0)
        // exit after the 0.3 s drain, well before the lock's end and before the history's 5 s
        // busy timeout could have passed (slack for a loaded machine)
        #expect(Date().timeIntervalSince(finishing) < 4.5)
        #expect(lock.isHeld)
        #expect(stderr.contains("1 job(s) saved to \(historyFile).spill"), "\(stderr)")
        lock.waitUntilReleased()
        let listing = try Harness.shell("\"$EXEC\" --history --history-file '\(historyFile)'")
        #expect(listing.status == 0)
        #expect(listing.stderr.contains("1 job(s) saved while the history was locked are now written"))
        #expect(listing.stdout.hasPrefix("2\t"), "\(listing.stdout)")
        #expect(listing.stdout.contains("succeeded\texit 0"))
        #expect(listing.stdout.contains("echo late"))
    }

    @Test func twoProcessesSharingAHistoryGetDistinctIDs() throws {
        let words = ["one", "two", "three", "four", "five", "six"]
        for name in ["alpha", "beta"] {
            let input = words.map { run("echo \(name) \($0)") + "\n" }.joined()
            try input.write(to: state.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let command = try exec().map { "'\($0)'" }.joined(separator: " ")
        let result = try Harness.shell(
            "cd '\(state.path)'; \(command) < alpha > alpha.out & \(command) < beta > beta.out; wait")
        #expect(result.status == 0, "\(result.stderr)")
        var announced: [Int: String] = [:]
        for name in ["alpha", "beta"] {
            let text = try String(contentsOf: state.appendingPathComponent(name + ".out"), encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let record = try JSONParser.parse(String(line)).objectValue,
                    record["type"]?.stringValue == "job_started", let id = record["job"]?.intValue
                else { continue }
                #expect(announced[id] == nil, "job \(id) announced twice")
                announced[id] = record["command"]?.stringValue
            }
        }
        #expect(announced.keys.sorted() == Array(1...12))
        let rows = try JobHistory(path: historyFile).recent(limit: 50)
        #expect(rows.count == 12)
        #expect(rows.allSatisfy { announced[Int($0.id)] == $0.command && $0.status == "succeeded" })
    }

    func ms(_ seconds: Double) -> String { "\(Int((seconds * 1000).rounded())) ms" }
}

/// Another process (python3's sqlite3) holding an exclusive lock on a database for a while.
final class ExternalDatabaseLock: @unchecked Sendable {
    let process = Process()
    let since = Date()

    init(path: String, seconds: Double) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
            c.execute('BEGIN EXCLUSIVE')
            print('locked', flush=True)
            time.sleep(float(sys.argv[2]))
            c.execute('COMMIT')
            """,
            path, String(seconds),
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // Wait until it holds the lock (or failed to take it).
        let line = output.fileHandleForReading.availableData
        guard String(decoding: line, as: UTF8.self).hasPrefix("locked") else {
            process.waitUntilExit()
            throw MybroError("python3 could not lock \(path)", status: .unavailable)
        }
    }

    var isHeld: Bool { process.isRunning }
    var heldFor: Double { Date().timeIntervalSince(since) }

    func waitUntilReleased() { process.waitUntilExit() }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
