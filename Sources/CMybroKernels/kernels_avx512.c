// The kernels for AVX-512 (16 lanes), used when the CPU reports AVX-512 F/DQ/BW/VL.
#if defined(__x86_64__)
#define W 16
#define SUFFIX avx512
#define PATH_NAME "avx512"
#define TARGET __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma")))
#include <immintrin.h>
#define MYBRO_EXP_TABLE 1   // exp by a 2^(j/32) table and vscalefps
#define MYBRO_TANH_TABLE 1  // tanh by interval polynomials (one two-table permute per coefficient)
#define MYBRO_LOG_TABLE 1   // ln by a 32-interval table of 1/c and ln c
#include "simd/kernels_body.h"
#endif
