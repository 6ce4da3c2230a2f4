#ifndef MYBRO_CALSA_SHIM_H
#define MYBRO_CALSA_SHIM_H
#include <alsa/asoundlib.h>
#endif
