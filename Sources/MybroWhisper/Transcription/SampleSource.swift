/// Where a transcription reads its 16 kHz mono samples from, a window at a time, so an
/// hour-long file is never held whole.
public protocol SampleSource {
    /// Appends up to `count` samples to `buffer`; returns how many (0 at the end).
    mutating func read(into buffer: inout [Float], count: Int) throws -> Int
}

/// Samples already in memory.
public struct MemorySampleSource: SampleSource {
    let samples: [Float]
    var position = 0

    public init(_ samples: [Float]) { self.samples = samples }

    public init(pcm: [Int16]) { self.samples = pcm.map { Float($0) / 32768 } }

    public mutating func read(into buffer: inout [Float], count: Int) throws -> Int {
        let take = min(count, samples.count - position)
        buffer.append(contentsOf: samples[position..<position + take])
        position += take
        return take
    }
}
