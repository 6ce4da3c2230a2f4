import Foundation
import MybroCore

/// Whether a fetch step may write its store through its layer (`sandbox store`): only where it
/// runs no program the workspace chooses. The next build outside any sandbox trusts what lies
/// in the store (cargo never checks an unpacked crate's sources again), so a fetch that runs a
/// workspace's program with the store writable would plant code in every later build.
///
/// cargo runs `rustc -vV` during a fetch or an update, and the workspace can choose that
/// program: `[build] rustc` or `rustc-wrapper` and `[env]` (an `LD_PRELOAD` for it) in a
/// `.cargo/config.toml` of the workspace or any folder above it, a `rust-toolchain.toml` that
/// names a toolchain by path (rustup then runs that folder's cargo), or `--config` and `-Z` on
/// the command line. go's module commands run no program of the module's; a `-toolexec` or
/// `-exec` flag would.
enum StoreGuard {
    static func runsNothingOfTheWorkspace(
        tool: String, arguments: [String], workspace: String, home: String = SafetyPolicy.home
    ) -> Bool {
        switch tool {
        case "cargo":
            let steering = ["--config", "-Z", "--manifest-path", "-m"]
            if arguments.contains(where: { argument in
                steering.contains { argument == $0 || argument.hasPrefix($0 + "=") }
                    // a group of short flags: "-Zgitoxide", "-vZgitoxide", "-qm path"
                    || (argument.hasPrefix("-") && !argument.hasPrefix("--")
                        && argument.dropFirst().contains {
                            $0 == "Z" || $0 == "m"
                        })
            }) {
                return false
            }
            // The lock file cargo writes: a link there would write it into the store.
            if !isPlainFileOrAbsent(workspace + "/Cargo.lock") || !isPlainFileOrAbsent(workspace + "/Cargo.toml") {
                return false
            }
            let names = [".cargo/config", ".cargo/config.toml", "rust-toolchain", "rust-toolchain.toml"]
            return ![workspace, LandlockRuleset.realPath(workspace) ?? workspace].contains {
                anyFolderUp(from: $0, holds: names, skipping: home)
            }
        case "go":
            // -modfile writes a go.mod-format file wherever it names (a cached module's .mod);
            // -o (go mod vendor's, go build's) empties and fills a folder it names, which a
            // link in the workspace can lead into the store; -C moves go to another folder,
            // whose go.mod (a link into the store) go mod tidy then rewrites.
            if arguments.contains(where: { argument in
                ["-toolexec", "-exec", "-modfile", "-o", "-C"].contains {
                    argument == $0 || argument.hasPrefix($0 + "=") || argument == "-" + $0
                        || argument.hasPrefix("-" + $0 + "=")
                }
            }) {
                return false
            }
            return ["go.mod", "go.sum", "go.work", "go.work.sum"].allSatisfy {
                isPlainFileOrAbsent(workspace + "/" + $0)
            }
        default:
            return true
        }
    }

    /// Whether `path` is a regular file (not a link) or does not exist.
    static func isPlainFileOrAbsent(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT }
        return info.st_mode & S_IFMT == S_IFREG && info.st_nlink == 1
    }

    /// Whether the folder or one above it, but `skipping` (the home folder: cargo reads its
    /// `.cargo/config.toml` anyway, as the user's own, and no job may write there), holds one of
    /// `names` (any kind of entry, a link too).
    static func anyFolderUp(from folder: String, holds names: [String], skipping: String) -> Bool {
        var folder = URL(fileURLWithPath: folder).standardizedFileURL.path
        while true {
            for name in names where folder != skipping {
                var info = stat()
                if lstat(folder == "/" ? "/" + name : folder + "/" + name, &info) == 0 { return true }
            }
            if folder == "/" { return false }
            folder = (folder as NSString).deletingLastPathComponent
            if folder.isEmpty { folder = "/" }
        }
    }
}
