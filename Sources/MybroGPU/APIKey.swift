import Foundation
import MybroCore

/// Where the Shadeform API key comes from: `SHADEFORM_API_KEY`, else a file only its owner
/// can read (`$XDG_CONFIG_HOME/mybro/shadeform-api-key` by default).
public enum APIKey {
    public static let variable = "SHADEFORM_API_KEY"

    public static func defaultFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        XDGDirectories.mybro(.config, environment: environment) + "/shadeform-api-key"
    }

    /// The key, or a configuration error (exit 78) that says how to provide it.
    public static func load(file: String?) throws -> String {
        if let value = SecretEnvironment.value(variable)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !value.isEmpty
        {
            return value
        }
        let path = file ?? defaultFile()
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw MybroError(
                "no Shadeform API key: set \(variable) or write it to \(path) (chmod 600)", status: .configuration)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw MybroError("the API key file \(path) is not a regular file", status: .configuration)
        }
        guard info.st_mode & 0o077 == 0 else {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw MybroError(
                "the API key file \(path) has mode \(mode), readable by others: run 'chmod 600 \(path)'",
                status: .configuration)
        }
        guard info.st_uid == getuid() else {
            throw MybroError(
                "the API key file \(path) belongs to another user: run 'chown \(getuid()) \(path)'",
                status: .configuration)
        }
        guard let data = FileManager.default.contents(atPath: path), data.count < 4096,
            let text = String(data: data, encoding: .utf8)
        else {
            throw MybroError("cannot read the API key file \(path)", status: .configuration)
        }
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty, !key.contains("\n") else {
            throw MybroError("the API key file \(path) must hold the key on one line", status: .configuration)
        }
        return key
    }
}
