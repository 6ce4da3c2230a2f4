import CALSA
import Foundation
import MybroCore

/// Captures interleaved S16_LE frames from an ALSA PCM device.
///
/// The device is asked for the caller's rate and channel count and may answer with the
/// nearest it supports (the "plug" layers behind `default` convert anything); the chosen
/// values are in `sampleRate` and `channels`. Overruns are recovered and reported.
public final class ALSACaptureDevice: AudioCaptureSource {
    public let name: String
    public let sampleRate: Int
    public let channels: Int
    public let periodFrames: Int
    private var handle: OpaquePointer?

    /// How long one read waits for the device before returning 0, so a stop request is
    /// noticed even when a device delivers nothing.
    static let waitMilliseconds: Int32 = 200

    public init(name: String, sampleRate: Int, channels: Int = 1, periodMilliseconds: Int = 20) throws {
        ALSA.silenceLibraryErrors()
        self.name = name
        var pcm: OpaquePointer?
        // Opened non-blocking so a device held by another program fails at once with EBUSY
        // instead of hanging; reads are switched back to blocking below.
        var rc = snd_pcm_open(&pcm, name, SND_PCM_STREAM_CAPTURE, SND_PCM_NONBLOCK)
        guard rc >= 0, let pcm else { throw ALSA.openError(device: name, code: rc) }
        var params: OpaquePointer?
        snd_pcm_hw_params_malloc(&params)
        defer { snd_pcm_hw_params_free(params) }
        var rate = UInt32(sampleRate)
        var channelCount = UInt32(channels)
        var periodTime = UInt32(periodMilliseconds * 1000)
        var bufferTime = UInt32(max(periodMilliseconds * 10, 200) * 1000)
        var direction: Int32 = 0
        var periodSize: snd_pcm_uframes_t = 0
        func check(_ code: Int32, _ what: String) throws {
            if code < 0 {
                snd_pcm_close(pcm)
                throw MybroError(
                    "ALSA device '\(name)' cannot \(what): \(ALSA.describe(code)); try --device plughw:… or default, "
                        + "which convert formats", status: .unavailable)
            }
        }
        try check(snd_pcm_hw_params_any(pcm, params), "report its capabilities")
        try check(snd_pcm_hw_params_set_access(pcm, params, SND_PCM_ACCESS_RW_INTERLEAVED), "do interleaved reads")
        try check(snd_pcm_hw_params_set_format(pcm, params, SND_PCM_FORMAT_S16_LE), "capture signed 16-bit samples")
        try check(snd_pcm_hw_params_set_channels_near(pcm, params, &channelCount), "capture \(channels) channel(s)")
        try check(snd_pcm_hw_params_set_rate_near(pcm, params, &rate, &direction), "capture near \(sampleRate) Hz")
        try check(snd_pcm_hw_params_set_period_time_near(pcm, params, &periodTime, &direction), "set its period")
        try check(snd_pcm_hw_params_set_buffer_time_near(pcm, params, &bufferTime, &direction), "set its buffer")
        try check(snd_pcm_hw_params(pcm, params), "accept the capture settings")
        rc = snd_pcm_hw_params_get_period_size(params, &periodSize, &direction)
        try check(rc, "report its period size")
        try check(snd_pcm_nonblock(pcm, 0), "switch to blocking reads")
        try check(snd_pcm_prepare(pcm), "prepare for capture")
        self.sampleRate = Int(rate)
        self.channels = Int(channelCount)
        self.periodFrames = max(Int(periodSize), 1)
        self.handle = pcm
    }

    deinit { close() }

