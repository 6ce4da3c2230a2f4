/// The kernels over arrays (results as new arrays) and over `Span`.
extension Kernels {
    public static func sum(_ x: [Float]) -> Float { x.withUnsafeBufferPointer { sum($0) } }
    public static func mean(_ x: [Float]) -> Float { x.withUnsafeBufferPointer { mean($0) } }
    public static func min(_ x: [Float]) -> Float { x.withUnsafeBufferPointer { min($0) } }
    public static func max(_ x: [Float]) -> Float { x.withUnsafeBufferPointer { max($0) } }
    public static func l2Norm(_ x: [Float]) -> Float { x.withUnsafeBufferPointer { l2Norm($0) } }
    public static func variance(_ x: [Float]) -> Float { x.withUnsafeBufferPointer { variance($0) } }
    public static func squareSum(_ x: [Float]) -> Float { x.withUnsafeBufferPointer { squareSum($0) } }
    public static func absSum(_ x: [Float]) -> Float { x.withUnsafeBufferPointer { absSum($0) } }
    public static func maskedSum(_ x: [Float], mask: [Float]) -> Float {
        x.withUnsafeBufferPointer { xs in mask.withUnsafeBufferPointer { maskedSum(xs, mask: $0) } }
    }
    public static func thresholdCount(_ x: [Float], above threshold: Float) -> Int {
        x.withUnsafeBufferPointer { thresholdCount($0, above: threshold) }
    }
    /// Counts in `bins` equal bins over `range`, as numpy.histogram(x, bins, range).
    public static func histogram(_ x: [Float], bins: Int, range: ClosedRange<Double>) -> [UInt64] {
        var counts = [UInt64](repeating: 0, count: bins)
        x.withUnsafeBufferPointer { xs in
            counts.withUnsafeMutableBufferPointer { histogram(xs, range: range, into: $0) }
        }
        return counts
    }

