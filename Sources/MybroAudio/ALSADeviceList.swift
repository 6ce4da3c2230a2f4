import CALSA
import Foundation

/// One ALSA PCM device that can capture, as `snd_device_name_hint` describes it.
public struct ALSADevice: Sendable, Equatable {
    /// The name to pass to `--device`.
    public var name: String
    /// The description's lines joined by " — " (the card and what the device does).
    public var description: String
}

extension ALSA {
    /// The PCM devices that can capture, in ALSA's order (configuration devices first).
    public static func captureDevices() -> [ALSADevice] {
        silenceLibraryErrors()
        var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        guard snd_device_name_hint(-1, "pcm", &hints) >= 0, let hints else { return [] }
        defer { snd_device_name_free_hint(hints) }
        func take(_ hint: UnsafeMutableRawPointer, _ field: String) -> String? {
            guard let value = snd_device_name_get_hint(hint, field) else { return nil }
            defer { free(value) }
            return String(cString: value)
        }
        var devices: [ALSADevice] = []
        var index = 0
        while let hint = hints[index] {
            index += 1
            // IOID is absent for devices that do both directions.
            if let direction = take(hint, "IOID"), direction != "Input" { continue }
            guard let name = take(hint, "NAME") else { continue }
            let description = (take(hint, "DESC") ?? "")
                .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " — ")
            devices.append(ALSADevice(name: name, description: description))
        }
        return devices
    }
}
