// The kernels for AVX2 with FMA (8 lanes).
#if defined(__x86_64__)
#define W 8
#define SUFFIX avx2
#define PATH_NAME "avx2"
#define TARGET __attribute__((target("avx2,fma")))
#include "simd/kernels_body.h"
#endif
