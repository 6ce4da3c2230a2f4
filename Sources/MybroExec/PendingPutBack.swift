import Foundation
import MybroCore

/// What a job's git control files were before it, kept on disk while it runs: if mybro-exec
/// dies during the job (SIGKILL, a power cut), the next mybro-exec puts them back before it
/// does anything else, so a hook or `commondir` the job planted never runs at the user's next
/// git command. The folder is mybro's state, hidden from every job (0700, files 0600).
///
/// The owner holds an exclusive lock on its record while it lives (and the job's keeper, which
/// shares the descriptor, while it does); a record is replayed only when that lock can be
/// taken, so neither a reused pid nor an owner in another PID namespace is mistaken for the
/// wrong one. The keeper marks the record when the last of the job's processes is gone
/// (`ChildProcess.Options.deathMark`), so the replay leaves alone what the user changed later.
enum PendingPutBack {
    /// A record on disk, locked by this process until `remove`.
    struct Handle {
        let path: String
        let descriptor: Int32
    }

    static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        XDGDirectories.mybro(.state, environment: environment) + "/exec-putback"
    }

    /// Writes the record for job `id`: locked first, written under a name the replay skips,
    /// then renamed into place. nil where it could not be written (the in-memory put-back stands).
    static func save(_ files: GitControlFiles, job id: Int64, in folder: String = folder()) -> Handle? {
        guard
            (try? FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil,
            let data = try? JSONEncoder().encode(files)
        else { return nil }
        let path = folder + "/p\(getpid())-\(id)-\(UInt32.random(in: 0...UInt32.max)).json"
        let partial = path + ".partial"
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        let written = data.withUnsafeBytes { SystemIO.writeAll(descriptor, $0) } == 0
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0, written, fsync(descriptor) == 0, rename(partial, path) == 0
        else {
            unlink(partial)
            close(descriptor)
            return nil
        }
        return Handle(path: path, descriptor: descriptor)
    }

    static func remove(_ handle: Handle) {
        unlink(handle.path)
        close(handle.descriptor)
    }

    /// Puts back what the jobs of a mybro-exec that is gone left recorded (never a living one's:
    /// its lock is held; never another user's, nor through a root that is no longer the folder
    /// recorded); returns a line for each repository put back. A record that cannot be read,
    /// or whose roots changed, is set aside (renamed `.corrupt` or `.stale`) with a warning.
    @discardableResult
    static func replay(in folder: String = folder()) -> [String] {
        // Made here, before any job runs: a job given mybro's state folder (mybro-gpu's) has
        // every entry that exists then hidden from it, so it can never plant a record.
        try? FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var lines: [String] = []
        for name in names.sorted() where name.hasPrefix("p") && name.hasSuffix(".json") {
            let path = folder + "/" + name
            let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            var info = stat()
            guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == getuid(),
                flock(descriptor, LOCK_EX | LOCK_NB) == 0
            else { continue }
            guard let data = try? FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).readToEnd(),
                let files = try? JSONDecoder().decode(GitControlFiles.self, from: data)
            else {
                rename(path, path + ".corrupt")
                Log.shared.warning("cannot read \(path), left by a mybro-exec that was killed: set aside as .corrupt")
                continue
            }
            guard files.rootsAreAsRecorded() else {
                rename(path, path + ".stale")
                Log.shared.warning(
                    "\(files.place) is no longer the folder a killed mybro-exec recorded: nothing put back"
                        + " (\(path).stale)")
                continue
            }
            // The keeper marks the record (mode 0400) once the last of the job's processes is
            // gone; unmarked (the keeper killed too, a power cut), the end is not known and
            // everything recorded is put back.
            let ended = info.st_mode & 0o200 == 0 ? info.st_mtim : nil
            let result = files.restore(jobEndedAt: ended)
            if !result.putBack.isEmpty {
                lines.append("\(files.place): put back \(result.putBack.joined(separator: ", "))")
            }
            if !result.leftAlone.isEmpty {
                lines.append(
                    "\(files.place): left as changed after the job ended: "
                        + result.leftAlone.joined(separator: ", "))
            }
            if !result.saved.isEmpty {
                lines.append(
                    "\(files.place): changed after the job ended, kept beside as \(LaterChange.savedSuffix): "
                        + result.saved.joined(separator: ", "))
            }
            unlink(path)
        }
        return lines
    }
}
