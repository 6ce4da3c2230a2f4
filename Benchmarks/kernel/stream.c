// STREAM's triad (a = b + s·c, double precision, 24 bytes per element as STREAM counts them),
// the bandwidth anchor for `mybro-kernel bench`. Built with -O3 -march=native; one thread per
// core (pthreads), best of 10 runs, with ordinary stores and with non-temporal stores.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define N (1 << 25) /* 256 MiB per array: far beyond any cache */
static double *a, *b, *c;
static int threads, nontemporal;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *part(void *argument) {
    long p = (long)argument;
    size_t begin = N / threads * p, end = p == threads - 1 ? N : N / threads * (p + 1);
    const double s = 3.0;
    if (nontemporal) {
        for (size_t i = begin; i < end; i++) __builtin_nontemporal_store(b[i] + s * c[i], &a[i]);
    } else {
        for (size_t i = begin; i < end; i++) a[i] = b[i] + s * c[i];
    }
    return NULL;
}

static double triad(void) {
    pthread_t ids[64];
    double t0 = now();
    for (long p = 1; p < threads; p++) pthread_create(&ids[p], NULL, part, (void *)p);
    part((void *)0);
    for (long p = 1; p < threads; p++) pthread_join(ids[p], NULL);
#if defined(__x86_64__)
    __builtin_ia32_sfence();
#endif
    return now() - t0;
}

int main(void) {
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    threads = online < 1 ? 1 : online > 64 ? 64 : (int)online;
    a = aligned_alloc(64, N * sizeof(double));
    b = aligned_alloc(64, N * sizeof(double));
    c = aligned_alloc(64, N * sizeof(double));
    for (size_t i = 0; i < N; i++) a[i] = 0, b[i] = 1, c[i] = 2;
    for (nontemporal = 0; nontemporal <= 1; nontemporal++) {
        double best = 1e30;
        for (int run = 0; run < 10; run++) {
            double t = triad();
            if (t < best) best = t;
        }
        printf("{\"type\":\"c_stream\",\"kernel\":\"triad\",\"stores\":\"%s\",\"threads\":%d,\"n\":%d,"
               "\"seconds\":%.6g,\"gb_per_s\":%.2f}\n",
               nontemporal ? "nontemporal" : "ordinary", threads, N, best, 24.0 * N / best / 1e9);
    }
    return a[1] == 7.0 ? 0 : 1;
}
