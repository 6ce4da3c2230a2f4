import Foundation
import MybroCore

/// What a job's git control files were before it, kept on disk while it runs: if mybro-exec
/// dies during the job (SIGKILL, a power cut), the next mybro-exec puts them back before it
/// does anything else, so a hook or `commondir` the job planted never runs at the user's next
/// git command. The folder is mybro's state, hidden from every job (0700, files 0600).
enum PendingPutBack {
    static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        XDGDirectories.mybro(.state, environment: environment) + "/exec-putback"
    }

    /// Writes the record for job `id` of this process (a new file renamed into place); the path,
    /// or nil where it could not be written (then only the in-memory put-back stands).
    static func save(_ files: GitControlFiles, job id: Int64, in folder: String = folder()) -> String? {
        guard
            (try? FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil,
            let data = try? JSONEncoder().encode(files)
        else { return nil }
        let path = folder + "/p\(getpid())-\(id).json"
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: data, attributes: [.posixPermissions: 0o600]),
            rename(partial, path) == 0
        else {
            unlink(partial)
            return nil
        }
        return path
    }

    static func remove(_ path: String) { unlink(path) }

    /// Puts back what the jobs of a mybro-exec that is gone left recorded (never a living one's,
    /// nor another user's); returns a line for each repository put back. A record that cannot
    /// be read is set aside (renamed `.corrupt`) with a warning, never acted on.
    @discardableResult
    static func replay(in folder: String = folder()) -> [String] {
        // Made here, before any job runs: a job given mybro's state folder (mybro-gpu's) has
        // every entry that exists then hidden from it, so it can never plant a record.
        try? FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var lines: [String] = []
        for name in names.sorted() where name.hasPrefix("p") && name.hasSuffix(".json") {
            let digits = name.dropFirst().prefix { $0.isNumber }
            guard let owner = pid_t(digits), owner > 0, owner != getpid() else { continue }
            if kill(owner, 0) == 0 || errno != ESRCH { continue }
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == getuid() else { continue }
            guard let data = FileManager.default.contents(atPath: path),
                let files = try? JSONDecoder().decode(GitControlFiles.self, from: data)
            else {
                rename(path, path + ".corrupt")
                Log.shared.warning("cannot read \(path), left by a mybro-exec that was killed: set aside as .corrupt")
                continue
            }
            let changed = files.restore()
            if !changed.isEmpty {
                lines.append("\(files.gitDirectory): \(changed.joined(separator: ", "))")
            }
            unlink(path)
        }
        return lines
    }
}
