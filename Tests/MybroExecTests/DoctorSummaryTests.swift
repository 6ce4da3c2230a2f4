import Testing

@testable import MybroExec

@Suite struct DoctorSummaryTests {
    func sentence(_ lines: [String], exit: Int32 = 0) -> String {
        var summary = CommandSummary()
        for line in lines { summary.observe(line) }
        return summary.sentence(
            task: nil, command: "mybro-doctor", status: exit == 0 ? .succeeded : .failed, exit: exit, duration: 1)
    }

    static func finding(_ category: String, _ severity: String, _ message: String, _ file: String?, _ line: Int?)
        -> String
    {
        var text = #"{"type":"finding","check":"x","category":"\#(category)","severity":"\#(severity)""#
        if let file { text += #","file":"\#(file)""# }
        if let line { text += #","line":\#(line)"# }
        return text + #","message":"\#(message)","fix":"f"}"#
    }

    @Test func worstFirst() {
        let lines = [
            Self.finding("health", "low", "no LICENSE", nil, nil),
            Self.finding("security", "high", "subprocess with shell=True", "run.py", 3),
            Self.finding("secret", "high", "value of password S3cr… (12 characters)", "app/db.py", 4),
            Self.finding("secret", "critical", "AWS access key ID AKIA… (20 characters)", "app/config.py", 12),
            Self.finding("security", "medium", "os.system() runs a shell", "run.py", 9),
            Self.finding("security", "high", "eval() on input", "run.py", 11),
            #"{"type":"summary","findings":6}"#,
        ]
        #expect(
            sentence(lines, exit: 1)
                == "Two secrets, the worst an AWS access key ID in config dot py line 12; three security problems; one health problem."
        )
    }

    @Test func healthy() {
        #expect(sentence([#"{"type":"summary","findings":0}"#]) == "The codebase looks healthy: no problems found.")
    }

    @Test(arguments: ["mybro-doctor", "mybro-doctor --format text", "mybro-doctor --history --fail-on high src"])
    func theDoctorRunsAtOnce(command: String) {
        #expect(SafetyPolicy.shipped.evaluate(command: command, workspace: "/home/user/project") == .allow)
    }

    @Test(arguments: ["mybro-doctor --fix", "mybro-doctor --install-hook", "mybro-doctor --write-baseline b"])
    func itsWritingFlagsWaitForAYes(command: String) {
        guard case .confirm = SafetyPolicy.shipped.evaluate(command: command, workspace: "/home/user/project") else {
            Issue.record("\(command) ran without a yes")
            return
        }
    }

    @Test func otherCommandsAreUntouched() {
        #expect(sentence(["hello"]) == "hello")
    }
}
