#ifndef MYBRO_CALSA_SHIM_H
#define MYBRO_CALSA_SHIM_H
#include <alsa/asoundlib.h>

// ALSA prints its own multi-line errors to stderr through a variadic handler, which Swift
// cannot define; this one discards them, since every failing call's status is reported
// by mybro as one line that names the fix.
static void mybro_alsa_quiet_handler(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static inline void mybro_alsa_silence_library_errors(void) {
    snd_lib_error_set_handler(mybro_alsa_quiet_handler);
}
#endif
