import Foundation
import MybroCore
import MybroStore

// Status and history questions, answered aloud from this run's jobs and the job history.
extension ExecSupervisor {
    /// The jobs finished in this run (newest last), known before the history writer has put
    /// them down.
    static let sessionMemory = 50

    /// Whether a job runs now (of `task`, when given).
    func isRunning(_ task: Intent.Task?) -> Bool {
        guard let job = runningJob else { return false }
        guard let task else { return true }
        if case .shell(_, let running) = job.kind { return running == task }
        return false
    }

    /// "The last run of the build passed and took 42 seconds, 5 minutes ago."
    func historySentence(task: Intent.Task?) -> String {
        var stored: [JobEntry] = []
        if let path = configuration.historyPath, FileManager.default.fileExists(atPath: path) {
            // WAL: a reader never waits for the writer; a short timeout covers a migration.
            stored = (try? JobHistory(path: path, busyTimeout: 0.1).recent(limit: 50)) ?? []
        }
        let entries = HistoryAnswers.merged(session: finishedJobs, stored: stored)
        return HistoryAnswers.sentence(task: task, entries: entries, directory: configuration.directory)
    }

    /// Called on the job's thread when it ends.
    func rememberFinished(_ job: Job, _ outcome: Job.Outcome) {
        let command: String
        switch job.kind {
        case .shell(let shell, _): command = shell
        case .claude(let prompt): command = prompt
        }
        let ended = Date()
        let entry = JobEntry(
            id: job.id, action: job.intent.action.rawValue, transcript: job.intent.transcript, command: command,
            directory: configuration.directory, startedAt: ended.addingTimeInterval(-outcome.duration), endedAt: ended,
            status: outcome.status.rawValue, exitCode: outcome.exit.map(Int.init))
        appendFinished(entry, keeping: Self.sessionMemory)
    }
}
