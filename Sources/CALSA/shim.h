#ifndef MYBRO_CALSA_SHIM_H
#define MYBRO_CALSA_SHIM_H
#include <alsa/asoundlib.h>

// alsa-lib prints its own multi-line errors ("ALSA lib pcm.c:…") on stderr; mybro reports
// every failure itself in one line, so the library's printer is replaced by a silent one.
// The handler type is variadic, which Swift cannot implement, hence this C wrapper.
static void mybro_alsa_silent_error(const char *file, int line, const char *function, int err,
                                    const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}
static inline void mybro_alsa_silence_errors(void) {
    snd_lib_error_set_handler(mybro_alsa_silent_error);
}
#endif
