import Foundation
import MybroCore

// "Run the training on an H100", "train the model on an A100", "run the benchmark on two H100s":
// work for a rented cloud GPU, run through `mybro-gpu run` (which mybro-exec asks about first,
// naming the price).
extension RulesGrammar {
    /// Every spoken request for a cloud GPU has a bound: at most this many dollars, this long.
    static let gpuBudget = "10"
    static let gpuTTL = "2h"

    /// Spoken GPU names and the type Shadeform calls them.
    static let gpuTypes: [String: String] = [
        "h100": "H100", "h200": "H200", "b200": "B200", "a100": "A100", "a10": "A10", "a10g": "A10G",
        "a6000": "A6000", "a5000": "A5000", "a4000": "A4000", "l40s": "L40S", "l40": "L40", "l4": "L4",
        "v100": "V100", "t4": "T4", "rtx4090": "RTX4090", "4090": "RTX4090", "rtx3090": "RTX3090", "3090": "RTX3090",
        "rtx6000": "RTX6000", "gh200": "GH200", "mi300x": "MI300X",
    ]
    static let gpuCounts: [String: Int] = [
        "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "to": 2, "too": 2, "three": 3, "four": 4, "five": 5,
        "six": 6, "seven": 7, "eight": 8, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8,
    ]
    static let gpuLeadVerbs: Set<String> = [
        "run", "rerun", "start", "launch", "kick", "do", "execute", "train", "retrain", "benchmark", "bench", "fire",
    ]
    /// Words around the job's name that do not change it.
    static let gpuJobFillers: Set<String> = [
        "the", "a", "my", "our", "this", "that", "off", "job", "jobs", "script", "run", "model", "models", "whole",
        "again", "new", "it", "me", "for", "please", "of", "network", "net", "suite",
    ]
    /// What a spoken job means: the make targets and script names that may do it.
    static let gpuJobs: [(words: Set<String>, names: [String])] = [
        (
            ["train", "training", "trainer", "retrain", "fine", "tune", "finetune", "finetuning"],
            ["train", "training"]
        ),
        (["benchmark", "benchmarks", "bench", "benchmarking"], ["bench", "benchmark", "benchmarks"]),
        (["eval", "evals", "evaluation", "evaluate"], ["eval", "evaluate", "evaluation"]),
        (["test", "tests", "testing"], ["test", "tests"]),
        (["inference", "infer", "predict", "predictions"], ["infer", "inference", "predict"]),
    ]

    struct GPURequest: Equatable {
        /// Shadeform's type; nil: any GPU ("a cloud GPU").
        var type: String?
        var count: Int?
        /// The command to run there, or nil when nothing in the workspace does what was asked.
        var command: String?
        /// What was asked for, as heard ("the training").
        var job: String
    }

    /// A request to run something on a cloud GPU, or nil when the sentence is not one.
    func gpuRequest(_ words: SpokenWords) -> GPURequest? {
        let keys = Self.joiningSplitGPUNames(words.keys)
        guard let first = keys.first, Self.gpuLeadVerbs.contains(first),
            let on = keys.lastIndex(where: { $0 == "on" || $0 == "onto" }), on >= 1,
            let (type, count) = Self.gpuSpec(Array(keys[(on + 1)...]))
        else { return nil }
        var what = Array(keys[1..<on])
        if ["train", "retrain", "benchmark", "bench"].contains(first) { what.insert(first, at: 0) }
        let meaningful = what.filter { !Self.gpuJobFillers.contains($0) }
        guard !meaningful.isEmpty, meaningful.count <= 4 else { return nil }
        let spoken = what.joined(separator: " ")
        return GPURequest(type: type, count: count, command: commandForGPUJob(meaningful), job: spoken)
    }

    /// "h 100" and "rtx 4090" heard as two words are one name.
    static func joiningSplitGPUNames(_ keys: [String]) -> [String] {
        var joined: [String] = []
        for key in keys {
            if let last = joined.last, (last.count == 1 && last.first!.isLetter) || last == "rtx" || last == "a",
                key.allSatisfy(\.isNumber), gpuTypes[last + key] != nil
            {
                joined[joined.count - 1] = last + key
            } else {
                joined.append(key)
            }
        }
        return joined
    }

