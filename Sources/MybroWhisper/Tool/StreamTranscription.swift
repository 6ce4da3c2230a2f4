import Foundation
import MybroCore

/// The JSON Lines stage: each `utterance` record becomes a `transcript` record; every other
/// record is forwarded the moment it arrives, by a reader thread of its own, so a
/// `speech_start` never waits behind a transcription in progress.
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

    public static func run(transcriber: Transcriber, strict: Bool, input fd: Int32 = 0,
                           output: OutputSink = .standardOutput) throws {
        let queue = Queue()
        let reader = Thread {
            let records = RecordReader(fd: fd, acceptsText: false, strict: strict)
            var count = 0
            do {
                while let input = try records.next() {
                    guard case .record(let record) = input else { continue }
                    count += 1
                    if record.type == RecordType.utterance {
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
        while true {
            guard let item = queue.take() else { return }  // stopped by a signal: ToolRunner exits 128+N
            switch item {
            case .end:
                return
            case .failed(let error):
                throw error
            case .utterance(let record, let number):
                guard let samples = try samples(of: record, number: number, strict: strict) else { continue }
                let transcript = try transcriber.transcribe(samples: samples)
                var extra = JSONObject()
                for (key, value) in record.fields where !["type", "pcm", "rate", "t0", "t1", "text"].contains(key) {
                    extra[key] = value
                }
                let t0 = record["t0"]?.doubleValue ?? 0
                try output.write(record: TranscriptRecord.make(transcript, offset: t0, extra: extra))
            }
        }
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
        if data.count % 2 == 1 { Log.shared.warning("record \(number): utterance pcm has an odd byte count; the last byte is dropped") }
        return data.withUnsafeBytes { bytes in
            (0..<data.count / 2).map { index in
                Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 2, as: Int16.self))) / 32768
            }
        }
    }
}
