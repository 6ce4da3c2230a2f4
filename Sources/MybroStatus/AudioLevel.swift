import Foundation

/// The loudness of the latest audio in a `speech` or `utterance` record, in dBFS, from the last
/// `window` samples of its base64 PCM (only that tail is decoded).
enum AudioLevel {
    static let window = 1600  // 100 ms at 16 kHz

    static func decibels(base64 pcm: String) -> Double? {
        let utf8 = pcm.utf8
        guard utf8.count >= 4, utf8.count % 4 == 0 else { return nil }
        // 4 base64 characters carry 3 bytes; take enough for `window` samples plus alignment.
        let wantedChars = min(utf8.count, ((window * 2 + 6) / 3 + 1) * 4)
        let tail = String(decoding: utf8.suffix(wantedChars), as: UTF8.self)
        guard var bytes = Data(base64Encoded: tail).map(Array.init) else { return nil }
        let startByte = (utf8.count - wantedChars) / 4 * 3
        if startByte % 2 == 1 { bytes.removeFirst() }  // realign on a sample boundary
        let count = bytes.count / 2
        guard count > 0 else { return nil }
        var sum = 0.0
        for index in 0..<count {
            let sample = Int16(bitPattern: UInt16(bytes[2 * index]) | UInt16(bytes[2 * index + 1]) << 8)
            sum += Double(sample) * Double(sample)
        }
        let rms = (sum / Double(count)).squareRoot()
        return max(-96, 20 * log10(max(rms, 1e-9) / 32768))
    }
}
