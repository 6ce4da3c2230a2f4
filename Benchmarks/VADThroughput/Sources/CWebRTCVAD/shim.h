// The WebRTC VAD's C functions in Debian's libwebrtc-audio-processing1 (0.3), the oracle the
// Swift detector is tested against. The -dev package ships no header for them, so they are
// declared here with the signatures in specs/webrtc-vad.md. Only tests and benchmarks use this.
// No pkgConfig in the modulemap: the library's .pc carries -D flags SwiftPM refuses.
#include <stddef.h>
#include <stdint.h>

typedef struct WebRtcVadInst VadInst;

VadInst *WebRtcVad_Create(void);
void WebRtcVad_Free(VadInst *handle);
int WebRtcVad_Init(VadInst *handle);
int WebRtcVad_set_mode(VadInst *handle, int mode);
int WebRtcVad_Process(VadInst *handle, int fs, const int16_t *audio_frame, size_t frame_length);
int WebRtcVad_ValidRateAndFrameLength(int rate, size_t frame_length);
