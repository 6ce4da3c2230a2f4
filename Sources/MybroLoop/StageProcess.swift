import Foundation
import MybroCore

/// A pipeline stage, in mybro's own process group so a Ctrl-C on the terminal reaches every
/// stage at once. It ends with mybro (`MYBRO_EXIT_WITH_PARENT`), and only the stages that
/// need credentials get them in their environment.
final class StageProcess {
    let stage: PipelineStage
    private let process: ChildProcess

    /// Starts `path` with `stdin`/`stdout` as its standard input and output (stderr is shared).
    init(stage: PipelineStage, path: String, stdin: Int32, stdout: Int32) throws {
        self.stage = stage
        var options = ChildProcess.Options()
        options.stdin = .descriptor(stdin)
        options.stdout = .descriptor(stdout)
        options.stderr = .inherit
        options.newProcessGroup = false
        var environment = ProcessInfo.processInfo.environment
        if stage.needsCredentials { environment = SecretEnvironment.withCredentials(environment) }
        environment[ParentLifeline.variable] = String(getpid())
        options.environment = environment
        process = try ChildProcess(arguments: [path] + stage.arguments, options: options)
    }

    var pid: pid_t { process.pid }

    var exitStatus: Int32? { process.exitStatus }

    /// True once the process has ended.
    @discardableResult
    func poll() -> Bool { process.hasExited }

    func signal(_ number: Int32) { process.signal(number) }
}
