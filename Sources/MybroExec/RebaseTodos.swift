import Foundation
import MybroCore

/// An interactive rebase or a cherry-pick series that a job leaves unfinished keeps its to-do
/// list in the repository; an `exec` line there runs a command at the user's next
/// `git rebase --continue`, outside any sandbox. The lists are recorded before a job, and an
/// `exec` line the job added is commented out after it (the rest of the list, and so the
/// user's rebase, stays as the job left it).
extension GitControlFiles {
    static let rebaseTodoNames = ["rebase-merge/git-rebase-todo", "sequencer/todo"]

    /// Files of an unfinished rebase or sequencer that name a program git runs at `--continue`
    /// (a merge strategy is found as `git-merge-NAME`, a path relative to the work tree): put
    /// back byte for byte like a hook.
    static let sequencerProgramFiles = [
        "rebase-merge/strategy", "rebase-merge/strategy_opts", "rebase-apply/strategy", "sequencer/opts",
    ]

    /// Records the to-do lists and strategy files of the git directory `folder` (the top one's
    /// by default; each nested repository's too).
    mutating func watchRebaseTodos(in folder: String? = nil) {
        let folder = folder ?? gitDirectory
        var budget = 1 << 20
        for name in Self.sequencerProgramFiles { watch(folder + "/" + name, budget: &budget) }
        var before = rebaseTodosBefore ?? [:]
        for name in Self.rebaseTodoNames {
            let path = folder + "/" + name
            before[path] = Self.todoLines(path, roots: roots) ?? []
        }
        rebaseTodosBefore = before
    }

    /// An unfinished rebase, cherry-pick or am in a git directory: set aside whole.
    static func setAsideSequencerState(in folder: String) {
        for name in ["rebase-merge", "rebase-apply", "sequencer"] { _ = setAside(folder + "/" + name) }
    }

    /// Comments out the `exec` lines the job added; returns the lists it changed.
    func restoreRebaseTodos() -> [String] {
        var changed: [String] = []
        for (path, before) in (rebaseTodosBefore ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let lines = Self.todoLines(path, roots: roots) else { continue }
            let had = Set(before)
            var edited = false
            let kept = lines.map { line -> String in
                guard Self.runsCommand(line), !had.contains(line) else { return line }
                edited = true
                return "# put back by mybro-exec: " + line
            }
            guard edited, Self.makeRealFolders(above: path, roots: roots) else { continue }
            unlink(path)
            FileManager.default.createFile(atPath: path, contents: Data((kept.joined(separator: "\n") + "\n").utf8))
            changed.append(path)
        }
        return changed
    }

    /// `exec CMD` or `x CMD` (how git spells a command line in a to-do list).
    static func runsCommand(_ line: String) -> Bool {
        let word = line.drop { $0 == " " || $0 == "\t" }.prefix { $0 != " " && $0 != "\t" }
        return word == "exec" || word == "x"
    }

    /// A to-do list's lines; nil where there is none (or it is no regular file reached
    /// without a link).
    static func todoLines(_ path: String, roots: [String]) -> [String]? {
        var budget = 1 << 20
        guard case .file(let data, _) = read(path, budget: &budget, roots: roots) else { return nil }
        // Split as git splits: at each newline byte, a carriage return before it dropped (as a
        // Character, "\r\n" is one, and a line glued on with it would pass as part of another).
        var lines = data.split(separator: 10, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
