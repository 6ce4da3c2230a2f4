import Foundation
import MybroCore

/// Runs a capture source on its own thread, feeding a ring buffer, so the sound card is
/// read on time however slow the consumer is. Overflows drop the oldest audio and are
/// reported (at most once a second while they last, and once more at the end).
public final class LiveCapture: @unchecked Sendable {
    public let source: AudioCaptureSource
    public let ring: SampleRingBuffer
    /// Frames to capture before ending on its own (nil: until stopped).
    public let frameLimit: Int?
    private let report: @Sendable (CaptureEvent) -> Void
    private let stopLock = NSLock()
    private var stopFlag = false
    private let done = DispatchSemaphore(value: 0)
    private var thread: Thread?

    /// - Parameters:
    ///   - bufferSeconds: how much audio the ring holds for a slow consumer.
    ///   - report: called on the capture thread for every loss (and the device's settings).
    public init(
        source: AudioCaptureSource, bufferSeconds: Double, frameLimit: Int? = nil,
        report: @escaping @Sendable (CaptureEvent) -> Void
    ) {
        self.source = source
        let frames = max(Int((bufferSeconds * Double(source.sampleRate)).rounded()), source.periodFrames, 1)
        self.ring = SampleRingBuffer(capacityFrames: frames, channels: source.channels)
        self.frameLimit = frameLimit
        self.report = report
    }

    public func start() {
        let thread = Thread { [self] in
            captureLoop()
            done.signal()
        }
        thread.name = "mybro-capture"
        thread.qualityOfService = .userInteractive
        self.thread = thread
        thread.start()
    }

    /// Reads captured frames (interleaved); 0 after `timeout` seconds without audio, nil
    /// once the capture has ended and everything was read. Rethrows a capture failure.
    public func read(into buffer: UnsafeMutableBufferPointer<Int16>, timeout: Double = 0.1) throws -> Int? {
        try ring.read(into: buffer, timeout: timeout)
    }

    /// Asks the capture thread to stop, waits for it, and closes the source.
    public func stop() {
        stopLock.lock()
        stopFlag = true
        stopLock.unlock()
        if thread != nil {
            done.wait()
            thread = nil
        }
        source.close()
    }

    private var stopping: Bool {
        stopLock.lock()
        defer { stopLock.unlock() }
        return stopFlag || Signals.stopRequested
    }

    private func captureLoop() {
        let channels = source.channels
        let millisecondsPerFrame = 1000 / Double(source.sampleRate)
        var period = [Int16](repeating: 0, count: source.periodFrames * channels)
        var captured = 0
        var unreported = 0
        var lastReport: UInt64 = 0  // uptime ns; 0 so the first loss is reported at once
        let report = self.report
        func reportDrops() {
            guard unreported > 0 else { return }
            report(
                .overflow(
                    droppedMilliseconds: Double(unreported) * millisecondsPerFrame,
                    totalDroppedMilliseconds: Double(ring.droppedFrames) * millisecondsPerFrame))
            unreported = 0
            lastReport = DispatchTime.now().uptimeNanoseconds
        }
        do {
            while !stopping {
                var wanted = source.periodFrames
                if let frameLimit {
                    if captured >= frameLimit { break }
                    wanted = min(wanted, frameLimit - captured)
                }
                let got = try period.withUnsafeMutableBufferPointer { buffer in
                    try source.read(
                        into: UnsafeMutableBufferPointer(rebasing: buffer[0..<wanted * channels]),
                        report: report)
                }
                guard let got else { break }
                if got == 0 { continue }
                captured += got
                unreported += period.withUnsafeBufferPointer {
                    ring.write(UnsafeBufferPointer(rebasing: $0[0..<got * channels]))
                }
                if unreported > 0, lastReport == 0 || DispatchTime.now().uptimeNanoseconds - lastReport >= 1_000_000_000
                {
                    reportDrops()
                }
            }
            reportDrops()
            ring.finish()
        } catch {
            reportDrops()
            ring.finish(error: error)
        }
    }
}
