import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroExec

/// Which of the session's shared folders a job gets as private ones, and what is put back.
@Suite struct SharedFoldersTests {
    @Test func theSharedFoldersBecomePrivateWithWhatTheJobNeedsPutBack() throws {
        try withTemporaryDirectory { folder in
            let shared = folder + "/tmp"
            let runtime = folder + "/run"
            for path in [shared + "/ws/src", shared + "/job-tmp", shared + "/ssh-agent", runtime, folder + "/home"] {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
            let plan = SharedFolders.plan(
                folders: [runtime, shared, folder + "/absent"],
                kept: [
                    shared + "/ws", shared + "/ws/src", shared + "/job-tmp", shared + "/ssh-agent", folder + "/home",
                ],
                writable: [shared + "/ws", shared + "/job-tmp"])
            // Outermost first; a folder that does not exist is left alone.
            #expect(plan.folders == [runtime, shared].sorted { ($0.count, $0) < ($1.count, $1) })
            // Only what lies beneath a private folder is put back (the home folder is not in one).
            #expect(plan.kept == [shared + "/job-tmp", shared + "/ssh-agent", shared + "/ws", shared + "/ws/src"])
        }
    }

    @Test func aFolderTheJobMustWriteWholeStaysShared() throws {
        try withTemporaryDirectory { folder in
            let shared = folder + "/tmp"
            try FileManager.default.createDirectory(atPath: shared + "/sub", withIntermediateDirectories: true)
            // The workspace is the shared folder itself, or lies above it.
            #expect(SharedFolders.plan(folders: [shared], kept: [shared], writable: []).folders.isEmpty)
            #expect(SharedFolders.plan(folders: [shared], kept: [], writable: [folder]).folders.isEmpty)
            #expect(SharedFolders.plan(folders: ["/"], kept: [], writable: []).folders.isEmpty)
            // A link to the folder is the folder.
            symlink(shared, folder + "/link")
            #expect(SharedFolders.plan(folders: [folder + "/link"], kept: [shared], writable: []).folders.isEmpty)
        }
    }

    @Test func theRuntimeFolderIsACandidateOnlyWhenItIsTheUsersOwn() throws {
        try withTemporaryDirectory { folder in
            #expect(SharedFolders.candidates(environment: ["XDG_RUNTIME_DIR": folder]).contains(folder))
            #expect(
                !SharedFolders.candidates(environment: ["XDG_RUNTIME_DIR": folder + "/absent"]).contains(
                    folder + "/absent"))
            #expect(!SharedFolders.candidates(environment: ["XDG_RUNTIME_DIR": "relative"]).contains("relative"))
            #expect(SharedFolders.candidates(environment: [:]) == ["/tmp", "/var/tmp", "/dev/shm"])
        }
    }

    @Test func filesTheCommandNamesStayVisibleButNotFolders() throws {
        try withTemporaryDirectory { folder in
            try FileManager.default.createDirectory(atPath: folder + "/logs", withIntermediateDirectories: true)
            try "echo hi\n".write(toFile: folder + "/build.sh", atomically: true, encoding: .utf8)
            try "x\n".write(toFile: folder + "/a.toml", atomically: true, encoding: .utf8)
            let named = SharedFolders.namedFiles(
                in:
                    "sh \(folder)/build.sh --config=\(folder)/a.toml && ls \(folder)/logs $(cat \(folder)/a.toml) > \(folder)/out",
                home: "/root", workspace: "/w", scratch: [folder])
            let real = try #require(LandlockRuleset.realPath(folder))
            #expect(Set(named) == [real + "/build.sh", real + "/a.toml"])
            #expect(SharedFolders.namedFiles(in: "echo 'unbalanced", home: "/root", workspace: "/w").isEmpty)
            // Outside the scratch folders (shared memory, the runtime folder): not kept.
            #expect(
                SharedFolders.namedFiles(
                    in: "cat \(folder)/a.toml", home: "/root", workspace: "/w", scratch: ["/var/empty"]
                )
                .isEmpty)
        }
    }

    @Test func readablePatternsNameTheirRoot() {
        #expect(SharedFolders.readableRoot("/tmp/logs/**") == "/tmp/logs")
        #expect(SharedFolders.readableRoot("/tmp/report.txt") == "/tmp/report.txt")
        #expect(SharedFolders.readableRoot("/tmp/*.log") == nil)
        #expect(SharedFolders.readableRoot("relative/**") == nil)
    }
}
