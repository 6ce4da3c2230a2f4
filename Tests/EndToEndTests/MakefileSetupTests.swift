import Foundation
import MybroTestSupport
import Testing

/// The Makefile's rule for installing packages: root runs apt-get itself (a fresh Debian has
/// no sudo), a user goes through sudo. Checked with `make -n`, on a PATH of stub scripts that
/// make `id -u` report the user and `sudo` present or absent, and `dpkg` report every package
/// missing, so that the command lines `make setup` would run are printed and nothing is run.
@Suite struct MakefileSetupTests {
    struct Case: Sendable, CustomStringConvertible {
        var uid: Int
        var hasSudo: Bool
        var sudoPrefix: Bool
        var description: String { "uid \(uid), \(hasSudo ? "with" : "without") sudo" }
    }

    @Test(arguments: [
        Case(uid: 0, hasSudo: false, sudoPrefix: false),
        Case(uid: 0, hasSudo: true, sudoPrefix: false),
        Case(uid: 1000, hasSudo: true, sudoPrefix: true),
    ])
    func setupRunsAptGetAsRootOrThroughSudo(_ setting: Case) throws {
        try withTemporaryDirectory("mybro-make") { stubs in
            try stub("id", in: stubs, body: #"[ "$1" = -u ] && echo \#(setting.uid) || echo "uid=\#(setting.uid)""#)
            try stub("dpkg", in: stubs, body: "exit 1")
            if setting.hasSudo { try stub("sudo", in: stubs, body: #"exec "$@""#) }
            for tool in ["sed", "find", "head"] {
                try FileManager.default.createSymbolicLink(
                    atPath: stubs + "/" + tool, withDestinationPath: "/usr/bin/" + tool)
            }
            for target in ["setup", "setup-packages", "test", "demo"] {
                let result = try shell(
                    "/usr/bin/make -n -C \(shellQuoted(BuiltCommands.packageRoot)) \(target)",
                    environment: ["PATH": stubs])
                #expect(result.status == 0, "make -n \(target), \(setting): \(result.stderr)")
                let text = result.stdoutText
                #expect(text.contains("apt-get update"), "make -n \(target), \(setting): \(text)")
                #expect(text.contains("sudo apt-get") == setting.sudoPrefix, "make -n \(target), \(setting): \(text)")
                #expect(
                    text.contains("sudo env DEBIAN_FRONTEND=noninteractive apt-get install") == setting.sudoPrefix,
                    "make -n \(target), \(setting): \(text)")
                #expect(text.contains("scripts/setup-model.sh") == (target != "setup-packages"))
                #expect(text.contains("scripts/setup-embedding-model.sh") == (target != "setup-packages"))
            }
        }
    }

    @Test func ciScriptUsesSudoOnlyForAUser() throws {
        let script = try String(contentsOfFile: BuiltCommands.packageRoot + "/.ci/run", encoding: .utf8)
        #expect(script.contains(#"[ "$(id -u)" = 0 ] || SUDO=sudo"#))
        #expect(!script.contains("sudo make"))
    }

    private func stub(_ name: String, in directory: String, body: String) throws {
        let path = directory + "/" + name
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
}
