#ifndef MYBRO_CFFTW3_SHIM_H
#define MYBRO_CFFTW3_SHIM_H
// Single-precision FFTW (libfftw3f) for the log-mel front end's real FFT.
#include <fftw3.h>
#endif
