import CMybroKernels
import CMybroVulkan
import Synchronization

/// Why a Vulkan device could not be opened.
public struct VulkanUnavailable: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// The kernels on a Vulkan device: the maps and the sum, sum-of-squares, min and max reductions.
/// Each call uploads its input, dispatches, waits and reads the result back; calls are serialised
/// (one command buffer), so the backend can be shared between threads.
public final class VulkanBackend: KernelBackend {
    /// The C handle and three reusable buffers, only touched with the lock held. Kept as
    /// addresses (Sendable integers): the pointers are rebuilt inside the lock.
    private struct State: ~Copyable {
        var gpu: UInt
        var buffers: [UInt] = [0, 0, 0]
        var capacity = 0
        /// How many of the bench pattern's values buffers 0 and 1 hold (0 once anything else was
        /// uploaded): `timeResident` then skips making and uploading them again.
        var benchValues = 0
    }
    private let state: Mutex<State>
    public let deviceName: String
    /// Whether the device is a CPU implementation (Mesa's lavapipe).
    public let isCPUImplementation: Bool
    /// Whether the shaders keep subnormals, NaN and infinities (the device honours the float
    /// controls they ask for); where not, the driver may flush subnormals to zero.
    public let keepsSubnormals: Bool
    /// The most values one dispatch takes (the device's storage-buffer range); longer inputs are
    /// run in pieces of this size.
    public let maxElements: Int
    /// What the device said about the float controls behind `keepsSubnormals`.
    public let floatControls: String
    public var name: String { "gpu" }

    /// Opens the best Vulkan device; CPU implementations only when `allowCPU`. `pieceLimit`
    /// lowers the values per dispatch below the device's own limit (tests of the pieces).
    public init(allowCPU: Bool, pieceLimit: Int? = nil) throws(VulkanUnavailable) {
        var why = [CChar](repeating: 0, count: 256)
        guard let gpu = mybro_gpu_open(allowCPU ? 1 : 0, &why, why.count) else {
            throw VulkanUnavailable(description: String(cString: why))
        }
        deviceName = String(cString: mybro_gpu_device_name(gpu))
        isCPUImplementation = mybro_gpu_is_cpu(gpu) != 0
        keepsSubnormals = mybro_gpu_strict_floats(gpu) != 0
        maxElements = Swift.max(1, Swift.min(Int(mybro_gpu_max_elements(gpu)), pieceLimit ?? .max))
        floatControls = String(cString: mybro_gpu_float_note(gpu))
        state = Mutex(State(gpu: UInt(bitPattern: Int(bitPattern: gpu))))
    }

