#!/usr/bin/env python3
"""The GPU path's accuracy on a real device, beside numpy's on the same inputs (run by
device-run.sh there, where numpy is installed; also runs here on lavapipe).

usage: gpu_check.py MYBRO_KERNEL [--device gpu]

One JSON line per check:
- maps (exp, log, sigmoid, tanh): the largest error in ULPs against float64, over results in
  float32's normal range, for the GPU and for numpy's float32 on the same inputs; how many tiny
  (subnormal) results came out as 0, and the largest error among them; special values (NaN, ±inf, ±0, subnormals, extremes) whose
  result differs from numpy's in kind (NaN, infinity, zero, sign);
- relu, abs, neg, add, sub, mul, div: values that differ from numpy's float32 bit for bit;
- sum, mean, l2, min, max: the error against float64 in ULPs of the float32 result, beside
  numpy's float32;
- dot (rows of 768) and cosine, one query and 300: the largest difference from float64.
"""
import json
import subprocess
import sys
import tempfile

import numpy as np

binary = sys.argv[1]
device = sys.argv[sys.argv.index("--device") + 1] if "--device" in sys.argv else "gpu"
workdir = tempfile.mkdtemp(prefix="mybro-gpu-check")


def run(kernel, x, *options, **files):
    """mybro-kernel KERNEL on x (float32), with --other/--query files; the float32 output."""
    arguments = [binary, kernel, "--device", device, *options]
    for flag, values in files.items():
        path = f"{workdir}/{flag}.f32"
        np.asarray(values, dtype="<f4").tofile(path)
        arguments += [f"--{flag}", path]
    done = subprocess.run(arguments, input=np.asarray(x, dtype="<f4").tobytes(), capture_output=True, check=True)
    return np.frombuffer(done.stdout, dtype="<f4")


def ulp(reference):
    magnitude = np.abs(reference).astype(np.float32)
    magnitude = np.where(np.isinf(magnitude), np.float32(3.4028235e38), magnitude)
    return np.nextafter(magnitude, np.float32(np.inf)).astype(np.float64) - magnitude.astype(np.float64)


def worst_ulp(y, reference):
    """Largest error in ULPs over results in the normal range (subnormals counted apart)."""
    normal = np.isfinite(reference) & (np.abs(reference) >= np.finfo(np.float32).tiny)
    error = np.abs(y[normal].astype(np.float64) - reference[normal]) / ulp(reference[normal])
    return float(error.max()) if error.size else 0.0


def kind(v):
    """NaN (of either sign), or infinity, zero or finite with its sign."""
    return 0 if np.isnan(v) else (1 if np.isinf(v) else 2 if v == 0 else 3) * 2 + int(np.signbit(v))


def emit(**record):
    print(json.dumps({"type": "gpu_check", "device": device, **record}), flush=True)


n = 1 << 22
t = np.arange(n) / n
tiny = np.float32(1e-45)
special = np.array(
    [np.nan, np.inf, -np.inf, 0.0, -0.0, tiny, -tiny, 1e-40, -1e-40, 1.17549435e-38, 3.4028235e38, -3.4028235e38,
     88.72, 89.0, -87.0, -103.0, -104.0, 1.0, -1.0, 20.0, -20.0], dtype=np.float32)
