import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroExec

/// Which of the session's shared folders a job gets as private ones, and what is put back.
@Suite struct SharedFoldersTests {
    /// Where Landlock alone cannot hide mybro's undo store or a key store beneath a folder jobs
    /// write, the job does not run; Claude Code's own login beneath its folder is let through.
    @Test func aPathLandlockCannotHideStopsTheJob() {
        #expect(throws: MybroError.self) {
            try JobSandbox.refuseUnhidden(["/home/u/.local/state/mybro/undo"], allowed: [])
        }
        #expect(throws: Never.self) {
            try JobSandbox.refuseUnhidden(
                ["/home/u/.claude/.credentials.json"], allowed: ["/home/u/.claude/.credentials.json"])
        }
        #expect(throws: Never.self) { try JobSandbox.refuseUnhidden([], allowed: []) }
    }

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
            #expect(plan.layered.isEmpty)
            // A layered folder is one of the private ones, told apart; one the job must write
            // whole (a store a fetch step fills) is left shared.
            let cache = folder + "/home/.cache"
            let store = folder + "/home/store"
            for path in [cache, store] {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
            let layered = SharedFolders.plan(
                folders: [shared, cache, store], kept: [], writable: [store], layered: [cache, store])
            #expect(layered.folders == [shared, cache] && layered.layered == [cache])
            #expect(layered.shared.count == 1 && layered.shared[0].hasPrefix(store))
        }
    }

    /// With the shipped policy every job gets ~/.cache and cargo's registry as layers; only a
    /// cargo fetch writes the registry (its downloads are for the offline build after it).
    @Test func aFetchStepWritesItsStoreAndEveryOtherJobOnlyALayer() throws {
        guard ChildProcess.availableIsolation.contains(.privateFolders), JobSandbox.isAvailable else { return }
        try withTemporaryDirectory { folder in
            let workspace = folder + "/ws"
            let home = folder + "/home"
            for path in [workspace, home + "/.cache/pip", home + "/.cargo/registry", home + "/.cargo/git"] {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
            var configuration = ExecConfiguration(directory: workspace)
            configuration.policy = SafetyPolicy.shipped
            var environment = ProcessInfo.processInfo.environment
            environment["HOME"] = home
            environment["XDG_CACHE_HOME"] = nil
            func prepared(_ command: String) throws -> (layered: [String], writable: [String]) {
                let sandbox = try JobSandbox.prepare(
                    for: .shell(command: command, task: nil), id: 1, configuration: configuration,
                    environment: environment)
                defer { try? FileManager.default.removeItem(atPath: sandbox.temporaryDirectory) }
                return (sandbox.layeredFolders ?? [], sandbox.writablePaths ?? [])
            }
            let real = try #require(LandlockRuleset.realPath(home))
            let build = try prepared("cargo build")
            #expect(Set(build.layered) == [real + "/.cache", real + "/.cargo/registry", real + "/.cargo/git"])
            let fetch = try prepared("cargo fetch")
            #expect(fetch.layered == [real + "/.cache"])
            #expect(fetch.writable.contains(real + "/.cargo/registry") && fetch.writable.contains(real + "/.cargo/git"))
            // An XDG_CACHE_HOME that names a folder of the session's stays private and empty;
            // one inside ~/.cache is layered too, but not put back read-only in the outer layer.
            environment["XDG_CACHE_HOME"] = "/tmp"
            #expect(try !prepared("make").layered.contains(LandlockRuleset.realPath("/tmp") ?? "/tmp"))
            try FileManager.default.createDirectory(atPath: home + "/.cache/xdg", withIntermediateDirectories: true)
            environment["XDG_CACHE_HOME"] = home + "/.cache/xdg"
            let sandbox = try JobSandbox.prepare(
                for: .shell(command: "make", task: nil), id: 1, configuration: configuration, environment: environment)
            try? FileManager.default.removeItem(atPath: sandbox.temporaryDirectory)
            #expect(sandbox.layeredFolders?.contains(real + "/.cache/xdg") == true)
            #expect(sandbox.keptPaths?.contains(real + "/.cache/xdg") != true)
            // What the hide list names in ~/.cache is hidden at XDG_CACHE_HOME too.
            try FileManager.default.createDirectory(
                atPath: home + "/.cache/xdg/huggingface", withIntermediateDirectories: true)
            try "hf_x\n".write(toFile: home + "/.cache/xdg/huggingface/token", atomically: true, encoding: .utf8)
            let hidden = try JobSandbox.prepare(
                for: .shell(command: "make", task: nil), id: 1, configuration: configuration, environment: environment)
            try? FileManager.default.removeItem(atPath: hidden.temporaryDirectory)
            #expect(hidden.maskedPaths?.contains(real + "/.cache/xdg/huggingface/token") == true)
        }
    }

    @Test func aFolderTheJobMustWriteWholeStaysSharedAndSaysWhy() throws {
        try withTemporaryDirectory { folder in
            let shared = folder + "/tmp"
            try FileManager.default.createDirectory(atPath: shared + "/sub", withIntermediateDirectories: true)
            let real = try #require(LandlockRuleset.realPath(shared))
            // A writable path is the folder, or holds it.
            let whole = SharedFolders.plan(folders: [shared], kept: [shared], writable: [shared])
            #expect(whole.folders.isEmpty)
            #expect(whole.shared.count == 1 && whole.shared[0].hasPrefix(real))
            #expect(SharedFolders.plan(folders: [shared], kept: [], writable: [folder]).folders.isEmpty)
            #expect(SharedFolders.plan(folders: ["/"], kept: [], writable: []).folders.isEmpty)
            // A read-only path that is the folder itself (HOME=/tmp, /tmp in PATH) is not put
            // back: the folder is private and empty, never left shared on its account.
            let home = SharedFolders.plan(folders: [shared], kept: [shared, shared + "/sub"], writable: [])
            #expect(home.folders == [real] && home.kept == [real + "/sub"] && home.shared.isEmpty)
            // A link to the folder is the folder.
            symlink(shared, folder + "/link")
            #expect(SharedFolders.plan(folders: [folder + "/link"], kept: [], writable: []).folders == [real])
        }
    }

    @Test func tooManyPathsToPutBackLeaveTheFolderSharedRatherThanFailEveryJob() throws {
        try withTemporaryDirectory { folder in
            let paths = (0...SharedFolders.keptLimit).map { folder + "/bin\($0)" }
            for path in paths {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            }
            let plan = SharedFolders.plan(folders: [folder], kept: paths, writable: [])
            #expect(plan.folders.isEmpty)
            #expect(plan.shared.first?.contains("more than \(SharedFolders.keptLimit)") == true)
        }
    }

    @Test func theRuntimeFolderIsACandidateOnlyWhenItIsTheUsersOwn() throws {
        try withTemporaryDirectory { folder in
            // The runtime folder must be the user's own with no access for others (0700).
            chmod(folder, 0o755)
            #expect(!SharedFolders.candidates(environment: ["XDG_RUNTIME_DIR": folder]).contains(folder))
            chmod(folder, 0o700)
            #expect(SharedFolders.candidates(environment: ["XDG_RUNTIME_DIR": folder]).contains(folder))
            #expect(!SharedFolders.candidates(environment: ["XDG_RUNTIME_DIR": "/dev"]).contains("/dev"))
            #expect(
                !SharedFolders.candidates(environment: ["XDG_RUNTIME_DIR": folder + "/absent"]).contains(
                    folder + "/absent"))
            #expect(!SharedFolders.candidates(environment: ["XDG_RUNTIME_DIR": "relative"]).contains("relative"))
            // Unset (su, cron, ssh without pam_systemd): /run/user/UID where it is the user's.
            let fallback = "/run/user/\(getuid())"
            var info = stat()
            let usable = stat(fallback, &info) == 0 && info.st_uid == getuid() && info.st_mode & 0o077 == 0
            #expect(
                SharedFolders.candidates(environment: [:]) == ["/tmp", "/var/tmp", "/dev/shm"]
                    + (usable ? [fallback] : []))
            // Set to another folder: /run/user/UID is taken as well, where the session's
            // services may still keep their sockets.
            #expect(
                SharedFolders.candidates(environment: ["XDG_RUNTIME_DIR": folder]) == [
                    "/tmp", "/var/tmp", "/dev/shm", folder,
                ]
                    + (usable ? [fallback] : []))
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
