import Foundation

/// Contextual biasing for spoken coding commands: an initial prompt made of coding words and
/// the workspace's own Makefile targets and file names, so Whisper spells "README", "lint" or
/// "Package.swift" as the workspace does (`mybro-transcribe --workspace-prompt DIR`).
public enum WorkspacePrompt {
    /// Words of spoken coding requests that Whisper tiny.en tends to mishear without context.
    public static let codingWords = [
        "git status", "git diff", "commit", "branch", "merge", "stash", "push", "pull", "make", "lint",
        "build", "test", "README", "Makefile", "Swift", "release", "never mind", "undo",
    ]

    /// At most this many characters of names from the workspace (the prompt's token budget is
    /// half the text context; a short prompt also keeps the decoder's prefill cheap).
    public static let maximumNameCharacters = 240

    /// The prompt for `directory`: coding words, then Makefile targets, then the names of the
    /// directory's visible entries (and of `Sources/`'s), as one comma-separated sentence.
    public static func text(directory: String, fileManager: FileManager = .default) -> String {
        var names: [String] = []
        if let makefile = try? String(contentsOfFile: directory + "/Makefile", encoding: .utf8) {
            names += makefileTargets(makefile)
        }
        for folder in [directory, directory + "/Sources"] {
            let entries = (try? fileManager.contentsOfDirectory(atPath: folder)) ?? []
            names += entries.filter { !$0.hasPrefix(".") }.sorted()
        }
        return compose(names: names)
    }

    /// The coding words and `names` (deduplicated, case-insensitively, in order, up to
    /// `maximumNameCharacters`) as one comma-separated list ending in a full stop.
    public static func compose(names: [String]) -> String {
        var seen = Set(codingWords.map { $0.lowercased() })
        var chosen: [String] = []
        var length = 0
        for name in names {
            let key = name.lowercased()
            guard !seen.contains(key), length + name.count + 2 <= maximumNameCharacters else { continue }
            seen.insert(key)
            chosen.append(name)
            length += name.count + 2
        }
        return (codingWords + chosen).joined(separator: ", ") + "."
    }

    /// The explicit targets of a Makefile: `name:` at the start of a line, not a variable
    /// assignment (`:=`), not a special target (`.PHONY`), not a pattern (`%`).
    public static func makefileTargets(_ text: String) -> [String] {
        var targets: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let first = line.first, first != "\t", first != "#", first != " ",
                let colon = line.firstIndex(of: ":")
            else { continue }
            let after = line[line.index(after: colon)...]
            if after.hasPrefix("=") { continue }
            for target in line[..<colon].split(separator: " ") {
                let name = String(target)
                if name.hasPrefix(".") || name.contains("%") || name.contains("$") || name.contains("=") { continue }
                if !targets.contains(name) { targets.append(name) }
            }
        }
        return targets
    }
}
