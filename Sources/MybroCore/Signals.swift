import Foundation
import Synchronization

/// The toolkit's signal policy.
///
/// SIGPIPE is ignored, so a closed downstream pipe shows up as EPIPE and ends the command
/// quietly. SIGINT and SIGTERM set a flag (without SA_RESTART, so a blocking read returns
/// EINTR) and the command stops at its next check, flushing output and closing devices.
/// SIGUSR1 is counted for commands that treat it as "interrupt what you are doing".
public enum Signals {
    static let stopSignal = Atomic<Int32>(0)
    static let userSignals = Atomic<Int>(0)

    public static func install() {
        signal(SIGPIPE, SIG_IGN)
        var stop = sigaction()
        #if canImport(Glibc)
            stop.__sigaction_handler.sa_handler = { number in Signals.stopSignal.store(number, ordering: .relaxed) }
        #else
            stop.__sigaction_u.__sa_handler = { number in Signals.stopSignal.store(number, ordering: .relaxed) }
        #endif
        stop.sa_flags = 0
        sigemptyset(&stop.sa_mask)
        sigaction(SIGINT, &stop, nil)
        sigaction(SIGTERM, &stop, nil)

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

    /// True once SIGINT or SIGTERM arrived.
    public static var stopRequested: Bool { stopSignal.load(ordering: .relaxed) != 0 }

    /// The signal that asked us to stop, if any.
    public static var stopSignalNumber: Int32? {
        let number = stopSignal.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }

    /// How many SIGUSR1 have arrived so far; a command compares it with an earlier value.
    public static var userInterruptCount: Int { userSignals.load(ordering: .relaxed) }
}
