import Foundation

/// The XDG base directories, resolved in one place for every command: an environment
/// variable that is set to an absolute path wins, else the specification's default under HOME.
public enum XDGDirectories {
    public enum Kind: Sendable {
        case data, config, state, cache

        var variable: String {
            switch self {
            case .data: "XDG_DATA_HOME"
            case .config: "XDG_CONFIG_HOME"
            case .state: "XDG_STATE_HOME"
            case .cache: "XDG_CACHE_HOME"
            }
        }

        var fallback: String {
            switch self {
            case .data: "/.local/share"
            case .config: "/.config"
            case .state: "/.local/state"
            case .cache: "/.cache"
            }
        }
    }

    /// The base directory of `kind` (relative values are ignored, as the specification says).
    public static func base(
        _ kind: Kind, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let value = environment[kind.variable], value.hasPrefix("/") { return value }
        return home(environment: environment) + kind.fallback
    }

    /// mybro's own directory under the base directory of `kind` (`~/.local/state/mybro`, …).
    public static func mybro(
        _ kind: Kind, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        base(kind, environment: environment) + "/mybro"
    }

    public static func home(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }
}
