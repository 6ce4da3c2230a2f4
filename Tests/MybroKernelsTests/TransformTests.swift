import Foundation
import MybroKernels
import Testing

/// Scan, compaction, transpose, repack, quantization and the batched products.
@Suite("Transforms, quantization and batched products")
struct TransformTests {
    @Test("scans are within an ulp of a float64 running sum", arguments: TestData.sizes)
    func scan(count: Int) {
        let x = TestData.uniform(count, -1...3, seed: UInt64(count) + 51)
        let inclusive = Kernels.scan(x)
        let exclusive = Kernels.scan(x, exclusive: true)
        var running = 0.0
        for index in 0..<count {
            #expect(TestData.ulps(exclusive[index], running) <= 1)
            running += Double(x[index])
            #expect(TestData.ulps(inclusive[index], running) <= 1)
        }
    }

    @Test("a scan carries NaN and infinities on as a running sum does", arguments: [9, 40_000, 300_001])
    func scanSpecialValues(count: Int) {
        var x = [Float](repeating: 1, count: count)
        x[2] = .infinity
        x[count / 2] = -.infinity  // inf + (−inf): NaN from here on
        let inclusive = Kernels.scan(x)
        let exclusive = Kernels.scan(x, exclusive: true)
        #expect(inclusive[0] == 1 && inclusive[1] == 2 && exclusive[2] == 2)
        #expect(inclusive[2...(count / 2 - 1)].allSatisfy { $0 == .infinity })
        #expect(inclusive[(count / 2)...].allSatisfy { $0.isNaN })
        #expect(exclusive[(count / 2 + 1)...].allSatisfy { $0.isNaN } && exclusive[count / 2] == .infinity)
    }

