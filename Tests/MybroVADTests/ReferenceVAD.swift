import CWebRTCVADReference

/// The C reference detector (Debian's libwebrtc-audio-processing), the oracle for bit-exactness.
final class ReferenceVAD {
    private let handle: OpaquePointer

    init(mode: Int) {
        handle = WebRtcVad_Create()
        precondition(WebRtcVad_Init(handle) == 0 && WebRtcVad_set_mode(handle, Int32(mode)) == 0)
    }

    deinit { WebRtcVad_Free(handle) }

    func process(_ frame: UnsafeBufferPointer<Int16>, sampleRate: Int) -> Int32 {
        WebRtcVad_Process(handle, Int32(sampleRate), frame.baseAddress, frame.count)
    }

    static func isValid(sampleRate: Int, frameLength: Int) -> Bool {
        WebRtcVad_ValidRateAndFrameLength(Int32(sampleRate), frameLength) == 0
    }
}
