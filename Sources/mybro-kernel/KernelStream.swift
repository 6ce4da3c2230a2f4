import Foundation
import MybroCore
import MybroKernels

/// What one `mybro-kernel NAME` run does, as parsed and validated by the command.
struct KernelJob {
    var kernel: KernelInfo
    var format: StreamFormat = .binary
    var pcm = false
    var strict = false
    var window: Int?
    var scalar: Float?
    var otherPath: String?
    var queryPath: String?
    var above: Float?
    var bins = 10
    var range: ClosedRange<Double> = -1...1
    var exclusive = false
    var rows: Int?
    var columns: Int?
    var channels: Int?
    var layout: Layout = .planar
    var length: Int?
    var backend: any KernelBackend = CPUBackend()
}

/// Applies one kernel to stdin and writes to stdout as the data arrives: maps piece by piece,
/// reductions per window (or once at the end), block transforms per block.
struct KernelStream {
    let job: KernelJob
    let input: FloatReader
    let output: FloatWriter

    init(job: KernelJob, fd: Int32 = 0, sink: OutputSink = .standardOutput) {
        self.job = job
        input = FloatReader(fd: fd, format: job.format, pcm: job.pcm, strict: job.strict)
        output = FloatWriter(format: job.format, sink: sink)
    }

    func run() throws {
        switch job.kernel.name {
        case "exp", "log", "sigmoid", "tanh", "relu", "abs", "neg":
            try runUnary(UnaryOperation(rawValue: job.kernel.name)!)
        case "add", "sub", "mul", "div": try runBinary(BinaryOperation(rawValue: job.kernel.name)!)
        case "scan": try runScan()
        case "compact": try runCompact()
        case "transpose", "repack": try runBlocks()
        case "quantize": try runQuantize()
        case "dequantize": try runDequantize()
        case "dot", "cosine": try runBatched()
        default: try runReduction()
        }
    }

    private func other() throws -> FloatReader? {
        guard let path = job.otherPath else { return nil }
        return try FloatReader.open(path: path, format: job.format, pcm: job.pcm, strict: job.strict, option: "--other")
    }

    /// The second operand's values for a piece; a shorter second stream is an error.
    private func operand(_ reader: FloatReader, count: Int) throws -> [Float] {
        let values = try reader.read(exactly: count)
        guard values.count == count else {
            throw MybroError("\(reader.name) ended before stdin: the operands need equal lengths", status: .dataError)
        }
        return values
    }

    // MARK: - Maps

    private func runUnary(_ operation: UnaryOperation) throws {
        while var piece = try input.next() {
            try job.backend.map(operation, &piece)
            try output.write(piece)
        }
    }

    private func runBinary(_ operation: BinaryOperation) throws {
        let second = try other()
        while var piece = try input.next() {
            if let second {
                let operandValues = try operand(second, count: piece.count)
                try job.backend.map(operation, &piece, operandValues)
            } else {
                try job.backend.map(operation, &piece, scalar: job.scalar ?? 0)
            }
            try output.write(piece)
        }
    }

    // MARK: - Transforms

    private func runScan() throws {
        var carry = 0.0
        while let piece = try input.next() {
            var result = [Float](repeating: 0, count: piece.count)
            piece.withUnsafeBufferPointer { x in
                result.withUnsafeMutableBufferPointer {
                    carry = Kernels.scan(x, into: $0, exclusive: job.exclusive, carry: carry)
                }
            }
            try output.write(result)
        }
    }

    private func runCompact() throws {
        let mask = try other()
        while let piece = try input.next() {
            if let mask {
                try output.write(Kernels.compact(piece, mask: try operand(mask, count: piece.count)))
            } else {
                try output.write(Kernels.compact(piece, above: job.above ?? 0))
            }
        }
    }

