#ifndef MYBRO_COPENBLAS_SHIM_H
#define MYBRO_COPENBLAS_SHIM_H
// Debian ships cblas.h from OpenBLAS on the default include path; there is no separate libcblas.
#include <cblas.h>
#endif
