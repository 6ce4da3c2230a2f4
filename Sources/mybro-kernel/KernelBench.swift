import Foundation
import MybroCore
import MybroKernels

/// Shapes the batched kernels are timed on: rows of `rowLength` (BERT-sized embeddings).
struct BenchShapes {
    var rowLength = 768
}

/// `mybro-kernel bench`: each kernel's best time of its repetitions per size, against the STREAM
/// triad measured first in the same run, and against numpy timed on the same sizes in between.
struct KernelBench {
    var kernels: [KernelInfo]
    var sizes: [Int]
    var json: Bool
    var numpy: Bool
    var device: KernelCommand.Device = .cpu
    var sink: OutputSink = .standardOutput
    var shapes = BenchShapes()

    /// Elements per STREAM array: 128 MiB each, far beyond any cache here.
    static let streamElements = 1 << 25

    func run() throws {
        if device != .cpu {
            // auto times a real GPU only; gpu also takes a CPU implementation (lavapipe).
            do {
                let gpu = try VulkanBackend(allowCPU: device == .gpu)
                try runGPU(gpu)
            } catch let error as VulkanUnavailable {
                if device == .gpu {
                    Log.shared.warning("\(error): nothing to time on a GPU")
                    return
                }
                Log.shared.debug("\(error): timing the CPU only")  // auto is quiet, as for streams
            }
            if device == .gpu { return }
        }
        try runCPU()
    }

    /// The GPU kernels on data already in device memory, against the device's own copy bandwidth
    /// (8 bytes per element) measured first in the same run: the faster of a copy kernel and the
    /// driver's buffer copy, so the fractions are not flattered by a weak copy. Times are the
    /// device's own (GPU timestamps) where it has them, with the host's wall time beside them.
    func runGPU(_ gpu: VulkanBackend) throws {
        let fitting = sizes.filter { $0 <= gpu.maxElements }
        if fitting.count < sizes.count {
            Log.shared.warning(
                "\(gpu.deviceName) takes at most \(gpu.maxElements) values in one dispatch: not timing "
                    + sizes.filter { $0 > gpu.maxElements }.map(String.init).joined(separator: ", "))
        }
        let copyElements = fitting.max() ?? Swift.min(Self.streamElements, gpu.maxElements)
        var copyBandwidth = 0.0
        for copy in ["copy", "copy_buffer"] {
            let timing = try gpu.timeResident(copy, count: copyElements) { try Self.bestThrowing($0) }
            let bandwidth = 8 * Double(copyElements) / timing.seconds / 1e9
            copyBandwidth = Swift.max(copyBandwidth, bandwidth)
            let record = Record(
                type: "device_copy",
                [
                    "kernel": .string(copy), "n": .number(Double(copyElements)), "device": .string("gpu"),
                    "device_name": .string(gpu.deviceName), "seconds": .number(timing.seconds),
                    "wall_seconds": .number(timing.wallSeconds),
                    "timer": .string(timing.timer),
                    "gb_per_s": .number(Self.rounded(bandwidth)), "keeps_subnormals": .bool(gpu.keepsSubnormals),
                ])
            if json {
                try sink.write(record: record)
            } else {
                try sink.write(
                    line: "GPU \(gpu.deviceName): \(copy == "copy" ? "copy kernel" : "buffer copy") "
                        + "\(Self.rounded(bandwidth)) GB/s on \(copyElements) floats"
                        + (timing.deviceSeconds == nil ? " (wall time: no GPU timestamps)" : ""))
            }
        }
        let manyQueries = kernels.contains { $0.name == "cosine" }
        var peak = 0.0
        if manyQueries { peak = try writePeak(gpu) }
        if !json { try sink.write(line: Self.header) }
        for n in fitting {
            for kernel in kernels where VulkanBackend.kernels.contains(kernel.name) {
                let timing = try gpu.timeResident(kernel.name, count: n) { try Self.bestThrowing($0) }
                let seconds = timing.seconds
                let gbPerSecond = kernel.bytesPerElement * Double(n) / seconds / 1e9
                try write(
                    Record(
                        type: "bench",
                        [
                            "kernel": .string(kernel.name), "n": .number(Double(n)), "device": .string("gpu"),
                            "device_name": .string(gpu.deviceName), "seconds": .number(seconds),
                            "wall_seconds": .number(timing.wallSeconds),
                            "timer": .string(timing.timer),
                            "gb_per_s": .number(Self.rounded(gbPerSecond)),
                            "gflop_per_s": .number(Self.rounded(kernel.flopsPerElement * Double(n) / seconds / 1e9)),
                            "stream_fraction": .number(Self.rounded(gbPerSecond / copyBandwidth)),
                        ]))
            }
            if manyQueries { try writeCosines(gpu, n: n, peak: peak) }
        }
    }

