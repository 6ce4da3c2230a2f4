import Foundation
import MybroCore

/// The unix sockets of the user's session that a job could connect to: a tmux or screen server
/// (a shell outside the sandbox, one `send-keys` away), an ssh-agent (signs with the user's
/// keys), the X server (keystrokes), the audio server (the microphone), the systemd user
/// manager (starts any program), a local database's socket. Landlock does not mediate
/// connect() on a socket with a path, so every socket listening when a job starts is covered
/// in the job's mount namespace; sockets the job makes itself, later, are its own.
enum HostSockets {
    /// System services every program may need: logging (syslog) and user lookups. A policy's
    /// `sandbox socket PATH` lines add to these.
    static let systemServices = ["/run/systemd/journal", "/run/systemd/userdb", "/dev/log"]
    /// Name lookups: only for jobs with the network. A resolver asked by a job without it
    /// would carry its data out as DNS queries.
    static let resolvers = ["/run/systemd/resolve", "/run/nscd", "/var/run/nscd"]

    /// The bound sockets a job must not reach: all but those under `kept` (the policy's lines,
    /// a credential's socket) and the system services. A socket bound before the job starts
    /// is never the job's own, wherever it lies (the workspace, a cache).
    static func covered(bound: [String] = UnixSockets.bound(), kept: [String], network: Bool) -> [String] {
        let skipped = (systemServices + (network ? resolvers : []) + kept).map {
            $0.count > 1 && $0.hasSuffix("/") ? String($0.dropLast()) : $0
        }
        return bound.filter { path in
            !skipped.contains { path == $0 || path.hasPrefix($0 + "/") }
        }
    }
}
