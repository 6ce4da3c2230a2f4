import Foundation
import MybroCore

/// Where the sentence-embedding model lives: `--embedding-model DIR`, else
/// `MYBRO_EMBEDDING_MODEL`, else the folder `scripts/setup-embedding-model.sh` (`make setup`) fills.
public enum EmbeddingModelDirectory {
    public static let environmentVariable = "MYBRO_EMBEDDING_MODEL"

    /// `${XDG_DATA_HOME:-$HOME/.local/share}/mybro/models/minilm`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        XDGDirectories.mybro(.data, environment: environment) + "/models/minilm"
    }

    public static func resolve(
        option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let option, !option.isEmpty { return option }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultPath(environment: environment)
    }

    /// True when `path` holds the files a model needs (it may still turn out malformed).
    public static func isInstalled(_ path: String) -> Bool {
        ["config.json", "vocab.txt", "model.safetensors"].allSatisfy {
            FileManager.default.fileExists(atPath: path + "/" + $0)
        }
    }
}
