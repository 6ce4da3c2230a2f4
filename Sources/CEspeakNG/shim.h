#ifndef MYBRO_CESPEAKNG_SHIM_H
#define MYBRO_CESPEAKNG_SHIM_H
#include <espeak-ng/speak_lib.h>
#endif
