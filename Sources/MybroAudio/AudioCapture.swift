import Foundation
import MybroCore

/// What `mybro-capture` does, as a library call: capture from a sound card or decode a file,
/// convert to mono 16-bit at the output rate, and write raw PCM or WAV.
public struct CaptureConfiguration: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// An ALSA PCM device name, such as "default" or "plughw:1,0".
        case device(String)
        /// A file path, or "-" for standard input.
        case file(String)
    }

    public var source: Source
    public var outputRate: Int
    public var wav: Bool
    /// Seconds of output to produce at most (nil: to the end of the file, or until stopped).
    public var duration: Double?
    /// Seconds of audio the live-capture ring buffer holds for a slow consumer.
    public var bufferSeconds: Double
    /// Input without a header, a truncated file or a stray last byte is an error (65)
    /// instead of a warning.
    public var strict: Bool

    public init(
        source: Source, outputRate: Int = CanonicalAudio.sampleRate, wav: Bool = false,
        duration: Double? = nil, bufferSeconds: Double = 10, strict: Bool = false
    ) {
        self.source = source
        self.outputRate = outputRate
        self.wav = wav
        self.duration = duration
        self.bufferSeconds = bufferSeconds
        self.strict = strict
    }
}

/// What a capture produced.
public struct CaptureSummary: Sendable, Equatable {
    public var samplesWritten: Int
    public var clippedSamples: Int
    /// True when it ended because of SIGINT/SIGTERM.
    public var stoppedBySignal: Bool
}

public enum AudioCapture {
    /// Runs a capture to `sink` until the source ends, `duration` is reached, or a stop
    /// signal arrives; output is complete (WAV sizes fixed up where possible) when it returns.
    /// Losses and device settings are passed to `report`, possibly from another thread.
    public static func run(
        _ configuration: CaptureConfiguration, sink: OutputSink = .standardOutput,
        report: @escaping @Sendable (CaptureEvent) -> Void
    ) throws -> CaptureSummary {
        let limit = configuration.duration.map { Int(($0 * Double(configuration.outputRate)).rounded()) }
        switch configuration.source {
        case .file(let path):
            /// A damaged input is a warning, or with `strict` the end of the command (65).
            func damaged(_ event: CaptureEvent) throws {
                if configuration.strict {
                    throw MybroError(event.message + " (stopping: --strict)", status: .dataError)
                }
                report(event)
            }
            let decoder = try AudioFileDecoder(path: path, outputRate: configuration.outputRate)
            if decoder.isHeaderless {
                if configuration.strict {
                    throw MybroError(
                        "the input has no header, so it cannot be told from random bytes (stopping: --strict); "
                            + "give a WAV, FLAC or other file with a header, or drop --strict", status: .dataError)
                }
                report(.headerlessInput)
            }
            let output = LimitedOutput(writer: try makeWriter(configuration, sink), limit: limit)
            while !output.full && !Signals.stopRequested {
                if try !decoder.decodeNext(output.write) { break }
            }
            try output.writer.finish()
            if decoder.clippedSamples > 0 { report(.clipped(samples: decoder.clippedSamples)) }
            if decoder.endsWithOddByte && !Signals.stopRequested { try damaged(.oddTrailingByte) }
            if !output.full && !Signals.stopRequested, decoder.info.framesAreExact,
                let expected = decoder.info.duration,
                decoder.secondsDecoded < expected - 0.001
            {
                try damaged(.truncatedFile(decodedSeconds: decoder.secondsDecoded, expectedSeconds: expected))
            }
            return CaptureSummary(
                samplesWritten: output.written, clippedSamples: decoder.clippedSamples,
                stoppedBySignal: Signals.stopRequested)

        case .device(let name):
            let device = try ALSACaptureDevice(name: name, sampleRate: configuration.outputRate, channels: 1)
            report(
                .deviceOpened(
                    name: name, sampleRate: device.sampleRate, channels: device.channels,
                    periodFrames: device.periodFrames))
            return try captureLive(from: device, configuration, sink: sink, report: report)
        }
    }

    /// Live capture from any source (a sound card, or a fake in tests): the source is read
    /// on its own thread into a ring of `bufferSeconds`, converted, and written here.
    /// The source is closed when this returns.
    public static func captureLive(
        from source: AudioCaptureSource, _ configuration: CaptureConfiguration, sink: OutputSink,
        report: @escaping @Sendable (CaptureEvent) -> Void
    ) throws -> CaptureSummary {
        let limit = configuration.duration.map { Int(($0 * Double(configuration.outputRate)).rounded()) }
        let converter = try CanonicalConverter(
            inputRate: source.sampleRate, channels: source.channels, outputRate: configuration.outputRate)
        // Enough source frames for `duration`; a resampler needs a little more to fill its output.
        let margin = source.sampleRate == configuration.outputRate ? 0 : source.sampleRate / 50
        let frameLimit = configuration.duration.map { Int(($0 * Double(source.sampleRate)).rounded(.up)) + margin }
        let capture = LiveCapture(
            source: source, bufferSeconds: configuration.bufferSeconds, frameLimit: frameLimit, report: report)
        capture.start()
        defer { capture.stop() }
        let output = LimitedOutput(writer: try makeWriter(configuration, sink), limit: limit)
        var buffer = [Int16](repeating: 0, count: source.periodFrames * source.channels * 4)
        while !output.full {
            let frames = try buffer.withUnsafeMutableBufferPointer { try capture.read(into: $0) }
            guard let frames else { break }
            if frames == 0 { continue }
            try buffer.withUnsafeBufferPointer {
                try converter.process(
                    UnsafeBufferPointer(rebasing: $0[0..<frames * source.channels]), emit: output.write)
            }
        }
        if !output.full { try converter.finish(emit: output.write) }
        try output.writer.finish()
        if converter.clippedSamples > 0 { report(.clipped(samples: converter.clippedSamples)) }
        return CaptureSummary(
            samplesWritten: output.written, clippedSamples: converter.clippedSamples,
            stoppedBySignal: Signals.stopRequested)
    }

    private static func makeWriter(_ configuration: CaptureConfiguration, _ sink: OutputSink) throws -> PCMWriter {
        configuration.wav
            ? try WAVStreamWriter(sink: sink, sampleRate: configuration.outputRate)
            : RawPCMWriter(sink: sink)
    }
}

/// Passes samples to a writer until an optional sample limit is reached.
final class LimitedOutput {
    let writer: PCMWriter
    let limit: Int?
    private(set) var written = 0

    init(writer: PCMWriter, limit: Int?) {
        self.writer = writer
        self.limit = limit
    }

    var full: Bool { limit.map { written >= $0 } ?? false }

    func write(_ samples: UnsafeBufferPointer<Int16>) throws {
        var take = samples.count
        if let limit { take = min(take, max(limit - written, 0)) }
        guard take > 0 else { return }
        try writer.write(UnsafeBufferPointer(rebasing: samples[0..<take]))
        written += take
    }
}
