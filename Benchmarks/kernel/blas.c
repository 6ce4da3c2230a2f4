// OpenBLAS on the batched kernels' shapes, the anchor for dot and cosine: sgemv (an sgemm
// with one column) for one query against B rows of D, cblas_sdot per row pair for the pairwise
// dots, and a square sgemm for this machine's compute peak. Best of repetitions.
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    const int D = 768;
    for (int arg = 1; arg < argc; arg++) {
        long n = (long)atof(argv[arg]);
        long B = n / D > 0 ? n / D : 1;
        float *m = malloc(sizeof(float) * B * D), *o = malloc(sizeof(float) * B * D), *q = malloc(sizeof(float) * D),
              *y = malloc(sizeof(float) * B);
        for (long i = 0; i < B * D; i++) m[i] = (float)(i % 97) / 97.0f, o[i] = (float)(i % 89) / 89.0f;
        for (int i = 0; i < D; i++) q[i] = (float)i / D;
        double gemv = 1e30, dots = 1e30;
        for (int run = 0; run < 20; run++) {
            double t0 = now();
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, 1, D, 1.0f, m, D, q, 1, 0.0f, y, 1);
            double t1 = now();
            for (long r = 0; r < B; r++) y[r] = cblas_sdot(D, m + r * D, 1, o + r * D, 1);
            double t2 = now();
            if (t1 - t0 < gemv) gemv = t1 - t0;
            if (t2 - t1 < dots) dots = t2 - t1;
        }
        printf("{\"type\":\"blas\",\"kernel\":\"cosine\",\"anchor\":\"sgemm %ldx%dx1\",\"n\":%ld,\"seconds\":%.6g,"
               "\"gflop_per_s\":%.3f}\n", B, D, n, gemv, 2.0 * B * D / gemv / 1e9);
        printf("{\"type\":\"blas\",\"kernel\":\"dot\",\"anchor\":\"sdot x %ld rows of %d\",\"n\":%ld,\"seconds\":%.6g,"
               "\"gflop_per_s\":%.3f}\n", B, D, n, dots, 2.0 * B * D / dots / 1e9);
        free(m), free(o), free(q), free(y);
    }
    int s = 2048;
    float *a = malloc(sizeof(float) * s * s), *b = malloc(sizeof(float) * s * s), *c = malloc(sizeof(float) * s * s);
    for (long i = 0; i < (long)s * s; i++) a[i] = 1.0f / (1 + i % 13), b[i] = 1.0f / (1 + i % 7);
    double best = 1e30;
    for (int run = 0; run < 3; run++) {
        double t0 = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s, s, s, 1.0f, a, s, b, s, 0.0f, c, s);
        if (now() - t0 < best) best = now() - t0;
    }
    printf("{\"type\":\"blas\",\"kernel\":\"sgemm\",\"anchor\":\"sgemm %dx%dx%d\",\"n\":%d,\"seconds\":%.6g,"
           "\"gflop_per_s\":%.3f}\n", s, s, s, s * s, best, 2.0 * s * s * s / best / 1e9);
    return 0;
}
