import Foundation

/// One timed piece of a transcript.
public struct TranscriptSegment: Sendable, Equatable {
    /// Seconds from the start of the input.
    public var start: Double
    public var end: Double
    public var text: String
    public var tokens: [Int]
    public var averageLogProbability: Double
    public var noSpeechProbability: Double
}

/// The transcription of one input (a file, an utterance, a raw stream).
public struct Transcript: Sendable, Equatable {
    public var segments: [TranscriptSegment]
    /// Language code of the text ("en" for English-only models).
    public var language: String
    /// Seconds of audio transcribed.
    public var duration: Double
    /// Mean over the decoded windows (skipped silent windows included).
    public var averageLogProbability: Double
    /// No-speech probability of the first window (one window for an utterance).
    public var noSpeechProbability: Double

    /// The segments' texts, trimmed and joined by single spaces.
    public var text: String {
        segments.map { $0.text.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

