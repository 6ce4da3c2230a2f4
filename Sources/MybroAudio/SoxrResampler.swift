import CSoxr
import MybroCore

/// Streaming band-limited resampling of mono 16-bit audio with libsoxr (high quality).
public final class SoxrResampler {
    private let handle: soxr_t
    public let inputRate: Double
    public let outputRate: Double
    private var output: [Int16] = []

    public init(inputRate: Double, outputRate: Double) throws {
        var error: soxr_error_t?
        var io = soxr_io_spec(SOXR_INT16_I, SOXR_INT16_I)
        var quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
        guard let handle = soxr_create(inputRate, outputRate, 1, &error, &io, &quality, nil), error == nil else {
            let reason = error.map { String(cString: $0) } ?? "unknown error"
            throw MybroError("cannot resample \(inputRate) Hz to \(outputRate) Hz: \(reason)", status: .software)
        }
        self.handle = handle
        self.inputRate = inputRate
        self.outputRate = outputRate
    }

    deinit { soxr_delete(handle) }

    /// Resamples a block; `input` nil flushes the filter's tail at the end of the stream.
    /// The returned buffer is valid until the next call.
    public func process(_ input: UnsafeBufferPointer<Int16>?, _ body: (UnsafeBufferPointer<Int16>) throws -> Void)
        rethrows
    {
        let inCount = input?.count ?? 0
        let capacity = Int(Double(inCount) * outputRate / inputRate) + 1024
        if output.count < capacity { output = [Int16](repeating: 0, count: capacity) }
        var inputDone = 0
        var produced = 0
        // A flush may take several calls to drain the filter's delay line.
        repeat {
            var used = 0
            var made = 0
            let remaining = inCount - inputDone
            output.withUnsafeMutableBufferPointer { out in
                if let input, remaining > 0 {
                    _ = soxr_process(
                        handle, input.baseAddress! + inputDone, remaining, &used, out.baseAddress!, out.count, &made)
                } else if input == nil {
                    _ = soxr_process(handle, nil, 0, nil, out.baseAddress!, out.count, &made)
                }
            }
            inputDone += used
            produced = made
            if made > 0 {
                try output.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<made])) }
            }
        } while (input == nil && produced > 0) || (input != nil && inputDone < inCount && produced > 0)
    }
}
