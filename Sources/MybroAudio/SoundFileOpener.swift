import CSndFile
import Foundation
import MybroCore

/// Opens a sound file or standard input with libsndfile and recognises its format; input
/// with no header is taken as mybro's own stream (16 kHz mono s16le), as `mybro-say --output -`
/// writes it. Errors carry the toolkit's statuses: 66 missing, 77 unreadable, 65 not audio.
enum SoundFileOpener {
    struct Opened {
        var handle: OpaquePointer
        var info: SF_INFO
        /// The virtual file behind a piped stdin; it must live as long as `handle`.
        var pipe: PipeVirtualFile?
        var isHeaderless: Bool
        /// The size of headerless input when known up front (a regular file).
        var rawBytes: Int?
    }

    static func open(_ path: String) throws -> Opened {
        let opened: Opened
        if path == "-" {
            var status = stat()
            if fstat(0, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG {
                opened = try openStandardInputFile(size: Int(status.st_size))
            } else {
                opened = try openStandardInputPipe()
            }
        } else {
            opened = try openPath(path)
        }
        guard opened.info.channels > 0, opened.info.samplerate > 0 else {
            sf_close(opened.handle)
            throw MybroError(
                "cannot decode \(shown(path)): it reports \(opened.info.channels) channels at "
                    + "\(opened.info.samplerate) Hz", status: .dataError)
        }
        return opened
    }

    /// stdin redirected from a file: libsndfile can seek it.
    private static func openStandardInputFile(size: Int) throws -> Opened {
        var info = SF_INFO()
        let start = lseek(0, 0, SEEK_CUR)
        // A duplicate, handed over: libsndfile 1.2 closes the descriptor when it fails to
        // recognise the stream, whatever close_desc says.
        var handle = StandardErrorSilencer.silenced { sf_open_fd(dup(0), Int32(SFM_READ), &info, Int32(SF_TRUE)) }
        var head = [UInt8](repeating: 0, count: 4096)
        let count = start < 0 ? 0 : head.withUnsafeMutableBytes { pread(0, $0.baseAddress, 4096, start) }
        head = Array(head.prefix(max(count, 0)))
        if let mistaken = handle, isMisdetected(info, head: head) {
            sf_close(mistaken)
            handle = nil
        }
        if let handle { return Opened(handle: handle, info: info, isHeaderless: false) }
        if count == 0 { throw emptyInput() }
        guard start >= 0, try isHeaderless(head, shown: "standard input") else { throw notRecognised("-", nil) }
        lseek(0, start, SEEK_SET)
        info = canonicalRawInfo
        guard let raw = sf_open_fd(dup(0), Int32(SFM_READ), &info, Int32(SF_TRUE)) else {
            throw notRecognised("-", String(cString: sf_strerror(nil)))
        }
        return Opened(handle: raw, info: info, isHeaderless: true, rawBytes: size - Int(start))
    }

    /// stdin on a pipe: through `PipeVirtualFile`, which lets libsndfile look back.
    private static func openStandardInputPipe() throws -> Opened {
        var info = SF_INFO()
        let pipe = PipeVirtualFile(fd: 0)
        var callbacks = PipeVirtualFile.callbacks  // libsndfile copies the table
        let user = Unmanaged.passUnretained(pipe).toOpaque()
        var handle = StandardErrorSilencer.silenced { sf_open_virtual(&callbacks, Int32(SFM_READ), &info, user) }
        if let mistaken = handle, isMisdetected(info, head: pipe.head(4096)) {
            sf_close(mistaken)
            handle = nil
        }
        if let handle { return Opened(handle: handle, info: info, pipe: pipe, isHeaderless: false) }
        if pipe.readError != 0 {
            throw MybroError(
                "cannot read standard input: \(String(cString: strerror(pipe.readError)))", status: .ioError)
        }
        let head = pipe.head(256)
        if pipe.bytesRead == 0 { throw emptyInput() }
        guard try isHeaderless(head, shown: "standard input"), pipe.rewind() else { throw notRecognised("-", nil) }
        info = canonicalRawInfo
        guard let raw = sf_open_virtual(&callbacks, Int32(SFM_READ), &info, user) else {
            throw notRecognised("-", String(cString: sf_strerror(nil)))
        }
        return Opened(handle: raw, info: info, pipe: pipe, isHeaderless: true)
    }

    private static func openPath(_ path: String) throws -> Opened {
        try checkReadable(path)
        var info = SF_INFO()
        var rawBytes: Int?
        let name = path.lowercased()
        let headerless = [".raw", ".pcm", ".s16"].contains { name.hasSuffix($0) }
        if headerless {
            // Headerless by name: mybro's own stream format.
            info = canonicalRawInfo
            var status = stat()
            if stat(path, &status) == 0 { rawBytes = Int(status.st_size) }
        }
        guard let handle = StandardErrorSilencer.silenced({ sf_open(path, Int32(SFM_READ), &info) }) else {
            throw notRecognised(path, String(cString: sf_strerror(nil)))
        }
        let namedMPEG = [".mp3", ".mp2", ".mp1", ".mpga", ".mpeg"].contains { name.hasSuffix($0) }
        if isMisdetected(info, head: head(of: path), trustingMPEG: namedMPEG) {
            sf_close(handle)
            throw notRecognised(path, nil)
        }
        return Opened(handle: handle, info: info, isHeaderless: headerless, rawBytes: rawBytes)
    }

    // MARK: - Recognition

    /// True when libsndfile recognised a format from too little to go on: MPEG from a frame
    /// sync found anywhere near the start (see `MPEGFrameCheck`; a name ending .mp3 is
    /// believed when `trustingMPEG`), or an MPC 2000 sample from two bytes (see
    /// `MPC2KHeaderCheck`). An empty `head` (unknown) keeps libsndfile's verdict.
    static func isMisdetected(_ info: SF_INFO, head: [UInt8], trustingMPEG: Bool = false) -> Bool {
        guard !head.isEmpty else { return false }
        switch info.format & Int32(SF_FORMAT_TYPEMASK) {
        case Int32(SF_FORMAT_MPEG): return !trustingMPEG && !MPEGFrameCheck.startsLikeMPEG(head)
        case Int32(SF_FORMAT_MPC2K): return !MPC2KHeaderCheck.startsLikeMPC2K(head)
        default: return false
        }
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

    /// Headerless canonical PCM: 16 kHz, mono, signed 16-bit little-endian.
    static var canonicalRawInfo: SF_INFO {
        var info = SF_INFO()
        info.samplerate = Int32(CanonicalAudio.sampleRate)
        info.channels = 1
        info.format = Int32(SF_FORMAT_RAW | SF_FORMAT_PCM_16 | SF_ENDIAN_LITTLE)
        return info
    }

    /// The first bytes of a file (empty when it cannot be read).
    private static func head(of path: String) -> [UInt8] {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
        return Array(bytes.prefix(max(count, 0)))
    }

    // MARK: - Errors

    static func shown(_ path: String) -> String { path == "-" ? "standard input" : "'\(path)'" }

    private static func emptyInput() -> MybroError {
        MybroError(
            "standard input is empty: expected audio (WAV, FLAC, Ogg, MP3, AIFF, … or mybro's PCM stream)",
            status: .dataError)
    }

    private static func notRecognised(_ path: String, _ libraryReason: String?) -> MybroError {
        var reason = libraryReason ?? "not a format libsndfile recognises"
        while reason.hasSuffix(".") { reason.removeLast() }
        // libsndfile says this of a file whose format guess (from its extension) failed.
        if reason.hasPrefix("File does not exist") { reason = "not a format libsndfile recognises" }
        return MybroError(
            "cannot decode \(shown(path)): \(reason); give a file libsndfile reads (WAV, FLAC, Ogg Vorbis/Opus, "
                + "MP3, AIFF, …) or mybro's headerless PCM in a file named .raw", status: .dataError)
    }

    private static func checkReadable(_ path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            throw MybroError(
                "cannot open input '\(path)': \(String(cString: strerror(code)))",
                status: code == EACCES ? .noPermission : .noInput)
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw MybroError("input '\(path)' is a directory, not an audio file", status: .noInput)
        }
        if access(path, R_OK) != 0 {
            let code = errno
            throw MybroError("cannot read input '\(path)': \(String(cString: strerror(code)))", status: .noPermission)
        }
    }
}
