// The anchor for mybro-bench's memory figures: a STREAM-style program in plain C, written for
// this repository (McCalpin's rules: double arrays of N elements, best of NTIMES, bytes counted
// without write-allocate). Compile as the issue asks:
//   cc -O3 -march=native stream_anchor.c -o stream_anchor            (1 thread)
//   cc -O3 -march=native -fopenmp stream_anchor.c -o stream_anchor_omp (OMP_NUM_THREADS threads)
// Prints one JSON object per kernel: {"kernel","gb_per_s","threads"}.
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#ifndef N
#define N 10000000
#endif
#ifndef NTIMES
#define NTIMES 10
#endif

static double a[N], b[N], c[N];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
    int threads = 1;
#ifdef _OPENMP
    threads = omp_get_max_threads();
#endif
#pragma omp parallel for
    for (long j = 0; j < N; j++) {
        a[j] = 1.0;
        b[j] = 2.0;
        c[j] = 0.0;
    }
    const double scalar = 3.0;
    double best[4] = {DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX};
    for (int k = 0; k < NTIMES; k++) {
        double t = now();
#pragma omp parallel for
        for (long j = 0; j < N; j++) c[j] = a[j];
        t = now() - t;
        if (k > 0 && t < best[0]) best[0] = t;
        t = now();
#pragma omp parallel for
        for (long j = 0; j < N; j++) b[j] = scalar * c[j];
        t = now() - t;
        if (k > 0 && t < best[1]) best[1] = t;
        t = now();
#pragma omp parallel for
        for (long j = 0; j < N; j++) c[j] = a[j] + b[j];
        t = now() - t;
        if (k > 0 && t < best[2]) best[2] = t;
        t = now();
#pragma omp parallel for
        for (long j = 0; j < N; j++) a[j] = b[j] + scalar * c[j];
        t = now() - t;
        if (k > 0 && t < best[3]) best[3] = t;
    }
    const char *names[4] = {"copy", "scale", "add", "triad"};
    const double bytes[4] = {16.0 * N, 16.0 * N, 24.0 * N, 24.0 * N};
    double check = 0;
    for (long j = 0; j < N; j += 4096) check += a[j] + b[j] + c[j];
    for (int i = 0; i < 4; i++)
        printf("{\"kernel\":\"%s\",\"gb_per_s\":%.4f,\"threads\":%d,\"check\":%.1f}\n", names[i],
               bytes[i] / best[i] / 1e9, threads, check);
    return 0;
}
