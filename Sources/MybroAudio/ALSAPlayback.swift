import CALSA
import Foundation
import MybroCore

/// Plays canonical audio on an ALSA device.
///
/// Writes go out in short blocks, so a barge-in is noticed within one block; `discardPending`
/// drops what the device still holds (`snd_pcm_drop`) and re-arms it for the next reply.
public final class ALSAPlayback: AudioSink {
    private var pcm: OpaquePointer?
    public let device: String
    /// The device buffer; short, so an interrupted reply goes silent quickly.
    public static let latencyMicroseconds: UInt32 = 80_000

    public init(device: String) throws {
        self.device = device
        mybro_alsa_silence_library_errors()
        var handle: OpaquePointer?
        var status = snd_pcm_open(&handle, device, SND_PCM_STREAM_PLAYBACK, 0)
        guard status >= 0, let handle else {
            throw ALSAPlayback.openError(device: device, status: status)
        }
        status = snd_pcm_set_params(
            handle, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, UInt32(CanonicalAudio.sampleRate),
            1, ALSAPlayback.latencyMicroseconds)
        guard status >= 0 else {
            snd_pcm_close(handle)
            throw MybroError(
                "sound card \(device) refuses 16 kHz mono 16-bit playback: \(String(cString: snd_strerror(status)))",
                status: .unavailable)
        }
        pcm = handle
    }

    static func openError(device: String, status: Int32) -> MybroError {
        let reason = String(cString: snd_strerror(status))
        if status == -EBUSY {
            return MybroError(
                "sound card \(device) is busy: \(reason); close the program using it", status: .unavailable)
        }
        if status == -ENOENT || status == -ENODEV {
            return MybroError(
                "no sound card named \(device): \(reason); see `aplay -L` for names, or use --output FILE",
                status: .noInput)
        }
        return MybroError(
            "cannot open sound card \(device): \(reason); use --output FILE to write a file", status: .unavailable)
    }

    public func write(_ samples: UnsafeBufferPointer<Int16>) throws {
        guard let pcm, var base = samples.baseAddress else { return }
        var left = samples.count
        while left > 0 {
            let written = snd_pcm_writei(pcm, base, snd_pcm_uframes_t(left))
            if written < 0 {
                let code = Int32(written)
                if code == -EINTR && Signals.stopRequested { return }
                // An underrun (-EPIPE) or suspend is recovered; anything else is an I/O error.
                let recovered = snd_pcm_recover(pcm, code, 1)
                if recovered < 0 {
                    throw MybroError(
                        "sound card \(device) playback failed: \(String(cString: snd_strerror(recovered)))",
                        status: .ioError)
                }
                continue
            }
            left -= Int(written)
            base += Int(written)
        }
    }

    public func discardPending() {
        guard let pcm else { return }
        snd_pcm_drop(pcm)
        snd_pcm_prepare(pcm)
    }

    public func finish() throws {
        guard let pcm else { return }
        if Signals.stopRequested { snd_pcm_drop(pcm) } else { snd_pcm_drain(pcm) }
        snd_pcm_close(pcm)
        self.pcm = nil
    }

    deinit {
        if let pcm { snd_pcm_close(pcm) }
    }
}
