import Foundation

/// Reads /proc to tell running processes from zombies, which kill(pid, 0) cannot.
///
/// The one place that decides whether a process, a process group or a job tree is still alive
/// (`mybro-exec` for stops, the job history for jobs cut off by a dead supervisor).
public enum ProcessTable {
    /// Whether a process of group `pgid` is running (not a zombie). Where /proc cannot be
    /// read, any member counts.
    public static func hasLiveMember(ofGroup pgid: pid_t) -> Bool {
        guard pgid > 0 else { return false }
        guard let directory = opendir("/proc") else { return kill(-pgid, 0) == 0 || errno == EPERM }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name), let stat = stat(of: pid) else { continue }
            if stat.group == pgid && stat.state != "Z" && stat.state != "X" { return true }
        }
        return false
    }

    /// The state letter and process group of `pid`, from /proc/PID/stat.
    public static func stat(of pid: pid_t) -> (state: Character, group: pid_t)? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        guard count > 0 else { return nil }
        // "pid (comm) S ppid pgrp …": comm may hold spaces and parentheses, so start after the last ')'.
        guard let close = buffer[..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = buffer[(close + 1)..<count].split(separator: UInt8(ascii: " "))
        guard fields.count >= 3, let state = fields[0].first,
            let group = Int32(String(decoding: fields[2], as: UTF8.self))
        else { return nil }
        return (Character(UnicodeScalar(state)), group)
    }

    /// Whether `pid` is running (not gone, not a zombie).
    public static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = stat(of: pid) else { return false }
        return stat.state != "Z" && stat.state != "X"
    }

    /// Whether `pid` is alive: running, or (where /proc does not show it) still signalable.
    public static func isAlive(_ pid: pid_t) -> Bool {
        guard pid > 0 else { return false }
        if let stat = stat(of: pid) { return stat.state != "Z" && stat.state != "X" }
        return access("/proc/self/stat", R_OK) != 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }

    /// Whether a job is over for good: its supervisor (`owner`) is gone, no process of its
    /// group is running, and its keeper (the process that kills the tree when the supervisor
    /// dies) is gone too. A job for which any of them lives may still be running.
    public static func jobIsGone(owner: pid_t, group: pid_t?, keeper: pid_t?) -> Bool {
        if isAlive(owner) { return false }
        if let keeper, isAlive(keeper) { return false }
        if let group, hasLiveMember(ofGroup: group) { return false }
        return true
    }
}
