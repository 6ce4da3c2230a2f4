import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroExec

/// Where mybro-exec finds the programs it runs outside any sandbox: never where a job can put one.
@Suite struct TrustedPathTests {
    @Test func aFolderJobsCanReachByAnyNameIsNotTrusted() throws {
        let root = try TemporaryDirectory(label: "mybro-trusted")
        defer { root.remove() }
        let workspace = root.path("ws"), outside = root.path("venv"), system = root.path("bin")
        for folder in [workspace, outside + "/bin", system] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        // The workspace's .venv is a link to a venv elsewhere: a job can swap the link.
        try FileManager.default.createSymbolicLink(atPath: workspace + "/.venv", withDestinationPath: outside)
        // The workspace named through a link, and a folder on PATH not made yet.
        try FileManager.default.createSymbolicLink(atPath: root.path("proj"), withDestinationPath: workspace)
        let path = [workspace + "/.venv/bin", root.path("proj") + "/node_modules/.bin", "relative/bin", "", system]
        let trusted = TrustedPath(path: path.joined(separator: ":"), writable: [root.path("proj")])
        #expect(trusted.folders == [LandlockRuleset.realPath(system)!])
    }

    @Test func aProgramLinkedIntoTheWorkspaceIsNotRun() throws {
        let root = try TemporaryDirectory(label: "mybro-trusted")
        defer { root.remove() }
        let workspace = root.path("ws"), system = root.path("bin")
        for folder in [workspace + "/build", system] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for file in [workspace + "/build/tool", system + "/plain"] {
            try "#!/bin/sh\n".write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o755)
        }
        try FileManager.default.createSymbolicLink(
            atPath: system + "/tool", withDestinationPath: workspace + "/build/tool")
        let trusted = TrustedPath(path: system, writable: [workspace])
        #expect(trusted.program("tool") == nil)
        #expect(trusted.program("plain") == LandlockRuleset.realPath(system + "/plain"))
        #expect(trusted.program("missing") == nil)
        // What those programs search PATH for (git's ssh) never goes through such a folder.
        #expect(!trusted.path.split(separator: ":").contains { String($0) == LandlockRuleset.realPath(system) })
        #expect(TrustedPath(path: system, writable: []).path == LandlockRuleset.realPath(system))
    }
}
