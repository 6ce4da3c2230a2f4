import MybroAudio
import Testing

@Suite struct SampleRingBufferTests {
    func read(_ ring: SampleRingBuffer, max: Int) throws -> [Int16]? {
        var buffer = [Int16](repeating: 0, count: max)
        guard let frames = try buffer.withUnsafeMutableBufferPointer({ try ring.read(into: $0, timeout: 0.01) }) else {
            return nil
        }
        return Array(buffer[0..<frames * ring.channels])
    }

    func write(_ ring: SampleRingBuffer, _ samples: [Int16]) -> Int {
        samples.withUnsafeBufferPointer { ring.write($0) }
    }

    @Test func keepsOrderAcrossTheWrap() throws {
        let ring = SampleRingBuffer(capacityFrames: 5, channels: 1)
        #expect(write(ring, [1, 2, 3]) == 0)
        #expect(try read(ring, max: 2) == [1, 2])
        #expect(write(ring, [4, 5, 6, 7]) == 0)
        #expect(try read(ring, max: 10) == [3, 4, 5, 6, 7])
        #expect(try read(ring, max: 10) == [], "a timeout reads nothing")
    }

    @Test func overflowDropsTheOldestWholeFrames() throws {
        let ring = SampleRingBuffer(capacityFrames: 3, channels: 2)
        #expect(write(ring, [1, -1, 2, -2]) == 0)
        #expect(write(ring, [3, -3, 4, -4]) == 1)
        #expect(try read(ring, max: 100) == [2, -2, 3, -3, 4, -4])
        #expect(write(ring, [5, -5, 6, -6, 7, -7, 8, -8, 9, -9]) == 2, "more than the ring holds")
        #expect(try read(ring, max: 100) == [7, -7, 8, -8, 9, -9])
        #expect(ring.droppedFrames == 3)
    }

    @Test func endsAfterDrainingAndPassesOnTheProducersError() throws {
        struct Broken: Error {}
        let ring = SampleRingBuffer(capacityFrames: 4, channels: 1)
        _ = write(ring, [1, 2])
        ring.finish()
        #expect(try read(ring, max: 10) == [1, 2])
        #expect(try read(ring, max: 10) == nil)

        let failing = SampleRingBuffer(capacityFrames: 4, channels: 1)
        _ = write(failing, [3])
        failing.finish(error: Broken())
        #expect(try read(failing, max: 10) == [3])
        #expect(throws: Broken.self) { try read(failing, max: 10) }
    }
}
