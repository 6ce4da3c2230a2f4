import Foundation
import MybroCore

/// Runs a command in place of `mybro` (exec), so signals, stdin/stdout and the exit status
/// are the command's own, with no extra process in the pipeline.
enum Launcher {
    static func replaceProcess(with path: String, arguments: [String]) throws -> Never {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        // mybro ignored SIGPIPE for itself; the command must start with default dispositions
        // and install its own policy.
        signal(SIGPIPE, SIG_DFL)
        // The credentials mybro took out of its own environment go to the command it becomes.
        let environment = SecretEnvironment.withCredentials(ProcessInfo.processInfo.environment)
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        execve(path, argv, envp)
        let reason = String(cString: strerror(errno))
        throw MybroError("cannot run \(path): \(reason)", status: errno == EACCES ? .noPermission : .unavailable)
    }
}
