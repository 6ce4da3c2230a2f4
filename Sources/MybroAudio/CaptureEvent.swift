import Foundation
import MybroCore

/// Something a capture wants the user to know: the library never prints, it hands these
/// to the caller's handler (the command turns them into stderr diagnostics).
public enum CaptureEvent: Sendable, Equatable {
    /// The device opened with these settings (they may differ from the ones asked for).
    case deviceOpened(name: String, sampleRate: Int, channels: Int, periodFrames: Int)
    /// The sound card overran (the capture thread was late): audio was lost before
    /// it reached us; `lostMilliseconds` is an estimate, nil when ALSA cannot tell.
    case overrun(lostMilliseconds: Double?)
    /// The ring buffer was full because the consumer was slow: the oldest audio was dropped.
    case overflow(droppedMilliseconds: Double, totalDroppedMilliseconds: Double)
    /// Input without a header is read as mybro's canonical PCM stream.
    case headerlessInput
    /// Headerless input ended in the middle of a sample; its last byte was dropped.
    case oddTrailingByte
    /// The file ended before the length its header announced.
    case truncatedFile(decodedSeconds: Double, expectedSeconds: Double)
    /// Output samples were clipped to 16 bits (the source is louder than full scale).
    case clipped(samples: Int)

    /// True for events that mean audio was lost or damaged (warnings); the rest are details.
    public var isWarning: Bool {
        switch self {
        case .deviceOpened, .headerlessInput: return false
        case .overrun, .overflow, .oddTrailingByte, .truncatedFile, .clipped: return true
        }
    }

    /// One line describing the event.
    public var message: String {
        switch self {
        case .deviceOpened(let name, let rate, let channels, let period):
            return "capturing from '\(name)' at \(rate) Hz, \(channels) channel\(channels == 1 ? "" : "s"), "
                + "\(period)-frame periods"
        case .overrun(let lost):
            let amount = lost.map { "about \(Int($0.rounded())) ms" } ?? "an unknown amount"
            return "sound card overrun: \(amount) of audio lost before it could be read; capture resumed"
        case .overflow(let dropped, let total):
            return "output is too slow: dropped the oldest \(Int(dropped.rounded())) ms of audio "
                + "(\(Int(total.rounded())) ms in all); raise --buffer or speed up the consumer"
        case .headerlessInput:
            return "the input has no header: reading it as \(CanonicalAudio.description)"
        case .oddTrailingByte:
            return "the input ends in the middle of a 16-bit sample (odd byte count); the stray byte is dropped"
        case .truncatedFile(let decoded, let expected):
            return "the input is truncated: it ends after \(String(format: "%.2f", decoded)) s of the "
                + "\(String(format: "%.2f", expected)) s its header announces"
        case .clipped(let samples):
            return "\(samples) samples were clipped to 16 bits (the source is louder than full scale)"
        }
    }
}

/// A source of interleaved signed 16-bit frames, such as a sound card (or a fake in tests).
public protocol AudioCaptureSource: AnyObject {
    var sampleRate: Int { get }
    var channels: Int { get }
    /// Frames a `read` returns at most in one go, a useful buffer size.
    var periodFrames: Int { get }
    /// Reads up to `buffer.count / channels` whole frames. Returns the number of frames read,
    /// 0 when nothing arrived within a short wait (so the caller can check for a stop),
    /// or nil when the source has ended. Losses are reported through `report`.
    func read(into buffer: UnsafeMutableBufferPointer<Int16>, report: (CaptureEvent) -> Void) throws -> Int?
    /// Releases the device; further reads are not allowed.
    func close()
}
