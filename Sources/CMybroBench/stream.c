// STREAM-style bandwidth loops; see mybro_stream.h. Plain C loops, so the compiler vectorises them
// as it would McCalpin's stream.c; only the read-only sum (several accumulators, or the add
// latency would bound it) and the non-temporal triad are written by hand.
//
// The four STREAM loops are compiled for each x86-64 vector width and the widest the CPU runs is
// chosen at run time, so the figures are those of stream.c built with -march=native, the build
// STREAM is quoted for. The width matters: on an EPYC (KVM) the 128-bit build of these loops
// ran scale, add and triad 25-40 % faster on one thread than the 256- and 512-bit builds, which
// agree with each other and with -march=native (README, mybro-bench).
#define _GNU_SOURCE
#include "mybro_stream.h"
#include "mybro_kernels.h"
#include <pthread.h>
#include <sched.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

enum { MAX_THREADS = 256 };
static const double scalar = 3.0;

double mybro_stream_bytes_per_element(int kernel) {
    switch (kernel) {
    case MYBRO_STREAM_COPY:
    case MYBRO_STREAM_SCALE: return 16;
    case MYBRO_STREAM_SUM: return 8;
    default: return 24;
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double sum_range(const double *a, size_t n) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        s0 += a[i];
        s1 += a[i + 1];
        s2 += a[i + 2];
        s3 += a[i + 3];
        s4 += a[i + 4];
        s5 += a[i + 5];
        s6 += a[i + 6];
        s7 += a[i + 7];
    }
    for (; i < n; i++) s0 += a[i];
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
}

static void triad_nontemporal(double *restrict a, const double *restrict b, const double *restrict c, size_t n) {
    size_t i = 0;
#if defined(__x86_64__)
    // Streaming stores need 16-byte alignment: plain stores until a is aligned.
    for (; i < n && ((uintptr_t)(a + i) & 15); i++) a[i] = b[i] + scalar * c[i];
    __m128d s = _mm_set1_pd(scalar);
    for (; i + 8 <= n; i += 8) {
        _mm_stream_pd(a + i, _mm_add_pd(_mm_loadu_pd(b + i), _mm_mul_pd(s, _mm_loadu_pd(c + i))));
        _mm_stream_pd(a + i + 2, _mm_add_pd(_mm_loadu_pd(b + i + 2), _mm_mul_pd(s, _mm_loadu_pd(c + i + 2))));
        _mm_stream_pd(a + i + 4, _mm_add_pd(_mm_loadu_pd(b + i + 4), _mm_mul_pd(s, _mm_loadu_pd(c + i + 4))));
        _mm_stream_pd(a + i + 6, _mm_add_pd(_mm_loadu_pd(b + i + 6), _mm_mul_pd(s, _mm_loadu_pd(c + i + 6))));
    }
    _mm_sfence();
#else
    for (; i + 4 <= n; i += 4) {
        __builtin_nontemporal_store(b[i] + scalar * c[i], a + i);
        __builtin_nontemporal_store(b[i + 1] + scalar * c[i + 1], a + i + 1);
        __builtin_nontemporal_store(b[i + 2] + scalar * c[i + 2], a + i + 2);
        __builtin_nontemporal_store(b[i + 3] + scalar * c[i + 3], a + i + 3);
    }
#endif
    for (; i < n; i++) a[i] = b[i] + scalar * c[i];
}

// The loops STREAM times, for one vector width (TARGET: a target attribute, or nothing).
#define STREAM_LOOPS(name, TARGET)                                                                          \
    TARGET static void name(int kernel, double *restrict a, double *restrict b, double *restrict c, size_t n) { \
        switch (kernel) {                                                                                   \
        case MYBRO_STREAM_COPY:                                                                             \
            for (size_t i = 0; i < n; i++) c[i] = a[i];                                                    \
            break;                                                                                          \
        case MYBRO_STREAM_SCALE:                                                                            \
            for (size_t i = 0; i < n; i++) b[i] = scalar * c[i];                                           \
            break;                                                                                          \
        case MYBRO_STREAM_ADD:                                                                              \
            for (size_t i = 0; i < n; i++) c[i] = a[i] + b[i];                                             \
            break;                                                                                          \
        case MYBRO_STREAM_TRIAD:                                                                            \
            for (size_t i = 0; i < n; i++) a[i] = b[i] + scalar * c[i];                                    \
            break;                                                                                          \
        default: break;                                                                                     \
        }                                                                                                   \
    }

typedef void (*stream_loops)(int kernel, double *restrict a, double *restrict b, double *restrict c, size_t n);

STREAM_LOOPS(loops_baseline, )
#if defined(__x86_64__)
STREAM_LOOPS(loops_avx2, __attribute__((target("avx2,fma"))))
STREAM_LOOPS(loops_avx512, __attribute__((target("avx512f,avx512vl,avx2,fma"))))
#endif

/// The widest build this CPU runs: the path mybro-kernel's own kernels take here.
static stream_loops native_loops(void) {
#if defined(__x86_64__)
    switch (mybro_k_best_path()) {
    case MYBRO_PATH_AVX512: return loops_avx512;
    case MYBRO_PATH_AVX2: return loops_avx2;
    default: break;
    }
#endif
    return loops_baseline;
}

