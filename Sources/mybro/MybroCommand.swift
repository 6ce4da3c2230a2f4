import ArgumentParser
import Foundation
import MybroCore

@main
struct MybroCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro",
        abstract: "The voice-driven coding companion's front command: runs mybro-NAME like git runs git-NAME.",
        discussion: """
            "mybro NAME ARGS..." runs the command mybro-NAME with ARGS, looking for it beside mybro \
            first and then on PATH; its exit status is mybro's. "mybro --list" lists the installed \
            commands with their summaries, and "mybro help NAME" shows the manual page of mybro-NAME.

            The commands read and write audio frames or JSON Lines on standard input and output, so \
            they combine in pipelines; see mybro(7) and mybro-protocol(7).

            EXAMPLES
              mybro --list
              mybro say "hello"
              mybro help say

            """ + ManualText.common,
        version: MybroVersion.string)

    @Flag(help: "List the installed mybro commands with their summaries.")
    var list = false

    @Argument(parsing: .remaining, help: "The command to run (NAME or 'help NAME'), then its arguments.")
    var command: [String] = []

    @OptionGroup var log: LogOptions

    /// `mybro NAME ARGS…` hands every argument after NAME to the command untouched, so it
    /// is dispatched before option parsing; only mybro's own options go through the parser.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-"),
            let command = try? MybroCommand.parse(["--"] + arguments)
        {
            command.run()
        }
        mybroMain()
    }

    func run() {
        ToolRunner.run(tool: "mybro", log: log) {
            let locator = CommandLocator()
            if list {
                try CommandCatalog(locator: locator).list()
                return
            }
            guard let name = command.first else {
                throw MybroError(
                    "no command given; see `mybro --list` for the commands and `mybro --help`", status: .usage)
            }
            if name == "help" {
                guard command.count == 2 else {
                    throw MybroError("usage: mybro help NAME (see `mybro --list` for names)", status: .usage)
                }
                try ManualPage.show(command[1], locator: locator)
            }
            guard let path = locator.locate(name) else {
                throw MybroError("'\(name)' is not a mybro command; see `mybro --list`", status: .usage)
            }
            try Launcher.replaceProcess(with: path, arguments: Array(command.dropFirst()))
        }
    }
}
