import Foundation
import Testing

@testable import MybroExec
@testable import MybroStore

@Suite struct JobHistoryTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(
            "mybro-history-\(UUID().uuidString)/history.sqlite"
        ).path
    }

    @Test func jobsAreKeptNewestFirst() throws {
        let history = try JobHistory(path: temporaryPath())
        let first = try history.start(
            action: "run", transcript: "run the tests", command: "swift test", directory: "/p")
        try history.finish(id: first, status: "succeeded", exitCode: 0, output: "ok\n")
        let second = try history.start(action: "code", transcript: "", command: "fix it", directory: "/p")
        let entries = try history.recent()
        #expect(entries.map(\.id) == [second, first])
        #expect(entries[1].status == "succeeded" && entries[1].exitCode == 0 && entries[1].output == "ok\n")
        #expect(entries[0].status == "running" && entries[0].endedAt == nil)
        #expect(HistoryListing.lines(entries)[1].contains("succeeded\texit 0"))
    }

    @Test func aJobWhoseOwnerDiedIsInterrupted() throws {
        let path = temporaryPath()
        let history = try JobHistory(path: path)
        let id = try history.start(action: "run", transcript: "", command: "sleep 100", directory: "/p")
        // Pretend the job belonged to a process that has since died.
        let dead = try deadProcessID()
        try history.reassign(id: id, ownerPID: dead)
        let reopened = try JobHistory(path: path)
        #expect(reopened.interruptedAtOpen == 1)
        #expect(try reopened.recent().first?.status == "interrupted")
    }

    @Test func outputIsCapped() {
        let long = String(repeating: "é", count: JobHistory.outputLimit)
        let capped = JobHistory.capped(long)
        #expect(capped.utf8.count <= JobHistory.outputLimit + 3)
        #expect(capped.hasPrefix("…é"))
    }

    func deadProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }
}

@Suite struct ProjectTasksTests {
    @Test func detectsTheProjectType() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mybro-tasks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(ProjectTasks.command(for: .test, in: directory.path) == nil)
        try "// swift-tools-version: 6.0\n".write(
            to: directory.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        #expect(ProjectTasks.command(for: .test, in: directory.path) == "swift test")
        try "all:\n\tcc x.c\ncheck: all\n\t./x\n".write(
            to: directory.appendingPathComponent("Makefile"), atomically: true, encoding: .utf8)
        #expect(ProjectTasks.command(for: .test, in: directory.path) == "make check")
        #expect(ProjectTasks.command(for: .build, in: directory.path) == "make all")
        #expect(ProjectTasks.command(for: .lint, in: directory.path) == "swift format lint --recursive Sources Tests")
    }
}
