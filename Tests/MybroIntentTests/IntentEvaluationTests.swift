import Foundation
import MybroCore
import Testing

@testable import MybroIntent

/// One labelled request of the evaluation sets (Tests/Fixtures/intent/*.jsonl).
struct LabelledRequest {
    var text: String
    var category: String
    var split: String
    var action: String
    var commands: [String]
    var task: String?
    var mode: String?
    var job: Int?

    /// Whether `intent` is what was expected: the action, and the command, task, mode or job
    /// where the label names one.
    func accepts(_ intent: Intent) -> Bool {
        guard intent.action.rawValue == action else { return false }
        if !commands.isEmpty, !commands.contains(intent.command ?? "") { return false }
        if action == "run", commands.isEmpty, intent.command != nil { return false }
        if task != intent.task?.rawValue && (task != nil || action == "run") { return false }
        if let mode, mode != intent.mode?.rawValue { return false }
        if let job, job != intent.job { return false }
        return true
    }

    static func load(_ name: String) throws -> [LabelledRequest] {
        let text = try String(contentsOfFile: EvaluationFixtures.directory + "/" + name, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try #require(try JSONParser.parse(String(line)).objectValue)
            let commands: [String]
            switch object["command"] {
            case .string(let command): commands = [command]
            case .array(let list): commands = list.compactMap(\.stringValue)
            default: commands = []
            }
            return LabelledRequest(
                text: try #require(object["text"]?.stringValue), category: object["category"]?.stringValue ?? "",
                split: object["split"]?.stringValue ?? "tune", action: try #require(object["action"]?.stringValue),
                commands: commands, task: object["task"]?.stringValue, mode: object["mode"]?.stringValue,
                job: object["job"]?.intValue)
        }
    }
}

enum EvaluationFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/intent").path

    /// The evaluation's workspace: the paths of workspace.txt.
    static func workspace() throws -> WorkspaceNames {
        let text = try String(contentsOfFile: directory + "/workspace.txt", encoding: .utf8)
        return WorkspaceNames(paths: text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") })
    }
}

@Suite struct IntentEvaluationTests {
    /// Accuracy on a set, with the misses listed (so a failing run says what to look at).
    func evaluate(_ requests: [LabelledRequest]) throws -> (accuracy: Double, misses: [String]) {
        let grammar = RulesGrammar(workspace: try EvaluationFixtures.workspace())
        var misses: [String] = []
        for request in requests {
            let intent = grammar.interpret(request.text)
            if !request.accepts(intent) {
                let got = [intent.action.rawValue, intent.command, intent.task?.rawValue, intent.mode?.rawValue]
                    .compactMap { $0 }.joined(separator: " ")
                misses.append("[\(request.category)] \"\(request.text)\" → \(got)")
            }
        }
        return (Double(requests.count - misses.count) / Double(max(requests.count, 1)), misses)
    }

    @Test func handWrittenTuningSetIsAtLeast95PercentRight() throws {
        let requests = try LabelledRequest.load("tuning.jsonl")
        #expect(requests.count >= 300)
        let (accuracy, misses) = try evaluate(requests)
        #expect(accuracy >= 0.95, "accuracy \(accuracy): \(misses.joined(separator: "\n"))")
    }

    /// Requests written apart from the grammar (other verbs, indirect requests, terse and long
    /// forms), then tuned on: a guard against losing what they taught.
    @Test func paraphraseSetIsAtLeast95PercentRight() throws {
        let requests = try LabelledRequest.load("paraphrases.jsonl")
        #expect(requests.count >= 300)
        let (accuracy, misses) = try evaluate(requests)
        #expect(accuracy >= 0.95, "accuracy \(accuracy): \(misses.joined(separator: "\n"))")
    }

    /// The generated set's tuning templates only: its held-out templates are for
    /// Benchmarks/intent/evaluate.py, never for tuning.
    @Test func generatedTuningTemplatesAreAtLeast95PercentRight() throws {
        let requests = try LabelledRequest.load("generated.jsonl").filter { $0.split == "tune" }
        let (accuracy, misses) = try evaluate(requests)
        #expect(accuracy >= 0.95, "accuracy \(accuracy): \(misses.joined(separator: "\n"))")
    }

    /// The mean over the set after one warm-up pass (a debug build on a shared machine; the
    /// release figures are in Benchmarks/intent/evaluate.py).
    @Test func requestsTakeUnder20MillisecondsEach() throws {
        let grammar = RulesGrammar(workspace: try EvaluationFixtures.workspace())
        let requests = try LabelledRequest.load("tuning.jsonl")
        for request in requests { _ = grammar.interpret(request.text) }
        // the best of three passes: the rest of the suite shares the machine
        var mean = Double.infinity
        for _ in 0..<3 {
            let start = ContinuousClock.now
            for request in requests { _ = grammar.interpret(request.text) }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            mean = min(mean, seconds / Double(requests.count))
        }
        #expect(mean < 0.02, "a request took \(mean * 1000) ms on average")
    }
}