    /// The device's fp32 rate from its own FMA chains, the yardstick of the many-query cosines.
    private func writePeak(_ gpu: VulkanBackend) throws -> Double {
        let (gflopPerSecond, timing) = try gpu.timePeak { try Self.bestThrowing($0) }
        let record = Record(
            type: "device_peak",
            [
                "kernel": .string("fma_peak"), "device": .string("gpu"), "device_name": .string(gpu.deviceName),
                "seconds": .number(timing.seconds), "wall_seconds": .number(timing.wallSeconds),
                "timer": .string(timing.timer), "gflop_per_s": .number(Self.rounded(gflopPerSecond)),
            ])
        if json {
            try sink.write(record: record)
        } else {
            try sink.write(
                line: "GPU \(gpu.deviceName): FMA chains \(Self.rounded(gflopPerSecond)) GFLOP/s (fp32)"
                    + (timing.deviceSeconds == nil ? " (wall time: no GPU timestamps)" : ""))
        }
        return gflopPerSecond
    }

    /// Many queries against the rows of n values (a matrix product with the norms folded in),
    /// against the device's FMA rate: the batched kernel that arithmetic, not memory, bounds.
    private func writeCosines(_ gpu: VulkanBackend, n: Int, peak: Double) throws {
        guard let shape = VulkanBackend.benchCosinesShape(n) else { return }
        let timing = try gpu.timeResident("cosines", count: n) { try Self.bestThrowing($0) }
        let k = Double(VulkanBackend.benchRowLength)
        let flops = 2 * Double(shape.rows) * Double(shape.queries) * k
        let bytes = 4 * (Double(shape.rows + shape.queries) * k + Double(shape.rows * shape.queries))
        let gflopPerSecond = flops / timing.seconds / 1e9
        try write(
            Record(
                type: "bench",
                [
                    "kernel": .string("cosine"), "n": .number(Double(n)), "device": .string("gpu"),
                    "device_name": .string(gpu.deviceName), "rows": .number(Double(shape.rows)),
                    "queries": .number(Double(shape.queries)), "row_length": .number(k),
                    "seconds": .number(timing.seconds), "wall_seconds": .number(timing.wallSeconds),
                    "timer": .string(timing.timer), "gb_per_s": .number(Self.rounded(bytes / timing.seconds / 1e9)),
                    "gflop_per_s": .number(Self.rounded(gflopPerSecond)),
                    "peak_fraction": .number(Self.rounded(gflopPerSecond / peak)),
                ]))
    }

    func runCPU() throws {
        let useNumpy = numpy && NumpyTimer.available
        if numpy && !useNumpy { Log.shared.warning("python3 with numpy is not available: no numpy timings") }
        let triad = measureTriad()
        try writeStream(triad)
        if !json { try sink.write(line: Self.header) }
        for n in sizes {
            let numpyTimings =
                useNumpy ? try NumpyTimer.time(kernels: kernels.map(\.name), n: n, shape: shapes) : [:]
            let buffers = BenchBuffers(n: n, rowLength: shapes.rowLength)
            defer { buffers.release() }
            for kernel in kernels {
                let seconds = Self.best { buffers.run(kernel.name) }
                let elements = Double(buffers.elements(kernel.name))
                let gbPerSecond = kernel.bytesPerElement * elements / seconds / 1e9
                var record = Record(
                    type: "bench",
                    [
                        "kernel": .string(kernel.name), "n": .number(Double(n)), "device": .string("cpu"),
                        "path": .string(Kernels.path.description), "threads": .number(Double(Kernels.threads)),
                        "seconds": .number(seconds), "gb_per_s": .number(Self.rounded(gbPerSecond)),
                        "gflop_per_s": .number(Self.rounded(kernel.flopsPerElement * elements / seconds / 1e9)),
                        "stream_fraction": .number(Self.rounded(gbPerSecond / triad.gbPerSecond)),
                    ])
                if let timing = numpyTimings[kernel.name] {
                    record["numpy_seconds"] = .number(timing.seconds)
                    record["numpy_ratio"] = .number(Self.rounded(timing.seconds / seconds))
                    if let sgemm = timing.sgemmSeconds {
                        record["sgemm_seconds"] = .number(sgemm)
                        record["sgemm_ratio"] = .number(Self.rounded(sgemm / seconds))
                    }
                }
                try write(record)
            }
        }
    }

