import Foundation
import MybroCore

/// git configuration keys that make git run a program or read more configuration: a job must
/// not leave one behind (it would run at the user's next git command, outside the sandbox),
/// and a repository that sets one locally gets no credential (it would run with the keys).
enum GitConfigKeys {
    /// Keys (lower case) that run something, matched whole or with `*` for one section part.
    static let runningCode: [String] = [
        "core.sshcommand", "core.gitproxy", "core.askpass", "core.fsmonitor", "core.hookspath", "core.pager",
        "core.editor", "core.attributesfile", "core.excludesfile", "sequence.editor", "ssh.variant", "gpg.program",
        "gpg.*.program", "diff.external", "diff.*.textconv", "diff.*.command", "merge.*.driver", "filter.*.clean",
        "filter.*.smudge", "filter.*.process", "credential.helper", "credential.*.helper", "include.path",
        "includeif.*.path", "remote.*.vcs", "remote.*.receivepack", "remote.*.uploadpack", "remote.*.proxy",
        "url.*.insteadof", "url.*.pushinsteadof", "uploadpack.packobjectshook", "protocol.allow", "protocol.*.allow",
        "http.proxy", "http.*.proxy", "submodule.*.update", "alias.*", "sendemail.*", "web.browser",
        "browser.*.cmd", "man.*.cmd", "pager.*", "interactive.difffilter", "difftool.*.cmd", "mergetool.*.cmd",
        "core.worktree", "extensions.worktreeconfig", "gpg.ssh.defaultkeycommand", "man.*.path", "mergetool.*.path",
        "difftool.*.path", "browser.*.path", "help.browser", "tar.*.command", "trailer.*.command", "trailer.*.cmd",
        "imap.tunnel", "guitool.*.cmd", "instaweb.*", "core.alternaterefscommand", "lfs.customtransfer.*.path",
        "lfs.extension.*", "submodule.recurse", "push.recursesubmodules", "fetch.recursesubmodules",
    ]

    /// What one plain call of git's config writers (`git config`, `remote`, `branch`,
    /// `checkout`, `switch`) may set: names, upstreams, remotes with network URLs and settings
    /// that change how git shows or merges, never what it runs. Anything else such a job adds or
    /// changes puts the whole config back: a list of the harmful keys is never complete (git
    /// grows new ones), this one fails closed.
    static let benignSettings: [String] = [
        "user.name", "user.email", "user.useconfigonly", "author.name", "author.email", "committer.name",
        "committer.email", "branch.*.remote", "branch.*.merge", "branch.*.rebase", "branch.*.description",
        "branch.*.pushremote", "branch.autosetupmerge", "branch.autosetuprebase", "branch.sort", "remote.*.url",
        "remote.*.pushurl", "remote.*.fetch", "remote.*.push", "remote.*.tagopt", "remote.*.prune",
        "remote.*.prunetags", "remote.*.skipfetchall", "remote.pushdefault", "core.repositoryformatversion",
        "core.filemode", "core.bare", "core.logallrefupdates", "core.ignorecase", "core.precomposeunicode",
        "core.autocrlf", "core.eol", "core.safecrlf", "core.symlinks", "core.quotepath", "core.compression",
        "core.abbrev", "core.whitespace", "init.defaultbranch", "pull.rebase", "pull.ff", "push.default",
        "push.autosetupremote", "push.followtags", "fetch.prune", "fetch.prunetags", "merge.ff",
        "merge.conflictstyle", "rebase.autostash", "rebase.autosquash", "rebase.updaterefs", "color.*",
        "diff.algorithm",
        "diff.renames", "diff.colormoved", "diff.mnemonicprefix", "log.*", "status.*", "tag.sort", "rerere.enabled",
        "gc.auto", "advice.*", "help.autocorrect", "column.*", "checkout.defaultremote", "checkout.workers",
    ]

    /// Whether a config writer's job may leave this entry. The key is matched part for part
    /// (section, subsection, name; a subsection may hold dots or `=`, so `diff."renames=y".textconv`
    /// is no `diff.renames`), and it must run nothing. A remote's URL must be a network one (a
    /// path, however spelled, `/proc/self/root/…` included, may lead to a repository a job
    /// made, whose hooks would run at the user's push); the remote a branch or a push goes to
    /// must be a remote's name, never a path or URL.
    static func isBenign(key: String, value: String) -> Bool {
        let name = key.lowercased()
        guard !runsCode(name), let firstDot = name.firstIndex(of: "."), let lastDot = name.lastIndex(of: ".") else {
            return false
        }
        let section = String(name[..<firstDot])
        let variable = String(name[name.index(after: lastDot)...])
        let subsection: String? = firstDot == lastDot ? nil : String(name[name.index(after: firstDot)..<lastDot])
        let allowed = benignSettings.contains { pattern in
            let parts = pattern.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts[0] == section, parts.last == "*" || parts.last == variable else { return false }
            switch parts.count {
            case 2: return subsection == nil
            case 3: return subsection != nil && (parts[1] == "*" || parts[1] == subsection)
            default: return false
            }
        }
        guard allowed else { return false }
        if section == "remote", subsection != nil, variable == "url" || variable == "pushurl" {
            return GitCredentialCheck.isNetworkURL(value)
        }
        if (section == "branch" && subsection != nil && (variable == "remote" || variable == "pushremote"))
            || name == "remote.pushdefault" || name == "checkout.defaultremote"
        {
            return value != ".." && value.range(of: "^[A-Za-z0-9._-]+$", options: .regularExpression) != nil
        }
        return true
    }

