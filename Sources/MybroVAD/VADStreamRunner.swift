import Foundation
import MybroCore

/// What `mybro-vad` writes on stdout.
public enum VADOutput: Sendable, Equatable {
    /// `speech_start`, `utterance` (with base64 audio) and `speech_end` records.
    case records
    /// One decision per frame, `0` or `1`, one a line.
    case frames
    /// Only the speech (padded utterances) as canonical PCM.
    case audio
    /// One `segment` record per utterance, without audio.
    case segments
    /// One `start<TAB>end` line per utterance, in seconds.
    case table
}

/// The whole of `mybro-vad`: canonical PCM in, decisions or utterances out, each written the
/// moment it is decided.
public struct VADStreamRunner {
    public var mode: VADMode
    public var segmenter: SegmenterConfiguration
    public var output: VADOutput

    public init(mode: VADMode, segmenter: SegmenterConfiguration, output: VADOutput) {
        self.mode = mode
        self.segmenter = segmenter
        self.output = output
    }

    public func run(input: AudioInputStream, sink: OutputSink) throws {
        let detector: VoiceActivityDetector
        do {
            detector = try VoiceActivityDetector(sampleRate: segmenter.sampleRate, mode: mode)
        } catch {
            throw MybroError(error.description, status: .usage)
        }
        let cutter = UtteranceSegmenter(configuration: segmenter)
        let frameLength = segmenter.frameLength
        let frame = UnsafeMutableBufferPointer<Int16>.allocate(capacity: frameLength)
        defer { frame.deallocate() }
        let emit: (SegmenterEvent) throws -> Void = { event in try write(event, to: sink) }

        while !Signals.stopRequested {
            let count = try input.read(into: frame)
            if count < frameLength {
                if count > 0 {
                    Log.shared.debug(
                        "the last \(count) samples do not fill a \(segmenter.frameMilliseconds) ms frame; not classified"
                    )
                }
                break
            }
            let samples = UnsafeBufferPointer(frame)
            let speech: Bool
            do {
                speech = try detector.isSpeech(samples)
            } catch {
                throw MybroError(error.description, status: .software)
            }
            if output == .frames {
                try sink.write(line: speech ? "1" : "0")
            } else {
                try cutter.process(
                    frame: samples, isSpeech: speech, hangover: detector.lastDecisionWasHangover,
                    emit: emit)
            }
        }
        if output != .frames { try cutter.finish(emit: emit) }
    }

    private func write(_ event: SegmenterEvent, to sink: OutputSink) throws {
        switch (output, event) {
        case (.records, .speechStart(let time)):
            try sink.write(record: Record(type: RecordType.speechStart, ["t": .number(time)]))
        case (.records, .speechEnd(let time)):
            try sink.write(record: Record(type: RecordType.speechEnd, ["t": .number(time)]))
        case (.records, .utterance(let utterance)):
            try sink.write(line: utteranceLine(utterance))
        case (.records, .speechSoFar(let utterance)):
            try sink.write(line: utteranceLine(utterance, type: RecordType.speech))
        case (.records, .pause(let start, let voicedEnd, let silence)):
            try sink.write(
                record: Record(
                    type: RecordType.pause,
                    ["t0": .number(start), "t1": .number(voicedEnd), "silence": .number(silence)]))
        case (.audio, .utterance(let utterance)):
            try sink.write(samples: utterance.samples)
        case (.segments, .utterance(let utterance)):
            try sink.write(
                record: Record(
                    type: VADStreamRunner.segmentRecordType,
                    [
                        "t0": .number(utterance.start), "t1": .number(utterance.end),
                    ]))
        case (.table, .utterance(let utterance)):
            try sink.write(line: "\(format(utterance.start))\t\(format(utterance.end))")
        default:
            break
        }
    }

    /// The `utterance` record as one line. Base64 needs no JSON escaping, so the audio is
    /// spliced in as bytes instead of going through the string escaper (which dominated the
    /// time for long speech); the line is identical to the serialised record.
    func utteranceLine(_ utterance: Utterance, type: String = RecordType.utterance) -> String {
        let head = Record(
            type: type,
            [
                "t0": .number(utterance.start), "t1": .number(utterance.end),
                "rate": .number(Double(utterance.sampleRate)),
            ]
        ).serialized()
        let pcm = utterance.samples.withUnsafeBytes { Data($0).base64EncodedString() }
        return head.dropLast() + ",\"pcm\":\"" + pcm + "\"}"
    }

    /// The record type of `--segments` output.
    public static let segmentRecordType = "segment"

    private func format(_ seconds: Double) -> String {
        String(format: "%.3f", seconds)
    }
}