    static let header =
        "kernel            n          device  seconds      GB/s    GFLOP/s  stream  numpy_ratio  sgemm_ratio"

    struct Triad {
        var seconds: Double
        var gbPerSecond: Double
    }

    /// STREAM's triad a = b + s·c over three arrays (12 bytes per element, no write-allocate
    /// counted), threaded and with non-temporal stores like the maps, best of 10.
    func measureTriad() -> Triad {
        let n = Self.streamElements
        let a = BenchBuffers.allocate(n, value: 0)
        let b = BenchBuffers.allocate(n, value: 1)
        let c = BenchBuffers.allocate(n, value: 2)
        defer {
            a.deallocate()
            b.deallocate()
            c.deallocate()
        }
        let seconds = Self.best(minimum: 10, target: 0) {
            Kernels.triad(a, UnsafeBufferPointer(b), UnsafeBufferPointer(c), scalar: 3)
        }
        return Triad(seconds: seconds, gbPerSecond: 12 * Double(n) / seconds / 1e9)
    }

    private func writeStream(_ triad: Triad) throws {
        let record = Record(
            type: "stream",
            [
                "kernel": .string("triad"), "n": .number(Double(Self.streamElements)), "device": .string("cpu"),
                "seconds": .number(triad.seconds), "gb_per_s": .number(Self.rounded(triad.gbPerSecond)),
            ])
        if json {
            try sink.write(record: record)
        } else {
            try sink.write(
                line:
                    "STREAM triad (this run): \(Self.rounded(triad.gbPerSecond)) GB/s on \(Self.streamElements) floats, "
                    + "path \(Kernels.path), \(Kernels.threads) threads")
        }
    }

    private func write(_ record: Record) throws {
        if json { return try sink.write(record: record) }
        func field(_ key: String, _ width: Int) -> String {
            let text = record[key].map { value -> String in
                if let string = value.stringValue { return string }
                if let number = value.doubleValue {
                    return key == "seconds" ? String(format: "%.3e", number) : FloatWriter.number(number)
                }
                return ""
            }
            return (text ?? "-").padding(toLength: width, withPad: " ", startingAt: 0)
        }
        // A many-query record shows its queries by the name, and its share of the FMA rate where
        // the others show their share of the bandwidth.
        let share = record["stream_fraction"]?.doubleValue ?? record["peak_fraction"]?.doubleValue
        let stream = share.map { String(format: "%.0f%%", $0 * 100) } ?? "-"
        var record = record
        if let queries = record["queries"]?.doubleValue, let name = record["kernel"]?.stringValue {
            record["kernel"] = .string("\(name)×\(Int(queries))q")
        }
        try sink.write(
            line: field("kernel", 18) + field("n", 11) + field("device", 8) + field("seconds", 13)
                + field("gb_per_s", 9)
                + field("gflop_per_s", 9) + stream.padding(toLength: 8, withPad: " ", startingAt: 0)
                + field("numpy_ratio", 13) + field("sgemm_ratio", 11))
    }

    static func rounded(_ value: Double) -> Double { value.roundedToSignificantDigits(4) }

    /// The best time of at least `minimum` runs, repeated until `target` seconds have passed
    /// (at most 200), after one warm-up run.
    static func best(minimum: Int = 3, target: Double = 0.25, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        var runs = 0
        let start = now()
        while runs < 200 && (runs < minimum || now() - start < target) {
            let t0 = now()
            body()
            best = min(best, now() - t0)
            runs += 1
        }
        return best
    }

    /// `best` for a body that can fail (a GPU dispatch).
    static func bestThrowing(_ body: () throws -> Void) throws -> Double {
        var failure: Error?
        let seconds = best {
            if failure != nil { return }
            do { try body() } catch { failure = error }
        }
        if let failure { throw failure }
        return seconds
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
