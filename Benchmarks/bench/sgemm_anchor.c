// The anchor for mybro-bench's sgemm figure: OpenBLAS's cblas_sgemm called directly on the same
// square shape, best of REPS after one warm-up. Usage: sgemm_anchor SIZE THREADS REPS
//   cc -O3 -march=native sgemm_anchor.c -lopenblas -o sgemm_anchor
#include <cblas.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int size = argc > 1 ? atoi(argv[1]) : 2048, threads = argc > 2 ? atoi(argv[2]) : 1;
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    openblas_set_num_threads(threads);
    size_t count = (size_t)size * size;
    float *a = malloc(count * 4), *b = malloc(count * 4), *c = malloc(count * 4);
    for (size_t i = 0; i < count; i++) {
        a[i] = (float)((i * 2654435761u) % 2000) / 1000.0f - 1;
        b[i] = (float)((i * 40503u) % 2000) / 1000.0f - 1;
        c[i] = 0;
    }
    double best = DBL_MAX;
    for (int r = 0; r <= reps; r++) {
        double t = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, size, size, size, 1, a, size, b, size, 0, c, size);
        t = now() - t;
        if (r > 0 && t < best) best = t;
    }
    printf("{\"kernel\":\"sgemm\",\"gflop_per_s\":%.3f,\"threads\":%d,\"size\":%d,\"check\":%.3f}\n",
           2.0 * size * size * size / best / 1e9, threads, size, c[count / 2]);
    return 0;
}
