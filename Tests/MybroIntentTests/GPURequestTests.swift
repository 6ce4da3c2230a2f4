import Foundation
import MybroCore
import Testing

@testable import MybroIntent

@Suite struct GPURequestTests {
    let withMake = RulesGrammar(
        workspace: WorkspaceNames(paths: ["Makefile", "train.py"], makeTargets: ["train", "bench"]))
    let withScripts = RulesGrammar(workspace: WorkspaceNames(paths: ["train.py", "scripts/", "bench.sh"]))

    @Test(arguments: [
        (
            "Run the training on an H100",
            "mybro-gpu run --gpu H100 --name train --budget 10 --ttl 2h --upload . -- make train"
        ),
        (
            "train the model on an A100",
            "mybro-gpu run --gpu A100 --name train --budget 10 --ttl 2h --upload . -- make train"
        ),
        (
            "run the benchmark on two H100s",
            "mybro-gpu run --gpu H100 --count 2 --name bench --budget 10 --ttl 2h --upload . -- make bench"
        ),
        (
            "please run the training on an A100 80 gig",
            "mybro-gpu run --gpu A100_80G --name train --budget 10 --ttl 2h --upload . -- make train"
        ),
        (
            "run the training on an RTX 4090",
            "mybro-gpu run --gpu RTX4090 --name train --budget 10 --ttl 2h --upload . -- make train"
        ),
    ])
    func makeTargets(phrase: String, command: String) {
        let intent = withMake.interpret(phrase)
        #expect(intent.action == .run, "\(phrase)")
        #expect(intent.command == command, "\(phrase)")
        #expect(intent.confidence == 0.85)
    }

    @Test func scriptsWhenThereIsNoTarget() {
        #expect(
            withScripts.interpret("run train.py on a cloud GPU").command
                == "mybro-gpu run --name train --budget 10 --ttl 2h --upload . -- python3 train.py")
        #expect(
            withScripts.interpret("run the benchmark on two H100s").command
                == "mybro-gpu run --gpu H100 --count 2 --name bench --budget 10 --ttl 2h --upload . -- bash bench.sh")
    }

    @Test func nothingToRunIsSaidNotGuessed() {
        let intent = RulesGrammar().interpret("run the training on an H100")
        #expect(intent.action == .answer)
        #expect(intent.command == nil)
        #expect(intent.text?.contains("no make target or script") == true)
    }

    @Test(arguments: [
        "run the tests", "build the app", "run the training", "start the server on port 8080", "check the codebase",
        "run make train", "ask Claude to run the training on an H100 please", "yes", "stop",
    ])
    func leavesOtherRequestsAlone(phrase: String) {
        #expect(withMake.interpret(phrase).command?.hasPrefix("mybro-gpu") != true, "\(phrase)")
    }

    @Test func makeTargetsAreReadFromTheMakefile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gpu-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ".PHONY: train\nCC := cc\ntrain bench: data\n\tpython3 train.py\n%.o: %.c\n"
            .write(toFile: directory + "/Makefile", atomically: true, encoding: .utf8)
        #expect(WorkspaceNames.makeTargets(directory: directory) == ["train", "bench"])
    }
}
