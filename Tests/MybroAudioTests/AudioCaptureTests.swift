import Foundation
import MybroAudio
import MybroCore
import MybroTestSupport
import Testing

/// A 48 kHz stereo "sound card" playing a 1 kHz tone (the left and right channels equal),
/// as fast as it is read.
final class ToneSource: AudioCaptureSource, @unchecked Sendable {
    let sampleRate = 48_000
    let channels = 2
    let periodFrames = 960
    private var frame = 0
    private(set) var closed = false

    func read(into buffer: UnsafeMutableBufferPointer<Int16>, report: (CaptureEvent) -> Void) throws -> Int? {
        let frames = min(buffer.count / channels, periodFrames)
        for index in 0..<frames {
            let value = Int16((16_384 * sin(2 * Double.pi * 1_000 * Double(frame + index) / 48_000)).rounded())
            buffer[2 * index] = value
            buffer[2 * index + 1] = value
        }
        frame += frames
        return frames
    }

    func close() { closed = true }
}

@Suite struct AudioCaptureTests {
    @Test func liveCaptureConvertsA48kHzStereoCardTo16kHzMono() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("live.wav")
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        let source = ToneSource()
        let configuration = CaptureConfiguration(source: .device("fake"), wav: true, duration: 1.5)
        let summary = try AudioCapture.captureLive(from: source, configuration, sink: OutputSink(fd: fd)) { _ in }
        close(fd)
        #expect(source.closed)
        #expect(summary.samplesWritten == 24_000, "exactly --duration of output")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count == 44 + 48_000)
        let samples = SignalMeasurement.doubles(
            stride(from: 44, to: bytes.count, by: 2).map {
                Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8)
            })
        let middle = samples[4_000..<20_000]
        #expect(abs(SignalMeasurement.zeroCrossingFrequency(of: middle, rate: 16_000) - 1_000) < 0.5)
        let level = SignalMeasurement.amplitude(of: middle, frequency: 1_000, rate: 16_000)
        #expect(abs(SignalMeasurement.decibels(level / 0.5)) < 0.05, "level \(level)")
    }
}
