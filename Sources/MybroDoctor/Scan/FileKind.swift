/// What a file is, judged by its name and (for scripts) its shebang: which checks apply.
struct FileKind: OptionSet, Sendable {
    let rawValue: Int

    static let python = FileKind(rawValue: 1 << 0)
    static let shell = FileKind(rawValue: 1 << 1)
    static let swift = FileKind(rawValue: 1 << 2)
    static let dockerfile = FileKind(rawValue: 1 << 3)
    static let javascript = FileKind(rawValue: 1 << 4)
    static let html = FileKind(rawValue: 1 << 5)
    static let env = FileKind(rawValue: 1 << 6)
    static let yaml = FileKind(rawValue: 1 << 7)
    static let manifest = FileKind(rawValue: 1 << 8)
    static let requirements = FileKind(rawValue: 1 << 9)
    static let cuda = FileKind(rawValue: 1 << 10)
    static let compose = FileKind(rawValue: 1 << 11)
    static let json = FileKind(rawValue: 1 << 12)
    /// Files whose values need no quotes (ini, properties, conf, yaml): generic secrets may be unquoted.
    static let unquotedConfig = FileKind(rawValue: 1 << 13)

    static func of(path: String, firstBytes: UnsafeBufferPointer<UInt8>) -> FileKind {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let lowered = name.lowercased()
        let ext = lowered.split(separator: ".").count > 1 ? String(lowered.split(separator: ".").last!) : ""
        var kind: FileKind = []
        switch ext {
        case "py", "pyw": kind.insert(.python)
        case "sh", "bash", "zsh", "ksh": kind.insert(.shell)
        case "swift": kind.insert(.swift)
        case "js", "mjs", "cjs", "jsx", "ts", "tsx", "vue", "svelte": kind.insert(.javascript)
        case "html", "htm", "jinja", "j2", "erb", "ejs", "hbs": kind.insert(.html)
        case "yml", "yaml": kind.formUnion([.yaml, .unquotedConfig])
        case "ini", "cfg", "conf", "properties": kind.insert(.unquotedConfig)
        case "cu", "cuh": kind.insert(.cuda)
        case "json": kind.insert(.json)
        default: break
        }
        if lowered == "dockerfile" || lowered.hasPrefix("dockerfile.") || lowered.hasSuffix(".dockerfile")
            || lowered == "containerfile"
        {
            kind.insert(.dockerfile)
        }
        if ContextDetectors.isEnvFile(Substring(name)) { kind.formUnion([.env, .unquotedConfig]) }
        if (lowered.hasPrefix("requirements") && (ext == "txt" || ext == "in")) || lowered == "constraints.txt" {
            kind.formUnion([.requirements, .manifest])
        }
        if [
            "pyproject.toml", "pipfile", "package.json", "cargo.toml", "package.swift", "go.mod", "setup.py",
            "setup.cfg",
        ]
        .contains(lowered) {
            kind.insert(.manifest)
        }
        if kind.contains(.yaml) && (lowered.hasPrefix("docker-compose") || lowered.hasPrefix("compose")) {
            kind.insert(.compose)
        }
        if kind.isDisjoint(with: [.python, .shell]) && firstBytes.count > 2 && firstBytes[0] == 0x23
            && firstBytes[1] == 0x21
        {
            let line = String(decoding: firstBytes.prefix(while: { $0 != 0x0A }).prefix(120), as: UTF8.self)
            if line.contains("python") {
                kind.insert(.python)
            } else if ["/sh", "bash", "zsh", "dash", "ksh", "env sh"].contains(where: { line.contains($0) }) {
                kind.insert(.shell)
            }
        }
        return kind
    }
}
