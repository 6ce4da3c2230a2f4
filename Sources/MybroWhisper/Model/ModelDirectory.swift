import Foundation
import MybroCore

/// Where a Whisper model lives: `--model DIR`, else `MYBRO_MODEL`, else the default folder
/// that `scripts/setup-model.sh` (`make setup`) fills.
public enum ModelDirectory {
    public static let environmentVariable = "MYBRO_MODEL"

    /// `${XDG_DATA_HOME:-$HOME/.local/share}/mybro/models/whisper-tiny.en`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        XDGDirectories.mybro(.data, environment: environment) + "/models/whisper-tiny.en"
    }

    /// The directory to load, by the lookup order above.
    public static func resolve(
        option: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let option, !option.isEmpty { return option }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultPath(environment: environment)
    }

    /// The error for a directory without a model, naming how to get one.
    static func missing(_ path: String, detail: String) -> MybroError {
        MybroError(
            "no Whisper model in \(path) (\(detail)); run `make setup` (scripts/setup-model.sh) "
                + "or name one with --model DIR or \(environmentVariable)",
            status: .noInput)
    }
}
