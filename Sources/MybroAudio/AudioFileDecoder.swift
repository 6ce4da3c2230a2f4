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
    private var pipe: PipeVirtualFile?
    private let converter: CanonicalConverter
    private var interleaved: [Float]
    private var framesDecoded = 0
    private var ended = false
    /// True when the input had no header and is read as mybro's canonical PCM.
    public private(set) var isHeaderless = false
    private let rawBytes: Int?

    /// Opens and recognises the file. Throws status 66 when it is missing, 65 when it is
    /// not audio libsndfile can decode, 77 when it cannot be read.
    public init(path: String, outputRate: Int = CanonicalAudio.sampleRate, blockFrames: Int = 8192) throws {
        self.path = path
        self.outputRate = outputRate
        self.blockFrames = blockFrames
        let shown = path == "-" ? "standard input" : "'\(path)'"
        var sfInfo = SF_INFO()
        var rawBytes: Int?  // the size of headerless input, where it is known up front
        var misdetected = false
        if path == "-" {
            var status = stat()
            if fstat(0, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG {
                let start = lseek(0, 0, SEEK_CUR)
                // A duplicate, handed over: libsndfile 1.2 closes the descriptor when it fails
                // to recognise the stream, whatever close_desc says.
                file = StandardErrorSilencer.silenced { sf_open_fd(dup(0), Int32(SFM_READ), &sfInfo, Int32(SF_TRUE)) }
                var head = [UInt8](repeating: 0, count: 4096)
                let count = start < 0 ? 0 : head.withUnsafeMutableBytes { pread(0, $0.baseAddress, 4096, start) }
                head = Array(head.prefix(max(count, 0)))
                if let opened = file, AudioFileDecoder.isMisdetectedMPEG(sfInfo, head: head) {
                    sf_close(opened)
                    file = nil
                }
                if file == nil && start >= 0 {
                    if count == 0 { throw AudioFileDecoder.emptyInput() }
                    if try AudioFileDecoder.isHeaderless(head, shown: shown) {
                        lseek(0, start, SEEK_SET)
                        sfInfo = AudioFileDecoder.canonicalRawInfo
                        file = sf_open_fd(dup(0), Int32(SFM_READ), &sfInfo, Int32(SF_TRUE))
                        rawBytes = Int(status.st_size) - Int(start)
                        isHeaderless = true
                    }
                }
            } else {
                let pipe = PipeVirtualFile(fd: 0)
                self.pipe = pipe
                var callbacks = PipeVirtualFile.callbacks  // libsndfile copies the table
                let user = Unmanaged.passUnretained(pipe).toOpaque()
                file = StandardErrorSilencer.silenced { sf_open_virtual(&callbacks, Int32(SFM_READ), &sfInfo, user) }
                if let opened = file, AudioFileDecoder.isMisdetectedMPEG(sfInfo, head: pipe.head(4096)) {
                    sf_close(opened)
                    file = nil
                }
                if file == nil && pipe.readError == 0 {
                    let head = pipe.head(256)
                    if pipe.bytesRead == 0 { throw AudioFileDecoder.emptyInput() }
                    if try AudioFileDecoder.isHeaderless(head, shown: shown) && pipe.rewind() {
                        sfInfo = AudioFileDecoder.canonicalRawInfo
                        file = sf_open_virtual(&callbacks, Int32(SFM_READ), &sfInfo, user)
                        isHeaderless = true
                    }
                }
            }
        } else {
            try AudioFileDecoder.checkReadable(path)
            let name = path.lowercased()
            if name.hasSuffix(".raw") || name.hasSuffix(".pcm") || name.hasSuffix(".s16") {
                // Headerless by name: mybro's own stream format.
                sfInfo = AudioFileDecoder.canonicalRawInfo
                var status = stat()
                if stat(path, &status) == 0 { rawBytes = Int(status.st_size) }
                isHeaderless = true
            }
            file = StandardErrorSilencer.silenced { sf_open(path, Int32(SFM_READ), &sfInfo) }
            let mpegName = [".mp3", ".mp2", ".mp1", ".mpga", ".mpeg"].contains { name.hasSuffix($0) }
            if let opened = file, !mpegName,
                AudioFileDecoder.isMisdetectedMPEG(sfInfo, head: AudioFileDecoder.head(of: path))
            {
                sf_close(opened)
                file = nil
                misdetected = true
            }
        }
        self.rawBytes = rawBytes
        guard let file else {
            var reason = misdetected ? "not a format libsndfile recognises" : String(cString: sf_strerror(nil))
            while reason.hasSuffix(".") { reason.removeLast() }
            // libsndfile says this of a file whose format guess (from its extension) failed.
            if reason.hasPrefix("File does not exist") { reason = "not a format libsndfile recognises" }
            throw MybroError(
                "cannot decode \(shown): \(reason); give a file libsndfile reads (WAV, FLAC, Ogg Vorbis/Opus, MP3, AIFF, …)",
                status: .dataError)
        }
        guard sfInfo.channels > 0, sfInfo.samplerate > 0 else {
            sf_close(file)
            throw MybroError(
                "cannot decode \(shown): it reports \(sfInfo.channels) channels at \(sfInfo.samplerate) Hz",
                status: .dataError)
        }
        // Float samples scaled to ±1, so every source format converts the same way.
        sf_command(file, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
        let knownLength = sfInfo.frames > 0 && sfInfo.frames < sf_count_t(Int32.max) * 64
        info = Info(
            sampleRate: Int(sfInfo.samplerate), channels: Int(sfInfo.channels),
            frames: knownLength ? Int(sfInfo.frames) : nil,
            framesAreExact: sfInfo.format & Int32(SF_FORMAT_TYPEMASK) != Int32(SF_FORMAT_MPEG),
            format: AudioFileDecoder.describe(sfInfo.format))
        converter = try CanonicalConverter(inputRate: info.sampleRate, channels: info.channels, outputRate: outputRate)
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
                "decoding \(path == "-" ? "standard input" : "'\(path)'") failed after "
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

    /// True when libsndfile took for MPEG something that does not start like MPEG audio
    /// (see `MPEGFrameCheck`). An empty `head` (unknown) keeps libsndfile's verdict.
    static func isMisdetectedMPEG(_ info: SF_INFO, head: [UInt8]) -> Bool {
        guard info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_MPEG), !head.isEmpty else { return false }
        return !MPEGFrameCheck.startsLikeMPEG(head)
    }

    /// The first bytes of a file (empty when it cannot be read).
    static func head(of path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { Foundation.close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
        return Array(bytes.prefix(max(count, 0)))
    }

    /// Headerless canonical PCM: 16 kHz, mono, signed 16-bit little-endian.
    static var canonicalRawInfo: SF_INFO {
        var info = SF_INFO()
        info.samplerate = Int32(CanonicalAudio.sampleRate)
        info.channels = 1
        info.format = Int32(SF_FORMAT_RAW | SF_FORMAT_PCM_16 | SF_ENDIAN_LITTLE)
        return info
    }

    static func emptyInput() -> MybroError {
        MybroError(
            "standard input is empty: expected audio (WAV, FLAC, Ogg, MP3, AIFF, … or mybro's PCM stream)",
            status: .dataError)
    }

    /// Whether unrecognised input is mybro's headerless stream; throws when it is clearly not audio.
    static func isHeaderless(_ head: [UInt8], shown: String) throws -> Bool {
        switch HeaderlessInput.classify(head) {
        case .rawPCM:
            return true
        case .text:
            throw MybroError("\(shown) is text, not audio; give a sound file or mybro's PCM stream", status: .dataError)
        case .damagedContainer(let name):
            throw MybroError(
                "cannot decode \(shown): it starts like \(name) but libsndfile cannot read it (damaged or "
                    + "truncated?)", status: .dataError)
        }
    }

    private static func checkReadable(_ path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            throw MybroError(
                "cannot open input '\(path)': \(reason)", status: errno == EACCES ? .noPermission : .noInput)
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw MybroError("input '\(path)' is a directory, not an audio file", status: .noInput)
        }
        if access(path, R_OK) != 0 {
            throw MybroError("cannot read input '\(path)': \(String(cString: strerror(errno)))", status: .noPermission)
        }
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
