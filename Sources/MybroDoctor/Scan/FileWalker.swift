import Foundation

/// One file to scan: where it is on disk and what it is called in findings.
struct SourceFile: Sendable {
    /// The path to open (the root joined with the raw name bytes, so names that are not UTF-8
    /// still open).
    let diskPath: [UInt8]
    /// Relative to the scanned root, for findings (not UTF-8 bytes appear as U+FFFD).
    let relative: String
    let size: Int
    /// Any execute bit is set (scripts that are run rather than sourced).
    var executable = false
}

/// Walks a directory tree depth-first, honouring .gitignore files (and .git/info/exclude)
/// unless told not to, never following symbolic links (so links cannot loop) and skipping
/// version-control folders.
struct FileWalker {
    var honourIgnoreFiles = true
    /// Unreadable folders met on the way, for one warning each.
    private(set) var unreadable: [String] = []

    private struct Pending {
        var disk: [UInt8]
        var relative: String
        var rules: IgnoreRules
    }

    mutating func files(under root: String) -> [SourceFile] {
        var result: [SourceFile] = []
        var rootRules = IgnoreRules()
        if honourIgnoreFiles, let exclude = try? String(contentsOfFile: root + "/.git/info/exclude", encoding: .utf8) {
            rootRules.add(contents: exclude, base: "")
        }
        var stack = [Pending(disk: Array(root.utf8), relative: "", rules: rootRules)]
        while let directory = stack.popLast() {
            var rules = directory.rules
            if honourIgnoreFiles {
                let ignoreFile = String(decoding: directory.disk, as: UTF8.self) + "/.gitignore"
                if let data = FileManager.default.contents(atPath: ignoreFile) {
                    rules.add(contents: String(decoding: data, as: UTF8.self), base: directory.relative)
                }
            }
            var children: [Pending] = []
            let opened: OpaquePointer? = (directory.disk + [0]).withUnsafeBufferPointer { pointer in
                pointer.withMemoryRebound(to: CChar.self) { opendir($0.baseAddress!) }
            }
            guard let handle = opened else {
                unreadable.append(directory.relative.isEmpty ? "." : directory.relative)
                continue
            }
            while let entry = readdir(handle) {
                let nameBytes: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    let bytes = raw.bindMemory(to: UInt8.self)
                    let length = bytes.firstIndex(of: 0) ?? bytes.count
                    return Array(bytes[0..<length])
                }
                if nameBytes == [0x2E] || nameBytes == [0x2E, 0x2E] { continue }
                let name = String(decoding: nameBytes, as: UTF8.self)
                if name == ".git" || name == ".hg" || name == ".svn" { continue }
                let disk = directory.disk + [0x2F] + nameBytes
                let relative = directory.relative.isEmpty ? name : directory.relative + "/" + name
                var kind = entry.pointee.d_type
                var info = stat()
                let statOK = (disk + [0]).withUnsafeBufferPointer { pointer in
                    pointer.withMemoryRebound(to: CChar.self) { lstat($0.baseAddress!, &info) == 0 }
                }
                guard statOK else { continue }
                if kind == UInt8(DT_UNKNOWN) {
                    switch info.st_mode & S_IFMT {
                    case S_IFDIR: kind = UInt8(DT_DIR)
                    case S_IFREG: kind = UInt8(DT_REG)
                    default: kind = UInt8(DT_LNK)
                    }
                }
                if kind == UInt8(DT_DIR) {
                    if honourIgnoreFiles && rules.isIgnored(path: relative, isDirectory: true) { continue }
                    children.append(Pending(disk: disk, relative: relative, rules: rules))
                } else if kind == UInt8(DT_REG) {
                    if honourIgnoreFiles && rules.isIgnored(path: relative, isDirectory: false) { continue }
                    result.append(
                        SourceFile(
                            diskPath: disk, relative: relative, size: Int(info.st_size),
                            executable: info.st_mode & 0o111 != 0))
                }
                // Symbolic links, sockets, devices and pipes are never followed or read.
            }
            closedir(handle)
            stack.append(contentsOf: children.reversed())
        }
        return result
    }
}
