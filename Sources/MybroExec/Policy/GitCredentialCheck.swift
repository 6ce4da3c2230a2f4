import Foundation
import MybroCore

/// When git may have the SSH keys and tokens: git runs other programs on request
/// (`--receive-pack`, `--upload-pack`, `ext::` URLs, hooks of a repository given as a path), so a
/// credential goes only to a call that talks to a configured remote over the network, with
/// flags known to run nothing, and the job gets hooks and the local transports turned off.
enum GitCredentialCheck {
    /// Flags that run nothing, per subcommand (a value only as `--depth=NUM`).
    static let knownFlags: [String: Set<String>] = [
        "push": [
            "-u", "--set-upstream", "--tags", "--follow-tags", "--dry-run", "-n", "-q", "--quiet", "-v", "--verbose",
            "--porcelain", "--atomic", "--no-verify",
        ],
        "pull": [
            "--rebase", "--no-rebase", "--ff-only", "--ff", "--no-ff", "--all", "--prune", "-p", "-q", "--quiet",
            "-v", "--verbose", "--tags",
        ],
        "fetch": ["--all", "--prune", "-p", "--tags", "-q", "--quiet", "-v", "--verbose", "--dry-run"],
        "clone": ["-q", "--quiet", "-v", "--verbose", "--single-branch", "--no-tags"],
        "ls-remote": ["--heads", "--tags", "-h", "-t", "--refs", "-q", "--quiet"],
    ]

    /// What a credentialed git job's environment sets: no hooks (a pre-push hook is the
    /// workspace's code), no fsmonitor, and no file:// or ext:: transport.
    static let hardening: [String: String] = [
        "GIT_CONFIG_COUNT": "4",
        "GIT_CONFIG_KEY_0": "core.hooksPath", "GIT_CONFIG_VALUE_0": "/dev/null",
        "GIT_CONFIG_KEY_1": "core.fsmonitor", "GIT_CONFIG_VALUE_1": "false",
        "GIT_CONFIG_KEY_2": "protocol.file.allow", "GIT_CONFIG_VALUE_2": "never",
        "GIT_CONFIG_KEY_3": "protocol.ext.allow", "GIT_CONFIG_VALUE_3": "never",
    ]

    /// Whether `git ARGUMENTS` (subcommand first) may have the credential in `workspace`.
    static func allows(_ arguments: [String], workspace: String) -> Bool {
        guard let subcommand = arguments.first, let flags = knownFlags[subcommand] else { return false }
        // A repository whose own config runs programs (core.sshCommand, credential.helper,
        // remote.*.vcs, an include…) would run them with the keys: no credential there.
        guard subcommand == "clone" || GitConfigKeys.localEntriesRunningCode(workspace: workspace).isEmpty else {
            return false
        }
        var positional: [String] = []
        for word in arguments.dropFirst() {
            if word.hasPrefix("-") {
                let isDepth = word.hasPrefix("--depth=") && Int(word.dropFirst("--depth=".count)) != nil
                guard flags.contains(word) || (isDepth && subcommand != "push") else { return false }
            } else {
                positional.append(word)
            }
        }
        if subcommand == "clone" {
            // A URL, and at most a folder inside the workspace to clone into.
            guard (1...2).contains(positional.count), isNetworkURL(positional[0]) else { return false }
            return positional.count == 1 || isPlainRelativePath(positional[1])
        }
        // The repository: a configured remote (its fetch and push URLs checked), or none given
        // (then every remote's).
        let remotes = configuredRemotes(workspace: workspace)
        guard !remotes.isEmpty else { return false }
        let named = positional.first.map { [$0] } ?? remotes
        guard named.allSatisfy(remotes.contains) else { return false }
        // Refspecs: branch and ref names, nothing that reads as a path or a URL.
        guard positional.dropFirst().allSatisfy(isRefspec) else { return false }
        return named.allSatisfy { remote in
            [["remote", "get-url", remote], ["remote", "get-url", "--push", remote]].allSatisfy { query in
                gitOutput(query, workspace: workspace).map { urls in
                    !urls.isEmpty && urls.allSatisfy(isNetworkURL)
                } ?? false
            }
        }
    }

    /// https://, ssh://, git:// or scp-like `user@host:path`; never a local path, file:// or ext::.
    static func isNetworkURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        if ["https://", "ssh://", "git://", "git+ssh://", "ssh+git://"].contains(where: lower.hasPrefix) {
            return !lower.contains("::")
        }
        guard !url.contains("://"), !url.contains("::"), let colon = url.firstIndex(of: ":") else { return false }
        let host = url[..<colon]
        return host.count > 1 && !host.contains("/") && !host.hasPrefix("-") && !host.hasPrefix(".")
    }

    static func isRefspec(_ word: String) -> Bool {
        !word.isEmpty && !word.hasPrefix("/") && !word.hasPrefix(".") && !word.contains("..") && !word.contains("::")
            && word.allSatisfy { $0.isLetter || $0.isNumber || "._/:-^~@".contains($0) }
    }

    static func isPlainRelativePath(_ word: String) -> Bool {
        !word.hasPrefix("/") && !word.hasPrefix("~") && !word.hasPrefix("-")
            && !word.split(separator: "/").contains("..")
    }

    static func configuredRemotes(workspace: String) -> [String] {
        gitOutput(["remote"], workspace: workspace) ?? []
    }

    /// The lines git prints in the workspace, or nil when it fails.
    static func gitOutput(_ arguments: [String], workspace: String) -> [String]? {
        GitConfigKeys.git(["-C", workspace] + arguments).map {
            String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init)
        }
    }
}
