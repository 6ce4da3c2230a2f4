import MybroCore
import MybroRules
import Testing

@testable import MybroIntent

@Suite struct DoctorRequestTests {
    let grammar = RulesGrammar()

    @Test(arguments: [
        "check the codebase", "scan for secrets", "is the repo healthy", "Could you check the code base please?",
        "is the repository healthy", "run the doctor", "how healthy is the codebase",
    ])
    func runsTheDoctor(phrase: String) {
        let intent = grammar.interpret(phrase)
        #expect(intent.action == .run, "\(phrase)")
        #expect(intent.command == "mybro-doctor", "\(phrase)")
    }

    @Test(arguments: ["check the code for lint", "add a health check", "run the tests"])
    func leavesOtherRequestsAlone(phrase: String) {
        #expect(grammar.interpret(phrase).command != "mybro-doctor", "\(phrase)")
    }

    /// A client that only records what it would send.
    final class Recorder: MessagesSending, @unchecked Sendable {
        // Safe: the backend calls send on one thread, and the test reads after it returns.
        var bodies: [JSONObject] = []
        func send(_ body: JSONObject) throws(MessagesAPIError) -> MessagesResponse {
            bodies.append(body)
            throw MessagesAPIError(kind: .timeout, message: "recorded only")
        }
    }

    @Test func theClaudeBackendsSystemPromptCarriesTheStackRules() throws {
        let overlay = try RulesLoader.parse("forbidden = [\"Django\"]\n", path: "p.toml")
        let rules = TechnologyRules.prompt(stack: TechnologyRuleSet.builtIn.merged(with: overlay))
        let recorder = Recorder()
        let backend = ClaudeIntentBackend(client: recorder, rules: rules)
        _ = try? backend.interpret("add an endpoint")
        let system = try #require(recorder.bodies.first?["system"]?.stringValue)
        #expect(system.contains("- web backend: FastAPI; never Flask, Express.js"))
        #expect(system.contains("Forbidden everywhere: CUDA, Docker for development"))
        #expect(system.contains("Django"))
        #expect(TechnologyRules.prompt(stack: .builtIn).contains("- HTTP client: httpx; never requests in async code"))
    }
}
