import Foundation
import MybroCore

/// The workspace's own test, build, lint, format and run commands, found from the files at its root.
public enum ProjectTasks {
    /// The command for `task` (built in `mode`) in `directory`, or nil when the project type is unknown.
    public static func command(for task: Intent.Task, mode: Intent.Mode? = nil, in directory: String) -> String? {
        let files = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        let release = mode == .release
        let makefile = files.contains("Makefile") || files.contains("makefile") || files.contains("GNUmakefile")
        // A release build goes through make only when the Makefile has a `release` target; the
        // language's own tool builds it otherwise.
        if makefile, !release, let target = makeTarget(for: task, directory: directory) { return "make \(target)" }
        if makefile, release, task == .build, makeTargets(directory: directory).contains("release") {
            return "make release"
        }
        if files.contains("Package.swift") {
            let configuration = release ? " -c release" : ""
            switch task {
            case .test: return "swift test" + configuration
            case .build: return "swift build" + configuration
            case .lint: return "swift format lint --recursive Sources Tests"
            case .format: return "swift format format --in-place --recursive Sources Tests"
            case .start: return "swift run" + configuration
            }
        }
        if files.contains("Cargo.toml") {
            let configuration = release ? " --release" : ""
            switch task {
            case .test: return "cargo test" + configuration
            case .build: return "cargo build" + configuration
            case .lint: return "cargo clippy"
            case .format: return "cargo fmt"
            case .start: return "cargo run" + configuration
            }
        }
        if files.contains("go.mod") {
            switch task {
            case .test: return "go test ./..."
            case .build: return "go build ./..."
            case .lint: return "go vet ./..."
            case .format: return "gofmt -w ."
            case .start: return "go run ."
            }
        }
        if files.contains("package.json") {
            switch task {
            case .test: return "npm test"
            case .build: return "npm run build"
            case .lint: return "npm run lint"
            case .format: return "npm run format"
            case .start: return "npm start"
            }
        }
        if files.contains("pyproject.toml") || files.contains("setup.py") || files.contains("pytest.ini")
            || files.contains("tests")
        {
            switch task {
            case .test: return "python3 -m pytest"
            case .build, .start: return nil
            case .lint: return "ruff check"
            case .format: return "ruff format"
            }
        }
        return nil
    }

    /// A Makefile target that does the task (`test` or `check`, `build` or `all`, `lint`, …).
    static func makeTarget(for task: Intent.Task, directory: String) -> String? {
        let targets = makeTargets(directory: directory)
        let wanted: [String]
        switch task {
        case .test: wanted = ["test", "check"]
        case .build: wanted = ["build", "all"]
        case .lint: wanted = ["lint"]
        case .format: wanted = ["format", "fmt"]
        case .start: wanted = ["run", "start"]
        }
        return wanted.first { targets.contains($0) }
    }

    /// The targets a Makefile at the root names.
    static func makeTargets(directory: String) -> Set<String> {
        let names = ["Makefile", "makefile", "GNUmakefile"]
        guard
            let text = names.lazy.compactMap({ try? String(contentsOfFile: directory + "/" + $0, encoding: .utf8) })
                .first
        else { return [] }
        return Set(
            text.split(separator: "\n").compactMap { line -> String? in
                guard let colon = line.firstIndex(of: ":"), !line.hasPrefix("\t"), !line.hasPrefix(" ") else {
                    return nil
                }
                let name = line[..<colon].trimmingCharacters(in: .whitespaces)
                return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } ? name : nil
            })
    }
}