    /// transpose: each --rows × --columns matrix; repack: each block of --rows frames (or whole input).
    private func runBlocks() throws {
        let channels = job.channels ?? 1
        let block: Int? =
            job.kernel.name == "transpose" ? job.rows! * job.columns! : job.rows.map { $0 * channels }
        var pending: [Float] = []
        func emit(_ values: [Float]) throws {
            if job.kernel.name == "transpose" {
                try output.write(Kernels.transpose(values, rows: job.rows!, columns: job.columns!))
            } else {
                try output.write(Kernels.repack(values, channels: channels, to: job.layout))
            }
        }
        while let piece = try input.next() {
            pending += piece
            guard let block else {
                try checkBuffered(pending.count, hint: "give --rows to repack block by block")
                continue
            }
            var start = 0
            while pending.count - start >= block {
                try emit(Array(pending[start..<start + block]))
                start += block
            }
            pending.removeFirst(start)
        }
        if block == nil {
            guard pending.count % channels == 0 else {
                throw MybroError(
                    "input holds \(pending.count) values, not a whole number of \(channels)-channel frames",
                    status: .dataError)
            }
            if !pending.isEmpty { try emit(pending) }
        } else if !pending.isEmpty {
            throw MybroError(
                "input ends inside a block: \(pending.count) values left of \(block!); nothing written for them",
                status: .dataError)
        }
    }

    /// Whole-input modes keep everything in memory; past this many values they stop.
    static let maximumBuffered = 1 << 28

    private func checkBuffered(_ count: Int, hint: String) throws {
        if count > KernelStream.maximumBuffered {
            throw MybroError(
                "more than \(KernelStream.maximumBuffered) values to hold at once: \(hint)", status: .dataError)
        }
    }

    // MARK: - Quantization

