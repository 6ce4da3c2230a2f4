/// Where the stream kernels run: the CPU always, a Vulkan device when one is chosen.
/// The GPU backend implements the maps, the sum/min/max reductions and the batched products;
/// everything else runs on the CPU whatever the device.
public protocol KernelBackend: Sendable {
    /// "cpu" or "gpu" (records and messages).
    var name: String { get }
    func map(_ operation: UnaryOperation, _ x: inout [Float]) throws
    func map(_ operation: BinaryOperation, _ a: inout [Float], _ b: [Float]) throws
    func map(_ operation: BinaryOperation, _ a: inout [Float], scalar: Float) throws
    func sum(_ x: UnsafeBufferPointer<Float>) throws -> Double
    func squareSum(_ x: UnsafeBufferPointer<Float>) throws -> Double
    func min(_ x: UnsafeBufferPointer<Float>) throws -> Float
    func max(_ x: UnsafeBufferPointer<Float>) throws -> Float
    /// y[r] = a[r]·b[r] for rows of `rowLength`.
    func dotPairs(_ a: [Float], _ b: [Float], rowLength: Int) throws -> [Float]
    /// The cosine similarity of `query` with each row of `matrix` (rows of query.count).
    func cosine(query: [Float], matrix: [Float]) throws -> [Float]
    /// y[r·q + j] = the cosine similarity of row r of `matrix` with row j of `queries` (q rows of
    /// `rowLength`).
    func cosines(queries: [Float], rowLength: Int, matrix: [Float]) throws -> [Float]
}

/// The SIMD kernels on this CPU.
public struct CPUBackend: KernelBackend {
    public init() {}
    public var name: String { "cpu" }
    public func map(_ operation: UnaryOperation, _ x: inout [Float]) {
        x.withUnsafeMutableBufferPointer { Kernels.map(operation, UnsafeBufferPointer($0), into: $0) }
    }
    public func map(_ operation: BinaryOperation, _ a: inout [Float], _ b: [Float]) {
        a.withUnsafeMutableBufferPointer { y in
            b.withUnsafeBufferPointer { Kernels.map(operation, UnsafeBufferPointer(y), $0, into: y) }
        }
    }
    public func map(_ operation: BinaryOperation, _ a: inout [Float], scalar: Float) {
        a.withUnsafeMutableBufferPointer { Kernels.map(operation, UnsafeBufferPointer($0), scalar: scalar, into: $0) }
    }
    public func sum(_ x: UnsafeBufferPointer<Float>) -> Double { Kernels.sumDouble(x) }
    public func squareSum(_ x: UnsafeBufferPointer<Float>) -> Double { Kernels.squareSumDouble(x) }
    public func min(_ x: UnsafeBufferPointer<Float>) -> Float { Kernels.min(x) }
    public func max(_ x: UnsafeBufferPointer<Float>) -> Float { Kernels.max(x) }
    public func dotPairs(_ a: [Float], _ b: [Float], rowLength: Int) -> [Float] {
        Kernels.dotPairs(a, b, rowLength: rowLength)
    }
    public func cosine(query: [Float], matrix: [Float]) -> [Float] { Kernels.cosine(query: query, matrix: matrix) }
    public func cosines(queries: [Float], rowLength: Int, matrix: [Float]) -> [Float] {
        Kernels.cosines(queries: queries, rowLength: rowLength, matrix: matrix)
    }
}
