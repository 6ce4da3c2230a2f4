import Foundation
import MybroCore

/// Writes the pre-commit hook that runs `mybro-doctor --staged`.
public enum HookInstaller {
    static let marker = "# installed by mybro-doctor --install-hook"

    public static func script(failOn: Severity) -> String {
        """
        #!/bin/sh
        \(marker)
        # Scans what is about to be committed; a finding at or above \(failOn.rawValue) stops the commit
        # (git commit --no-verify skips it).
        exec mybro-doctor --staged --format text --fail-on \(failOn.rawValue)

        """
    }

    /// Installs the hook in the repository holding `directory`; returns its path. A hook that
    /// mybro-doctor did not write is only replaced with `force`.
    public static func install(in directory: String, failOn: Severity, force: Bool) throws(MybroError) -> String {
        let root = try Git.topLevel(directory)
        var hooks = try Git.run(["rev-parse", "--git-path", "hooks"], in: root).trimmingCharacters(in: .newlines)
        if !hooks.hasPrefix("/") { hooks = root + "/" + hooks }
        let path = hooks + "/pre-commit"
        if let existing = FileManager.default.contents(atPath: path),
            !String(decoding: existing, as: UTF8.self).contains(marker), !force
        {
            throw MybroError(
                "\(path) exists and was not written by mybro-doctor: add --force to replace it, or call mybro-doctor from it",
                status: .usage)
        }
        do {
            try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
            try Data(script(failOn: failOn).utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw MybroError("cannot write \(path): \(error.localizedDescription)", status: .ioError)
        }
        chmod(path, 0o755)
        return path
    }
}
