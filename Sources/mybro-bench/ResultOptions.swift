import ArgumentParser
import Foundation
import MybroBench
import MybroCore

/// What happens to a finished run: printed, saved as a baseline and this machine's profile.
struct ResultOptions: ParsableArguments {
    @Option(help: "Also write the run (JSON Lines) to FILE, and keep it as this machine's profile for route.")
    var save: String?

    func validate() throws {
        if let save, save.isEmpty { throw ValidationError("--save needs a file name") }
    }

    /// Prints the run (JSON Lines or a table) and saves it where asked.
    func finish(_ run: BenchRun, json: Bool) throws {
        if json {
            for record in run.records { try OutputSink.standardOutput.write(record: record) }
        } else {
            try OutputSink.standardOutput.write(line: BenchTable.text(run))
        }
        if let save { try BenchFiles.save(run, to: save) }
    }
}
