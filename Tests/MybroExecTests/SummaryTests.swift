import Foundation
import Testing

@testable import MybroExec

@Suite struct CommandSummaryTests {
    func summary(_ lines: [String]) -> CommandSummary {
        var summary = CommandSummary()
        for line in lines { summary.observe(line) }
        return summary
    }

    @Test func swiftTestingAndXCTestTogether() {
        let result = summary([
            "Test Suite 'All tests' passed at 2026-11-26.",
            "\t Executed 0 tests, with 0 failures (0 unexpected) in 0.0 seconds",
            "✔ Test run with 42 tests in 5 suites passed after 1.2 seconds.",
        ])
        #expect(
            result.sentence(task: .test, command: "swift test", status: .succeeded, exit: 0, duration: 1)
                == "Tests passed, 42 of 42.")
    }

    @Test func pytestFailures() {
        let result = summary(["collected 12 items", "==== 2 failed, 10 passed in 0.31s ===="])
        #expect(
            result.sentence(task: .test, command: "pytest", status: .failed, exit: 1, duration: 1)
                == "Tests failed, 10 of 12 passed.")
    }

    @Test func pythonUnittest() throws {
        let passed = summary([
            "...", "----------------------------------------------------------------------", "Ran 3 tests in 0.001s",
            "", "OK",
        ])
        #expect(
            passed.sentence(task: .test, command: "make test", status: .succeeded, exit: 0, duration: 1)
                == "Tests passed, 3 of 3.")
        let failed = summary(["Ran 5 tests in 0.010s", "", "FAILED (failures=1, errors=1)"])
        let counts = try #require(failed.testCounts)
        #expect(counts == (3, 5))
        let unfinished = summary(["Ran 5 tests in 0.010s"])
        #expect(unfinished.testCounts == nil)
    }

    @Test func cargoSumsItsTargets() throws {
        let result = summary([
            "test result: ok. 3 passed; 0 failed; 0 ignored", "test result: ok. 4 passed; 0 failed; 0 ignored",
        ])
        let counts = try #require(result.testCounts)
        #expect(counts == (7, 7))
    }

    @Test func otherCommands() {
        #expect(
            summary(["/home/me/proj"]).sentence(task: nil, command: "pwd", status: .succeeded, exit: 0, duration: 0)
                == "/home/me/proj")
        #expect(
            summary(["a", "b"]).sentence(task: nil, command: "ls", status: .failed, exit: 2, duration: 0)
                == "ls failed with exit status 2.")
        #expect(
            summary(["main.c:3: error: expected ';'"]).sentence(
                task: .build, command: "make", status: .failed, exit: 2, duration: 0)
                == "Build failed: main.c:3: error: expected ';'")
        #expect(
            summary([]).sentence(task: .test, command: "x", status: .timeout, exit: 124, duration: 30)
                == "The tests timed out after 30 seconds.")
    }
}

@Suite struct ClaudeEventsTests {
    static var fixture: URL {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("Tests/Fixtures/exec/claude-success.jsonl")
    }

    @Test func aRecordedTurn() throws {
        var events = ClaudeEvents()
        var progress: [String] = []
        for line in try String(contentsOf: Self.fixture, encoding: .utf8).split(separator: "\n") {
            progress += events.observe(String(line))
        }
        #expect(progress.first == "Claude Code started (claude-sonnet-4-6)")
        #expect(progress.contains("Write /tmp/proj/hello.txt"))
        #expect(events.changedFiles == ["/tmp/proj/hello.txt", "/tmp/proj/main.py", "/tmp/proj/notes.md"])
        #expect(events.sessionID == "0ce8853f-aabe-488c-bbc2-a05f10b1cdc3")
        #expect(events.result?.costUSD == 0.0131)
        #expect(
            events.sentence(status: .succeeded, exit: 0, stderrTail: "", duration: 7)
                == "Claude changed 3 files. Created hello.txt and notes.md, and fixed main.py.")
    }

    @Test func errorsAndMissingResults() {
        var events = ClaudeEvents()
        _ = events.observe(
            #"{"type":"result","subtype":"success","is_error":true,"result":"Not logged in · Please run /login"}"#)
        #expect(
            events.sentence(status: .failed, exit: 1, stderrTail: "", duration: 1)
                == "Claude Code failed: Not logged in · Please run /login")
        let silent = ClaudeEvents()
        #expect(
            silent.sentence(status: .failed, exit: 1, stderrTail: "Error: requires --verbose\n", duration: 1)
                == "Claude Code ended without a result, exit status 1: Error: requires --verbose")
    }
}

@Suite struct OutputRateLimiterTests {
    @Test func burstThenRate() {
        var limiter = OutputRateLimiter(linesPerSecond: 10, burst: 3, now: 0)
        #expect((0..<5).map { _ in limiter.admit(now: 0).admitted } == [true, true, true, false, false])
        let later = limiter.admit(now: 0.1)
        #expect(later.admitted && later.skippedBefore == 2)
        #expect(OutputRateLimiter(linesPerSecond: 0).linesPerSecond == 0)
    }
}
