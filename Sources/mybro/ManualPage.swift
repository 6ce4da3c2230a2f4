import Foundation
import MybroCore

/// `mybro help NAME`: the manual page of mybro-NAME, from the installed manuals or, in a
/// build tree, from the man/ folder beside the binaries; its --help when no page exists.
enum ManualPage {
    static func show(_ name: String, locator: CommandLocator) throws -> Never {
        let page = name == "mybro" ? "mybro" : "mybro-\(name)"
        guard name == "mybro" || locator.locate(name) != nil else {
            throw MybroError("'\(name)' is not a mybro command; see `mybro --list`", status: .usage)
        }
        let binDirectory = (CommandLocator.currentExecutablePath() as NSString).deletingLastPathComponent
        let candidates = [
            "\(binDirectory)/../share/man/man1/\(page).1",
            "\(binDirectory)/../../man/man1/\(page).1",
            "\(binDirectory)/../../../man/man1/\(page).1",
        ]
        if let man = locator.findOnPath("man") {
            if let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) {
                try Launcher.replaceProcess(with: man, arguments: ["-l", (file as NSString).standardizingPath])
            }
            try Launcher.replaceProcess(with: man, arguments: [page])
        }
        if let path = locator.locate(name) {
            try Launcher.replaceProcess(with: path, arguments: ["--help"])
        }
        throw MybroError("no manual page for \(page) and `man` is not installed", status: .unavailable)
    }
}

extension CommandLocator {
    /// Any executable on PATH (not only mybro-* commands).
    func findOnPath(_ program: String) -> String? {
        for directory in directories.dropFirst() {
            let candidate = directory + "/" + program
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