    deinit {
        state.withLock { state in
            let gpu = OpaquePointer(bitPattern: state.gpu)
            for buffer in state.buffers { mybro_gpu_buffer_destroy(gpu, OpaquePointer(bitPattern: buffer)) }
            mybro_gpu_close(gpu)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `body` with buffers of at least `count` floats and the count of bench values they
    /// hold, which is reset to 0 (the body uploads other data) unless `keepsBenchValues`.
    private func withBuffers<R>(
        count: Int, keepsBenchValues: Bool = false,
        _ body: (OpaquePointer, [OpaquePointer], inout Int) throws -> R
    ) throws -> R {
        guard count <= maxElements else {
            throw Failure(description: "\(count) values are more than one GPU dispatch takes")
        }
        return try state.withLock { state in
            let gpu = OpaquePointer(bitPattern: state.gpu)!
            if state.capacity < count {
                for buffer in state.buffers { mybro_gpu_buffer_destroy(gpu, OpaquePointer(bitPattern: buffer)) }
                let size = Swift.max(count, 1 << 16)
                state.buffers = (0..<3).map { _ in UInt(bitPattern: Int(bitPattern: mybro_gpu_buffer_create(gpu, size)))
                }
                state.capacity = state.buffers.allSatisfy { $0 != 0 } ? size : 0
                state.benchValues = 0
                guard state.capacity > 0 else { throw Failure(description: "out of GPU memory for \(count) values") }
            }
            if !keepsBenchValues { state.benchValues = 0 }
            return try body(gpu, state.buffers.map { OpaquePointer(bitPattern: $0)! }, &state.benchValues)
        }
    }

    private func check(_ status: Int32, _ what: String) throws {
        if status != 0 { throw Failure(description: "the GPU failed to \(what)") }
    }

    /// The starts and lengths of the pieces `count` values are run in.
    private func pieces(_ count: Int, step: Int) -> some Sequence<(start: Int, count: Int)> {
        stride(from: 0, to: count, by: step).lazy.map { (start: $0, count: Swift.min(step, count - $0)) }
    }

    private func run(op: Int32, binary: Int32, _ a: inout [Float], _ b: [Float]?, scalar: Float) throws {
        let count = a.count
        if count == 0 { return }
        try withBuffers(count: Swift.min(count, maxElements)) { gpu, buffers, _ in
            try a.withUnsafeMutableBufferPointer { a in
                for piece in pieces(count, step: maxElements) {
                    let values = a.baseAddress! + piece.start
                    try check(mybro_gpu_upload(gpu, buffers[0], values, piece.count), "upload")
                    if let b {
                        try check(
                            b.withUnsafeBufferPointer {
                                mybro_gpu_upload(gpu, buffers[1], $0.baseAddress! + piece.start, piece.count)
                            }, "upload")
                    }
                    try check(
                        mybro_gpu_map(gpu, op, binary, buffers[0], buffers[1], scalar, buffers[2], piece.count),
                        "run a map")
                    try check(mybro_gpu_download(gpu, buffers[2], values, piece.count), "read back")
                }
            }
        }
    }

    public func map(_ operation: UnaryOperation, _ x: inout [Float]) throws {
        try run(op: operation.code, binary: 0, &x, nil, scalar: 0)
    }
    public func map(_ operation: BinaryOperation, _ a: inout [Float], _ b: [Float]) throws {
        precondition(a.count == b.count, "binary operands need equal lengths")
        try run(op: operation.code, binary: 1, &a, b, scalar: 0)
    }
    public func map(_ operation: BinaryOperation, _ a: inout [Float], scalar: Float) throws {
        try run(op: operation.code, binary: 2, &a, nil, scalar: scalar)
    }

    private func reduce(_ kind: Int32, _ x: UnsafeBufferPointer<Float>) throws -> Double {
        let extreme = kind >= Int32(MYBRO_GPU_MIN)
        if x.isEmpty { return extreme ? .nan : 0 }
        return try withBuffers(count: Swift.min(x.count, maxElements)) { gpu, buffers, _ in
            var total: Double?
            for piece in pieces(x.count, step: maxElements) {
                try check(mybro_gpu_upload(gpu, buffers[0], x.baseAddress! + piece.start, piece.count), "upload")
                var result = 0.0
                try check(mybro_gpu_reduce(gpu, kind, buffers[0], piece.count, &result), "reduce")
                guard let current = total else {
                    total = result
                    continue
                }
                if !extreme {
                    total = current + result
                } else if current.isNaN || result.isNaN {
                    total = .nan
                } else {
                    total = kind == Int32(MYBRO_GPU_MIN) ? Swift.min(current, result) : Swift.max(current, result)
                }
            }
            return total ?? 0
        }
    }

    public func sum(_ x: UnsafeBufferPointer<Float>) throws -> Double { try reduce(Int32(MYBRO_GPU_SUM), x) }
    public func squareSum(_ x: UnsafeBufferPointer<Float>) throws -> Double {
        try reduce(Int32(MYBRO_GPU_SQUARE_SUM), x)
    }
    public func min(_ x: UnsafeBufferPointer<Float>) throws -> Float { Float(try reduce(Int32(MYBRO_GPU_MIN), x)) }
    public func max(_ x: UnsafeBufferPointer<Float>) throws -> Float { Float(try reduce(Int32(MYBRO_GPU_MAX), x)) }

    private func batched(cosine: Bool, _ a: [Float], _ b: [Float], rowLength: Int, queryNorm2: Float) throws -> [Float]
    {
        let rows = a.count / rowLength
        if rows == 0 { return [] }
        guard rowLength <= maxElements else {
            throw Failure(description: "rows of \(rowLength) values are longer than one GPU dispatch takes")
        }
        let rowsPerPiece = maxElements / rowLength
        var y = [Float](repeating: 0, count: rows)
        try withBuffers(count: Swift.min(a.count, rowsPerPiece * rowLength)) { gpu, buffers, _ in
            if cosine {
                try check(
                    b.withUnsafeBufferPointer { mybro_gpu_upload(gpu, buffers[1], $0.baseAddress, b.count) }, "upload")
            }
            for piece in pieces(rows, step: rowsPerPiece) {
                let first = piece.start * rowLength, values = piece.count * rowLength
                try check(
                    a.withUnsafeBufferPointer { mybro_gpu_upload(gpu, buffers[0], $0.baseAddress! + first, values) },
                    "upload")
                if !cosine {
                    let status = b.withUnsafeBufferPointer {
                        mybro_gpu_upload(gpu, buffers[1], $0.baseAddress! + first, values)
                    }
                    try check(status, "upload")
                }
                try check(
                    mybro_gpu_batched(
                        gpu, cosine ? 1 : 0, buffers[0], buffers[1], queryNorm2, buffers[2], piece.count, rowLength),
                    "run a batched product")
                try check(
                    y.withUnsafeMutableBufferPointer {
                        mybro_gpu_download(gpu, buffers[2], $0.baseAddress! + piece.start, piece.count)
                    }, "read back")
            }
        }
        return y
    }

    public func dotPairs(_ a: [Float], _ b: [Float], rowLength: Int) throws -> [Float] {
        precondition(rowLength > 0 && a.count == b.count && a.count % rowLength == 0, "dot needs whole, equal rows")
        return try batched(cosine: false, a, b, rowLength: rowLength, queryNorm2: 0)
    }

    public func cosine(query: [Float], matrix: [Float]) throws -> [Float] {
        precondition(!query.isEmpty && matrix.count % query.count == 0, "cosine needs whole rows")
        let norm2 = Float(query.reduce(0.0) { $0 + Double($1) * Double($1) })
        return try batched(cosine: true, matrix, query, rowLength: query.count, queryNorm2: norm2)
    }

    /// Rows of y one cosines dispatch covers at most: Vulkan promises 65535 workgroups down, and
    /// each takes 128 rows (cosines.comp).
    static let cosinesRowsPerDispatch = 65535 * 128

    public func cosines(queries: [Float], rowLength: Int, matrix: [Float]) throws -> [Float] {
        precondition(rowLength > 0 && !queries.isEmpty, "cosines need a query")
        precondition(queries.count % rowLength == 0 && matrix.count % rowLength == 0, "cosines need whole rows")
        let count = queries.count / rowLength, rows = matrix.count / rowLength
        if rows == 0 { return [] }
        guard queries.count <= maxElements else {
            throw Failure(description: "\(count) queries of \(rowLength) values are more than one GPU dispatch takes")
        }
        let rowsPerPiece = Swift.min(maxElements / rowLength, maxElements / count, Self.cosinesRowsPerDispatch)
        guard rowsPerPiece > 0 else {
            throw Failure(description: "\(count) queries give rows longer than one GPU dispatch takes")
        }
        var y = [Float](repeating: 0, count: rows * count)
        let most = Swift.min(rows, rowsPerPiece)
        try withBuffers(count: Swift.max(most * rowLength, queries.count, most * count)) { gpu, buffers, _ in
            try check(
                queries.withUnsafeBufferPointer { mybro_gpu_upload(gpu, buffers[1], $0.baseAddress, $0.count) },
                "upload")
            for piece in pieces(rows, step: rowsPerPiece) {
                try check(
                    matrix.withUnsafeBufferPointer {
                        mybro_gpu_upload(
                            gpu, buffers[0], $0.baseAddress! + piece.start * rowLength, piece.count * rowLength)
                    }, "upload")
                try check(
                    mybro_gpu_cosines(gpu, buffers[0], buffers[1], buffers[2], piece.count, count, rowLength),
                    "run the cosines")
                try check(
                    y.withUnsafeMutableBufferPointer {
                        mybro_gpu_download(gpu, buffers[2], $0.baseAddress! + piece.start * count, piece.count * count)
                    }, "read back")
            }
        }
        return y
    }

    /// The kernels this backend runs; the others run on the CPU whatever the device.
    public static let kernels: Set<String> = [
        "exp", "log", "sigmoid", "tanh", "add", "sub", "mul", "div", "relu", "abs", "neg", "sum", "mean", "l2",
        "square_sum", "min", "max", "dot", "cosine",
    ]
    /// The row length `bench` times the batched kernels with.
    public static let benchRowLength = 768
    /// The queries `bench` times the many-query cosines with: n values make n / 768 rows, and
    /// their 512 similarities each fit the n values of the output buffer.
    public static let benchQueries = 512

    /// The many-query cosines' shape for `n` bench values: rows of `benchRowLength`, and as many
    /// queries as fit both the rows and the output (nil below one row).
    public static func benchCosinesShape(_ n: Int) -> (rows: Int, queries: Int)? {
        let rows = n / benchRowLength
        let queries = Swift.min(benchQueries, rows)
        return rows > 0 ? (rows, queries) : nil
    }
}

/// One kernel's best time on data already in device memory.
public struct ResidentTiming: Sendable {
    /// The best wall time of a whole call, as the host sees it: submit, run, wait.
    public var wallSeconds: Double
    /// The best time the device itself took, from GPU timestamps around the dispatch; nil where
    /// the device writes none.
    public var deviceSeconds: Double?
    /// The device's time where it has one, else the wall time.
    public var seconds: Double { deviceSeconds ?? wallSeconds }
    /// Which clock `seconds` is: "device" or "wall".
    public var timer: String { deviceSeconds == nil ? "wall" : "device" }
}

extension VulkanBackend {
    /// Times `kernel` (one of `kernels`; "copy" for the copy kernel, "copy_buffer" for the
    /// driver's own buffer copy) on `count` values already in device memory: `timer` runs the
    /// dispatch it is given as often as it likes and returns the best wall time.
    public func timeResident(
        _ kernel: String, count: Int, timer: (() throws -> Void) throws -> Double
    ) throws -> ResidentTiming {
        try withBuffers(count: count, keepsBenchValues: true) { gpu, buffers, benchValues in
            if benchValues < count {
                let values = (0..<count).map { Float(0.5) + Float($0 % 1000) / 1000 }
                for index in 0..<2 {
                    try check(
                        values.withUnsafeBufferPointer { mybro_gpu_upload(gpu, buffers[index], $0.baseAddress, count) },
                        "upload")
                }
                benchValues = count
            }
            let dispatch: () throws -> Void
            switch kernel {
            case "sum", "mean", "l2", "square_sum", "min", "max":
                let kind: Int32 =
                    switch kernel {
                    case "min": Int32(MYBRO_GPU_MIN)
                    case "max": Int32(MYBRO_GPU_MAX)
                    case "l2", "square_sum": Int32(MYBRO_GPU_SQUARE_SUM)
                    default: Int32(MYBRO_GPU_SUM)
                    }
                dispatch = {
                    var result = 0.0
                    try self.check(mybro_gpu_reduce(gpu, kind, buffers[0], count, &result), "reduce")
                }
            case "dot", "cosine":
                let k = Swift.min(count, Self.benchRowLength)
                let rows = count / k
                dispatch = {
                    try self.check(
                        mybro_gpu_batched(
                            gpu, kernel == "cosine" ? 1 : 0, buffers[0], buffers[1], 1, buffers[2], rows, k),
                        "run a batched product")
                }
            case "add", "sub", "mul", "div":
                let code = BinaryOperation(rawValue: kernel)!.code
                dispatch = {
                    try self.check(mybro_gpu_map(gpu, code, 1, buffers[0], buffers[1], 0, buffers[2], count), "map")
                }
            case "copy_buffer":
                dispatch = { try self.check(mybro_gpu_copy(gpu, buffers[0], buffers[2], count), "copy") }
            case "cosines":
                guard let shape = Self.benchCosinesShape(count) else {
                    throw Failure(description: "\(count) values are less than one row of \(Self.benchRowLength)")
                }
                dispatch = {
                    try self.check(
                        mybro_gpu_cosines(
                            gpu, buffers[0], buffers[1], buffers[2], shape.rows, shape.queries, Self.benchRowLength),
                        "run the cosines")
                }
            default:
                let code = (UnaryOperation(rawValue: kernel) ?? .copy).code
                dispatch = {
                    try self.check(mybro_gpu_map(gpu, code, 0, buffers[0], nil, 0, buffers[2], count), "map")
                }
            }
            var deviceBest = Double.infinity
            let wall = try timer {
                try dispatch()
                let seconds = mybro_gpu_last_seconds(gpu)
                deviceBest = seconds >= 0 ? Swift.min(deviceBest, seconds) : -.infinity
            }
            // One dispatch without a timestamp makes the device's figure unknown, not a best case.
            return ResidentTiming(wallSeconds: wall, deviceSeconds: deviceBest > 0 ? deviceBest : nil)
        }
    }

    /// The device's own fp32 rate (peak.comp's FMA chains), the yardstick for the many-query
    /// cosines as the copy kernel is for the maps: the trips per invocation double until one
    /// dispatch lasts 2 ms, then `timer` times it. Returns GFLOP/s and the timing.
    public func timePeak(timer: (() throws -> Void) throws -> Double) throws -> (
        gflopPerSecond: Double, timing: ResidentTiming
    ) {
        // A few waves of workgroups on a GPU; a CPU implementation (lavapipe) needs far fewer.
        let groups = isCPUImplementation ? 64 : 4096
        return try withBuffers(count: groups * 256, keepsBenchValues: true) { gpu, buffers, _ in
            var steps: UInt32 = 64
            while steps < 1 << 22 {
                let clock = ContinuousClock()
                let start = clock.now
                try check(mybro_gpu_peak(gpu, buffers[2], groups, steps), "run the FMA yardstick")
                let device = mybro_gpu_last_seconds(gpu)
                let wall = (clock.now - start) / .seconds(1)
                if (device >= 0 ? device : wall) >= 2e-3 { break }
                steps *= 2
            }
            var deviceBest = Double.infinity
            let wall = try timer {
                try self.check(mybro_gpu_peak(gpu, buffers[2], groups, steps), "run the FMA yardstick")
                let seconds = mybro_gpu_last_seconds(gpu)
                deviceBest = seconds >= 0 ? Swift.min(deviceBest, seconds) : -.infinity
            }
            let timing = ResidentTiming(wallSeconds: wall, deviceSeconds: deviceBest > 0 ? deviceBest : nil)
            let flops = Double(groups) * 256 * 64 * 2 * Double(steps)
            return (flops / timing.seconds / 1e9, timing)
        }
    }
}
