import Foundation
import MybroCore

/// Writing results: a `--save` file and this machine's profile, each replaced atomically so that
/// a killed run or a full disk never leaves half a file behind.
public enum BenchFiles {
    public static func save(
        _ run: BenchRun, to path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(MybroError) {
        try write(run.jsonLines, to: path)
        let profile = BenchRun.profilePath(environment: environment)
        do {
            try FileManager.default.createDirectory(
                atPath: (profile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw MybroError("cannot create \(profile)'s folder (\(error.localizedDescription))", status: .ioError)
        }
        try write(run.jsonLines, to: profile)
    }

    /// Writes to a temporary file beside `path`, syncs it, and renames it over `path`.
    public static func write(_ text: String, to path: String) throws(MybroError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw MybroError("cannot write \(path): \(String(cString: strerror(errno)))", status: .ioError)
        }
        let writeError = SystemIO.writeAll(fd, text)
        let synced = writeError == 0 && fsync(fd) == 0
        let error = writeError != 0 ? writeError : errno
        close(fd)
        guard synced else {
            unlink(temporary)
            throw MybroError("cannot write \(path): \(String(cString: strerror(error)))", status: .ioError)
        }
        guard rename(temporary, path) == 0 else {
            let error = errno
            unlink(temporary)
            throw MybroError("cannot write \(path): \(String(cString: strerror(error)))", status: .ioError)
        }
    }
}
