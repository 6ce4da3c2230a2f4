import Foundation
import MybroCore

/// The unix sockets of the user's session that a job could connect to: a tmux or screen server
/// (a shell outside the sandbox, one `send-keys` away), an ssh-agent (signs with the user's
/// keys), the X server (keystrokes), the audio server (the microphone), the systemd user
/// manager (starts any program), a local database's socket. Landlock does not mediate
/// connect() on a socket with a path, so every socket listening when a job starts is covered
/// in the job's mount namespace; sockets the job makes itself, later, are its own.
enum HostSockets {
    /// System services every program may need: logging (syslog), name and user lookups. A
    /// policy's `sandbox socket PATH` lines add to these.
    static let systemServices = [
        "/run/systemd/journal", "/run/systemd/resolve", "/run/systemd/userdb", "/run/nscd", "/var/run/nscd",
        "/dev/log",
    ]

    /// The listening sockets a job must not reach: all but those under `kept` (services, the
    /// policy's lines) or `own` (the job's workspace, temporary directory and caches).
    static func covered(listening: [String] = UnixSockets.listening(), kept: [String], own: [String]) -> [String] {
        let skipped = (systemServices + kept + own).map {
            $0.count > 1 && $0.hasSuffix("/") ? String($0.dropLast()) : $0
        }
        return listening.filter { path in
            !skipped.contains { path == $0 || path.hasPrefix($0 + "/") }
        }
    }
}
