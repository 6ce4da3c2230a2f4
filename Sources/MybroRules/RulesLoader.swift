import Foundation
import MybroCore

/// Reads rules files and merges them: the built-in table, then `~/.config/mybro/rules.toml`,
/// then the project's `.mybro/rules.toml`; a later file wins.
public enum RulesLoader {
    /// The user's rules file (under XDG_CONFIG_HOME).
    public static func userFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        XDGDirectories.mybro(.config, environment: environment) + "/rules.toml"
    }

    public static func projectFile(root: String) -> String { root + "/.mybro/rules.toml" }

    /// The merged rules for the project at `root` (nil: no project file is read).
    public static func load(
        projectRoot root: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(MybroError) -> TechnologyRuleSet {
        var rules = TechnologyRuleSet.builtIn
        var files = [userFile(environment: environment)]
        if let root { files.append(projectFile(root: root)) }
        for path in files where FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MybroError("cannot read the rules file \(path): check its permissions", status: .noPermission)
            }
            rules = rules.merged(with: try parse(String(decoding: data, as: UTF8.self), path: path))
        }
        return rules
    }

    /// One rules file's contents as an overlay (status 78 with the line on a bad file).
    public static func parse(_ text: String, path: String) throws(MybroError) -> TechnologyRuleSet {
        func bad(_ line: Int, _ reason: String) -> MybroError {
            MybroError("\(path):\(line): \(reason); see mybro-doctor(1), RULES FILE", status: .configuration)
        }
        let tables: [RulesTOML.Table]
        do {
            tables = try RulesTOML.parse(text)
        } catch {
            throw bad(error.line, error.reason)
        }
        var overlay = TechnologyRuleSet(stack: [], forbidden: [], sources: [path])
        for table in tables {
            switch (table.name, table.isArrayElement) {
            case ("", false):
                for pair in table.pairs {
                    guard case .strings(let names) = pair.value else {
                        throw bad(pair.line, "\(pair.key) must be an array of strings")
                    }
                    switch pair.key {
                    case "forbidden": overlay.forbidden = names
                    case "allowed": overlay.allowed = names
                    default: throw bad(pair.line, "unknown key \(pair.key) (known: forbidden, allowed, [[stack]])")
                    }
                }
            case ("stack", true):
                var rule = TechnologyRuleSet.StackRule(need: "", use: [])
                for pair in table.pairs {
                    switch (pair.key, pair.value) {
                    case ("need", .string(let need)): rule.need = need
                    case ("use", .strings(let names)): rule.use = names
                    case ("use", .string(let name)): rule.use = [name]
                    case ("never", .strings(let names)): rule.never = names
                    case ("never", .string(let name)): rule.never = [name]
                    case ("need", _), ("use", _), ("never", _):
                        throw bad(pair.line, "\(pair.key) must be a string or an array of strings")
                    default: throw bad(pair.line, "unknown key \(pair.key) in [[stack]] (known: need, use, never)")
                    }
                }
                guard !rule.need.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw bad(table.line, "a [[stack]] entry needs a need = \"…\"")
                }
                overlay.stack.append(rule)
            default:
                throw bad(table.line, "unknown table \(table.name) (known: [[stack]])")
            }
        }
        return overlay
    }
}
