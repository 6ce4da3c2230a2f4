import Foundation
import MybroTestSupport

/// Runs mybro-capture pipelines through MybroTestSupport's `shell`, with `$CAPTURE` naming
/// the built binary and an optional working directory.
enum CommandRunner {
    static func binary(_ name: String) -> String { BuiltCommands.path(name) }

    struct Result {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    static func shell(_ script: String, environment: [String: String] = [:], directory: String? = nil) throws -> Result
    {
        let prefix = directory.map { "cd \(shellQuoted($0)) && " } ?? ""
        var env = environment
        env["CAPTURE"] = binary("mybro-capture")
        let result = try MybroTestSupport.shell(prefix + "{\n" + script + "\n}", environment: env)
        return Result(status: result.status, stdout: [UInt8](result.stdout), stderr: result.stderr)
    }
}

/// An ALSA configuration with a capture device that reads a raw file: the `file` plugin
/// over `null` replays `infile` byte for byte (and not in real time), so the ALSA path is
/// tested without a sound card. Pass `environment` to the command.
struct FakeSoundCard {
    let directory: TemporaryDirectory
    let device = "mybrotest"

    init(directory: TemporaryDirectory, rawInput: [UInt8]) throws {
        self.directory = directory
        let input = directory.path("card-input.raw")
        _ = FileManager.default.createFile(atPath: input, contents: Data(rawInput))
        try FileManager.default.createDirectory(
            atPath: directory.path("config/alsa"), withIntermediateDirectories: true)
        let configuration = """
            pcm.\(device) {
                type file
                slave.pcm null
                infile "\(input)"
                file "/dev/null"
                format raw
                hint { show on description "mybro test capture" }
            }
            """
        try configuration.write(toFile: directory.path("config/alsa/asoundrc"), atomically: true, encoding: .utf8)
    }

    var environment: [String: String] { ["XDG_CONFIG_HOME": directory.path("config"), "HOME": directory.path("home")] }
}

/// Little-endian helpers for checking outputs.
extension Array where Element == UInt8 {
    func word32(at offset: Int) -> UInt32 {
        self[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    var int16Samples: [Int16] {
        stride(from: 0, to: count - 1, by: 2).map { Int16(bitPattern: UInt16(self[$0]) | UInt16(self[$0 + 1]) << 8) }
    }
}

/// The frequency of a steady tone from its upward zero crossings.
func zeroCrossingFrequency(_ samples: ArraySlice<Int16>, rate: Int) -> Double {
    var first: Double?
    var last = 0.0
    var count = 0
    var previous = samples.first ?? 0
    for (offset, sample) in samples.enumerated().dropFirst() {
        if previous < 0 && sample >= 0 {
            let crossing = Double(offset - 1) + Double(-previous) / Double(Int(sample) - Int(previous))
            if first == nil { first = crossing } else { count += 1 }
            last = crossing
        }
        previous = sample
    }
    guard let first, count > 0 else { return 0 }
    return Double(rate) * Double(count) / (last - first)
}
