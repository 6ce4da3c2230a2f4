import Foundation

/// A fixed-size ring of interleaved Int16 frames between a producer that must never block
/// (the sound-card thread) and a consumer that may be slow (a pipe).
///
/// When the ring is full, a write drops the OLDEST frames to make room and counts them:
/// the freshest audio is the most useful to a live pipeline, and the count lets the
/// caller report the loss instead of losing audio silently.
public final class SampleRingBuffer: @unchecked Sendable {
    public let channels: Int
    /// Capacity in frames.
    public let capacity: Int
    private var storage: [Int16]
    private var readIndex = 0  // in samples
    private var count = 0  // in samples
    private var finished = false
    private var failure: Error?
    private var dropped = 0  // frames dropped in all
    private let condition = NSCondition()

    public init(capacityFrames: Int, channels: Int) {
        precondition(capacityFrames > 0 && channels > 0)
        self.channels = channels
        self.capacity = capacityFrames
        storage = [Int16](repeating: 0, count: capacityFrames * channels)
    }

    /// Frames dropped so far because the consumer was too slow.
    public var droppedFrames: Int {
        condition.lock()
        defer { condition.unlock() }
        return dropped
    }

    /// Frames waiting to be read.
    public var availableFrames: Int {
        condition.lock()
        defer { condition.unlock() }
        return count / channels
    }

    /// Appends whole frames without ever blocking; returns how many old frames were dropped.
    @discardableResult
    public func write(_ samples: UnsafeBufferPointer<Int16>) -> Int {
        precondition(samples.count % channels == 0, "write whole frames")
        condition.lock()
        defer { condition.unlock() }
        var source = samples
        var droppedNow = 0
        let total = storage.count
        if source.count > total {
            // More than the whole ring: only the newest `total` samples can survive.
            droppedNow += (count + source.count - total) / channels
            source = UnsafeBufferPointer(rebasing: source[(source.count - total)...])
            readIndex = 0
            count = 0
        } else if count + source.count > total {
            let excess = count + source.count - total
            readIndex = (readIndex + excess) % total
            count -= excess
            droppedNow += excess / channels
        }
        var writeIndex = (readIndex + count) % total
        var offset = 0
        storage.withUnsafeMutableBufferPointer { ring in
            while offset < source.count {
                let run = min(source.count - offset, total - writeIndex)
                ring.baseAddress!.advanced(by: writeIndex).update(
                    from: source.baseAddress!.advanced(by: offset), count: run)
                offset += run
                writeIndex = (writeIndex + run) % total
            }
        }
        count += source.count
        dropped += droppedNow
        condition.signal()
        return droppedNow
    }

    /// Marks the end of the stream (with the producer's error, if it failed).
    public func finish(error: Error? = nil) {
        condition.lock()
        finished = true
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    /// Reads up to `buffer.count / channels` frames, waiting at most `timeout` seconds for
    /// the first one. Returns the frames read: 0 on a timeout, nil once the stream has
    /// finished and is drained (rethrowing the producer's error then).
    public func read(into buffer: UnsafeMutableBufferPointer<Int16>, timeout: Double) throws -> Int? {
        let wantedSamples = (buffer.count / channels) * channels
        precondition(wantedSamples > 0, "the buffer must hold at least one frame")
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while count == 0 && !finished {
            if !condition.wait(until: deadline) { break }
        }
        if count == 0 {
            if finished {
                if let failure { throw failure }
                return nil
            }
            return 0
        }
        let take = min(wantedSamples, count)
        let total = storage.count
        var copied = 0
        storage.withUnsafeBufferPointer { ring in
            while copied < take {
                let run = min(take - copied, total - readIndex)
                buffer.baseAddress!.advanced(by: copied).update(
                    from: ring.baseAddress!.advanced(by: readIndex), count: run)
                copied += run
                readIndex = (readIndex + run) % total
            }
        }
        count -= take
        return take / channels
    }
}
