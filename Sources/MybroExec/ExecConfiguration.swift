import Foundation
import MybroCore

/// How a job ended, as `job_done.status` reports it.
public enum JobStatus: String, Sendable {
    case succeeded, failed, stopped, timeout
    /// It could not be started (the program is missing, say).
    case error
}

/// Everything `mybro-exec` needs to run.
public struct ExecConfiguration: Sendable {
    /// The workspace: jobs run here.
    public var directory: String
    public var policy = SafetyPolicy.shipped
    /// The Claude Code executable (a name searched in PATH, or a path).
    public var claudePath = "claude"
    public var permissionMode = "acceptEdits"
    public var allowedTools: [String] = []
    public var claudeModel: String?
    /// The Claude Code session to continue with the first `code` job; later ones continue the last.
    public var resumeSession: String?
    /// Seconds a job may run before it is stopped (0: no limit).
    public var timeout: Double = 1800
    /// Seconds between the steps of a stop: SIGINT, SIGTERM, SIGKILL to the job's process group.
    /// Short on purpose: a spoken "stop" should end even a job that ignores SIGINT within ~100 ms.
    public var stopGrace: Double = 0.04
    /// Seconds Claude Code gets to end its turn after a stream-json interrupt, before the signals
    /// (a clean interrupt keeps its session consistent for the next `--resume`).
    public var interruptGrace: Double = 0.25
    /// Seconds Claude Code gets to exit after its `result` (some versions hang there).
    public var resultGrace: Double = 2
    /// Seconds to wait for a spoken yes before a command that needs one is dropped.
    public var confirmTimeout: Double = 30
    /// The most `job_output` lines a second (after a burst of twice that); 0: no limit.
    public var outputRate: Double = 20
    /// The SQLite history file; nil keeps no history.
    public var historyPath: String?
    /// Seconds the end of a run waits for the history's queue before it spills what is left.
    public var historyDrainTimeout: Double = 15
    public var strict = false
    /// Runs every job confined (Landlock, no_new_privs); `--no-sandbox` turns it off.
    public var sandbox = true
    /// A Claude Code job gets a stand-in key and the API through mybro-exec's loopback proxy,
    /// never the key itself; `--no-credential-proxy` hands it the key.
    public var credentialProxy = true
    /// Paths jobs may write besides the workspace and what the policy's `sandbox write` lines
    /// name (`--allow-write`).
    public var extraWritable: [String] = []

    /// Where undo keeps its snapshots (one private git repository per workspace, see
    /// `WorkspaceSnapshots`); nil: no snapshots, no undo. By default `undo` beside the history
    /// file, or `$XDG_STATE_HOME/mybro/undo` (`~/.local/state/mybro/undo`) without a history.
    /// Jobs should not be able to write here (the sandbox hides it from them).
    public var undoDirectory: String? {
        get {
            switch undoSetting {
            case .automatic: return Self.defaultUndoDirectory(historyPath: historyPath)
            case .disabled: return nil
            case .directory(let path): return path
            }
        }
        set { undoSetting = newValue.map { .directory($0) } ?? .disabled }
    }
    /// What a snapshot may keep.
    public var undoLimits = SnapshotLimits()

    private enum UndoSetting: Sendable {
        case automatic, disabled
        case directory(String)
    }
    private var undoSetting = UndoSetting.automatic

    public static func defaultUndoDirectory(
        historyPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let historyPath {
            let directory = (historyPath as NSString).deletingLastPathComponent
            return (directory.isEmpty ? "." : directory) + "/undo"
        }
        let state: String
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            state = xdg
        } else {
            state = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        }
        return state + "/mybro/undo"
    }

    public init(directory: String) { self.directory = directory }
}
