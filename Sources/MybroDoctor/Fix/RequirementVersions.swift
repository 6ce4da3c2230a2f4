import Foundation
import MybroCore

/// Versions to pin requirements to: a lock file's first (uv.lock, poetry.lock, Pipfile.lock),
/// else what is installed in the project's virtual environment (or for python3).
struct RequirementVersions {
    private var versions: [String: String] = [:]
    private let root: String
    private var askedInstalled = false

    init(root: String) {
        self.root = root
        for lock in ["uv.lock", "poetry.lock", "pdm.lock"] {
            guard let text = try? String(contentsOfFile: root + "/" + lock, encoding: .utf8) else { continue }
            var name: String?
            for line in text.split(separator: "\n") {
                if line.hasPrefix("[[package]]") { name = nil }
                if line.hasPrefix("name = ") { name = Self.normalized(Self.quotedValue(line)) }
                if line.hasPrefix("version = "), let current = name, versions[current] == nil {
                    versions[current] = Self.quotedValue(line)
                }
            }
        }
        if let data = FileManager.default.contents(atPath: root + "/Pipfile.lock"),
            case .object(let lock)? = try? JSONParser.parse(String(decoding: data, as: UTF8.self))
        {
            for section in ["default", "develop"] {
                guard let packages = lock[section]?.objectValue else { continue }
                for (name, value) in packages {
                    if let version = value.objectValue?["version"]?.stringValue, version.hasPrefix("==") {
                        versions[Self.normalized(name), default: String(version.dropFirst(2))] = String(
                            version.dropFirst(2))
                    }
                }
            }
        }
    }

    static func quotedValue(_ line: Substring) -> String {
        let parts = line.split(separator: "\"")
        return parts.count >= 2 ? String(parts[1]) : ""
    }

    static func normalized(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
    }

    /// The requirement line pinned (`name[extras]==version ; marker  # comment`), or nil when no
    /// version is known.
    mutating func pin(_ line: String) -> String? {
        let commentStart = line.range(of: " #")?.lowerBound ?? line.endIndex
        let requirement = line[..<commentStart]
        let comment = line[commentStart...]
        let parts = requirement.split(separator: ";", maxSplits: 1)
        guard let specification = parts.first?.trimmingCharacters(in: .whitespaces), !specification.isEmpty else {
            return nil
        }
        let name = String(specification.prefix { $0.isLetter || $0.isNumber || "._-".contains($0) })
        guard !name.isEmpty else { return nil }
        var extras = ""
        let afterName = specification.dropFirst(name.count)
        if afterName.hasPrefix("["), let close = afterName.firstIndex(of: "]") {
            extras = String(afterName[...close])
        }
        guard let version = version(of: name) else { return nil }
        var pinned = "\(name)\(extras)==\(version)"
        if parts.count > 1 { pinned += " ;" + parts[1] }
        return pinned + comment
    }

    private mutating func version(of name: String) -> String? {
        let key = Self.normalized(name)
        if let version = versions[key] { return version }
        if !askedInstalled {
            askedInstalled = true
            let python =
                [".venv/bin/python", "venv/bin/python"].map { root + "/" + $0 }
                .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "python3"
            let script =
                "import importlib.metadata as m\nfor d in m.distributions():\n print(d.metadata['Name'], d.version)"
            if let captured = try? ChildProcess.capture(
                arguments: [python, "-c", script], directory: root, timeout: 60),
                captured.status == 0
            {
                for line in String(decoding: captured.stdout, as: UTF8.self).split(separator: "\n") {
                    let fields = line.split(separator: " ")
                    if fields.count == 2, versions[Self.normalized(String(fields[0]))] == nil {
                        versions[Self.normalized(String(fields[0]))] = String(fields[1])
                    }
                }
            }
        }
        return versions[key]
    }
}