int mybro_stream_vector_bits(void) {
    switch (mybro_k_best_path()) {
    case MYBRO_PATH_AVX512: return 512;
    case MYBRO_PATH_AVX2: return 256;
    default: return 128;
    }
}

static void run_kernel(stream_loops loops, int kernel, double *restrict a, double *restrict b, double *restrict c,
                       size_t n, volatile double *sink) {
    switch (kernel) {
    case MYBRO_STREAM_SUM: *sink += sum_range(a, n); break;
    case MYBRO_STREAM_TRIAD_NT: triad_nontemporal(a, b, c, n); break;
    default: loops(kernel, a, b, c, n); break;
    }
}

typedef struct {
    const int *kernels;
    stream_loops loops;
    int count, threads, repetitions, inner, initialise;
    double *a, *b, *c;
    size_t n;
    double *seconds;
    pthread_barrier_t barrier;
    // Workers wait here until every thread has started (go = 1), or leave when one could not be (go = -1).
    pthread_mutex_t gate;
    pthread_cond_t opened;
    int go;
    volatile double sinks[MAX_THREADS * 8];  // 64 bytes apart: no false sharing
} team;

typedef struct {
    team *team;
    int index;
} member;

static void part(const team *t, int index, size_t *begin, size_t *end) {
    size_t share = t->n / (size_t)t->threads, extra = t->n % (size_t)t->threads;
    *begin = (size_t)index * share + ((size_t)index < extra ? (size_t)index : extra);
    *end = *begin + share + ((size_t)index < extra ? 1 : 0);
}

static void *work(void *argument) {
    member *m = argument;
    team *t = m->team;
    pthread_mutex_lock(&t->gate);
    while (t->go == 0) pthread_cond_wait(&t->opened, &t->gate);
    int go = t->go;
    pthread_mutex_unlock(&t->gate);
    if (go < 0) return NULL;
    size_t begin, end;
    part(t, m->index, &begin, &end);
    double *a = t->a + begin, *b = t->b + begin, *c = t->c + begin;
    size_t n = end - begin;
    if (t->initialise) {
        for (size_t i = 0; i < n; i++) {
            a[i] = 1;
            b[i] = 2;
            c[i] = 0;
        }
        return NULL;
    }
    for (int r = 0; r < t->repetitions; r++) {
        for (int k = 0; k < t->count; k++) {
            pthread_barrier_wait(&t->barrier);
            double start = m->index == 0 ? now() : 0;
            for (int pass = 0; pass < t->inner; pass++) run_kernel(t->loops, t->kernels[k], a, b, c, n, &t->sinks[m->index * 8]);
            pthread_barrier_wait(&t->barrier);
            if (m->index == 0) t->seconds[r * t->count + k] = (now() - start) / t->inner;
        }
    }
    return NULL;
}

static void open_gate(team *t, int go) {
    pthread_mutex_lock(&t->gate);
    t->go = go;
    pthread_cond_broadcast(&t->opened);
    pthread_mutex_unlock(&t->gate);
}

static int run_team(team *t) {
    if (t->threads < 1) t->threads = 1;
    if (t->threads > MAX_THREADS) t->threads = MAX_THREADS;
    if (pthread_barrier_init(&t->barrier, NULL, (unsigned)t->threads) != 0) return -1;
    pthread_mutex_init(&t->gate, NULL);
    pthread_cond_init(&t->opened, NULL);
    pthread_t handles[MAX_THREADS];
    member members[MAX_THREADS];
    int started = 1;
    for (int i = 0; i < t->threads; i++) members[i] = (member){t, i};
    for (int i = 1; i < t->threads; i++) {
        if (pthread_create(&handles[i], NULL, work, &members[i]) != 0) break;
        started++;
    }
    int failed = started < t->threads;
    open_gate(t, failed ? -1 : 1);
    if (!failed) work(&members[0]);
    for (int i = 1; i < started; i++) pthread_join(handles[i], NULL);
    pthread_barrier_destroy(&t->barrier);
    pthread_cond_destroy(&t->opened);
    pthread_mutex_destroy(&t->gate);
    return failed ? -1 : 0;
}

int mybro_stream_init(double *a, double *b, double *c, size_t n, int threads) {
    team *t = calloc(1, sizeof *t);
    if (!t) return -1;
    *t = (team){.kernels = NULL, .count = 0, .threads = threads, .repetitions = 0, .inner = 1, .initialise = 1,
                .a = a, .b = b, .c = c, .n = n};
    int result = run_team(t);
    free(t);
    return result;
}

int mybro_stream_run(const int *kernels, int count, double *a, double *b, double *c, size_t n, int threads,
                     int repetitions, int inner, double *seconds) {
    team *t = calloc(1, sizeof *t);
    if (!t) return -1;
    *t = (team){.kernels = kernels, .count = count, .threads = threads, .repetitions = repetitions, .inner = inner < 1 ? 1 : inner,
                .a = a, .b = b, .c = c, .n = n, .seconds = seconds, .loops = native_loops()};
    int result = run_team(t);
    free(t);
    return result;
}

int mybro_available_cpus(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int count = CPU_COUNT(&set);
        if (count > 0) return count;
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int)online : 1;
}

long long mybro_filesystem_type(const char *path) {
    struct statfs info;
    return statfs(path, &info) == 0 ? (long long)info.f_type : -1;
}
