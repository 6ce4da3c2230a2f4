#ifndef MYBRO_CSNDFILE_SHIM_H
#define MYBRO_CSNDFILE_SHIM_H
#include <sndfile.h>
#endif
