import Foundation
import MybroCore

/// The JSON Lines stage: each `utterance` record becomes a `transcript` record and each `speech`
/// record (the speech so far) a `partial` record; every other record is forwarded the moment it
/// arrives, by a reader thread of its own, so a `speech_start` or `pause` never waits behind a
/// transcription in progress. A `speech` record with newer audio queued behind it is skipped:
/// partial transcripts never fall behind the speaker.
public enum StreamTranscription {
    enum Item {
        case utterance(Record, line: Int)
        case failed(Error)
        case end
    }

    /// A first-in first-out hand-over from the reader thread to the transcribing one.
    final class Queue: @unchecked Sendable {
        private let condition = NSCondition()
        private var items: [Item] = []

        func put(_ item: Item) {
            condition.lock()
            items.append(item)
            condition.signal()
            condition.unlock()
        }

        /// The next item; nil once a stop signal has arrived (checked every 50 ms, since a
        /// signal may be delivered to the reader thread, blocked in read()).
        /// Whether audio newer than the item just taken waits: then a partial is not worth making.
        func hasAudioWaiting() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            return items.contains { if case .utterance = $0 { return true } else { return false } }
        }

        func take() -> Item? {
            condition.lock()
            defer { condition.unlock() }
            while items.isEmpty {
                if Signals.stopRequested { return nil }
                _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05))
            }
            return items.removeFirst()
        }
    }

    public static func run(
        transcriber: Transcriber, strict: Bool, input fd: Int32 = 0,
        output: OutputSink = .standardOutput
    ) throws {
        let queue = Queue()
        let reader = Thread {
            let records = RecordReader(fd: fd, acceptsText: false, strict: strict)
            var count = 0
            do {
                while let input = try records.next() {
                    guard case .record(let record) = input else { continue }
                    count += 1
                    if record.type == RecordType.utterance || record.type == RecordType.speech {
                        queue.put(.utterance(record, line: count))
                    } else {
                        try output.write(record: record)
                    }
                }
                queue.put(.end)
            } catch {
                queue.put(.failed(error))
            }
        }
        reader.stackSize = 1 << 20
        reader.start()
        // while the first utterance is being spoken
        transcriber.preparePaddingCache()
        // The last partial's tokens and where its speech began: a later partial or the utterance
        // that begins there starts with much the same words, which its greedy decode checks in
        // one pass instead of one pass per token (it chooses as it would without them, sooner).
        var partialTokens: [Int] = []
        var partialStart: Double?
        while true {
            guard let item = queue.take() else { return }  // stopped by a signal: ToolRunner exits 128+N
            switch item {
            case .end:
                return
            case .failed(let error):
                throw error
            case .utterance(let record, let number):
                let partial = record.type == RecordType.speech
                if partial && queue.hasAudioWaiting() { continue }
                let start = record["t0"]?.doubleValue
                let draft = start != nil && start == partialStart ? partialTokens : []
                // an utterance ends its speech's partials, even one whose audio is refused
                if !partial {
                    partialTokens = []
                    partialStart = nil
                }
                guard let samples = try samples(of: record, number: number, strict: strict) else { continue }
                let transcript = try transcriber.transcribe(samples: samples, draft: draft)
                if partial {
                    partialTokens = transcript.segments.flatMap(\.tokens)
                    partialStart = start
                    try output.write(record: partialRecord(transcript, of: record))
                    continue
                }
                var extra = JSONObject()
                for (key, value) in record.fields where !["type", "pcm", "rate", "t0", "t1", "text"].contains(key) {
                    extra[key] = value
                }
                let t0 = record["t0"]?.doubleValue ?? 0
                try output.write(record: TranscriptRecord.make(transcript, offset: t0, extra: extra))
            }
        }
    }

    /// The `partial` record for the speech so far: its words, and the `t0` and `t1` of its audio
    /// (`t1` tells which `pause` it covers).
    static func partialRecord(_ transcript: Transcript, of speech: Record) -> Record {
        var record = Record(type: RecordType.partial)
        record["t0"] = speech["t0"] ?? .number(0)
        record["t1"] = speech["t1"] ?? .number(TranscriptRecord.rounded(transcript.duration))
        record["text"] = .string(transcript.text)
        record["avg_logprob"] = .number(TranscriptRecord.rounded(transcript.averageLogProbability, places: 4))
        record["no_speech_prob"] = .number(TranscriptRecord.rounded(transcript.noSpeechProbability, places: 4))
        return record
    }

    /// The utterance's audio, or nil (after a warning) when the record is unusable.
    static func samples(of record: Record, number: Int, strict: Bool) throws -> [Float]? {
        func reject(_ problem: String) throws -> [Float]? {
            let message = "record \(number): utterance \(problem)"
            if strict { throw MybroError(message + " (stopping: --strict)", status: .dataError) }
            Log.shared.warning(message + "; skipped")
            return nil
        }
        if let rate = record["rate"], rate.intValue != LogMelSpectrogram.sampleRate {
            return try reject("has rate \(rate), expected \(LogMelSpectrogram.sampleRate) (mybro-vad emits 16 kHz)")
        }
        guard let encoded = record["pcm"]?.stringValue else {
            return try reject("has no \"pcm\" string (base64 s16le samples)")
        }
        guard let data = Data(base64Encoded: encoded) else {
            return try reject("has a \"pcm\" field that is not base64")
        }
        if data.count % 2 == 1 {
            Log.shared.warning("record \(number): utterance pcm has an odd byte count; the last byte is dropped")
        }
        return data.withUnsafeBytes { bytes in
            (0..<data.count / 2).map { index in
                Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 2, as: Int16.self))) / 32768
            }
        }
    }
}
