#ifndef MYBRO_CSOXR_SHIM_H
#define MYBRO_CSOXR_SHIM_H
#include <soxr.h>
#endif
