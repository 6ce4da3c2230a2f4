import Foundation

/// Finds the toolkit's commands the way git finds its subcommands: beside the running
/// `mybro` first, then on PATH.
public struct CommandLocator: Sendable {
    public var directories: [String]

    public init(
        executablePath: String = CommandLocator.currentExecutablePath(),
        path: String = ProcessInfo.processInfo.environment["PATH"] ?? ""
    ) {
        var directories = [(executablePath as NSString).deletingLastPathComponent]
        for entry in path.split(separator: ":", omittingEmptySubsequences: true) {
            let directory = String(entry)
            if !directories.contains(directory) { directories.append(directory) }
        }
        self.directories = directories
    }

    /// The path of the running executable (resolving /proc/self/exe on Linux).
    public static func currentExecutablePath() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return CommandLine.arguments.first ?? "mybro"
    }

    /// The executable `mybro-NAME`, if one is installed.
    public func locate(_ name: String) -> String? {
        guard isValidName(name) else { return nil }
        for directory in directories {
            let candidate = directory + "/mybro-" + name
            if access(candidate, X_OK) == 0, !isDirectory(candidate) { return candidate }
        }
        return nil
    }

    /// Every installed `mybro-*` command name (without the prefix), sorted, first found wins.
    public func installedNames() -> [String: String] {
        var found: [String: String] = [:]
        for directory in directories {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for entry in entries where entry.hasPrefix("mybro-") {
                let name = String(entry.dropFirst("mybro-".count))
                let path = directory + "/" + entry
                guard found[name] == nil, isValidName(name), access(path, X_OK) == 0, !isDirectory(path) else {
                    continue
                }
                found[name] = path
            }
        }
        return found
    }

    /// Command names are words: no path separators, no dots (so `mybro-x.product` folders
    /// and editor backups are not commands).
    private func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
