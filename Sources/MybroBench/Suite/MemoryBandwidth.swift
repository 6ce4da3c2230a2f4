import CMybroBench
import Foundation
import MybroCore

/// STREAM's four kernels, a read-only sum and a non-temporal triad on 1 thread and on every
/// available CPU, and a read bandwidth curve over working-set sizes that shows the caches.
public struct MemoryBandwidth {
    /// Run in groups as STREAM does: each repetition runs its group's kernels in turn.
    public static let groups: [[(name: String, id: Int32)]] = [
        [
            ("copy", Int32(MYBRO_STREAM_COPY)), ("scale", Int32(MYBRO_STREAM_SCALE)),
            ("add", Int32(MYBRO_STREAM_ADD)), ("triad", Int32(MYBRO_STREAM_TRIAD)),
        ],
        [("sum", Int32(MYBRO_STREAM_SUM)), ("triad_nt", Int32(MYBRO_STREAM_TRIAD_NT))],
    ]

    /// Doubles per array: 4× the last-level cache (STREAM's rule), and at least 10 million
    /// (STREAM's default), so no array fits in any cache; but the three arrays never take more
    /// than a quarter of the memory (a CPU with a gigabyte of cache on a small machine).
    public static func elements(lastLevelCacheBytes: Int, memoryBytes: Int) -> Int {
        min(max(10_000_000, 4 * lastLevelCacheBytes / 8), max(1 << 20, memoryBytes / 4 / 24))
    }

    /// Doubles from one array's start to the next's: `n` rounded up to whole 4 KiB pages, plus
    /// 1 KiB. Arrays of a power-of-two length (2²⁴ doubles on a 32 MiB cache) laid end to end
    /// start at the same offset in every page and cache set, and then the loads of one and the
    /// stores of another collide (4K aliasing): 20–30 % lower add and triad here. STREAM's own
    /// default, 10⁷ doubles, happens to put its arrays 1 KiB apart; this keeps that for any n.
    static func arrayStride(_ n: Int) -> Int { (n + 511) / 512 * 512 + 128 }

    let n: Int
    let block: UnsafeMutablePointer<Double>
    var a: UnsafeMutablePointer<Double> { block }
    var b: UnsafeMutablePointer<Double> { block + Self.arrayStride(n) }
    var c: UnsafeMutablePointer<Double> { block + 2 * Self.arrayStride(n) }

    /// Allocates the three arrays one after the other in one block (as STREAM's static arrays
    /// lie, `arrayStride` apart) and first-touches them with `threads` threads.
    public init(elements: Int, threads: Int) throws(MybroError) {
        n = elements
        var raw: UnsafeMutableRawPointer?
        let capacity = 3 * Self.arrayStride(elements)
        guard posix_memalign(&raw, 4096, capacity * 8) == 0, let raw else {
            throw MybroError(
                "cannot allocate \((capacity * 8) >> 20) MiB for the memory bandwidth test: "
                    + "free some memory or leave memory out of --only", status: .software)
        }
        block = raw.bindMemory(to: Double.self, capacity: capacity)
        guard
            mybro_stream_init(
                block, block + Self.arrayStride(n), block + 2 * Self.arrayStride(n), elements, Int32(threads)) == 0
        else {
            release()
            throw MybroError("cannot start \(threads) threads for the memory bandwidth test", status: .software)
        }
    }

    public func release() { free(block) }

    /// One figure per kernel: GB/s per repetition as STREAM counts bytes.
    public func stream(threads: Int, repetitions: Int) throws(MybroError) -> [Measurement] {
        var figures: [Measurement] = []
        for group in Self.groups {
            let ids = group.map(\.id)
            // One more than asked: the first repetition warms up (page tables, frequency) and is
            // dropped, as STREAM drops its first.
            var seconds = [Double](repeating: 0, count: (repetitions + 1) * group.count)
            let status = ids.withUnsafeBufferPointer { ids in
                seconds.withUnsafeMutableBufferPointer {
                    mybro_stream_run(
                        ids.baseAddress, Int32(group.count), a, b, c, n, Int32(threads), Int32(repetitions + 1), 1,
                        $0.baseAddress)
                }
            }
            guard status == 0 else {
                throw MybroError("cannot start \(threads) threads for the memory bandwidth test", status: .software)
            }
            for (index, kernel) in group.enumerated() {
                var context = JSONObject(["threads": .number(Double(threads)), "n": .number(Double(n))])
                // STREAM's four loops run at the widest vector width the CPU has (mybro_stream.h).
                if kernel.id <= Int32(MYBRO_STREAM_TRIAD) {
                    context["vector_bits"] = .number(Double(mybro_stream_vector_bits()))
                }
                let bytes = mybro_stream_bytes_per_element(kernel.id) * Double(n)
                let times = (1...repetitions).map { seconds[$0 * group.count + index] }
                figures.append(
                    Measurement(
                        name: "memory." + kernel.name, unit: "GB/s", better: .higher,
                        samples: times.map { bytes / $0 / 1e9 },
                        context: context, identity: ["threads"]))
            }
        }
        return figures
    }

    /// Working sets from 4 KiB doubling up to the arrays' size.
    public func curveSizes(step: Int) -> [Int] {
        var sizes: [Int] = []
        var bytes = 4096
        while bytes <= n * 8 {
            sizes.append(bytes)
            bytes *= step
        }
        return sizes
    }

    /// Read bandwidth (the sum kernel on one thread) per working-set size; each repetition reads
    /// at least 16 MiB (many passes over a small set) so that it is long enough to time. Rounds
    /// go over every size (after one warm-up round), so that noise spreads over the sizes.
    public func curve(sizes: [Int], repetitions: Int) throws(MybroError) -> [Measurement] {
        var seconds = [[Double]](repeating: [], count: sizes.count)
        var sum = Int32(MYBRO_STREAM_SUM)
        for round in 0...repetitions {
            for (index, bytes) in sizes.enumerated() {
                var time = 0.0
                let passes = max(1, (16 << 20) / bytes)
                let status = mybro_stream_run(&sum, 1, a, b, c, bytes / 8, 1, 1, Int32(passes), &time)
                guard status == 0 else { throw MybroError("cannot time the read curve", status: .software) }
                if round > 0 { seconds[index].append(time) }
            }
        }
        return zip(sizes, seconds).map { bytes, times in
            Measurement(
                name: "memory.curve", unit: "GB/s", better: .higher, samples: times.map { Double(bytes) / $0 / 1e9 },
                context: JSONObject(["working_set_bytes": .number(Double(bytes)), "threads": 1]),
                identity: ["working_set_bytes"])
        }
    }
}
