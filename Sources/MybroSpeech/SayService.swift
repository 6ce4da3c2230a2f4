import Foundation
import MybroAudio
import MybroCore
import Synchronization

/// mybro-say's work: speak `say` records and plain text lines from a stream, forward every
/// other record, and stop at once on barge-in (`interrupt` or `speech_start` records, SIGUSR1):
/// the sentence in progress is aborted, audio still queued in the sink is dropped, and text
/// waiting to be spoken is discarded.
public final class SayService: @unchecked Sendable {
    private let synthesizer: SpeechSynthesizer
    private let sink: AudioSink
    private let forward: OutputSink?
    private let queue = SpeechQueue()
    private let interruptions = Atomic<Int>(0)
    private let readerError = Mutex<Error?>(nil)

    /// `forward` receives the records mybro-say does not consume; nil when stdout carries audio.
    public init(synthesizer: SpeechSynthesizer, sink: AudioSink, forward: OutputSink?) {
        self.synthesizer = synthesizer
        self.sink = sink
        self.forward = forward
    }

    /// Speaks one text (the command's arguments) and finishes the sink.
    public func speak(text: String) throws {
        queue.push(.init(text: text, generation: 0))
        queue.close()
        try speakQueued()
    }

    /// Reads input until it ends, speaking as it goes, then lets the last words finish.
    public func run(reader: RecordReader) throws {
        let thread = Thread { [self] in readInput(reader) }
        thread.stackSize = 1 << 20
        thread.start()
        try speakQueued()
        if let error = readerError.withLock({ $0 }) { throw error }
    }

    /// Stops current speech and drops queued text.
    public func interrupt() {
        interruptions.add(1, ordering: .sequentiallyConsistent)
        queue.removeAll()
    }

    private func readInput(_ reader: RecordReader) {
        defer { queue.close() }
        do {
            while let input = try reader.next() {
                switch input {
                case .text(let text):
                    enqueue(text)
                case .record(let record):
                    try handle(record)
                }
            }
        } catch {
            readerError.withLock { $0 = $0 ?? error }
            interrupt()
        }
    }

    private func handle(_ record: Record) throws {
        switch record.type {
        case RecordType.say:
            if let text = record["text"]?.stringValue {
                enqueue(text)
            } else {
                Log.shared.warning("say record without a \"text\" string; nothing to speak")
            }
        case RecordType.interrupt, RecordType.speechStart:
            interrupt()
            try forward?.write(record: record)
        default:
            try forward?.write(record: record)
        }
    }

    private func enqueue(_ text: String) {
        guard !text.allSatisfy(\.isWhitespace) else { return }
        queue.push(.init(text: text, generation: interruptions.load(ordering: .sequentiallyConsistent)))
    }

    private func speakQueued() throws {
        var userSignals = Signals.userInterruptCount
        while let item = queue.pop(stop: { Signals.stopRequested }) {
            if Signals.stopRequested { break }
            if Signals.userInterruptCount != userSignals {
                userSignals = Signals.userInterruptCount
                interrupt()
            }
            if item.generation != interruptions.load(ordering: .sequentiallyConsistent) { continue }
            let generation = item.generation
            let finished = try synthesizer.speak(
                item.text,
                shouldStop: { [self] in
                    if Signals.userInterruptCount != userSignals {
                        userSignals = Signals.userInterruptCount
                        interrupt()
                    }
                    return Signals.stopRequested || interruptions.load(ordering: .sequentiallyConsistent) != generation
                },
                deliver: { [sink] in try sink.write($0) })
            if !finished {
                sink.discardPending()
                Log.shared.debug("speech interrupted")
            }
        }
        if Signals.stopRequested { sink.discardPending() }
        try sink.finish()
    }
}