    /// Whether `key` (as `git config --list` prints it: section.subsection.name) runs code. A
    /// `*` matches any run of characters, dots included (a subsection may hold dots: URLs).
    static func runsCode(_ key: String) -> Bool {
        let lower = Array(key.lowercased().utf8)
        return runningCode.contains { matches(Array($0.utf8)[...], lower[...]) }
    }

    private static func matches(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        if first == UInt8(ascii: "*") {
            let rest = pattern.dropFirst()
            return (text.startIndex...text.endIndex).contains { matches(rest, text[$0...]) }
        }
        return text.first == first && matches(pattern.dropFirst(), text.dropFirst())
    }

    /// Whether a remote URL value leads git to a repository a job could have written (a
    /// relative path, or one inside the workspace, or a transport that runs a program): its
    /// hooks would run at the user's push or fetch.
    static func urlRunsCode(_ value: String, workspace: String) -> Bool {
        if GitCredentialCheck.isNetworkURL(value) { return false }
        if value.contains("::") { return true }
        var path = value
        if path.lowercased().hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
        guard path.hasPrefix("/") else { return true }
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.path
        return resolved == workspace || resolved.hasPrefix(workspace + "/")
    }

    /// What git prints, or nil when it fails. `hardened` runs it with the repository's
    /// code-running settings overridden (no fsmonitor, no hooks, no local transports): the one
    /// way mybro-exec calls git on a repository a job may have written.
    static func git(_ arguments: [String], hardened: Bool = true, timeout: Double = 10) -> Data? {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = TrustedPath.shared.path
        if hardened { environment.merge(GitCredentialCheck.hardening) { _, new in new } }
        guard let git = TrustedPath.shared.program("git"),
            let result = try? ChildProcess.capture(
                arguments: [git] + arguments, environment: environment, timeout: timeout),
            result.status == 0, !result.timedOut
        else { return nil }
        return result.stdout
    }

    /// The entries of `git config --null --list` output.
    static func parseList(_ output: Data) -> [(key: String, value: String)] {
        output.split(separator: 0).map { entry in
            let text = String(decoding: entry, as: UTF8.self)
            guard let newline = text.firstIndex(of: "\n") else { return (text, "") }
            return (String(text[..<newline]), String(text[text.index(after: newline)...]))
        }
    }

    /// The keys and values of a config file (includes not followed); nil when git cannot read it.
    static func entries(ofFile path: String) -> [(key: String, value: String)]? {
        git(["config", "--file", path, "--null", "--list"]).map(parseList)
    }

    /// The keys and values of a config held as bytes (one recorded before a job), which git
    /// reads from a private temporary file; nil when it cannot.
    static func entries(ofData data: Data) -> [(key: String, value: String)]? {
        var template = Array((NSTemporaryDirectory() + "/mybro-config.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return nil }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(path) }
        let written = data.withUnsafeBytes { SystemIO.writeAll(descriptor, $0) } == 0
        close(descriptor)
        return written ? entries(ofFile: path) : nil
    }

    /// The code-running keys of the repository's own config (includes followed); none where
    /// there is no repository or no local config.
    static func localEntriesRunningCode(workspace: String) -> [String] {
        let output = git(["-C", workspace, "config", "--local", "--includes", "--null", "--list"]) ?? Data()
        return parseList(output).map(\.key).filter(runsCode)
    }

    /// The files the repository's config includes (include.path, includeIf.*.path), resolved
    /// as git resolves them (relative to the including file).
    static func includedFiles(gitDirectory: String) -> [String] {
        guard let entries = entries(ofFile: gitDirectory + "/config") else { return [] }
        return entries.compactMap { entry in
            let key = entry.key.lowercased()
            guard key == "include.path" || (key.hasPrefix("includeif.") && key.hasSuffix(".path")) else { return nil }
            var path = entry.value
            if path.hasPrefix("~/") { path = XDGDirectories.home() + path.dropFirst() }
            if !path.hasPrefix("/") { path = gitDirectory + "/" + path }
            return URL(fileURLWithPath: path).standardizedFileURL.path
        }
    }
}
