// The kernels for the instruction set every CPU of the architecture has (4 lanes): SSE2 on
// x86-64, NEON on arm64. This is the portable path and the reference the faster paths are tested against.
#define W 4
#define SUFFIX baseline
#if defined(__aarch64__)
#define PATH_NAME "neon"
#else
#define PATH_NAME "baseline"
#endif
#define TARGET
#include "simd/kernels_body.h"
