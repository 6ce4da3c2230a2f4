import Foundation
import Synchronization

/// The toolkit's signal policy.
///
/// SIGPIPE is ignored, so a closed downstream pipe shows up as EPIPE and ends the command
/// quietly. SIGINT, SIGTERM and SIGHUP (the terminal closing) set a flag (without SA_RESTART,
/// so a blocking read returns EINTR) and the command stops at its next check, flushing output
/// and closing devices.
/// SIGUSR1 is counted for commands that treat it as "interrupt what you are doing".
public enum Signals {
    static let stopSignal = Atomic<Int32>(0)
    static let userSignals = Atomic<Int>(0)
    /// A self-pipe: the stop handler writes a byte that is never read, so every thread
    /// polling the read end wakes up, whichever thread the signal was delivered to.
    static let wakeReadEnd = Atomic<Int32>(-1)
    static let wakeWriteEnd = Atomic<Int32>(-1)

    public static func install() {
        // A command started from a thread that blocked these signals inherits the block;
        // unblock them, or SIGTERM could never stop it.
        var handled = sigset_t()
        sigemptyset(&handled)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGPIPE] { sigaddset(&handled, number) }
        pthread_sigmask(SIG_UNBLOCK, &handled, nil)
        signal(SIGPIPE, SIG_IGN)
        if wakeReadEnd.load(ordering: .relaxed) < 0 {
            var ends: [Int32] = [-1, -1]
            if pipe(&ends) == 0 {
                for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
                _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
                wakeReadEnd.store(ends[0], ordering: .relaxed)
                wakeWriteEnd.store(ends[1], ordering: .relaxed)
            }
        }
        var stop = sigaction()
        let handler: @convention(c) (Int32) -> Void = { number in
            Signals.stopSignal.store(number, ordering: .relaxed)
            var byte: UInt8 = 1
            _ = write(Signals.wakeWriteEnd.load(ordering: .relaxed), &byte, 1)
        }
        #if canImport(Glibc)
            stop.__sigaction_handler.sa_handler = handler
        #else
            stop.__sigaction_u.__sa_handler = handler
        #endif
        stop.sa_flags = 0
        sigemptyset(&stop.sa_mask)
        sigaction(SIGINT, &stop, nil)
        sigaction(SIGTERM, &stop, nil)
        sigaction(SIGHUP, &stop, nil)

        var user = sigaction()
        #if canImport(Glibc)
            user.__sigaction_handler.sa_handler = { _ in Signals.userSignals.add(1, ordering: .relaxed) }
        #else
            user.__sigaction_u.__sa_handler = { _ in Signals.userSignals.add(1, ordering: .relaxed) }
        #endif
        user.sa_flags = SA_RESTART
        sigemptyset(&user.sa_mask)
        sigaction(SIGUSR1, &user, nil)
    }

    /// Waits until `fd` has input (or end of file) to read: true; false once a stop was
    /// requested, so a blocking read never outlives SIGINT or SIGTERM.
    public static func waitUntilReadable(_ fd: Int32) -> Bool {
        waitUntilReadable(fd, deadline: nil) != .stopped
    }

    /// What a wait for input with a deadline ended on.
    public enum ReadinessWait: Sendable, Equatable {
        case readable
        case stopped
        case timedOut
    }

    /// Waits until `fd` has input (or end of file), a stop is requested, or the monotonic clock
    /// (`monotonicSeconds()`) passes `deadline` (nil: no deadline).
    public static func waitUntilReadable(_ fd: Int32, deadline: Double?) -> ReadinessWait {
        let wake = wakeReadEnd.load(ordering: .relaxed)
        var fds = [
            pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            if stopRequested { return .stopped }
            var timeout: Int32 = -1
            if let deadline {
                let left = deadline - monotonicSeconds()
                if left <= 0 { return .timedOut }
                timeout = Int32(min(left * 1000, 3_600_000).rounded(.up))
            }
            let ready = poll(&fds, wake >= 0 ? 2 : 1, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return .readable  // let the read itself report the error
            }
            if stopRequested { return .stopped }
            if fds[0].revents != 0 { return .readable }
        }
    }

    /// Seconds on the monotonic clock (CLOCK_MONOTONIC): for deadlines that wall-clock changes must not move.
    public static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// True once SIGINT, SIGTERM or SIGHUP arrived.
    public static var stopRequested: Bool { stopSignal.load(ordering: .relaxed) != 0 }

    /// The signal that asked us to stop, if any.
    public static var stopSignalNumber: Int32? {
        let number = stopSignal.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }

    /// How many SIGUSR1 have arrived so far; a command compares it with an earlier value.
    public static var userInterruptCount: Int { userSignals.load(ordering: .relaxed) }
}
