// The per-instruction-set table of range kernels that kernels_dispatch.c chooses from at run time.
// Each entry works on one contiguous range; threading and argument checks live in the dispatcher.
#ifndef MYBRO_KERNELS_TABLE_H
#define MYBRO_KERNELS_TABLE_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name;
    double (*sum)(const float *x, size_t n);
    /// Σx accumulated in double lanes (the scan's segment offsets, where float lanes drift).
    double (*sum_wide)(const float *x, size_t n);
    /// A running sum of x into y in double from `carry` (exclusive: each value left out of its
    /// own sum), with stores past the cache where `nontemporal` and y allow; returns the carry
    /// after the last value.
    double (*scan_piece)(const float *x, float *y, size_t n, int exclusive, double carry, int nontemporal);
    double (*square_sum)(const float *x, size_t n);
    double (*abs_sum)(const float *x, size_t n);
    double (*masked_sum)(const float *x, const float *mask, size_t n);
    size_t (*threshold_count)(const float *x, size_t n, float threshold);
    /// Smallest/largest value, NaN when any value is NaN (as numpy); n ≥ 1.
    float (*min)(const float *x, size_t n);
    float (*max)(const float *x, size_t n);
    /// Largest |x| over the finite values (0 when there is none), for quantization scales.
    float (*max_abs_finite)(const float *x, size_t n);
    /// Count, mean and sum of squared deviations, combined block by block (Chan et al.).
    void (*moments)(const float *x, size_t n, double *mean, double *m2);
    void (*unary)(int op, const float *x, float *y, size_t n, int nontemporal);
    void (*binary)(int op, const float *a, const float *b, float *y, size_t n, int nontemporal);
    void (*binary_scalar)(int op, const float *a, float b, float *y, size_t n, int nontemporal);
    void (*quantize)(const float *x, int8_t *q, size_t n, float scale);
    void (*dequantize)(const int8_t *q, float *y, size_t n, float scale);
    /// Dot product of a and b, and (when rr is not NULL) the sum of squares of b.
    void (*dot)(const float *a, const float *b, size_t k, float *dot, float *rr);
    void (*triad)(float *a, const float *b, const float *c, float s, size_t n, int nontemporal);
} mybro_k_table;

extern const mybro_k_table mybro_k_table_baseline;
#if defined(__x86_64__)
extern const mybro_k_table mybro_k_table_avx2;
extern const mybro_k_table mybro_k_table_avx512;
#endif
#endif
