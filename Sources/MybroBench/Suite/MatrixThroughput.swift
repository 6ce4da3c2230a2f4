import COpenBLAS
import MybroCore
import MybroKernels

/// Single-precision matrix products through OpenBLAS, square m = n = k, on 1 thread and on all.
public enum MatrixThroughput {
    public static func sgemm(size: Int, threads: Int, repetitions: Int, sampler: Sampler) -> Measurement {
        let count = size * size
        var generator = BenchGenerator(state: 42)
        let a = (0..<count).map { _ in generator.uniform() * 2 - 1 }
        let b = (0..<count).map { _ in generator.uniform() * 2 - 1 }
        var c = [Float](repeating: 0, count: count)
        let previous = openblas_get_num_threads()
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(previous) }
        let dimension = Int32(size)
        let seconds = sampler.seconds(of: "sgemm", repetitions: repetitions) {
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans, dimension, dimension, dimension, 1,
                            a.baseAddress, dimension, b.baseAddress, dimension, 0, c.baseAddress, dimension)
                    }
                }
            }
        }
        let flops = 2 * Double(size) * Double(size) * Double(size)
        return Measurement(
            name: "sgemm", unit: "GFLOP/s", better: .higher, samples: seconds.map { flops / $0 / 1e9 },
            context: JSONObject(["threads": .number(Double(threads)), "size": .number(Double(size))]),
            identity: ["threads", "size"])
    }
}
