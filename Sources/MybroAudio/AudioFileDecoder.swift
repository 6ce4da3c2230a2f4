import CSndFile
import Foundation
import MybroCore

/// Decodes any file libsndfile reads (WAV, FLAC, Ogg Vorbis/Opus, MP3, AIFF, …) into mono
/// signed 16-bit blocks at `outputRate` (16 kHz by default), streaming: one block of the
/// file is decoded, downmixed and resampled at a time, so a long file is never held whole.
///
///     let decoder = try AudioFileDecoder(path: "talk.flac")
///     while let block = try decoder.nextBlock() { … }   // [Int16], 16 kHz mono
///
/// `path` "-" reads standard input (a pipe works too, FLAC included).
public final class AudioFileDecoder {
    /// What the file holds before conversion.
    public struct Info: Sendable {
        public var sampleRate: Int
        public var channels: Int
        /// Frames at the file's rate, nil when unknown (a stream on a pipe).
        public var frames: Int?
        /// Whether `frames` is exact; an MP3's length is an estimate (encoder delay and padding).
        public var framesAreExact: Bool
        /// The container and encoding, e.g. "FLAC (16-bit)".
        public var format: String
        public var duration: Double? { frames.map { Double($0) / Double(sampleRate) } }
    }

    public let path: String
    public let info: Info
    public let outputRate: Int
    /// Frames read from the file per block.
    public let blockFrames: Int
    private var file: OpaquePointer?
    private let pipe: PipeVirtualFile?
    private let converter: CanonicalConverter
    private var interleaved: [Float]
    private var framesDecoded = 0
    private var ended = false
    /// True when the input had no header and is read as mybro's canonical PCM.
    public let isHeaderless: Bool
    private let rawBytes: Int?

    /// Opens and recognises the file. Throws status 66 when it is missing, 65 when it is
    /// not audio libsndfile can decode, 77 when it cannot be read.
    public init(path: String, outputRate: Int = CanonicalAudio.sampleRate, blockFrames: Int = 8192) throws {
        self.path = path
        self.outputRate = outputRate
        self.blockFrames = blockFrames
        let opened = try SoundFileOpener.open(path)
        let file = opened.handle
        let sfInfo = opened.info
        self.pipe = opened.pipe
        isHeaderless = opened.isHeaderless
        rawBytes = opened.rawBytes
        // Float samples scaled to ±1, so every source format converts the same way.
        sf_command(file, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
        let knownLength = sfInfo.frames > 0 && sfInfo.frames < sf_count_t(Int32.max) * 64
        info = Info(
            sampleRate: Int(sfInfo.samplerate), channels: Int(sfInfo.channels),
            frames: knownLength ? Int(sfInfo.frames) : nil,
            framesAreExact: sfInfo.format & Int32(SF_FORMAT_TYPEMASK) != Int32(SF_FORMAT_MPEG),
            format: AudioFileDecoder.describe(sfInfo.format))
        do {
            converter = try CanonicalConverter(
                inputRate: info.sampleRate, channels: info.channels, outputRate: outputRate)
        } catch {
            sf_close(file)
            throw error
        }
        interleaved = [Float](repeating: 0, count: blockFrames * info.channels)
        self.file = file
    }

    deinit { close() }

    public func close() {
        if let file { sf_close(file) }
        file = nil
    }

    /// MP3 (via libmpg123), whose length is an estimate and whose decoder prints on stderr.
    private var decodesMPEG: Bool { !info.framesAreExact }

    /// Seconds of the file decoded so far.
    public var secondsDecoded: Double { Double(framesDecoded) / Double(info.sampleRate) }

    /// Output samples clipped to 16 bits so far (a loud or float source).
    public var clippedSamples: Int { converter.clippedSamples }

    /// Decodes the next block of the file and hands its output (possibly empty, while the
    /// resampler fills) to `emit`. Returns false once the file is finished.
    public func decodeNext(_ emit: (UnsafeBufferPointer<Int16>) throws -> Void) throws -> Bool {
        guard !ended, let file else { return false }
        let count = sf_count_t(blockFrames)
        let frames = interleaved.withUnsafeMutableBufferPointer { buffer in
            // libmpg123 prints resync notes for damaged MP3 frames; the decoder reports damage itself.
            !decodesMPEG
                ? Int(sf_readf_float(file, buffer.baseAddress, count))
                : StandardErrorSilencer.silenced { Int(sf_readf_float(file, buffer.baseAddress, count)) }
        }
        if frames > 0 {
            framesDecoded += frames
            try interleaved.withUnsafeBufferPointer {
                try converter.process(UnsafeBufferPointer(rebasing: $0[0..<frames * info.channels]), emit: emit)
            }
            return true
        }
        ended = true
        let code = sf_error(file)
        if code != 0 || (pipe?.readError ?? 0) != 0 {
            let reason = pipe.map { $0.readError != 0 ? String(cString: strerror($0.readError)) : nil } ?? nil
            throw MybroError(
                "decoding \(SoundFileOpener.shown(path)) failed after "
                    + "\(String(format: "%.2f", secondsDecoded)) s: \(reason ?? String(cString: sf_strerror(file)))",
                status: .dataError)
        }
        try converter.finish(emit: emit)
        return false
    }

    /// True when headerless input ended in the middle of a sample (its odd last byte is
    /// not audio); known once decoding has finished.
    public var endsWithOddByte: Bool {
        guard isHeaderless, ended else { return false }
        if let pipe { return pipe.bytesRead % 2 == 1 }
        return (rawBytes ?? 0) % 2 == 1
    }

    /// The next non-empty block of output samples, or nil at the end of the file.
    public func nextBlock() throws -> [Int16]? {
        var block: [Int16] = []
        while block.isEmpty {
            let more = try decodeNext { block.append(contentsOf: $0) }
            if !more { return block.isEmpty ? nil : block }
        }
        return block
    }

    /// Decodes the whole file (for short files; stream long ones with `nextBlock`).
    public func readAll() throws -> [Int16] {
        var all: [Int16] = []
        while try decodeNext({ all.append(contentsOf: $0) }) {}
        return all
    }

    /// A readable name for libsndfile's format code.
    static func describe(_ format: Int32) -> String {
        var container = SF_FORMAT_INFO()
        container.format = format & Int32(SF_FORMAT_TYPEMASK)
        var encoding = SF_FORMAT_INFO()
        encoding.format = format & Int32(SF_FORMAT_SUBMASK)
        let major =
            sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &container, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0
            ? container.name.map { String(cString: $0) } : nil
        let minor =
            sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &encoding, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0
            ? encoding.name.map { String(cString: $0) } : nil
        switch (major, minor) {
        case (let major?, let minor?): return "\(major) (\(minor))"
        case (let major?, nil): return major
        default: return String(format: "format 0x%06x", format)
        }
    }
}
