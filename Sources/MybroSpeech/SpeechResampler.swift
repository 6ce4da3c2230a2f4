import MybroAudio

/// espeak-ng's 16-bit samples at its native rate to canonical 16 kHz 16-bit blocks, through
/// the toolkit's Float resampler, with buffers reused from block to block.
final class SpeechResampler {
    private let resampler: SoxrFloatResampler
    private var input: [Float] = []
    private var output: [Int16] = []

    init(_ resampler: SoxrFloatResampler) { self.resampler = resampler }

    func process(_ samples: UnsafeBufferPointer<Int16>, deliver: (UnsafeBufferPointer<Int16>) throws -> Void) throws {
        input.removeAll(keepingCapacity: true)
        input.append(contentsOf: samples.lazy.map(Float.init))
        try input.withUnsafeBufferPointer { block in
            try resampler.process(block) { try convert($0, deliver) }
        }
    }

    func finish(deliver: (UnsafeBufferPointer<Int16>) throws -> Void) throws {
        try resampler.finish { try convert($0, deliver) }
    }

    private func convert(_ block: UnsafeBufferPointer<Float>, _ deliver: (UnsafeBufferPointer<Int16>) throws -> Void)
        throws
    {
        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: block.lazy.map { Int16(max(-32768, min(32767, $0.rounded()))) })
        try output.withUnsafeBufferPointer { try deliver($0) }
    }
}
