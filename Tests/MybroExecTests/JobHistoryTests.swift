import Foundation
import GRDB
import MybroTestSupport
import Testing

@testable import MybroCore
@testable import MybroExec
@testable import MybroStore

/// The job history's database layer and its listing.
@Suite struct JobHistoryTests {
    @Test func jobsAreKeptNewestFirst() throws {
        let directory = try TemporaryDirectory(label: "mybro-history")
        defer { directory.remove() }
        let writer = HistoryWriter(path: directory.path("history.sqlite"))
        let first = writer.newJobID()
        writer.jobStarted(id: first, action: "run", transcript: "run the tests", command: "swift test", directory: "/p")
        writer.jobFinished(id: first, status: "succeeded", exitCode: 0, output: "ok\n")
        let second = writer.newJobID()
        writer.jobStarted(id: second, action: "code", transcript: "", command: "fix it", directory: "/p")
        #expect(writer.waitUntilWritten(timeout: 10))
        let entries = try JobHistory(path: writer.path).recent()
        #expect([first, second] == [1, 2])
        #expect(entries.map(\.id) == [second, first])
        #expect(entries[1].status == "succeeded" && entries[1].exitCode == 0 && entries[1].output == "ok\n")
        #expect(entries[0].status == "running" && entries[0].endedAt == nil)
        #expect(HistoryListing.lines(entries)[1].contains("succeeded\texit 0"))
        writer.close(timeout: 1)
    }

    /// Commands and their output are the owner's alone: the folder 0700, the database and its
    /// -wal and -shm files 0600, even when an older database was world-readable.
    @Test func theHistoryIsPrivate() throws {
        let directory = try TemporaryDirectory(label: "mybro-history")
        defer { directory.remove() }
        let folder = directory.path("state/mybro")
        let old = directory.path("old.sqlite")
        FileManager.default.createFile(atPath: old, contents: nil, attributes: [.posixPermissions: 0o644])
        let writer = HistoryWriter(path: folder + "/history.sqlite")
        writer.jobStarted(id: writer.newJobID(), action: "run", transcript: "t", command: "ls", directory: "/p")
        #expect(writer.waitUntilWritten(timeout: 10))
        _ = try JobHistory(path: old).recent()
        for path in [writer.path, old] {
            for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
                let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(file): \(String(mode ?? 0, radix: 8))")
            }
        }
        let folderMode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
        #expect(folderMode == 0o700)
        writer.close(timeout: 1)
    }

    @Test func aJobWhoseOwnerDiedIsInterrupted() throws {
        let directory = try TemporaryDirectory(label: "mybro-history")
        defer { directory.remove() }
        let path = directory.path("history.sqlite")
        let history = try JobHistory(path: path)
        try history.write([
            JobEntry(id: 1, action: "run", command: "sleep 100", directory: "/p", ownerPID: try deadProcessID())
        ])
        let recovery = try JobHistory(path: path).recover()
        #expect(recovery.interrupted == 1)
        #expect(try history.recent().first?.status == "interrupted")
    }

    /// A dead owner is not enough: the job's group or its keeper may still be running it.
    @Test func aJobStillRunningKeepsRunning() throws {
        let directory = try TemporaryDirectory(label: "mybro-history")
        defer { directory.remove() }
        let history = try JobHistory(path: directory.path("history.sqlite"))
        // A process leading a group of its own, like a job.
        let group = try spawnGroupLeader("/bin/sleep", "30")
        defer {
            kill(group, SIGKILL)
            waitpid(group, nil, 0)
        }
        let dead = try deadProcessID()
        try history.write([
            JobEntry(id: 1, action: "run", command: "sleep 30", directory: "/p", ownerPID: dead, processGroup: group),
            JobEntry(id: 2, action: "run", command: "kept", directory: "/p", ownerPID: dead, keeperPID: getpid()),
            JobEntry(id: 3, action: "run", command: "gone", directory: "/p", ownerPID: dead, processGroup: dead),
        ])
        #expect(try history.recover().interrupted == 1)
        #expect(try history.recent().map(\.status) == ["interrupted", "running", "running"])
        kill(group, SIGKILL)
        #expect(poll { !ProcessTable.isRunning(group) })
        #expect(try history.recover().interrupted == 1)
        #expect(try history.recent().map(\.status) == ["interrupted", "running", "interrupted"])
    }

    @Test func outputIsCapped() {
        let long = String(repeating: "é", count: JobHistory.outputLimit)
        let capped = JobHistory.capped(long)
        #expect(capped.utf8.count <= JobHistory.outputLimit + 3)
        #expect(capped.hasPrefix("…é"))
    }

    @Test func theListingEscapesControlCharacters() {
        let entry = JobEntry(
            id: 7, action: "run", command: "printf '\u{1B}]0;pwned\u{07}'\n\u{1B}[2Jrm -rf /\t\u{9B}31m \u{202E}fdp",
            directory: "/p", startedAt: Date(timeIntervalSince1970: 0), status: "failed\u{1B}[8m")
        let line = HistoryListing.lines([entry])[0]
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" || (0x7F...0x9F).contains($0.value) })
        #expect(line.split(separator: "\t").count == 7)
        #expect(line.hasSuffix(#"printf '\e]0;pwned\x07'\n\e[2Jrm -rf /\t\x9b31m \u{202e}fdp"#))
        #expect(line.contains(#"failed\e[8m"#))
    }

    @Test func anIDTakenByAnotherJobGetsANewRow() throws {
        let directory = try TemporaryDirectory(label: "mybro-history")
        defer { directory.remove() }
        let history = try JobHistory(path: directory.path("history.sqlite"))
        try history.write([JobEntry(id: 1, action: "run", command: "first", directory: "/p", status: "succeeded")])
        let intruder = JobEntry(id: 1, action: "run", command: "second", directory: "/p", status: "failed")
        let renumbered = try history.write([intruder])
        #expect(renumbered.map(\.from) == [1] && renumbered.map(\.to) == [2])
        // The same job written again lands in its own new row, not in row 1.
        var later = intruder
        later.output = "more"
        #expect(try history.write([later]).isEmpty)
        let rows = try history.recent()
        #expect(rows.map(\.id) == [2, 1])
        #expect(rows.map(\.command) == ["second", "first"])
        #expect(rows[0].output == "more" && rows[1].status == "succeeded")
    }

    func spawnGroupLeader(_ arguments: String...) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], nil, &attributes, &argv, environ)
        try #require(status == 0)
        return pid
    }

    func deadProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }
}

/// Polls `condition` every 10 ms for at most `seconds`.
func poll(seconds: Double = 5, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
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
