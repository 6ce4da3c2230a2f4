import CWebRTCVADReference

/// The C reference detector (Debian's libwebrtc-audio-processing), the oracle for bit-exactness.
final class ReferenceVAD {
    private let handle: OpaquePointer

    init(mode: Int) {
        handle = WebRtcVad_Create()
        precondition(WebRtcVad_Init(handle) == 0 && WebRtcVad_set_mode(handle, Int32(mode)) == 0)
    }

    deinit { WebRtcVad_Free(handle) }

    func setMode(_ mode: Int) -> Int32 { WebRtcVad_set_mode(handle, Int32(mode)) }

    /// `WebRtcVad_Init` resets the mode to 0; set it again as the Swift reset keeps it.
    func reset(mode: Int) {
        precondition(WebRtcVad_Init(handle) == 0 && WebRtcVad_set_mode(handle, Int32(mode)) == 0)
    }

    func process(_ frame: UnsafeBufferPointer<Int16>, sampleRate: Int) -> Int32 {
        WebRtcVad_Process(handle, Int32(sampleRate), frame.baseAddress, frame.count)
    }

    static func isValid(sampleRate: Int, frameLength: Int) -> Bool {
        WebRtcVad_ValidRateAndFrameLength(Int32(sampleRate), frameLength) == 0
    }
}
