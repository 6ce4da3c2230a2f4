import Foundation

/// The unix sockets bound to a path now, from the kernel's own table
/// (/proc/net/unix): what a sandboxed job could connect to, since Landlock does not mediate
/// connect() on a socket with a path. One read of a small file, wherever the sockets lie (a
/// walk of /tmp two levels deep cost 45 ms a job on a CI machine with 20,000 entries there).
///
/// The table holds the sockets of this network namespace, with the path as it was bound:
/// a socket bound by a relative path cannot be placed and is left out.
public enum UnixSockets {
    /// Sockets bound to a path (listening, datagram, any state) whose file exists here and that
    /// this user may connect or send to (write permission on the socket file), each once.
    public static func bound(table: String = "/proc/net/unix") -> [String] {
        guard let text = readToEnd(table) else { return [] }
        var seen = Set<String>()
        var paths: [String] = []
        for line in text.split(separator: "\n").dropFirst() {
            guard let path = Self.path(inLine: line), seen.insert(path).inserted else { continue }
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK, access(path, W_OK) == 0 else {
                continue
            }
            paths.append(path)
        }
        return paths
    }

    /// A /proc file read to its end: it gives a page or so per read and has no size to ask
    /// for (a one-shot read missed the sockets past the first page of a busy machine's table).
    static func readToEnd(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let result = chunk.withUnsafeMutableBytes { SystemIO.read(fd, into: $0) }
            guard case .bytes(let count) = result else { break }
            bytes += chunk[..<count]
            // A table past 64 MiB is not a real one: the sockets read so far count.
            if bytes.count > 64 << 20 { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A table line: "Num RefCount Protocol Flags Type St Inode [Path]"; the path is the rest of
    /// the line after the seventh field (it may hold spaces). Only an absolute path counts.
    public static func path(inLine line: Substring) -> String? {
        var rest = line[...]
        var fields: [Substring] = []
        while fields.count < 7 {
            rest = rest.drop { $0 == " " }
            guard let end = rest.firstIndex(of: " ") else { return nil }
            fields.append(rest[..<end])
            rest = rest[end...]
        }
        guard UInt32(fields[3], radix: 16) != nil else { return nil }
        let path = rest.drop { $0 == " " }
        return path.hasPrefix("/") ? String(path) : nil
    }
}
