import Foundation
import MybroCore
import MybroStore
import Testing

@testable import MybroExec

@Suite struct HistoryAnswersTests {
    func entry(_ id: Int64, _ command: String, _ status: String, seconds: Double, exit: Int? = nil) -> JobEntry {
        let end = Date().addingTimeInterval(-5)
        return JobEntry(
            id: id, action: "run", command: command, directory: "/nowhere", startedAt: end.addingTimeInterval(-seconds),
            endedAt: end, status: status, exitCode: exit)
    }

    @Test func theLastRunOfATaskIsNamedWithItsOutcomeAndDuration() {
        let entries = [
            entry(3, "git status", "succeeded", seconds: 0.2), entry(2, "swift build", "succeeded", seconds: 42),
        ]
        let sentence = HistoryAnswers.sentence(task: .build, entries: entries, directory: "/nowhere")
        #expect(sentence == "The last run of the build passed and took 42 seconds, just now.")
        let failed = [entry(5, "swift test", "failed", seconds: 130, exit: 1)]
        #expect(
            HistoryAnswers.sentence(task: .test, entries: failed, directory: "/nowhere")
                == "The last run of the tests failed with exit status 1 after 2 minutes and 10 seconds, just now.")
        #expect(
            HistoryAnswers.sentence(task: .lint, entries: failed, directory: "/nowhere").hasPrefix("I have no record"))
        #expect(
            HistoryAnswers.sentence(task: nil, entries: entries, directory: "/nowhere").hasPrefix(
                "The last job, git status,"))
    }

    @Test func sessionJobsComeBeforeStoredOnesWithoutRepeats() {
        let stored = [entry(2, "a", "succeeded", seconds: 1), entry(1, "b", "failed", seconds: 1)]
        let session = [entry(2, "a", "succeeded", seconds: 1), entry(3, "c", "succeeded", seconds: 1)]
        #expect(HistoryAnswers.merged(session: session, stored: stored).map(\.id) == [3, 2, 1])
    }

    @Test func releaseBuildsAndTheNewTasks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tasks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        FileManager.default.createFile(atPath: directory + "/Package.swift", contents: Data())
        #expect(ProjectTasks.command(for: .build, mode: .release, in: directory) == "swift build -c release")
        #expect(ProjectTasks.command(for: .start, in: directory) == "swift run")
        #expect(ProjectTasks.command(for: .format, in: directory)?.hasPrefix("swift format format") == true)
        FileManager.default.createFile(atPath: directory + "/Makefile", contents: Data("build:\n\ttrue\n".utf8))
        #expect(ProjectTasks.command(for: .build, in: directory) == "make build")
        #expect(ProjectTasks.command(for: .build, mode: .release, in: directory) == "swift build -c release")
    }
}