    @Test("a scan in pieces with the carry equals one scan")
    func scanCarry() {
        let x = TestData.uniform(20_000, 0...1, seed: 52)
        var pieces: [Float] = []
        var carry = 0.0
        for start in stride(from: 0, to: x.count, by: 3000) {
            let piece = Array(x[start..<min(x.count, start + 3000)])
            var out = [Float](repeating: 0, count: piece.count)
            carry = piece.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { Kernels.scan(p, into: $0, carry: carry) }
            }
            pieces += out
        }
        let whole = Kernels.scan(x)
        #expect(zip(pieces, whole).allSatisfy { TestData.ulps($0, Double($1)) <= 1 })
    }

    @Test("a streamed transpose moves every value, with 32- and 16-byte aligned output", arguments: [0, 16])
    func streamedTranspose(offset: Int) {
        // Over 8 MiB with 1032 rows (a multiple of 8): 32-byte streamed stores where y is
        // 32-byte aligned, 16-byte ones where it is 16 bytes off.
        let rows = 1032, columns = 2050
        let x = (0..<rows * columns).map { Float($0 % 8_000_000) }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: rows * columns * 4 + 64, alignment: 64)
        defer { raw.deallocate() }
        let y = UnsafeMutableBufferPointer(
            start: (raw + offset).bindMemory(to: Float.self, capacity: rows * columns), count: rows * columns)
        x.withUnsafeBufferPointer { Kernels.transpose($0, rows: rows, columns: columns, into: y) }
        var wrong = 0
        for r in 0..<rows {
            for c in 0..<columns where y[c * rows + r] != x[r * columns + c] { wrong += 1 }
        }
        #expect(wrong == 0)
    }

    @Test("compaction in place (y is x) keeps the selected values in order, above the thread cut-over")
    func compactInPlace() {
        let x = TestData.uniform(300_001, -1...1, seed: 55)
        let expected = x.filter { $0 > 0.2 }
        for _ in 0..<5 {
            // The pool's worker warmed up by the call before: a cold one starts too late to race.
            #expect(Kernels.compact(x, above: 0.2) == expected)
            var y = x
            let kept = y.withUnsafeMutableBufferPointer { y in
                Kernels.compact(UnsafeBufferPointer(y), above: 0.2, into: y)
            }
            #expect(Array(y.prefix(kept)) == expected)
        }
    }

    @Test("compaction keeps the selected values in order", arguments: [0, 1, 17, 100_000])
    func compact(count: Int) {
        let x = TestData.uniform(count, -1...1, seed: UInt64(count) + 53)
        var mask = TestData.uniform(count, -1...1, seed: UInt64(count) + 54).map { $0 > 0.3 ? Float(1) : 0 }
        if count > 1 { mask[0] = .nan }
        #expect(Kernels.compact(x, mask: mask) == zip(x, mask).filter { $0.1 != 0 }.map(\.0))
        #expect(Kernels.compact(x + [.nan], above: 0.5) == x.filter { $0 > 0.5 })
    }

    @Test(
        "transpose and repack move every value",
        // 1028 × 2050: over 8 MiB with rows a multiple of 4 (16-byte streamed stores where the array
        // is only 16-byte aligned), and a 4-row edge after the last whole 8-row block
        arguments: [(1, 1), (3, 5), (33, 65), (480, 2), (2, 480), (100, 1000), (1028, 2050)])
    func transpose(rows: Int, columns: Int) {
        let x = (0..<rows * columns).map(Float.init)
        let y = Kernels.transpose(x, rows: rows, columns: columns)
        for r in 0..<rows {
            for c in 0..<columns where y[c * rows + r] != x[r * columns + c] {
                Issue.record("transpose differs at \(r),\(c)")
                return
            }
        }
        let planar = Kernels.repack(x, channels: columns, to: .planar)
        #expect(planar == y)
        #expect(Kernels.repack(planar, channels: columns, to: .interleaved) == x)
    }

    @Test("quantization is numpy's rint(x / scale) clamped, per tensor and per row")
    func quantization() {
        var x = TestData.uniform(10_007, -3...3, seed: 55)
        x += [.nan, .infinity, -.infinity, 0, 1.5e-45]
        let (scale, q) = Kernels.quantize(x)
        #expect(scale == 3 * 1.0 / 127 || abs(scale - x.filter(\.isFinite).map(\.magnitude).max()! / 127) == 0)
        let expected = x.map { value -> Int8 in
            let v = value / scale
            if v.isNaN { return 0 }
            return Int8(Swift.min(127, Swift.max(-127, v)).rounded(.toNearestOrEven))
        }
        #expect(q == expected)
        let back = Kernels.dequantize(q, scale: scale)
        #expect(back == q.map { Float($0) * scale })
        for (value, restored) in zip(x, back) where value.isFinite {
            #expect(abs(value - restored) <= scale / 2 * 1.0001)
        }
        let rows = Kernels.quantize(Array(x[0..<10_000]), rowLength: 100)
        #expect(rows.scales.count == 100)
        #expect(rows.scales[3] == Kernels.quantize(Array(x[300..<400])).scale)
        #expect(Kernels.quantize([0, 0]).scale == 0)
        #expect(Kernels.quantize([0, 0]).values == [0, 0])
    }

    @Test("batched dot products and cosine similarity match float64", arguments: [1, 7, 64, 384, 1000])
    func batched(rowLength: Int) {
        let rows = 50
        let a = TestData.uniform(rows * rowLength, -1...1, seed: UInt64(rowLength) + 56)
        let b = TestData.uniform(rows * rowLength, -1...1, seed: UInt64(rowLength) + 57)
        let dots = Kernels.dotPairs(a, b, rowLength: rowLength)
        let query = Array(a[0..<rowLength])
        let cosines = Kernels.cosine(query: query, matrix: b)
        let queryNorm = query.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        for r in 0..<rows {
            var dot = 0.0
            var cross = 0.0
            var norm = 0.0
            for k in 0..<rowLength {
                dot += Double(a[r * rowLength + k]) * Double(b[r * rowLength + k])
                cross += Double(query[k]) * Double(b[r * rowLength + k])
                norm += Double(b[r * rowLength + k]) * Double(b[r * rowLength + k])
            }
            #expect(abs(Double(dots[r]) - dot) <= 1e-6 * Double(rowLength) + 1e-6)
            #expect(abs(Double(cosines[r]) - cross / (queryNorm * norm.squareRoot())) <= 1e-5)
        }
        #expect(Kernels.cosine(query: [0, 0], matrix: [1, 2])[0].isNaN)
    }

    /// Many queries go through OpenBLAS's sgemm (opened at run time) or, without it, row by row;
    /// both against float64, and one query exactly as the one-query kernel.
    @Test("many-query cosines match float64, through BLAS and row by row", arguments: [1, 7, 768])
    func manyQueries(rowLength: Int) {
        let rows = 67, count = 19
        let m = TestData.uniform(rows * rowLength, -1...1, seed: UInt64(rowLength) + 60)
        var queries = TestData.uniform(count * rowLength, -1...1, seed: UInt64(rowLength) + 61)
        for k in 0..<rowLength { queries[5 * rowLength + k] = 0 }  // query 5 has no direction
        // The switch is process-wide: held under the lock the other tests take to compare the
        // command's bits with the library's.
        let (throughBLAS, rowByRow, usedBLAS) = kernelPathLock.withLock { _ in
            let usedBLAS = Kernels.cosinesUseBLAS()
            let throughBLAS = Kernels.cosines(queries: queries, rowLength: rowLength, matrix: m)
            Kernels.cosinesUseBLAS(false)
            defer { Kernels.cosinesUseBLAS(true) }
            return (throughBLAS, Kernels.cosines(queries: queries, rowLength: rowLength, matrix: m), usedBLAS)
        }
        #expect(usedBLAS, "libopenblas0 is installed by make setup")
        #expect(throughBLAS.count == rows * count && rowByRow.count == rows * count)
        for r in 0..<rows {
            for j in 0..<count {
                var cross = 0.0, rowNorm = 0.0, queryNorm = 0.0
                for k in 0..<rowLength {
                    let a = Double(m[r * rowLength + k]), b = Double(queries[j * rowLength + k])
                    cross += a * b
                    rowNorm += a * a
                    queryNorm += b * b
                }
                let expected = cross / (rowNorm * queryNorm).squareRoot()
                for (path, values) in [("BLAS", throughBLAS), ("row by row", rowByRow)] {
                    let value = values[r * count + j]
                    if j == 5 {
                        #expect(value.isNaN, "\(path): a zero query gives NaN")
                    } else {
                        #expect(abs(Double(value) - expected) <= 1e-5, "\(path) row \(r) query \(j)")
                    }
                }
            }
        }
        let one = Array(queries[0..<rowLength])
        #expect(Kernels.cosines(queries: one, rowLength: rowLength, matrix: m) == Kernels.cosine(query: one, matrix: m))
        #expect(Kernels.cosines(queries: queries, rowLength: rowLength, matrix: []).isEmpty)
    }
}
