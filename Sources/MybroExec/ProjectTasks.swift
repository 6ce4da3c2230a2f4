import Foundation
import MybroCore

/// The workspace's own test, build and lint commands, found from the files at its root.
public enum ProjectTasks {
    /// The command for `task` in `directory`, or nil when the project type is unknown.
    public static func command(for task: Intent.Task, in directory: String) -> String? {
        let files = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        let makefile = files.contains("Makefile") || files.contains("makefile") || files.contains("GNUmakefile")
        if makefile, let target = makeTarget(for: task, directory: directory) { return "make \(target)" }
        if files.contains("Package.swift") {
            switch task {
            case .test: return "swift test"
            case .build: return "swift build"
            case .lint: return "swift format lint --recursive Sources Tests"
            }
        }
        if files.contains("Cargo.toml") {
            switch task {
            case .test: return "cargo test"
            case .build: return "cargo build"
            case .lint: return "cargo clippy"
            }
        }
        if files.contains("go.mod") {
            switch task {
            case .test: return "go test ./..."
            case .build: return "go build ./..."
            case .lint: return "go vet ./..."
            }
        }
        if files.contains("package.json") {
            switch task {
            case .test: return "npm test"
            case .build: return "npm run build"
            case .lint: return "npm run lint"
            }
        }
        if files.contains("pyproject.toml") || files.contains("setup.py") || files.contains("pytest.ini")
            || files.contains("tests")
        {
            switch task {
            case .test: return "python3 -m pytest"
            case .build: return nil
            case .lint: return "ruff check"
            }
        }
        return nil
    }

    /// A Makefile target that does the task (`test` or `check`, `build` or `all`, `lint`).
    static func makeTarget(for task: Intent.Task, directory: String) -> String? {
        let names = ["Makefile", "makefile", "GNUmakefile"]
        guard
            let text = names.lazy.compactMap({ try? String(contentsOfFile: directory + "/" + $0, encoding: .utf8) })
                .first
        else { return nil }
        let targets = Set(
            text.split(separator: "\n").compactMap { line -> String? in
                guard let colon = line.firstIndex(of: ":"), !line.hasPrefix("\t"), !line.hasPrefix(" ") else {
                    return nil
                }
                let name = line[..<colon].trimmingCharacters(in: .whitespaces)
                return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } ? name : nil
            })
        let wanted: [String]
        switch task {
        case .test: wanted = ["test", "check"]
        case .build: wanted = ["build", "all"]
        case .lint: wanted = ["lint"]
        }
        return wanted.first { targets.contains($0) }
    }
}
