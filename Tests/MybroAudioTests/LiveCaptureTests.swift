import Foundation
import MybroAudio
import MybroTestSupport
import Synchronization
import Testing

/// A sound card stand-in that produces a counting sequence, one period per read, as fast
/// as it is asked.
final class CountingSource: AudioCaptureSource, @unchecked Sendable {
    let sampleRate: Int
    let channels = 1
    let periodFrames: Int
    let totalFrames: Int?
    private(set) var next = 0
    private(set) var closed = false

    init(sampleRate: Int = 1_000, periodFrames: Int = 10, totalFrames: Int?) {
        self.sampleRate = sampleRate
        self.periodFrames = periodFrames
        self.totalFrames = totalFrames
    }

    func read(into buffer: UnsafeMutableBufferPointer<Int16>, report: (CaptureEvent) -> Void) throws -> Int? {
        var frames = min(buffer.count, periodFrames)
        if let totalFrames {
            if next >= totalFrames { return nil }
            frames = min(frames, totalFrames - next)
        }
        for index in 0..<frames { buffer[index] = Int16(truncatingIfNeeded: next + index) }
        next += frames
        return frames
    }

    func close() { closed = true }
}

final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [CaptureEvent] = []
    func append(_ event: CaptureEvent) { lock.withLock { events.append(event) } }
    var all: [CaptureEvent] { lock.withLock { events } }
}

@Suite struct LiveCaptureTests {
    func drain(_ capture: LiveCapture, delayPerRead: Double = 0) throws -> [Int16] {
        var received: [Int16] = []
        var buffer = [Int16](repeating: 0, count: 50)
        while let frames = try buffer.withUnsafeMutableBufferPointer({ try capture.read(into: $0) }) {
            received.append(contentsOf: buffer[0..<frames])
            if delayPerRead > 0 { Thread.sleep(forTimeInterval: delayPerRead) }
        }
        return received
    }

    @Test func fastConsumerGetsEverythingInOrder() throws {
        let source = CountingSource(totalFrames: 2_000)
        let events = EventLog()
        let capture = LiveCapture(source: source, bufferSeconds: 10, report: events.append)
        capture.start()
        let received = try drain(capture)
        capture.stop()
        #expect(received == (0..<2_000).map { Int16($0) })
        #expect(events.all.isEmpty)
        #expect(source.closed)
    }

    @Test func slowConsumerLosesTheOldestAudioAndIsTold() throws {
        // 50 000 frames at 1 kHz into a 0.1 s (100-frame) ring, read slowly: most must drop.
        let source = CountingSource(totalFrames: 50_000)
        let events = EventLog()
        let capture = LiveCapture(source: source, bufferSeconds: 0.1, report: events.append)
        capture.start()
        #expect(waitUntil { capture.ring.droppedFrames > 0 }, "the ring never overflowed")
        let received = try drain(capture, delayPerRead: 0.001)
        capture.stop()
        let dropped = capture.ring.droppedFrames
        #expect(dropped > 0)
        #expect(received.count + dropped == 50_000, "every frame is either delivered or counted as dropped")
        #expect(received.last == Int16(truncatingIfNeeded: 49_999), "the newest audio survives")
        let values = received.map { Int(UInt16(bitPattern: $0)) }
        #expect(zip(values, values.dropFirst()).allSatisfy { ($1 - $0 + 65_536) % 65_536 >= 1 }, "still in order")
        var reported = 0.0
        for case .overflow(let milliseconds, _) in events.all { reported += milliseconds }
        #expect(abs(reported - Double(dropped)) < 0.001, "all \(dropped) ms are reported, got \(reported)")
    }

    @Test func frameLimitEndsTheCapture() throws {
        let source = CountingSource(totalFrames: nil)
        let capture = LiveCapture(source: source, bufferSeconds: 10, frameLimit: 1_234, report: { _ in })
        capture.start()
        let received = try drain(capture)
        capture.stop()
        #expect(received.count == 1_234)
    }

    @Test func stopEndsAnEndlessCapture() throws {
        let source = CountingSource(totalFrames: nil)
        let capture = LiveCapture(source: source, bufferSeconds: 1, report: { _ in })
        capture.start()
        #expect(waitUntil { capture.ring.availableFrames > 0 }, "the capture thread never delivered")
        capture.stop()
        #expect(source.closed)
        _ = try drain(capture)
    }
}