    public static func map(_ operation: UnaryOperation, _ x: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { y, count in
            x.withUnsafeBufferPointer { map(operation, $0, into: y) }
            count = x.count
        }
    }
    public static func map(_ operation: BinaryOperation, _ a: [Float], _ b: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: a.count) { y, count in
            a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { map(operation, a, $0, into: y) } }
            count = a.count
        }
    }
    public static func map(_ operation: BinaryOperation, _ a: [Float], scalar: Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: a.count) { y, count in
            a.withUnsafeBufferPointer { map(operation, $0, scalar: scalar, into: y) }
            count = a.count
        }
    }
    public static func scan(_ x: [Float], exclusive: Bool = false) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { y, count in
            x.withUnsafeBufferPointer { _ = scan($0, into: y, exclusive: exclusive) }
            count = x.count
        }
    }
    public static func compact(_ x: [Float], mask: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { y, count in
            count = x.withUnsafeBufferPointer { xs in mask.withUnsafeBufferPointer { compact(xs, mask: $0, into: y) } }
        }
    }
    public static func compact(_ x: [Float], above threshold: Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { y, count in
            count = x.withUnsafeBufferPointer { compact($0, above: threshold, into: y) }
        }
    }
    public static func transpose(_ x: [Float], rows: Int, columns: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { y, count in
            x.withUnsafeBufferPointer { transpose($0, rows: rows, columns: columns, into: y) }
            count = x.count
        }
    }
    public static func repack(_ x: [Float], channels: Int, to layout: Layout) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { y, count in
            x.withUnsafeBufferPointer { repack($0, channels: channels, to: layout, into: y) }
            count = x.count
        }
    }
    /// Per tensor: the scale and the quantized values.
    public static func quantize(_ x: [Float]) -> (scale: Float, values: [Int8]) {
        x.withUnsafeBufferPointer { xs in
            let scale = quantizationScale(xs)
            let values = [Int8](unsafeUninitializedCapacity: xs.count) { q, count in
                quantize(xs, scale: scale, into: q)
                count = xs.count
            }
            return (scale, values)
        }
    }
    /// Per row (of `rowLength`): one scale per row.
    public static func quantize(_ x: [Float], rowLength: Int) -> (scales: [Float], values: [Int8]) {
        precondition(rowLength > 0 && x.count % rowLength == 0, "per-row quantization needs whole rows")
        var scales: [Float] = []
        scales.reserveCapacity(x.count / rowLength)
        let values = [Int8](unsafeUninitializedCapacity: x.count) { q, count in
            x.withUnsafeBufferPointer { xs in
                for start in stride(from: 0, to: xs.count, by: rowLength) {
                    let row = UnsafeBufferPointer(rebasing: xs[start..<start + rowLength])
                    let scale = quantizationScale(row)
                    scales.append(scale)
                    quantize(
                        row, scale: scale, into: UnsafeMutableBufferPointer(rebasing: q[start..<start + rowLength]))
                }
            }
            count = x.count
        }
        return (scales, values)
    }
    public static func dequantize(_ q: [Int8], scale: Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: q.count) { y, count in
            q.withUnsafeBufferPointer { dequantize($0, scale: scale, into: y) }
            count = q.count
        }
    }
    public static func dotPairs(_ a: [Float], _ b: [Float], rowLength: Int) -> [Float] {
        let rows = rowLength > 0 ? a.count / rowLength : 0
        return [Float](unsafeUninitializedCapacity: rows) { y, count in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { dotPairs(a, $0, rowLength: rowLength, into: y) }
            }
            count = rows
        }
    }
    public static func cosine(query: [Float], matrix: [Float]) -> [Float] {
        let rows = query.isEmpty ? 0 : matrix.count / query.count
        return [Float](unsafeUninitializedCapacity: rows) { y, count in
            query.withUnsafeBufferPointer { q in
                matrix.withUnsafeBufferPointer { cosine(query: q, matrix: $0, into: y) }
            }
            count = rows
        }
    }
    public static func cosines(queries: [Float], rowLength: Int, matrix: [Float]) -> [Float] {
        let values = rowLength > 0 ? (matrix.count / rowLength) * (queries.count / rowLength) : 0
        return [Float](unsafeUninitializedCapacity: values) { y, count in
            queries.withUnsafeBufferPointer { q in
                matrix.withUnsafeBufferPointer { cosines(queries: q, rowLength: rowLength, matrix: $0, into: y) }
            }
            count = values
        }
    }

    // MARK: - Span

    public static func sum(_ x: Span<Float>) -> Float { x.withUnsafeBufferPointer { sum($0) } }
    public static func mean(_ x: Span<Float>) -> Float { x.withUnsafeBufferPointer { mean($0) } }
    public static func min(_ x: Span<Float>) -> Float { x.withUnsafeBufferPointer { min($0) } }
    public static func max(_ x: Span<Float>) -> Float { x.withUnsafeBufferPointer { max($0) } }
    public static func l2Norm(_ x: Span<Float>) -> Float { x.withUnsafeBufferPointer { l2Norm($0) } }
    public static func variance(_ x: Span<Float>) -> Float { x.withUnsafeBufferPointer { variance($0) } }
    public static func squareSum(_ x: Span<Float>) -> Float { x.withUnsafeBufferPointer { squareSum($0) } }
    public static func absSum(_ x: Span<Float>) -> Float { x.withUnsafeBufferPointer { absSum($0) } }
    public static func thresholdCount(_ x: Span<Float>, above threshold: Float) -> Int {
        x.withUnsafeBufferPointer { thresholdCount($0, above: threshold) }
    }
    public static func squareSum(_ samples: Span<Int16>) -> Int64 { samples.withUnsafeBufferPointer { squareSum($0) } }
    public static func map(_ operation: UnaryOperation, _ x: Span<Float>, into y: inout MutableSpan<Float>) {
        x.withUnsafeBufferPointer { xs in y.withUnsafeMutableBufferPointer { map(operation, xs, into: $0) } }
    }
}