    /// Binary: per row, the scale (float32 LE) then the row's int8 values. JSON: a `quantized`
    /// record per row.
    private func runQuantize() throws {
        var pending: [Float] = []
        var row = 0
        func emit(_ values: [Float]) throws {
            let (scale, q) = Kernels.quantize(values)
            switch job.format {
            case .binary:
                var bytes = withUnsafeBytes(of: scale.bitPattern.littleEndian) { Array($0) }
                bytes += q.map { UInt8(bitPattern: $0) }
                try output.write(bytes: bytes)
            case .json:
                try output.write(
                    line: Record(
                        type: "quantized",
                        [
                            "row": .number(Double(row)), "scale": .number(Double("\(scale)") ?? Double(scale)),
                            "values": .array(q.map { .number(Double($0)) }),
                        ]
                    ).serialized())
            }
            row += 1
        }
        while let piece = try input.next() {
            pending += piece
            guard let window = job.window else {
                try checkBuffered(pending.count, hint: "give --window to quantize row by row")
                continue
            }
            var start = 0
            while pending.count - start >= window {
                try emit(Array(pending[start..<start + window]))
                start += window
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty || (job.window == nil && row == 0) { try emit(pending) }
    }

    /// Reads quantize's binary layout (rows of --window values; without it, one row to the end)
    /// or its JSON records, and writes the float values.
    private func runDequantize() throws {
        switch job.format {
        case .json:
            guard case .json(let lines) = input.source else { return }
            while let line = try lines.next() {
                guard case .line(let text, let number) = line else { continue }
                if text.isEmpty { continue }
                guard let parsed = try? text.withUnsafeBufferPointer({ try JSONParser.parse($0) }),
                    let object = parsed.objectValue, let scale = object["scale"]?.doubleValue,
                    let values = object["values"]?.arrayValue
                else {
                    try problem("line \(number): expected a quantized record {\"scale\":…,\"values\":[…]}; skipped")
                    continue
                }
                let q = values.compactMap { $0.doubleValue.flatMap { Int8(exactly: $0) } }
                guard q.count == values.count else {
                    try problem("line \(number): values must be integers from -128 to 127; skipped")
                    continue
                }
                try output.write(Kernels.dequantize(q, scale: Float(scale)))
            }
        case .binary:
            guard case .binary(let fd) = input.source else { return }
            let rowBytes = job.window.map { $0 + 4 }
            var pending: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            func emit(_ bytes: ArraySlice<UInt8>) throws {
                guard bytes.count >= 4 else {
                    throw MybroError("quantized input ends inside a row's scale", status: .dataError)
                }
                let start = bytes.startIndex
                let scale = Float(
                    bitPattern: UInt32(bytes[start]) | UInt32(bytes[start + 1]) << 8 | UInt32(bytes[start + 2]) << 16
                        | UInt32(bytes[start + 3]) << 24)
                try output.write(Kernels.dequantize(bytes[(start + 4)...].map { Int8(bitPattern: $0) }, scale: scale))
            }
            while true {
                let result = chunk.withUnsafeMutableBytes { SystemIO.read(fd, into: $0, interruptible: true) }
                guard case .bytes(let n) = result else {
                    if case .failed(let code) = result {
                        throw MybroError("reading input: \(SystemIO.describe(code))", status: .ioError)
                    }
                    break
                }
                pending += chunk[0..<n]
                guard let rowBytes else {
                    try checkBuffered(pending.count, hint: "give --window to dequantize row by row")
                    continue
                }
                var start = 0
                while pending.count - start >= rowBytes {
                    try emit(pending[start..<start + rowBytes])
                    start += rowBytes
                }
                pending.removeFirst(start)
            }
            if !pending.isEmpty { try emit(pending[...]) }
        }
    }

    private func problem(_ message: String) throws {
        if job.strict { throw MybroError(message + " (stopping: --strict)", status: .dataError) }
        Log.shared.warning(message)
    }

    // MARK: - Batched

    /// dot: rows of --length from stdin and --other; cosine: rows of the query's length, or of
    /// --length with several queries.
    private func runBatched() throws {
        let rowLength: Int
        var pairs: FloatReader?
        var query: [Float] = []
        if job.kernel.name == "cosine" {
            let reader = try FloatReader.open(
                path: job.queryPath!, format: job.format, pcm: job.pcm, strict: job.strict, option: "--query")
            query = try reader.read(exactly: KernelStream.maximumBuffered)
            guard !query.isEmpty else {
                throw MybroError("--query \(job.queryPath!) holds no values", status: .dataError)
            }
            rowLength = job.length ?? query.count
            guard query.count % rowLength == 0 else {
                throw MybroError(
                    "--query \(job.queryPath!) holds \(query.count) values, not whole queries of --length "
                        + "\(rowLength): give the length of one query",
                    status: .dataError)
            }
        } else {
            pairs = try other()
            rowLength = job.length!
        }
        var pending: [Float] = []
        while let piece = try input.next() {
            pending += piece
            let rows = pending.count / rowLength
            if rows == 0 { continue }
            let values = Array(pending[0..<rows * rowLength])
            if let pairs {
                try output.write(
                    try job.backend.dotPairs(values, try operand(pairs, count: values.count), rowLength: rowLength))
            } else if query.count == rowLength {
                try output.write(try job.backend.cosine(query: query, matrix: values))
            } else {
                try writeCosines(queries: query, rowLength: rowLength, matrix: values)
            }
            pending.removeFirst(rows * rowLength)
        }
        if !pending.isEmpty {
            throw MybroError(
                "input ends inside a row: \(pending.count) values left of \(rowLength); nothing written for them",
                status: .dataError)
        }
    }

    /// Many queries: a row of similarities per row of stdin (a JSON line each), computed in
    /// batches of rows whose similarities stay under 2^22 values, however many queries there are.
    private func writeCosines(queries: [Float], rowLength: Int, matrix: [Float]) throws {
        let count = queries.count / rowLength
        let rowsPerBatch = Swift.max(1, (1 << 22) / count)
        for first in stride(from: 0, to: matrix.count / rowLength, by: rowsPerBatch) {
            let end = Swift.min(matrix.count / rowLength, first + rowsPerBatch)
            let batch = Array(matrix[first * rowLength..<end * rowLength])
            let similarities = try job.backend.cosines(queries: queries, rowLength: rowLength, matrix: batch)
            if job.format == .json {
                try similarities.withUnsafeBufferPointer { all in
                    for row in 0..<(end - first) {
                        try output.write(UnsafeBufferPointer(rebasing: all[row * count..<(row + 1) * count]))
                    }
                }
            } else {
                try output.write(similarities)
            }
        }
    }

    // MARK: - Reductions

    private func runReduction() throws {
        let mask = job.kernel.name == "masked_sum" ? try other() : nil
        var reducer = Reducer(kernel: job.kernel.name, job: job)
        var windowIndex = 0
        var position = 0
        func emit() throws {
            try write(reducer, index: windowIndex, start: position - reducer.count)
            windowIndex += 1
            reducer = Reducer(kernel: job.kernel.name, job: job)
        }
        while let piece = try input.next() {
            let maskValues = try mask.map { try operand($0, count: piece.count) }
            var start = 0
            while start < piece.count {
                let room = job.window.map { $0 - reducer.count } ?? piece.count - start
                let take = min(room, piece.count - start)
                try piece.withUnsafeBufferPointer { values in
                    let slice = UnsafeBufferPointer(rebasing: values[start..<start + take])
                    if let maskValues {
                        try maskValues.withUnsafeBufferPointer {
                            try reducer.add(slice, mask: UnsafeBufferPointer(rebasing: $0[start..<start + take]))
                        }
                    } else {
                        try reducer.add(slice, mask: nil)
                    }
                }
                start += take
                position += take
                if let window = job.window, reducer.count == window { try emit() }
            }
        }
        if reducer.count > 0 || (job.window == nil && windowIndex == 0) { try emit() }
    }

    private func write(_ reducer: Reducer, index: Int, start: Int) throws {
        switch job.format {
        case .binary:
            try output.write(reducer.values.map { Float($0) })
        case .json:
            var record = Record(
                type: "reduction",
                [
                    "kernel": .string(job.kernel.name), "window": .number(Double(index)),
                    "start": .number(Double(start)),
                    "n": .number(Double(reducer.count)),
                ])
            if job.pcm {
                record["t0"] = .number(Double(start) / 16000)
                record["t1"] = .number(Double(start + reducer.count) / 16000)
            }
            if job.kernel.name == "histogram" {
                record["low"] = .number(job.range.lowerBound)
                record["high"] = .number(job.range.upperBound)
                record["counts"] = .array(reducer.values.map { .number($0) })
            } else {
                let value = reducer.values[0]
                record["value"] = .number(Double("\(Float(value))") ?? value)
            }
            try output.write(line: record.serialized())
        }
    }
}

/// The running state of one reduction over a window (or the whole stream).
struct Reducer {
    let kernel: String
    let job: KernelJob
    private(set) var count = 0
    private var total = 0.0
    private var extreme: Float?
    private var moments = Moments()
    private var counts: [UInt64]

    init(kernel: String, job: KernelJob) {
        self.kernel = kernel
        self.job = job
        counts = kernel == "histogram" ? [UInt64](repeating: 0, count: job.bins) : []
    }

    mutating func add(_ x: UnsafeBufferPointer<Float>, mask: UnsafeBufferPointer<Float>?) throws {
        if x.isEmpty { return }
        count += x.count
        switch kernel {
        case "sum", "mean": total += try job.backend.sum(x)
        case "l2", "square_sum": total += try job.backend.squareSum(x)
        case "abs_sum": total += Double(Kernels.absSum(x))
        case "masked_sum": total += Double(Kernels.maskedSum(x, mask: mask!))
        case "threshold_count": total += Double(Kernels.thresholdCount(x, above: job.above ?? 0))
        case "min", "max":
            let value = kernel == "min" ? try job.backend.min(x) : try job.backend.max(x)
            if let current = extreme {
                extreme =
                    current.isNaN || value.isNaN
                    ? .nan : kernel == "min" ? Swift.min(current, value) : Swift.max(current, value)
            } else {
                extreme = value
            }
        case "variance": moments = moments.merged(with: Kernels.moments(x))
        case "histogram":
            let range = job.range
            counts.withUnsafeMutableBufferPointer { Kernels.histogram(x, range: range, into: $0) }
        default: break
        }
    }

    /// The result: one value, or the histogram's counts.
    var values: [Double] {
        switch kernel {
        case "mean": return [count == 0 ? .nan : total / Double(count)]
        case "l2": return [total.squareRoot()]
        case "min", "max": return [Double(extreme ?? .nan)]
        case "variance": return [moments.variance]
        case "histogram": return counts.map { Double($0) }
        default: return [total]
        }
    }
}
