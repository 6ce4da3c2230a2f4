#ifndef MYBRO_CZLIB_SHIM_H
#define MYBRO_CZLIB_SHIM_H
// zlib, for Whisper's compression-ratio test of repetitive output.
#include <zlib.h>
#endif