    public func close() {
        if let handle {
            snd_pcm_drop(handle)
            snd_pcm_close(handle)
        }
        handle = nil
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Int16>, report: (CaptureEvent) -> Void) throws -> Int? {
        guard let handle else { return nil }
        let frames = buffer.count / channels
        guard frames > 0 else { return 0 }
        while true {
            if snd_pcm_state(handle) == SND_PCM_STATE_PREPARED { snd_pcm_start(handle) }
            let ready = snd_pcm_wait(handle, ALSACaptureDevice.waitMilliseconds)
            if ready == 0 { return 0 }
            if ready < 0 {
                try recover(from: ready, report: report)
                continue
            }
            let n = snd_pcm_readi(handle, buffer.baseAddress, snd_pcm_uframes_t(frames))
            if n >= 0 { return n }
            if n == -Int(EAGAIN) { continue }
            try recover(from: Int32(n), report: report)
        }
    }

    /// Brings the device back after an error; an overrun is reported with the estimated loss.
    private func recover(from code: Int32, report: (CaptureEvent) -> Void) throws {
        guard let handle else { return }
        if code == -EINTR { return }
        if code == -EPIPE {
            report(.overrun(lostMilliseconds: lostMillisecondsAtOverrun()))
            let rc = snd_pcm_prepare(handle)
            if rc < 0 { throw ioError("recover from an overrun", rc) }
            snd_pcm_start(handle)
            return
        }
        // A suspend (ESTRPIPE) and the rest: ALSA's own recovery, then give up if it fails.
        let rc = snd_pcm_recover(handle, code, 1)
        if rc < 0 {
            if code == -ENODEV { throw MybroError("sound device '\(name)' disappeared", status: .ioError) }
            throw ioError("capture", code)
        }
        if code == -ESTRPIPE { report(.overrun(lostMilliseconds: nil)) }
    }

    /// The time since the device stopped at the overrun, plus the buffered audio that
    /// re-preparing the device throws away.
    private func lostMillisecondsAtOverrun() -> Double? {
        guard let handle else { return nil }
        var status: OpaquePointer?
        guard snd_pcm_status_malloc(&status) >= 0, let status else { return nil }
        defer { snd_pcm_status_free(status) }
        guard snd_pcm_status(handle, status) >= 0 else { return nil }
        var now = snd_htimestamp_t()
        var stopped = snd_htimestamp_t()
        snd_pcm_status_get_htstamp(status, &now)
        snd_pcm_status_get_trigger_htstamp(status, &stopped)
        let buffered = Double(snd_pcm_status_get_avail(status)) / Double(sampleRate) * 1000
        guard stopped.tv_sec != 0 || stopped.tv_nsec != 0 else { return buffered }
        let since = Double(now.tv_sec - stopped.tv_sec) * 1000 + Double(now.tv_nsec - stopped.tv_nsec) / 1e6
        return max(since, 0) + buffered
    }

    private func ioError(_ what: String, _ code: Int32) -> MybroError {
        MybroError("ALSA device '\(name)' failed to \(what): \(ALSA.describe(code))", status: .ioError)
    }
}

/// ALSA helpers shared by capture and the device list.
public enum ALSA {
    /// Stops alsa-lib from printing its own messages on stderr (mybro reports errors itself).
    public static func silenceLibraryErrors() {
        mybro_alsa_silence_library_errors()
    }

    public static func describe(_ code: Int32) -> String {
        String(cString: snd_strerror(code))
    }

    /// The error for a failed `snd_pcm_open`, with the toolkit's exit status.
    public static func openError(device: String, code: Int32) -> MybroError {
        switch -code {
        case ENOENT, ENODEV, ENXIO:
            return MybroError(
                "no ALSA capture device '\(device)' (\(describe(code))); list the devices with --list-devices",
                status: .noInput)
        case EBUSY:
            return MybroError(
                "sound device '\(device)' is busy: another program is using it; stop that program or "
                    + "choose another --device (a dsnoop device can share a card)", status: .unavailable)
        case EACCES, EPERM:
            return MybroError(
                "no permission to open sound device '\(device)'; join the 'audio' group", status: .noPermission)
        default:
            return MybroError("cannot open sound device '\(device)': \(describe(code))", status: .unavailable)
        }
    }
}
