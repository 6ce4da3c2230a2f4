#ifndef MYBRO_STREAM_H
#define MYBRO_STREAM_H
// STREAM-style memory bandwidth loops (McCalpin's rules: arrays of doubles far larger than the
// last-level cache, bytes counted without write-allocate traffic, best of repetitions) run on a
// chosen number of threads with a static split and a barrier around each timed repetition, as
// an OpenMP `parallel for` does.
#include <stddef.h>

enum {
    MYBRO_STREAM_COPY = 0,   // c = a          16 bytes per element
    MYBRO_STREAM_SCALE = 1,  // b = s·c        16
    MYBRO_STREAM_ADD = 2,    // c = a + b      24
    MYBRO_STREAM_TRIAD = 3,  // a = b + s·c    24
    MYBRO_STREAM_SUM = 4,    // Σa, read only   8
    MYBRO_STREAM_TRIAD_NT = 5  // the triad with non-temporal stores, 24
};

/// Bytes one element of `kernel` moves, as STREAM counts them.
double mybro_stream_bytes_per_element(int kernel);

/// Fills a = 1, b = 2, c = 0 with each thread touching its own part first (NUMA placement).
/// Returns 0, or -1 when threads cannot be started.
int mybro_stream_init(double *a, double *b, double *c, size_t n, int threads);

/// Runs the `count` kernels in order (STREAM runs copy, scale, add, triad in each repetition),
/// `repetitions` times, each kernel `inner` passes (for arrays too small to time one pass) on
/// `threads` threads; seconds[r * count + k] is repetition r's time per pass of kernels[k].
/// Returns 0, or -1 when threads cannot be started.
int mybro_stream_run(const int *kernels, int count, double *a, double *b, double *c, size_t n, int threads,
                     int repetitions, int inner, double *seconds);

/// The vector width, in bits, of the build of copy, scale, add and triad that runs here: the widest
/// this CPU runs, as -march=native would build, and as mybro-kernel chooses its path (512 with
/// AVX-512 F, DQ, BW and VL; 256 with AVX2 and FMA; else 128).
int mybro_stream_vector_bits(void);

/// CPUs this process may run on (its affinity mask; at least 1).
int mybro_available_cpus(void);

/// The filesystem type (statfs f_type) of a path, or -1 when it cannot be read.
long long mybro_filesystem_type(const char *path);
#endif
