import CMybroProcess
import Foundation

/// A Landlock ruleset for a job: it may read the whole system except `hidden`, and write only
/// beneath `writable` (plus the harmless device files every program expects). Handed to
/// `ChildProcess.Options.sandbox`, it is applied in the job between fork and exec, after
/// no_new_privs; the kernel then also refuses the job ptrace-style access (reading
/// /proc/PID/environ or memory) to any process outside its sandbox, and, from ABI 6, signals
/// to them.
public final class LandlockRuleset: Sendable {
    public let descriptor: Int32
    /// Paths that could not be kept from the job (hidden beneath a writable path), for a warning.
    public let unhidden: [String]
    /// How many rules the ruleset holds (its build cost grows with them).
    public let ruleCount: Int

    /// The kernel's Landlock ABI version; 0 where it has none.
    public static let abi = Int(mybro_landlock_abi())

    public struct Request: Sendable {
        public var writable: [String] = []
        public var hidden: [String] = []
        /// When false, TCP connect and bind are refused (Landlock ABI 4 and later).
        public var network = true

        public init(writable: [String] = [], hidden: [String] = [], network: Bool = true) {
            self.writable = writable
            self.hidden = hidden
            self.network = network
        }
    }

    /// Device files any program may write (they store nothing of the user's).
    static let writableDevices = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"]
    public static let writableDeviceTrees = ["/dev/pts", "/dev/shm"]

    /// Builds the ruleset; nil where the kernel has no Landlock.
    public static func make(_ request: Request) throws -> LandlockRuleset? {
        let abi = Int32(Self.abi)
        guard abi > 0 else { return nil }
        let all = mybro_landlock_fs_rights(abi)
        let read = mybro_landlock_fs_read_rights(abi)
        let file = mybro_landlock_file_rights(abi)
        let network: UInt64 =
            !request.network && abi >= 4 ? UInt64(MYBRO_LANDLOCK_NET_BIND_TCP | MYBRO_LANDLOCK_NET_CONNECT_TCP) : 0
        let scoped: UInt64 =
            abi >= 6 ? UInt64(MYBRO_LANDLOCK_SCOPE_SIGNAL | MYBRO_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET) : 0
        let fd = mybro_landlock_create(all, network, scoped)
        guard fd >= 0 else {
            throw MybroError("cannot create the job sandbox: \(SystemIO.describe(-fd))", status: .software)
        }
        var builder = RuleBuilder(ruleset: fd, hidden: Set(request.hidden.compactMap(realPath)))
        do {
            try builder.grantReadable("/", rights: read)
            for path in writableDevices { try builder.allow(path, file, optional: true) }
            for path in writableDeviceTrees { try builder.allow(path, all, optional: true) }
            for path in request.writable { try builder.allow(path, all, optional: true) }
        } catch {
            close(fd)
            throw error
        }
        let writable = request.writable.compactMap(realPath)
        let unhidden = builder.hidden.filter { hidden in writable.contains { isWithin(hidden, $0) } }.sorted()
        return LandlockRuleset(descriptor: fd, unhidden: unhidden, ruleCount: builder.rules)
    }

    private init(descriptor: Int32, unhidden: [String], ruleCount: Int) {
        self.descriptor = descriptor
        self.unhidden = unhidden
        self.ruleCount = ruleCount
    }

    deinit { close(descriptor) }

    /// The path with its links resolved; nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` is `ancestor` or beneath it.
    static func isWithin(_ path: String, _ ancestor: String) -> Bool {
        path == ancestor || ancestor == "/" || path.hasPrefix(ancestor + "/")
    }

    /// Walks down from / along the hidden paths only, granting read access to everything beside them.
    private struct RuleBuilder {
        let ruleset: Int32
        let hidden: Set<String>
        var rules = 0

        init(ruleset: Int32, hidden: Set<String>) {
            self.ruleset = ruleset
            self.hidden = hidden
        }

        mutating func grantReadable(_ directory: String, rights: UInt64) throws {
            if hidden.contains(directory) { return }
            guard hidden.contains(where: { $0 != directory && LandlockRuleset.isWithin($0, directory) }) else {
                return try allow(directory, rights, optional: true)
            }
            // An ancestor of something hidden: it is not itself granted (so it cannot be listed),
            // but each of its entries is, apart from the hidden ones.
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names {
                let child = directory == "/" ? "/" + name : directory + "/" + name
                var info = stat()
                guard lstat(child, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFLNK {
                    // A link is granted through its target, which must not lead to anything hidden.
                    guard let target = LandlockRuleset.realPath(child),
                        !hidden.contains(where: {
                            LandlockRuleset.isWithin($0, target) || LandlockRuleset.isWithin(target, $0)
                        })
                    else { continue }
                    try allow(target, rights, optional: true)
                } else {
                    try grantReadable(child, rights: rights)
                }
            }
        }

        mutating func allow(_ path: String, _ rights: UInt64, optional: Bool) throws {
            let result = mybro_landlock_allow_path(ruleset, path, rights)
            if result == 0 {
                rules += 1
            } else if !optional || (-result != ENOENT && -result != EACCES && -result != ENOTDIR) {
                throw MybroError(
                    "cannot add \(path) to the job sandbox: \(SystemIO.describe(-result))", status: .software)
            }
        }
    }
}