    /// "an H100", "two H100s", "a cloud GPU", "4 A100 GPUs in the cloud": the type and count.
    static func gpuSpec(_ keysIn: [String]) -> (String?, Int?)? {
        let ignored: Set<String> = [
            "the", "cloud", "gpu", "gpus", "instance", "instances", "machine", "box", "gig", "gigs", "gb", "gigabyte",
            "gigabytes",
        ]
        var keys = keysIn.filter { !ignored.contains($0) }
        // "in the cloud", "please", "for me" at the end.
        while let last = keys.last, ["in", "please", "me", "for", "remotely", "rented", "rent"].contains(last) {
            keys.removeLast()
        }
        var count: Int?
        if let first = keys.first, let number = gpuCounts[first] {
            count = number
            keys.removeFirst()
        }
        let spokeOfGPU = keysIn.contains { ["gpu", "gpus", "cloud"].contains($0) }
        if keys.isEmpty { return spokeOfGPU ? (nil, count == 1 ? nil : count) : nil }
        guard keys.count <= 2 else { return nil }
        var name = keys[0]
        var type = gpuTypes[name]
        if type == nil, name.hasSuffix("s") {
            name.removeLast()
            type = gpuTypes[name]
        }
        guard var found = type else { return nil }
        if keys.count == 2 {
            // "A100 80 gig": the 80 GB board.
            guard found == "A100", ["80", "80gb", "80g", "eighty"].contains(keys[1]) else { return nil }
            found = "A100_80G"
        }
        return (found, count == 1 ? nil : count)
    }

    /// The workspace's way to do a job: a make target of that name, else a script (Python or
    /// shell) named after it or named as spoken ("train dot py").
    func commandForGPUJob(_ words: [String]) -> String? {
        var names: [String] = []
        for (spoken, candidates) in Self.gpuJobs where words.contains(where: spoken.contains) {
            names += candidates
        }
        if let target = names.first(where: { workspace.makeTargets.contains($0) }) { return "make " + target }
        let scripts = [words.joined(separator: " "), words.filter { $0 != "dot" }.joined(separator: " ")] + names
        for spoken in scripts {
            guard let file = workspace.file(spoken), !file.contains("/") || file.split(separator: "/").count <= 2
            else { continue }
            if file.hasSuffix(".py") { return "python3 " + file }
            if file.hasSuffix(".sh") { return "bash " + file }
        }
        return nil
    }

    /// The `mybro-gpu run` line for a request: bounded in money and time, the workspace
    /// uploaded (mybro-gpu leaves version control, build output and secret files behind).
    static func gpuCommand(type: String?, count: Int?, name: String, command: String) -> String {
        var line = "mybro-gpu run"
        if let type { line += " --gpu " + type }
        if let count { line += " --count \(count)" }
        line += " --name " + name + " --budget " + gpuBudget + " --ttl " + gpuTTL + " --upload . -- " + command
        return line
    }

    /// The intent for a GPU request: a `run` of mybro-gpu, or a spoken answer when the workspace
    /// has nothing that does what was asked.
    func gpuIntent(_ request: GPURequest) -> (
        action: Intent.Action, confidence: Double, command: String?, text: String?
    ) {
        let board = (request.count.map { "\($0) " } ?? "an ") + (request.type ?? "cloud GPU")
        guard let command = request.command else {
            return (.answer, 0.6, nil, "I found no make target or script here for \(request.job) on \(board).")
        }
        let name = command.split(separator: " ").last.map {
            String($0.split(separator: ".").first ?? $0).filter { $0.isLetter || $0.isNumber }
        }
        return (
            .run, 0.85,
            Self.gpuCommand(type: request.type, count: request.count, name: name ?? "job", command: command), nil
        )
    }
}
