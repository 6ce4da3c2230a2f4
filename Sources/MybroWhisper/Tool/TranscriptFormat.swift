import Foundation
import MybroCore

/// How file transcripts are written, like the Whisper command line's `--output_format`.
public enum TranscriptFormat: String, CaseIterable, Sendable {
    /// One line per segment.
    case txt
    /// JSON Lines: one `transcript` record per input.
    case json
    /// SubRip cues.
    case srt
    /// WebVTT cues.
    case vtt
    /// Tab-separated start and end in milliseconds and the text, with a header line.
    case tsv

    /// The lines for one transcript; `file` names the input in a JSON record.
    public func lines(for transcript: Transcript, file: String?) -> [String] {
        let segments = transcript.segments.filter { !$0.text.trimmed.isEmpty }
        switch self {
        case .txt:
            return segments.map { $0.text.trimmed }
        case .json:
            return [TranscriptRecord.make(transcript, offset: 0, file: file).serialized()]
        case .srt:
            return segments.enumerated().flatMap { index, segment in
                ["\(index + 1)", "\(Self.clock(segment.start, separator: ",")) --> \(Self.clock(segment.end, separator: ","))",
                 segment.text.trimmed, ""]
            }
        case .vtt:
            return ["WEBVTT", ""] + segments.flatMap { segment in
                ["\(Self.clock(segment.start, separator: ".")) --> \(Self.clock(segment.end, separator: "."))",
                 segment.text.trimmed, ""]
            }
        case .tsv:
            return ["start\tend\ttext"] + segments.map { segment in
                "\(Int((segment.start * 1000).rounded()))\t\(Int((segment.end * 1000).rounded()))\t"
                    + segment.text.trimmed.replacingOccurrences(of: "\t", with: " ")
            }
        }
    }

    /// HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm (WebVTT).
    static func clock(_ seconds: Double, separator: String) -> String {
        let milliseconds = max(0, Int((seconds * 1000).rounded()))
        let hours = milliseconds / 3_600_000
        let minutes = milliseconds / 60_000 % 60
        let secs = milliseconds / 1000 % 60
        return String(format: "%02d:%02d:%02d%@%03d", hours, minutes, secs, separator, milliseconds % 1000)
    }
}

/// The `transcript` record of mybro-protocol(7).
public enum TranscriptRecord {
    /// `offset` shifts segment times to the stream's clock (an utterance's `t0`).
    public static func make(_ transcript: Transcript, offset: Double, file: String? = nil,
                            extra: JSONObject = JSONObject()) -> Record {
        var record = Record(type: RecordType.transcript)
        for (key, value) in extra { record[key] = value }
        if let file { record["file"] = .string(file) }
        record["t0"] = .number(rounded(offset))
        record["t1"] = .number(rounded(offset + transcript.duration))
        record["text"] = .string(transcript.text)
        record["segments"] = .array(transcript.segments.map { segment in
            .object(JSONObject([
                "t0": .number(rounded(offset + segment.start)),
                "t1": .number(rounded(offset + segment.end)),
                "text": .string(segment.text.trimmed),
            ]))
        })
        record["lang"] = .string(transcript.language)
        record["avg_logprob"] = .number(rounded(transcript.averageLogProbability, places: 4))
        record["no_speech_prob"] = .number(rounded(transcript.noSpeechProbability, places: 4))
        return record
    }

    static func rounded(_ value: Double, places: Double = 3) -> Double {
        let scale = pow(10, places)
        return (value * scale).rounded() / scale
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
