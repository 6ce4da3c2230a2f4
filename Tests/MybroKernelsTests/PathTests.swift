import Foundation
import MybroKernels
import Synchronization
import Testing

/// The process-wide thread count and cut-over when made, put back by `apply`.
struct PoolSettings {
    let threads = Kernels.threads
    let cutover = Kernels.threadCutover
    func apply() {
        Kernels.threads = threads
        Kernels.threadCutover = cutover
    }
}

/// Held while a test runs on a path other than the process's own: another suite that compares
/// the library with a `mybro-kernel` process bit for bit takes it too, so it never computes its
/// side on a path switched under it.
let kernelPathLock = Mutex(())

/// The SIMD paths against the baseline path, and threaded against single-threaded runs.
/// Serialized: these switch the process-wide path and thread count.
@Suite("Paths and threads", .serialized)
struct PathTests {
    func run<T>(on path: KernelPath, _ body: () -> T) -> T {
        kernelPathLock.withLock { _ in
            let previous = Kernels.path
            Kernels.use(path)
            defer { Kernels.use(previous) }
            return body()
        }
    }

    @Test("every SIMD path agrees with the baseline: exact kernels bit for bit, functions within 2 ulps")
    func pathsAgree() {
        let x = TestData.uniform(100_003, -20...20, seed: 61) + [.nan, .infinity, -.infinity, -0.0]
        let positive = x.map(\.magnitude)
        let paths = KernelPath.allCases.filter { $0.rawValue <= Kernels.bestPath.rawValue }
        #expect(paths.first == .baseline)
        let baseline = run(on: .baseline) {
            (
                UnaryOperation.allCases.map { Kernels.map($0, $0 == .log ? positive : x) },
                Kernels.min(x), Kernels.max(Array(x[0..<100_003])), Kernels.thresholdCount(x, above: 1),
                Kernels.map(.div, x, scalar: 3), Kernels.quantize(Array(x[0..<100_003]))
            )
        }
        for path in paths.dropFirst() {
            let switched = run(on: .baseline) { (Kernels.use(path), Kernels.path) }
            #expect(switched.0)
            #expect(switched.1 == path)
            let other = run(on: path) {
                (
                    UnaryOperation.allCases.map { Kernels.map($0, $0 == .log ? positive : x) },
                    Kernels.min(x), Kernels.max(Array(x[0..<100_003])), Kernels.thresholdCount(x, above: 1),
                    Kernels.map(.div, x, scalar: 3), Kernels.quantize(Array(x[0..<100_003]))
                )
            }
            for (index, operation) in UnaryOperation.allCases.enumerated() {
                let worst = zip(baseline.0[index], other.0[index]).map { TestData.ulps($1, Double($0)) }.max() ?? 0
                let exact: Set<UnaryOperation> = [.relu, .abs, .neg, .copy]
                #expect(
                    worst <= (exact.contains(operation) ? 0 : 2), "\(path) \(operation): \(worst) ulp from baseline")
            }
            #expect(other.1.isNaN && baseline.1.isNaN)
            #expect(other.2 == baseline.2 && other.3 == baseline.3)
            #expect(other.4.map { $0.bitPattern } == baseline.4.map { $0.bitPattern })
            #expect(other.5.values == baseline.5.values && other.5.scale == baseline.5.scale)
        }
    }

    @Test("threaded results equal single-threaded ones across the cut-over")
    func threadsAgree() {
        let restore = PoolSettings()
        defer { restore.apply() }
        let x = TestData.uniform(1_000_003, -2...2, seed: 62)
        func compute() -> [[Float]] {
            [
                [Kernels.sum(x), Kernels.variance(x), Kernels.min(x), Kernels.max(x), Kernels.l2Norm(x)],
                [Float(Kernels.thresholdCount(x, above: 0.5))], Kernels.map(.exp, x), Kernels.map(.mul, x, x),
                Kernels.histogram(x, bins: 100, range: -1...1).map(Float.init),
                Kernels.dotPairs(x.dropLast(3).map { $0 }, x.dropLast(3).map { $0 }, rowLength: 1000),
                // Odd sides: parts of 64-row tiles, each with its column edge, the last with its row edge.
                Kernels.transpose(Array(x.prefix(517 * 1003)), rows: 517, columns: 1003),
                // Blocks of 2^14 summed on their own: the same carries whoever scans them.
                Kernels.scan(x), Kernels.scan(x, exclusive: true),
                // Channels ↔ planes: stretches of frames per thread.
                Kernels.repack(Array(x.prefix(999_999)), channels: 3, to: .planar),
                Kernels.repack(Array(x.prefix(1_000_000)), channels: 8, to: .interleaved),
                // Blocks counted first, then written by their threads: most blocks end on values
                // that are not kept, whose writes must not reach the next block's output.
                Kernels.compact(x, above: 0.5), Kernels.compact(x, mask: x.map { $0 < -1 ? 1 : 0 }),
            ]
        }
        Kernels.threads = 1
        let single = compute()
        Kernels.threads = 4
        Kernels.threadCutover = 4096
        let threaded = compute()
        for (index, value) in single[0].enumerated() {
            #expect(
                TestData.ulps(threaded[0][index], Double(value)) <= 1,
                "reduction \(index): \(value) vs \(threaded[0][index])")
        }
        for index in 1..<single.count { #expect(single[index] == threaded[index], "result \(index)") }
        #expect(threaded[threaded.count - 2] == x.filter { $0 > 0.5 })
        #expect(threaded[threaded.count - 1] == x.filter { $0 < -1 })
    }

    /// Eight values at a time, the kept lanes moved to the front and all eight stored: every
    /// density (none, a few, most, all kept), NaN and −0 in the mask, NaN and infinities in the
    /// values, and the blocks' edges on 1 and 2 threads, against a plain filter. NaN values are
    /// compared by their bits. (In this serialized suite: it sets the pool's threads.)
    @Test("compaction eight values at a time keeps exactly the selected values", arguments: [0.0, 0.01, 0.7, 1.0])
    func compactVectors(density: Double) {
        let restore = PoolSettings()
        defer { restore.apply() }
        let count = 3 * 16_384 + 13
        var x = TestData.uniform(count, -1...1, seed: 91)
        let draws = TestData.uniform(count, 0...1, seed: 92)
        var mask = draws.map { Double($0) < density ? Float(2) : 0 }
        for index in stride(from: 5, to: count, by: 997) {
            mask[index] = index % 2 == 0 ? .nan : -0.0
            x[index + 1 < count ? index + 1 : index] = [Float.nan, .infinity, -.infinity][index % 3]
        }
        let bits = { (values: [Float]) in values.map(\.bitPattern) }
        let byMask = zip(x, mask).filter { $0.1 != 0 }.map(\.0)
        let threshold = Float(1 - 2 * density)
        let above = x.filter { $0 > threshold }
        for threads in [1, 2] {
            Kernels.threads = threads
            Kernels.threadCutover = 4096
            // (compared first: a failure then prints a line, not two arrays of 50,000 values)
            let (masked, thresholded) = (Kernels.compact(x, mask: mask), Kernels.compact(x, above: threshold))
            let maskedRight = bits(masked) == bits(byMask), thresholdedRight = bits(thresholded) == bits(above)
            #expect(maskedRight, "mask, \(threads) threads: \(masked.count) values, \(byMask.count) expected")
            #expect(thresholdedRight, "above, \(threads) threads: \(thresholded.count) values, \(above.count) expected")
        }
    }

    /// Each block of 2^14 starts from the carry plus the totals before it, added in order: the
    /// values and the returned carry are the same bits on any number of threads, with the
    /// length a whole number of blocks or not, and (past 8 MiB, where the stores go past the
    /// cache when y is aligned to a vector) whether y is aligned or not.
    @Test(
        "a scan and its carry are the same on 1 to 8 threads",
        arguments: [3 * 16_384, 3 * 16_384 + 5, 1_000_003, 2_200_003])
    func scanOnAnyNumberOfThreads(count: Int) {
        let restore = PoolSettings()
        defer { restore.apply() }
        let x = TestData.uniform(count, -1...2, seed: 63)
        // y from a 64-byte boundary plus `offset` floats: offset 0 takes the streamed stores (on
        // every path), the others the plain ones
        func scanned(threads: Int, offset: Int = 0) -> ([Float], Double) {
            Kernels.threads = threads
            Kernels.threadCutover = 4096
            let raw = UnsafeMutableRawPointer.allocate(byteCount: (count + 16) * 4, alignment: 64)
            defer { raw.deallocate() }
            let y = UnsafeMutableBufferPointer(
                start: raw.bindMemory(to: Float.self, capacity: count + 16) + offset, count: count)
            let carry = x.withUnsafeBufferPointer { Kernels.scan($0, into: y, carry: 0.25) }
            return (Array(y), carry)
        }
        let single = scanned(threads: 1)
        let reference = x.reduce(0.25) { $0 + Double($1) }
        #expect(abs(single.1 - reference) <= 1e-9 * Double(count))
        for threads in [2, 3, 5, 8] {
            let threaded = scanned(threads: threads)
            #expect(threaded.0 == single.0, "\(threads) threads")
            #expect(threaded.1 == single.1, "\(threads) threads: \(threaded.1) vs \(single.1)")
        }
        for offset in [1, 4, 8, 15] {
            let shifted = scanned(threads: 2, offset: offset)
            #expect(shifted.0 == single.0 && shifted.1 == single.1, "y \(offset) floats off alignment")
        }
    }

    @Test("the batched kernels split rows over the threads, even when there are fewer than 2048 rows")
    func batchedKernelsUseTheThreads() {
        let restore = PoolSettings()
        defer { restore.apply() }
        Kernels.threads = 4
        Kernels.threadCutover = 1 << 16
        // 10^6 floats in rows of 768, as `bench` times them: 1302 rows.
        let rows = 1302
        let a = TestData.uniform(rows * 768, -1...1, seed: 64)
        let query = Array(a[0..<768])
        // Another suite's kernel can hold the pool for a moment (the call then runs alone): a few
        // tries, where the bug this guards against split none of them.
        func threads(_ body: () -> Void) -> Int {
            for _ in 0..<50 {
                body()
                if Kernels.threadsOfLastCall > 1 { break }
            }
            return Kernels.threadsOfLastCall
        }
        var single: [Float] = []
        var dots: [Float] = []
        let cosineThreads = threads { single = Kernels.cosine(query: query, matrix: a) }
        #expect(cosineThreads == 4, "cosine of \(rows) rows ran on \(cosineThreads) threads")
        let dotThreads = threads { dots = Kernels.dotPairs(a, a, rowLength: 768) }
        #expect(dotThreads == 4, "dot of \(rows) rows ran on \(dotThreads) threads")
        Kernels.threads = 1
        #expect(Kernels.cosine(query: query, matrix: a) == single)
        #expect(Kernels.dotPairs(a, a, rowLength: 768) == dots)
        #expect(Kernels.threadsOfLastCall == 1)
    }

    @Test("the pool gives the same results when callers race for it and workers sleep between calls")
    func poolUnderContention() {
        let restore = PoolSettings()
        defer { restore.apply() }
        let sizes = [4_096, 10_000, 65_537, 200_003]
        let inputs = sizes.enumerated().map { TestData.uniform($0.element, -2...2, seed: UInt64(70 + $0.offset)) }
        Kernels.threads = 1
        let expected = inputs.map { x in
            (
                Kernels.sum(x), Kernels.max(x), Kernels.map(.tanh, x), Kernels.map(.add, x, x), Kernels.scan(x),
                Kernels.compact(x, above: 0.5)
            )
        }
        // More workers than CPUs, so some are asleep or descheduled when a call is published and the
        // caller takes their parts back (or holds a block another part's thread waits for); four
        // callers at once, so most find the pool busy.
        Kernels.threads = 6
        Kernels.threadCutover = 4096
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 4) { caller in
            for round in 0..<60 {
                let index = (caller + round) % sizes.count
                let x = inputs[index]
                let want = expected[index]
                var wrong = 0
                if TestData.ulps(Kernels.sum(x), Double(want.0)) > 1 { wrong += 1 }
                if Kernels.max(x) != want.1 { wrong += 1 }
                if Kernels.map(.tanh, x) != want.2 { wrong += 1 }
                if Kernels.map(.add, x, x) != want.3 { wrong += 1 }
                // blocks taken as a chain, each waiting for the one before, whichever thread holds it
                if Kernels.scan(x) != want.4 { wrong += 1 }
                if Kernels.compact(x, above: 0.5) != want.5 { wrong += 1 }
                if wrong > 0 { mismatches.withLock { $0 += wrong } }
                // Now and then long enough for the workers' spin to run out.
                if round % 7 == caller { usleep(400) }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}
