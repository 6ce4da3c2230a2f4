import Foundation
import MybroCore

/// Named points of the lifecycle where the crash tests stop the process with `kill -9`.
///
/// With `MYBRO_GPU_PAUSE_AT=NAME` the process, on reaching that point, says so on stderr
/// (`paused at NAME`) and waits for ever, so a test can kill it exactly there. Without the
/// variable this is one dictionary look-up per point.
public enum CrashPoint: String, CaseIterable, Sendable {
    /// The ledger holds the intent; the create call is not sent yet.
    case intent
    /// The create call answered; its id is not in the ledger yet.
    case created
    /// The id is in the ledger; the instance is booting.
    case booting
    /// The instance is active; SSH not yet tried.
    case active
    /// SSH answers; nothing uploaded yet.
    case ready
    /// The remote command runs.
    case running
    /// The remote command ended; teardown not yet begun.
    case teardown
    /// The delete was sent; the ledger does not know yet.
    case deleted

    public static let variable = "MYBRO_GPU_PAUSE_AT"

    public func reach() {
        guard ProcessInfo.processInfo.environment[Self.variable] == rawValue else { return }
        SystemIO.writeAll(2, "mybro-gpu: paused at \(rawValue)\n")
        while true { sleep(60) }
    }
}
