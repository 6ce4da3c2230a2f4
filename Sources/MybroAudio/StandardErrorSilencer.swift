import Foundation

/// Hides what C libraries print on stderr during a call.
///
/// libsndfile's MP3 decoder (libmpg123) prints its own warnings ("[src/libmpg123/parse.c:…]")
/// when it probes a file that is not MP3; mybro reports a bad file in one line of its own,
/// so stderr is pointed at /dev/null while a file is opened. Only opening is covered: it is
/// short, and other threads rarely log during it.
enum StandardErrorSilencer {
    private static let lock = NSLock()

    static func silenced<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        let saved = dup(2)
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        guard saved >= 0, null >= 0 else {
            if saved >= 0 { close(saved) }
            if null >= 0 { close(null) }
            return try body()
        }
        dup2(null, 2)
        close(null)
        defer {
            dup2(saved, 2)
            close(saved)
        }
        return try body()
    }
}
