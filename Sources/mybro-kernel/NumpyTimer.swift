import Foundation
import MybroCore

/// Times numpy on the same kernels and sizes, in a python3 child of this run, so that the ratios
/// compare two measurements taken on the same machine minutes apart (it is shared and noisy).
/// numpy's best time of its repetitions is used, as for mybro's kernels.
enum NumpyTimer {
    /// Whether `python3 -c "import numpy"` works here.
    static var available: Bool {
        (try? ChildProcess.capture(arguments: ["python3", "-c", "import numpy"], timeout: 60).status) == 0
    }

    struct Timing {
        var seconds: Double
        /// OpenBLAS sgemv (numpy's matmul of the rows with the query), for cosine.
        var sgemmSeconds: Double?
    }

    /// Timings per kernel name for `n` elements; kernels numpy has no counterpart for are absent.
    static func time(kernels: [String], n: Int, shape: BenchShapes) throws -> [String: Timing] {
        let arguments = ["python3", "-c", script, String(n), kernels.joined(separator: ","), String(shape.rowLength)]
        let result = try ChildProcess.capture(arguments: arguments, timeout: 1800)
        guard result.status == 0 else {
            let message = String(decoding: result.stderr, as: UTF8.self).split(separator: "\n").last ?? "no message"
            throw MybroError("numpy timing failed (status \(result.status)): \(message)", status: .software)
        }
        var timings: [String: Timing] = [:]
        for line in String(decoding: result.stdout, as: UTF8.self).split(separator: "\n") {
            guard let object = try? JSONParser.parse(String(line)).objectValue,
                let kernel = object["kernel"]?.stringValue, let seconds = object["seconds"]?.doubleValue
            else { continue }
            timings[kernel] = Timing(seconds: seconds, sgemmSeconds: object["sgemm_seconds"]?.doubleValue)
        }
        return timings
    }

    /// numpy's way of doing each kernel: ufuncs with out= (no allocation) where numpy allows,
    /// its fused BLAS sdot for the sum of squares, einsum for row dots, matmul (OpenBLAS) for cosine.
    static let script = #"""
        import json, sys, time
        import numpy as np
        n = int(sys.argv[1]); wanted = sys.argv[2].split(","); D = int(sys.argv[3])
        rng = np.random.default_rng(1234)
        x = rng.uniform(-4, 4, n).astype(np.float32)
        y = (rng.random(n, dtype=np.float32) + np.float32(0.5))
        out = np.empty(n, np.float32); tmp = np.empty(n, np.float32); q = np.empty(n, np.int8)
        mask = x > 0.3
        def best(fn, target=0.25, low=3, high=200):
            fn()
            times = []
            start = time.perf_counter()
            while len(times) < high and (len(times) < low or time.perf_counter() - start < target):
                t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
            return min(times)
        def sigmoid():
            np.negative(x, out=out); np.exp(out, out=out); np.add(out, np.float32(1), out=out); np.reciprocal(out, out=out)
        def quantize():
            scale = np.float32(np.abs(x).max() / np.float32(127))
            np.divide(x, scale, out=tmp); np.rint(tmp, out=tmp); np.clip(tmp, -127, 127, out=tmp)
            np.copyto(q, tmp, casting="unsafe")
        s = int(round(n ** 0.5)); M = x[:s * s].reshape(s, s); MT = np.empty((s, s), np.float32)
        n4 = n // 4 * 4; AoS = x[:n4].reshape(-1, 4); SoA = np.empty((4, n4 // 4), np.float32)
        B = max(1, n // D); A2 = x[:B * D].reshape(B, D); B2 = y[:B * D].reshape(B, D); dots = np.empty(B, np.float32)
        query = y[:D].copy(); gv = np.empty(B, np.float32)
        def cosine():
            np.matmul(A2, query, out=gv)
            return gv / (np.linalg.norm(A2, axis=1) * np.linalg.norm(query))
        kernels = {
            "sum": lambda: x.sum(), "mean": lambda: x.mean(), "min": lambda: x.min(), "max": lambda: x.max(),
            "l2": lambda: np.linalg.norm(x), "variance": lambda: x.var(),
            "histogram": lambda: np.histogram(x, bins=256, range=(-4.0, 4.0)),
            "exp": lambda: np.exp(x, out=out), "log": lambda: np.log(y, out=out), "sigmoid": sigmoid,
            "tanh": lambda: np.tanh(x, out=out), "add": lambda: np.add(x, y, out=out),
            "sub": lambda: np.subtract(x, y, out=out), "mul": lambda: np.multiply(x, y, out=out),
            "div": lambda: np.divide(x, y, out=out), "relu": lambda: np.maximum(x, np.float32(0), out=out),
            "abs": lambda: np.abs(x, out=out), "neg": lambda: np.negative(x, out=out),
            "scan": lambda: np.cumsum(x, out=out), "compact": lambda: x[x > 0.3],
            "transpose": lambda: np.copyto(MT, M.T), "repack": lambda: np.copyto(SoA, AoS.T),
            "square_sum": lambda: np.dot(x, x), "abs_sum": lambda: np.abs(x, out=out).sum(),
            "masked_sum": lambda: np.sum(x, where=mask), "threshold_count": lambda: np.count_nonzero(x > 0.3),
            "quantize": quantize, "dequantize": lambda: np.multiply(q, np.float32(0.01), out=out, casting="unsafe"),
            "dot": lambda: np.einsum("ij,ij->i", A2, B2, out=dots), "cosine": cosine,
        }
        for name in wanted:
            if name not in kernels: continue
            record = {"kernel": name, "n": n, "seconds": best(kernels[name])}
            if name == "cosine": record["sgemm_seconds"] = best(lambda: np.matmul(A2, query, out=gv))
            print(json.dumps(record), flush=True)
        """#
}
