import MybroCore

/// Turns interleaved frames of any rate and channel count into mono signed 16-bit samples
/// at `outputRate`: channels are averaged (downmix), the rate is changed by `SoxrFloatResampler`,
/// and samples are rounded and clipped to 16 bits.
///
/// 16-bit mono input already at the output rate passes through untouched, so capture is
/// byte-exact in the canonical case.
public final class CanonicalConverter {
    public let inputRate: Int
    public let channels: Int
    public let outputRate: Int
    private let resampler: SoxrFloatResampler?
    private var mono: [Float] = []
    private var samples: [Int16] = []
    /// Output samples that had to be clipped to 16 bits so far.
    public private(set) var clippedSamples = 0

    public init(inputRate: Int, channels: Int, outputRate: Int = CanonicalAudio.sampleRate) throws {
        precondition(inputRate > 0 && channels > 0 && outputRate > 0)
        self.inputRate = inputRate
        self.channels = channels
        self.outputRate = outputRate
        resampler =
            inputRate == outputRate
            ? nil
            : try SoxrFloatResampler(
                inputRate: Double(inputRate), outputRate: Double(outputRate))
    }

    /// Converts interleaved Int16 frames.
    public func process(_ interleaved: UnsafeBufferPointer<Int16>, emit: (UnsafeBufferPointer<Int16>) throws -> Void)
        throws
    {
        if channels == 1 && resampler == nil {
            try emit(interleaved)
            return
        }
        let frames = interleaved.count / channels
        reserveMono(frames)
        mono.withUnsafeMutableBufferPointer { out in
            let scale = 1 / (32768 * Float(channels))
            for frame in 0..<frames {
                var sum: Int32 = 0
                for channel in 0..<channels { sum += Int32(interleaved[frame * channels + channel]) }
                out[frame] = Float(sum) * scale
            }
        }
        try convertMono(frames, emit: emit)
    }

    /// Converts interleaved Float frames (full scale ±1).
    public func process(_ interleaved: UnsafeBufferPointer<Float>, emit: (UnsafeBufferPointer<Int16>) throws -> Void)
        throws
    {
        let frames = interleaved.count / channels
        reserveMono(frames)
        mono.withUnsafeMutableBufferPointer { out in
            if channels == 1 {
                out.baseAddress!.update(from: interleaved.baseAddress!, count: frames)
                return
            }
            let scale = 1 / Float(channels)
            for frame in 0..<frames {
                var sum: Float = 0
                for channel in 0..<channels { sum += interleaved[frame * channels + channel] }
                out[frame] = sum * scale
            }
        }
        try convertMono(frames, emit: emit)
    }

    /// Drains the resampler at the end of the input.
    public func finish(emit: (UnsafeBufferPointer<Int16>) throws -> Void) throws {
        try resampler?.finish { try quantize($0, emit: emit) }
    }

    private func reserveMono(_ frames: Int) {
        if mono.count < frames { mono = [Float](repeating: 0, count: frames) }
    }

    private func convertMono(_ frames: Int, emit: (UnsafeBufferPointer<Int16>) throws -> Void) throws {
        try mono.withUnsafeBufferPointer { all in
            let block = UnsafeBufferPointer(rebasing: all[0..<frames])
            if let resampler {
                try resampler.process(block) { try quantize($0, emit: emit) }
            } else {
                try quantize(block, emit: emit)
            }
        }
    }

    private func quantize(_ input: UnsafeBufferPointer<Float>, emit: (UnsafeBufferPointer<Int16>) throws -> Void) throws
    {
        if samples.count < input.count { samples = [Int16](repeating: 0, count: input.count) }
        var clipped = 0
        samples.withUnsafeMutableBufferPointer { out in
            for index in 0..<input.count {
                let scaled = (input[index] * 32768).rounded()
                if scaled > 32767 {
                    out[index] = .max
                    clipped += 1
                } else if scaled < -32768 {
                    out[index] = .min
                    clipped += 1
                } else if scaled >= -32768 {
                    out[index] = Int16(scaled)
                } else {
                    out[index] = 0  // NaN, from a broken float file
                }
            }
        }
        clippedSamples += clipped
        try samples.withUnsafeBufferPointer { try emit(UnsafeBufferPointer(rebasing: $0[0..<input.count])) }
    }
}
