import CSndFile
import Foundation
import MybroCore

/// Lets libsndfile read a pipe as if it were a file, for formats whose decoders look back.
///
/// libsndfile reads the start of a stream to recognise its format and then hands the
/// stream to the format's decoder (libFLAC, for one), which starts again from the
/// beginning; a pipe cannot do that, so plain `sf_open_fd` fails on piped FLAC. This keeps
/// the first `headBytes` of the stream, and later a sliding window of recent bytes, so
/// such seeks backwards work, while forward seeks read ahead: memory stays bounded and an
/// hour-long stream is never held whole.
final class PipeVirtualFile {
    let fd: Int32
    /// Bytes kept from the start of the stream for format detection and decoder restarts.
    static let headBytes = 1 << 20
    /// Bytes kept behind the read position once past the head.
    static let windowBytes = 256 << 10

    private var buffer: [UInt8] = []
    /// Stream offset of `buffer[0]`.
    private var bufferStart = 0
    private var position = 0
    private var atEnd = false
    /// The first read error, reported by the decoder as a failure.
    private(set) var readError: Int32 = 0
    /// Bytes read from the descriptor so far.
    var bytesRead: Int { bufferStart + buffer.count }

    init(fd: Int32) { self.fd = fd }

    /// Makes the stream available up to `offset` (or its end); false when it ends first.
    private func fill(to offset: Int) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while bytesRead < offset && !atEnd {
            // SIGINT/SIGTERM end the stream here, so a stop never waits for an idle writer.
            guard Signals.waitUntilReadable(fd) else {
                atEnd = true
                break
            }
            switch chunk.withUnsafeMutableBytes({ SystemIO.read(fd, into: $0) }) {
            case .bytes(let n):
                buffer.append(contentsOf: chunk[0..<n])
                trim()
            case .end, .stopped:
                atEnd = true
            case .failed(let code):
                readError = code
                atEnd = true
            }
        }
        return bytesRead >= offset
    }

    /// Forgets bytes well behind the read position once the head has been passed.
    private func trim() {
        let keepFrom = position - PipeVirtualFile.windowBytes
        guard position > PipeVirtualFile.headBytes, keepFrom - bufferStart > PipeVirtualFile.windowBytes else { return }
        let drop = min(keepFrom - bufferStart, buffer.count)
        buffer.removeSubrange(0..<drop)
        bufferStart += drop
    }

    func read(_ destination: UnsafeMutableRawPointer, _ count: Int) -> Int {
        _ = fill(to: position + count)
        let available = max(0, min(count, bytesRead - position))
        guard available > 0, position >= bufferStart else { return 0 }
        buffer.withUnsafeBytes { source in
            destination.copyMemory(from: source.baseAddress! + (position - bufferStart), byteCount: available)
        }
        position += available
        trim()
        return available
    }

    func seek(_ offset: Int, whence: Int32) -> Int {
        let target: Int
        switch whence {
        case SEEK_SET: target = offset
        case SEEK_CUR: target = position + offset
        case SEEK_END:
            // Only known once the stream has ended; decoders that need it get an error.
            guard atEnd else { return -1 }
            target = bytesRead + offset
        default: return -1
        }
        guard target >= bufferStart else { return -1 }
        if target > bytesRead && !fill(to: target) { return -1 }
        position = target
        trim()
        return position
    }

    var tell: Int { position }

    /// The first bytes of the stream, while they are still held (up to `count`).
    func head(_ count: Int) -> [UInt8] {
        _ = fill(to: count)
        guard bufferStart == 0 else { return [] }
        return Array(buffer.prefix(count))
    }

    /// Starts reading from the beginning again; false once the start has been forgotten.
    func rewind() -> Bool { seek(0, whence: SEEK_SET) == 0 }

    /// True once the whole stream has been read.
    var ended: Bool { atEnd }

    /// The callbacks libsndfile calls, with this object as their user data.
    static let callbacks = SF_VIRTUAL_IO(
        get_filelen: { _ in
            // Unknown for a pipe: libsndfile treats a pipe's length as "as large as it can be".
            sf_count_t.max
        },
        seek: { offset, whence, user in
            sf_count_t(PipeVirtualFile.from(user).seek(Int(offset), whence: whence))
        },
        read: { destination, count, user in
            guard let destination else { return 0 }
            return sf_count_t(PipeVirtualFile.from(user).read(destination, Int(count)))
        },
        write: { _, _, _ in 0 },
        tell: { user in sf_count_t(PipeVirtualFile.from(user).tell) })

    private static func from(_ user: UnsafeMutableRawPointer?) -> PipeVirtualFile {
        Unmanaged<PipeVirtualFile>.fromOpaque(user!).takeUnretainedValue()
    }
}