maps = {
    "exp": ((-103 + (88.7 + 103) * t).astype(np.float32), np.exp, np.exp),
    "log": (np.exp(np.log(1e-40) + (np.log(3e38) - np.log(1e-40)) * t).astype(np.float32), np.log, np.log),
    "sigmoid": ((-100 + 200 * t).astype(np.float32), lambda x: np.float32(1) / (np.float32(1) + np.exp(-x)),
                lambda x: 1 / (1 + np.exp(-x))),
    "tanh": ((-12 + 24 * t).astype(np.float32), np.tanh, np.tanh),
}
with np.errstate(all="ignore"):
    for name, (x, in_float32, in_float64) in maps.items():
        y = run(name, x)
        reference = in_float64(x.astype(np.float64))
        subnormal = np.isfinite(reference) & (np.abs(reference) < np.finfo(np.float32).tiny) & (reference != 0)
        flushed = int(np.sum(subnormal & (y == 0)))
        # Subnormal results in units of the smallest subnormal (their ULP), numpy's beside.
        subnormal_error = np.abs(y[subnormal].astype(np.float64) - reference[subnormal]) / 2.0**-149
        numpy_subnormal_error = np.abs(in_float32(x)[subnormal].astype(np.float64) - reference[subnormal]) / 2.0**-149
        special_y = run(name, special)
        numpy_special = in_float32(special)
        mismatched = [
            {"x": float(a), "mybro": float(b), "numpy": float(c), "float64": float(in_float64(np.float64(a)))}
            for a, b, c in zip(special, special_y, numpy_special)
            if kind(np.float32(b)) != kind(np.float32(c))
        ]
        emit(kernel=name, n=n, max_ulp=worst_ulp(y, reference), numpy_max_ulp=worst_ulp(in_float32(x), reference),
             subnormal_results=int(subnormal.sum()), subnormal_flushed_to_zero=flushed,
             subnormal_max_ulp=float(subnormal_error.max()) if subnormal.any() else 0.0,
             numpy_subnormal_max_ulp=float(numpy_subnormal_error.max()) if subnormal.any() else 0.0,
             special_values_unlike_numpy=mismatched)

    rng = np.random.default_rng(7)
    x = (rng.standard_normal(n) * 10).astype(np.float32)
    x[:len(special)] = special
    b = (rng.uniform(0.5, 4, n)).astype(np.float32)
    for name, in_float32 in {"relu": lambda v: np.maximum(v, np.float32(0)), "abs": np.abs, "neg": np.negative}.items():
        y = run(name, x)
        expected = in_float32(x)
        same = (y.view(np.uint32) == expected.view(np.uint32)) | (np.isnan(y) & np.isnan(expected))
        emit(kernel=name, n=n, values_unlike_numpy=int((~same).sum()),
             first_unlike=[{"x": float(v), "mybro": float(w), "numpy": float(e)}
                           for v, w, e in zip(x[~same][:3], y[~same][:3], expected[~same][:3])])
    for name, in_float32 in {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide}.items():
        y = run(name, x, other=b)
        expected = in_float32(x, b)
        same = (y.view(np.uint32) == expected.view(np.uint32)) | (np.isnan(y) & np.isnan(expected))
        finite = np.isfinite(expected)
        emit(kernel=name, n=n, values_unlike_numpy=int((~same).sum()),
             max_ulp=worst_ulp(y[finite], expected[finite].astype(np.float64)))

    x = rng.uniform(-3, 5, 10**7).astype(np.float32)
    exact = x.astype(np.float64)
    references = {"sum": (exact.sum(), np.sum), "mean": (exact.mean(), np.mean),
                  "l2": (np.sqrt((exact * exact).sum()), lambda v: np.sqrt(np.sum(v * v))),
                  "min": (exact.min(), np.min), "max": (exact.max(), np.max)}
    # The command writes float32, so each result is at best float64's value rounded to float32:
    # errors in ULPs of that float32.
    for name, (reference, in_float32) in references.items():
        value = float(run(name, x)[0])
        scale = float(ulp(np.array([reference]))[0])
        emit(kernel=name, n=len(x), error_ulp=abs(value - reference) / scale,
             numpy_error_ulp=abs(float(in_float32(x)) - reference) / scale)

    rows, k = 20000, 768
    a = rng.uniform(-1, 1, rows * k).astype(np.float32)
    c = rng.uniform(-1, 1, rows * k).astype(np.float32)
    dots = run("dot", a, "--length", str(k), other=c)
    exact_dots = (a.astype(np.float64).reshape(rows, k) * c.astype(np.float64).reshape(rows, k)).sum(axis=1)
    numpy_dots = np.einsum("ij,ij->i", a.reshape(rows, k), c.reshape(rows, k))
    emit(kernel="dot", rows=rows, k=k, max_abs_error=float(np.abs(dots - exact_dots).max()),
         numpy_max_abs_error=float(np.abs(numpy_dots - exact_dots).max()))
    query = c[:k]
    cosines = run("cosine", a, query=query)
    matrix = a.astype(np.float64).reshape(rows, k)
    exact_cosines = matrix @ query.astype(np.float64) / np.sqrt(
        (matrix * matrix).sum(axis=1) * (query.astype(np.float64) ** 2).sum())
    emit(kernel="cosine", rows=rows, k=k, max_abs_error=float(np.abs(cosines - exact_cosines).max()))
    # Many queries (the tiled matrix product on a GPU): 300 of them against 2000 rows, beside
    # numpy's float32 matmul with its norms.
    count, some = 300, 2000 * k
    queries = c[:count * k]
    many = run("cosine", a[:some], "--length", str(k), query=queries).reshape(2000, count)
    q64 = queries.astype(np.float64).reshape(count, k)
    m64 = matrix[:2000]
    exact_many = (m64 @ q64.T) / np.outer(np.sqrt((m64 * m64).sum(axis=1)), np.sqrt((q64 * q64).sum(axis=1)))
    m32, q32 = a[:some].reshape(2000, k), queries.reshape(count, k)
    numpy_many = (m32 @ q32.T) / np.outer(np.linalg.norm(m32, axis=1), np.linalg.norm(q32, axis=1))
    emit(kernel="cosine", rows=2000, queries=count, k=k, max_abs_error=float(np.abs(many - exact_many).max()),
         numpy_max_abs_error=float(np.abs(numpy_many - exact_many).max()))
