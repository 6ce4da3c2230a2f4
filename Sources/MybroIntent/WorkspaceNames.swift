import Foundation

/// The file and folder names of the workspace, so a spoken "the sources folder" becomes
/// `Sources` and "the readme" `README.md`. Names are compared by their letters and digits
/// only, without case ("package swift", "Package.swift" and "package.swift" are one name).
public struct WorkspaceNames: Sendable {
    /// Paths relative to the workspace; a folder's path ends with "/".
    public private(set) var paths: [String]
    /// The targets of the workspace's Makefile ("train", "bench"), for "run the training on an H100".
    public private(set) var makeTargets: Set<String> = []

    /// The first (shallowest) path for each name's letters: a request's words are looked up
    /// many times (every run of words in a long sentence), in a tree of up to 5,000 paths.
    private var filesByName: [String: String] = [:]
    private var filesByStem: [String: String] = [:]
    private var foldersByName: [String: String] = [:]

    public init(paths: [String], makeTargets: Set<String> = []) {
        self.makeTargets = makeTargets
        // Shallow paths first: "tests" is the top folder rather than a nested one of that name.
        self.paths = paths.sorted { ($0.split(separator: "/").count, $0) < ($1.split(separator: "/").count, $1) }
        for path in self.paths {
            if path.hasSuffix("/") {
                let name = Self.letters(String(path.dropLast().split(separator: "/").last ?? ""))
                if !name.isEmpty, foldersByName[name] == nil { foldersByName[name] = String(path.dropLast()) }
                continue
            }
            let base = String(path.split(separator: "/").last ?? "")
            let name = Self.letters(base)
            if !name.isEmpty, filesByName[name] == nil { filesByName[name] = path }
            if let dot = base.lastIndex(of: "."), dot != base.startIndex {
                let stem = Self.letters(String(base[..<dot]))
                if !stem.isEmpty, filesByStem[stem] == nil { filesByStem[stem] = path }
            }
        }
    }

    /// Whether the workspace has any folder: where it has none (or was not read), a folder
    /// name is taken as spoken.
    public var hasFolders: Bool { !foldersByName.isEmpty }

    /// No names: every name is taken as spoken.
    public static let empty = WorkspaceNames(paths: [])

    /// The workspace's files and folders to `depth` levels, skipping hidden folders and build
    /// output, at most `limit` paths (a large tree costs start-up time, not accuracy).
    public static func scan(directory: String, depth: Int = 3, limit: Int = 5000) -> WorkspaceNames {
        let skipped: Set<String> = [".git", ".build", "node_modules", "target", "__pycache__", ".venv", "venv", "dist"]
        var paths: [String] = []
        var queue: [(String, Int)] = [("", 1)]
        let manager = FileManager.default
        while !queue.isEmpty, paths.count < limit {
            let (relative, level) = queue.removeFirst()
            let absolute = relative.isEmpty ? directory : directory + "/" + relative
            guard let names = try? manager.contentsOfDirectory(atPath: absolute) else { continue }
            for name in names.sorted() where !skipped.contains(name) {
                let path = relative.isEmpty ? name : relative + "/" + name
                var isDirectory: ObjCBool = false
                guard manager.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    paths.append(path + "/")
                    if level < depth, !name.hasPrefix(".") { queue.append((path, level + 1)) }
                } else {
                    paths.append(path)
                }
            }
        }
        return WorkspaceNames(paths: paths, makeTargets: makeTargets(directory: directory))
    }

    /// The explicit targets of the workspace's Makefile: names before a ":" at the start of a
    /// line (not `:=` assignments, not special targets such as `.PHONY`, not pattern rules).
    static func makeTargets(directory: String) -> Set<String> {
        guard
            let text = ["GNUmakefile", "makefile", "Makefile"].lazy.compactMap({
                try? String(contentsOfFile: directory + "/" + $0, encoding: .utf8)
            }).first
        else { return [] }
        var targets: Set<String> = []
        for line in text.split(separator: "\n").prefix(5000) {
            guard let first = line.first, first.isLetter || first.isNumber || first == "_",
                let colon = line.firstIndex(of: ":"), !line[colon...].hasPrefix(":=")
            else { continue }
            for name in line[..<colon].split(separator: " ")
            where name.allSatisfy({ $0.isLetter || $0.isNumber || "_.-".contains($0) }) {
                targets.insert(String(name))
            }
        }
        return targets
    }

    static func letters(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// The folder a spoken name means ("sources" → "Sources", "sources slash app" →
    /// "Sources/App"), or nil.
    func folder(_ spoken: String) -> String? {
        // A transcript may write the path as typed ("Sources/App").
        let spoken = spoken.replacingOccurrences(of: "/", with: " slash ")
        let components = spoken.split(separator: " ").split(separator: "slash").map { $0.joined(separator: " ") }
        if components.count > 1 {
            let wanted = components.map(Self.letters)
            return paths.first { path in
                guard path.hasSuffix("/") else { return false }
                let parts = path.dropLast().split(separator: "/").map { Self.letters(String($0)) }
                return parts.count >= wanted.count && Array(parts.suffix(wanted.count)) == wanted
            }.map { String($0.dropLast()) }
        }
        let wanted = Self.letters(spoken)
        guard !wanted.isEmpty else { return nil }
        return foldersByName[wanted]
    }

    /// The file a spoken name means: the whole name ("package swift" → "Package.swift"), else
    /// the name without its extension ("readme" → "README.md").
    func file(_ spoken: String) -> String? {
        // Written as a path ("docs/guide.md"): that path, wherever its last parts match.
        if spoken.contains("/") {
            let wanted = spoken.split(separator: "/").map { Self.letters(String($0)) }.filter { !$0.isEmpty }
            if let found = paths.first(where: { path in
                guard !path.hasSuffix("/") else { return false }
                let parts = path.split(separator: "/").map { Self.letters(String($0)) }
                return parts.count >= wanted.count && Array(parts.suffix(wanted.count)) == wanted
            }) {
                return found
            }
        }
        let wanted = Self.letters(spoken)
        guard !wanted.isEmpty else { return nil }
        return filesByName[wanted] ?? filesByStem[wanted]
    }
}
