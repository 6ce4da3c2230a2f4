import CSoxr
import MybroCore

/// Band-limited streaming resampling of one channel of Float samples with libsoxr (the
/// converter's resampler: Float in and out, so a downmix loses nothing before rounding).
///
/// soxr's "high quality" recipe (20-bit precision: about 120 dB of stopband rejection,
/// passband flat to ~91% of the output Nyquist frequency), linear phase.
/// Feed any number of blocks with `process`, then `finish` to drain the filter's tail.
public final class SoxrFloatResampler {
    public let inputRate: Double
    public let outputRate: Double
    private let handle: soxr_t
    private var output: [Float]

    public init(inputRate: Double, outputRate: Double) throws {
        precondition(inputRate > 0 && outputRate > 0)
        self.inputRate = inputRate
        self.outputRate = outputRate
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(UInt(SOXR_20_BITQ), 0)
        var error: soxr_error_t?
        guard let handle = soxr_create(inputRate, outputRate, 1, &error, &io, &quality, nil), error == nil else {
            let reason = error.map { String(cString: $0) } ?? "unknown error"
            throw MybroError("cannot resample \(inputRate) Hz to \(outputRate) Hz: \(reason)", status: .software)
        }
        self.handle = handle
        output = [Float](repeating: 0, count: 8192)
    }

    deinit { soxr_delete(handle) }

    /// Resamples `input`, handing the output to `emit` in one or more pieces.
    public func process(_ input: UnsafeBufferPointer<Float>, emit: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        var offset = 0
        while offset < input.count {
            var consumed = 0
            var produced = 0
            let capacity = output.count
            let failure = output.withUnsafeMutableBufferPointer { out in
                soxr_process(
                    handle, input.baseAddress! + offset, input.count - offset, &consumed,
                    out.baseAddress, capacity, &produced)
            }
            if let failure { throw MybroError("resampling failed: \(String(cString: failure))", status: .software) }
            offset += consumed
            if produced > 0 {
                try output.withUnsafeBufferPointer { try emit(UnsafeBufferPointer(rebasing: $0[0..<produced])) }
            }
            if consumed == 0 && produced == 0 { break }
        }
    }

    /// Signals the end of the input and emits the rest of the output.
    public func finish(emit: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        while true {
            var produced = 0
            let capacity = output.count
            let failure = output.withUnsafeMutableBufferPointer { out in
                soxr_process(handle, nil, 0, nil, out.baseAddress, capacity, &produced)
            }
            if let failure { throw MybroError("resampling failed: \(String(cString: failure))", status: .software) }
            if produced == 0 { return }
            try output.withUnsafeBufferPointer { try emit(UnsafeBufferPointer(rebasing: $0[0..<produced])) }
        }
    }
}
