import Foundation

/// Reads little-endian 16-bit samples from raw bytes.
public func samples(fromPCM data: Data) -> [Int16] {
    data.withUnsafeBytes { raw in
        Array(raw.bindMemory(to: Int16.self).prefix(data.count / 2))
    }
}

/// Root-mean-square level of samples, in full-scale units (0...1).
public func rms(_ samples: [Int16]) -> Double {
    guard !samples.isEmpty else { return 0 }
    let sum = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
    return (sum / Double(samples.count)).squareRoot() / 32768
}

/// An asoundrc that makes ALSA's default device the `file` plugin over `null`: playback is
/// written to `playback` and capture reads `capture`, byte for byte, with no sound card.
public func writeALSAFileConfiguration(in configHome: String, playback: String, capture: String? = nil) throws {
    try FileManager.default.createDirectory(atPath: configHome + "/alsa", withIntermediateDirectories: true)
    var text = """
        pcm.!default {
            type file
            slave.pcm "null"
            file "\(playback)"
            format "raw"

        """
    if let capture { text += "    infile \"\(capture)\"\n" }
    text += "}\n"
    try text.write(toFile: configHome + "/alsa/asoundrc", atomically: true, encoding: .utf8)
}

/// Makes a write to a command that exited early fail with EPIPE instead of killing the test
/// process with SIGPIPE (a command that refuses its input does not read all of it). The
/// commands the tests start keep the default SIGPIPE.
public func ignoreBrokenPipes() {
    _ = brokenPipesIgnored
}

private let brokenPipesIgnored: Bool = {
    // A handler that does nothing, not SIG_IGN: an ignored signal stays ignored in the commands
    // the tests start (sox in a pipeline would then complain of EPIPE instead of ending
    // quietly), while a handler is reset to the default by exec.
    signal(SIGPIPE) { _ in }
    return true
}()

/// Polls `condition` every millisecond until it holds or `timeout` seconds pass; returns
/// whether it held. Tests wait for what they need this way, never for a fixed time.
@discardableResult
public func waitUntil(timeout: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        usleep(1_000)
    }
}
