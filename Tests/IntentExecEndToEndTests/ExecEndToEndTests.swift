import Foundation
import MybroCore
import MybroStore
import MybroTestSupport
import Testing

/// mybro-intent and mybro-exec as built binaries, in real pipelines.
@Suite(.serialized) struct ExecEndToEndTests {
    let workspace: URL
    let state: URL

    init() throws {
        workspace = try Harness.temporaryDirectory("workspace")
        state = try Harness.temporaryDirectory("state")
    }

    var historyFile: String { state.appendingPathComponent("history.sqlite").path }

    func write(_ text: String, to name: String, executable: Bool = false) throws -> String {
        let path = workspace.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if executable { chmod(path, 0o755) }
        return path
    }

    func policy(_ text: String) throws -> String {
        let path = state.appendingPathComponent("policy-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func exec(_ extra: [String] = []) -> [String] {
        [Harness.binary("mybro-exec"), "--cwd", workspace.path, "--history-file", historyFile] + extra
    }

    @Test func runTheTestsEndsWithASpokenSummary() throws {
        _ = try write(
            "test:\n\t@echo 'building'\n\t@echo '✔ Test run with 3 tests in 1 suite passed after 0.1 seconds.'\n",
            to: "Makefile")
        let input = """
            {"type":"speech_start","t":1}
            {"type":"transcript","text":"run the tests"}
            {"type":"speech_end","t":2}

            """
        let result = try Harness.shell(
            "\"$INTENT\" --backend rules | \"$EXEC\" --cwd '\(workspace.path)' --history-file '\(historyFile)'",
            input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let types = result.records.compactMap { $0["type"]?.stringValue }
        #expect(types.filter { $0.hasPrefix("speech") } == ["speech_start", "speech_end"])
        #expect(result.records("job_started").first?["command"]?.stringValue == "make test")
        let done = try #require(result.records("job_done").first)
        #expect(done["status"]?.stringValue == "succeeded")
        #expect(done["exit"]?.intValue == 0)
        #expect(result.records("job_output").contains { $0["text"]?.stringValue == "building" })
        #expect(types.last == "say")
        #expect(result.records("say").last?["text"]?.stringValue == "Tests passed, 3 of 3.")
        let history = try Harness.shell("\"$EXEC\" --history --history-file '\(historyFile)'")
        #expect(history.stdout.contains("succeeded\texit 0"))
        #expect(history.stdout.contains("make test"))
    }

    @Test func destructiveRequestsNeverRunWithoutAYes() throws {
        _ = try write("precious\n", to: "keep.txt")
        try FileManager.default.createDirectory(
            at: workspace.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let record = state.appendingPathComponent("claude-record.json").path
        let input = """
            delete everything
            run rm -rf *
            run rm -r sub
            {"type":"intent","action":"run","command":"rm -rf .","confidence":0.9}
            {"type":"intent","action":"run","command":"find . -delete","confidence":0.9}

            """
        let result = try Harness.shell(
            "\"$INTENT\" --backend rules | \"$EXEC\" --cwd '\(workspace.path)' --history-file '\(historyFile)' --claude '\(Harness.fixture("fake-claude"))'",
            input: input,
            environment: ["FAKE_CLAUDE_SCRIPT": Harness.fixture("claude-success.jsonl"), "FAKE_CLAUDE_RECORD": record])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: workspace.appendingPathComponent("keep.txt").path))
        #expect(FileManager.default.fileExists(atPath: workspace.appendingPathComponent("sub").path))
        #expect(!FileManager.default.fileExists(atPath: record), "Claude Code was started")
        #expect(result.records("job_started").isEmpty)
        // With input at its end nobody can answer, so nothing that needs a yes runs.
        let said = result.records("say").compactMap { $0["text"]?.stringValue }
        #expect(said.contains { $0.contains("deny list") })
    }

    /// mybro-exec withdraws SSH_AUTH_SOCK from its own environment at start-up; a plain git push
    /// under the shipped credential line must still reach the agent the variable names, while
    /// every other job finds that socket covered.
    @Test func aGitPushReachesTheSSHAgentAndOtherJobsDoNot() throws {
        let setup = try Harness.shell(
            "cd '\(workspace.path)' && git init -q -b main && git -c user.name=T -c user.email=t@example.com"
                + " commit -q --allow-empty -m one && git remote add origin ssh://git@example.invalid/r.git")
        try #require(setup.status == 0, "\(setup.stderr)")
        let agentPath = state.appendingPathComponent("agent.sock").path
        let agent = try UnixListener(path: agentPath)
        defer { agent.close() }
        let probe =
            "python3 -c \"import os, socket; s = socket.socket(socket.AF_UNIX);"
            + " s.connect(os.environ.get('SSH_AUTH_SOCK', '\(agentPath)')); print('agent reached')\""
        // In the workspace: jobs get /tmp as a private folder, where the test's own lies.
        let fakeSSH = workspace.appendingPathComponent(".fake-ssh").path
        // ssh's standard output is git's protocol: the probe answers on standard error
        try "#!/bin/sh\n\(probe) 1>&2\nexit 1\n".write(toFile: fakeSSH, atomically: true, encoding: .utf8)
        chmod(fakeSSH, 0o755)
        func run(_ command: String) throws -> [String] {
            let intent = JSONObject(["type": .string("intent"), "action": .string("run"), "command": .string(command)])
            let result = try Harness.shell(
                "\"$EXEC\" --cwd '\(workspace.path)' --no-history --no-undo --output-rate 0",
                input: intent.serialized() + "\n" + #"{"type":"intent","action":"confirm"}"# + "\n",
                environment: ["SSH_AUTH_SOCK": agentPath, "GIT_SSH_COMMAND": fakeSSH])
            #expect(result.records("job_started").count == 1, "\(result.stdout) \(result.stderr)")
            return result.records("job_output").compactMap { $0["text"]?.stringValue }
        }
        let push = try run("git push origin main")
        #expect(push.contains { $0.contains("agent reached") }, "\(push)")
        let other = try run(probe)
        #expect(!other.contains { $0.contains("agent reached") }, "\(other)")
    }

    /// A job plants a hook in the core.hooksPath folder (husky's) and mybro-exec is killed by
    /// SIGKILL before it can put the folder back: the next mybro-exec puts it back at start.
    @Test func gitsControlFilesArePutBackByTheNextMybroExecWhenOneIsKilledMidJob() throws {
        let setup = try Harness.shell(
            "cd '\(workspace.path)' && git init -q -b main && mkdir .husky && echo 'echo lint' > .husky/pre-commit"
                + " && git config core.hooksPath .husky")
        try #require(setup.status == 0, "\(setup.stderr)")
        let minimal = try policy("read true args: NONE\n")
        let intent = JSONObject([
            "type": .string("intent"), "action": .string("run"),
            "command": .string("echo curl-evil > .husky/pre-commit && touch .husky/post-checkout && sleep 60"),
        ])
        // mybro-exec reads a FIFO this shell holds open (fd 3), so that it waits for more input.
        let fifo = state.appendingPathComponent("exec-input").path
        let killed = try Harness.shell(
            "mkfifo '\(fifo)' && { \"$EXEC\" --cwd '\(workspace.path)' --no-history --no-undo --policy '\(minimal)'"
                + " < '\(fifo)' > /dev/null 2>&1 & exec_pid=$!; exec 3> '\(fifo)';"
                + " printf '%s\\n' '\(intent.serialized())' '{\"type\":\"intent\",\"action\":\"confirm\"}' >&3;"
                + " for i in $(seq 300); do [ -e '\(workspace.path)/.husky/post-checkout' ] && break; sleep 0.05; done;"
                + " kill -9 $exec_pid; exec 3>&-; cat '\(workspace.path)/.husky/pre-commit'; }")
        #expect(
            killed.stdout.contains("curl-evil"), "the job did not plant the hook: \(killed.stdout) \(killed.stderr)")
        let next = try Harness.shell(
            "\"$EXEC\" --cwd '\(workspace.path)' --no-history --no-undo < /dev/null")
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("put back"), "\(next.stderr)")
        let hook = try String(
            contentsOfFile: workspace.appendingPathComponent(".husky/pre-commit").path, encoding: .utf8)
        #expect(hook == "echo lint\n")
        #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent(".husky/post-checkout").path))
    }

    /// A uv environment's files are hard links into uv's cache, which later installs link again:
    /// a job's write through the workspace's name must not reach the cache. Links that stay in
    /// the workspace (cargo's target/) keep it writable.
    @Test func filesHardLinkedIntoACacheAreReadOnlyForJobs() throws {
        let cache = state.appendingPathComponent("uv-cache").path
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        try "import os\n".write(toFile: cache + "/requests.py", atomically: true, encoding: .utf8)
        let site = workspace.appendingPathComponent(".venv/lib/site-packages").path
        let target = workspace.appendingPathComponent("target").path
        for folder in [site, target] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        #expect(link(cache + "/requests.py", site + "/requests.py") == 0)
        try "binary".write(toFile: target + "/app", atomically: true, encoding: .utf8)
        #expect(link(target + "/app", target + "/app-1234") == 0)
        _ = try write(
            "test:\n\t-echo 'os.system(\"evil\")' >> .venv/lib/site-packages/requests.py\n\techo built >> target/app\n",
            to: "Makefile")
        let result = try Harness.shell(
            exec().map { "'\($0)'" }.joined(separator: " ") + " -v",
            input: #"{"type":"intent","action":"run","command":"make test","confidence":0.95}"# + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: cache + "/requests.py", encoding: .utf8) == "import os\n")
        #expect(try String(contentsOfFile: target + "/app-1234", encoding: .utf8) == "binarybuilt\n")
        #expect(result.stderr.contains("hard-linked outside the workspace") && result.stderr.contains(".venv"))
        #expect(!result.stderr.contains("/target"), "\(result.stderr)")
        // A link's other name in a folder called .git below the top is walked too.
        let nested = workspace.appendingPathComponent("deps/.git/venv").path
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
        #expect(link(cache + "/requests.py", nested + "/requests.py") == 0)
        _ = try write("test:\n\t-echo 'evil' >> deps/.git/venv/requests.py\n", to: "Makefile")
        let deeper = try Harness.shell(
            exec().map { "'\($0)'" }.joined(separator: " "),
            input: #"{"type":"intent","action":"run","command":"make test","confidence":0.95}"# + "\n")
        #expect(deeper.status == 0, "\(deeper.stderr)")
        #expect(try String(contentsOfFile: cache + "/requests.py", encoding: .utf8) == "import os\n")
        // An entry whose name is not UTF-8 cannot be bound: the job is refused, not run open.
        let made = try Harness.shell(
            "mkdir \"$(printf '\(workspace.path)/x\\377')\" && ln '\(cache)/requests.py' \"$(printf '\(workspace.path)/x\\377/f.py')\""
        )
        #expect(made.status == 0, "\(made.stderr)")
        let refused = try Harness.shell(
            exec().map { "'\($0)'" }.joined(separator: " "),
            input: #"{"type":"intent","action":"run","command":"make test","confidence":0.95}"# + "\n")
        #expect((refused.stdout + refused.stderr).contains("not UTF-8"), "\(refused.stdout) \(refused.stderr)")
        #expect(try String(contentsOfFile: cache + "/requests.py", encoding: .utf8) == "import os\n")
    }

    /// Key files that variables point at: one a withheld credential variable names, a store
    /// XDG_CONFIG_HOME moves, one a tool's own variable names.
    @Test func keyFilesThatVariablesNameAreHidden() throws {
        // In the workspace, which the job sees (the state folder is in /tmp, which is its own).
        let keys = workspace.appendingPathComponent("keys").path
        try FileManager.default.createDirectory(atPath: keys + "/config/glab-cli", withIntermediateDirectories: true)
        for (file, text) in [
            ("gcp.json", "GCP-PRIVATE-KEY"), ("config/glab-cli/config.yml", "GLAB-TOKEN"),
            ("age.txt", "AGE-SECRET-KEY"),
        ] {
            try text.write(toFile: keys + "/" + file, atomically: true, encoding: .utf8)
        }
        _ = try write(
            "test:\n\t-cat \(keys)/gcp.json \(keys)/config/glab-cli/config.yml \(keys)/age.txt\n", to: "Makefile")
        let result = try Harness.shell(
            exec().map { "'\($0)'" }.joined(separator: " "),
            input: #"{"type":"intent","action":"run","command":"make test","confidence":0.95}"# + "\n",
            environment: [
                "GOOGLE_APPLICATION_CREDENTIALS": keys + "/gcp.json", "XDG_CONFIG_HOME": keys + "/config",
                "SOPS_AGE_KEY_FILE": keys + "/age.txt",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        for secret in ["GCP-PRIVATE-KEY", "GLAB-TOKEN", "AGE-SECRET-KEY"] {
            #expect(!result.stdout.contains(secret), "\(secret) reached the job")
        }
    }

    /// A link a job leaves at the workspace's `.claude` (to a folder outside) is removed after
    /// it, and never bound writable for the next job: chmod is Landlock's to miss.
    @Test func aLinkAJobLeavesAtClaudeIsNeitherKeptNorBound() throws {
        // Outside /tmp, which jobs get as a private folder of their own.
        let outside = try SecurityWorld.base() + "/claude-link-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try "x".write(toFile: outside + "/victim.txt", atomically: true, encoding: .utf8)
        chmod(outside + "/victim.txt", 0o644)
        _ = try write(
            "link:\n\tln -s '\(outside)' .claude\ntest:\n\t-chmod 666 .claude/victim.txt\n\t-chmod 666 '\(outside)/victim.txt'\n",
            to: "Makefile")
        let first = try Harness.shell(
            exec().map { "'\($0)'" }.joined(separator: " "),
            input: #"{"type":"intent","action":"run","command":"make link","confidence":0.95}"# + "\n"
                + #"{"type":"intent","action":"confirm"}"# + "\n")
        #expect(first.records("job_done").first?["status"]?.stringValue == "succeeded", "\(first.stdout)")
        #expect(
            (try? FileManager.default.destinationOfSymbolicLink(
                atPath: workspace.appendingPathComponent(".claude").path)) == nil)
        // Made again without the put-back (mybro-exec killed, say): the next job still cannot chmod there.
        try FileManager.default.createSymbolicLink(
            atPath: workspace.appendingPathComponent(".claude").path, withDestinationPath: outside)
        _ = try Harness.shell(
            exec().map { "'\($0)'" }.joined(separator: " "),
            input: #"{"type":"intent","action":"run","command":"make test","confidence":0.95}"# + "\n")
        var info = stat()
        #expect(stat(outside + "/victim.txt", &info) == 0 && info.st_mode & 0o777 == 0o644)
    }

    /// mybro-exec runs git around every job (snapshots, checks) and Claude Code, outside any
    /// sandbox: never from a folder on PATH that jobs can write (an activated `.venv/bin`).
    @Test func programsMybroExecRunsItselfAreNeverTheWorkspaces() throws {
        let marker = state.appendingPathComponent("planted-ran").path
        let bin = workspace.appendingPathComponent(".venv/bin").path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let realGit = try #require(
            ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        for name in ["git", "claude"] {
            try "#!/bin/sh\necho \(name) >> '\(marker)'\nexec \(realGit) \"$@\"\n".write(
                toFile: bin + "/" + name, atomically: true, encoding: .utf8)
            chmod(bin + "/" + name, 0o755)
        }
        _ = try Harness.shell("cd '\(workspace.path)' && git init -q . && echo a > a.txt")
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try Harness.shell(
            exec(["--undo-dir", state.appendingPathComponent("undo").path]).map { "'\($0)'" }.joined(separator: " "),
            input: #"{"type":"intent","action":"run","command":"ls","confidence":0.95}"# + "\n"
                + #"{"type":"intent","action":"code","prompt":"fix it","confidence":0.95}"# + "\n",
            environment: ["PATH": path])
        #expect(
            !FileManager.default.fileExists(atPath: marker),
            "\((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "")")
        #expect(result.records("job_done").first?["status"]?.stringValue == "succeeded", "\(result.stdout)")
        // Claude Code found only there is refused, and said why.
        #expect(result.stderr.contains("which jobs can write"), "\(result.stderr)")
    }

    /// The put-back runs in mybro-exec itself, outside the sandbox: a job that swaps the
    /// workspace's `.claude` for a link to the user's own (or renames it and links another) must
    /// not have it delete or write there.
    @Test func thePutBackFollowsNoLinkOutOfTheWorkspace() throws {
        let home = state.appendingPathComponent("home").path
        try FileManager.default.createDirectory(atPath: home + "/.claude/commands", withIntermediateDirectories: true)
        try #"{"theme": "dark"}"#.write(toFile: home + "/.claude/settings.json", atomically: true, encoding: .utf8)
        try "mine".write(toFile: home + "/.claude/commands/c.md", atomically: true, encoding: .utf8)
        for makefile in [
            "test:\n\tln -s \(home)/.claude .claude\n",
            "test:\n\tmv .claude .c2 && ln -s \(home)/.claude .claude\n",
        ] {
            try? FileManager.default.removeItem(atPath: workspace.appendingPathComponent(".claude").path)
            try? FileManager.default.removeItem(atPath: workspace.appendingPathComponent(".c2").path)
            if makefile.contains("mv") {
                try FileManager.default.createDirectory(
                    atPath: workspace.appendingPathComponent(".claude").path, withIntermediateDirectories: true)
                _ = try write(#"{"hooks": {"SessionStart": []}}"#, to: ".claude/settings.json")
            }
            _ = try write(makefile, to: "Makefile")
            let result = try Harness.shell(
                exec().map { "'\($0)'" }.joined(separator: " "),
                input: #"{"type":"intent","action":"run","command":"make test","confidence":0.95}"# + "\n",
                environment: ["HOME": home])
            if makefile.contains("mv") {
                // The existing folder cannot be moved at all (a mount point in the job): the job fails.
                #expect(result.records("job_done").first?["status"]?.stringValue == "failed", "\(result.stdout)")
                #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent(".c2").path))
            } else {
                #expect(result.status == 0, "\(result.stderr)")
            }
            #expect(
                try String(contentsOfFile: home + "/.claude/settings.json", encoding: .utf8) == #"{"theme": "dark"}"#)
            #expect(try String(contentsOfFile: home + "/.claude/commands/c.md", encoding: .utf8) == "mine")
        }
    }

    /// The workspace's own Claude Code settings run hooks at the next `claude` there: no job
    /// leaves new ones, and the existing ones are read-only to it.
    @Test func aJobLeavesNoClaudeSettingsInTheWorkspace() throws {
        try FileManager.default.createDirectory(
            atPath: workspace.appendingPathComponent(".claude").path, withIntermediateDirectories: true)
        _ = try write(#"{"mcpServers": {}}"#, to: ".mcp.json")
        _ = try write(
            "test:\n\techo '{}' > .claude/settings.local.json\n\t-echo x >> .mcp.json\n"
                // The folder moved aside and another made: the put-back leaves a folder it did
                // not record alone, so the move itself must fail.
                + "\t-mv .claude .claude-old && mkdir .claude && echo '{}' > .claude/settings.json\n", to: "Makefile")
        let result = try Harness.shell(
            exec().map { "'\($0)'" }.joined(separator: " "),
            input: #"{"type":"intent","action":"run","command":"make test","confidence":0.95}"# + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let local = workspace.appendingPathComponent(".claude/settings.local.json").path
        #expect(!FileManager.default.fileExists(atPath: local))
        #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent(".claude-old").path))
        #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent(".claude/settings.json").path))
        let mcp = workspace.appendingPathComponent(".mcp.json").path
        #expect(try String(contentsOfFile: mcp, encoding: .utf8) == #"{"mcpServers": {}}"#)
        // git itself writes them from the repository, as any file: a checkout that brings a
        // committed .mcp.json works.
        let git = try Harness.shell(
            "cd '\(workspace.path)' && git init -q . && git add .mcp.json && git -c user.name=t -c user.email=t@t commit -qm a"
                + " && git checkout -qb other && echo '{\"mcpServers\": {\"team\": {}}}' > .mcp.json"
                + " && git -c user.name=t -c user.email=t@t commit -qam b && git checkout -q -")
        #expect(git.status == 0, "\(git.stderr)")
        let checkout = try Harness.shell(
            exec().map { "'\($0)'" }.joined(separator: " "),
            input: #"{"type":"intent","action":"run","command":"git checkout other","confidence":0.95}"# + "\n"
                + #"{"type":"intent","action":"confirm"}"# + "\n")
        #expect(checkout.status == 0, "\(checkout.stderr)")
        #expect(try String(contentsOfFile: mcp, encoding: .utf8).contains("team"), "\(checkout.stdout)")
    }

    @Test func aCommandTooLongToJudgeIsRefusedAndSaysWhy() throws {
        let long = "echo " + String(repeating: "a", count: 70_000)
        let result = try Harness.shell(
            "\"$EXEC\" --cwd '\(workspace.path)' --no-history --no-undo",
            input: #"{"type":"intent","action":"run","command":"\#(long)"}"# + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.records("job_started").isEmpty)
        let said = result.records("say").compactMap { $0["text"]?.stringValue }
        #expect(said == ["I won't run that: it is too long to judge safely."])
    }

    /// A yes is given knowing what the job gets beyond others: `npm install` and `swift package
    /// resolve` run the project's code (install scripts, the manifest) with the network.
    @Test func theQuestionSaysWhenTheJobGetsTheNetwork() throws {
        let input =
            ["npm install", "swift package resolve", "rm -r sub"].map {
                #"{"type":"intent","action":"run","command":"\#($0)","confidence":0.9}"#
            }.joined(separator: "\n") + "\n"
        let result = try Harness.shell("\"$EXEC\" --cwd '\(workspace.path)' --no-history --no-undo", input: input)
        let questions = result.records("confirm").compactMap { $0["text"]?.stringValue }
        #expect(questions.count == 3, "\(result.stdout)")
        #expect(questions.prefix(2).allSatisfy { $0.contains("It gets the network, and so does any project code") })
        #expect(questions.last == "Should I run rm -r sub? Say yes or no.")
    }

    @Test func aSpokenYesRunsWhatWasAsked() throws {
        try FileManager.default.createDirectory(
            at: workspace.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let live = try LiveCommand(exec())
        live.send(#"{"type":"intent","action":"run","command":"rm -r sub","confidence":0.9}"#)
        let question = try #require(live.waitFor(type: "confirm"))
        #expect(question["command"]?.stringValue == "rm -r sub")
        #expect(FileManager.default.fileExists(atPath: workspace.appendingPathComponent("sub").path))
        live.send(#"{"type":"intent","action":"confirm","confidence":0.9}"#)
        let done = try #require(live.waitFor(type: "job_done"))
        #expect(done["status"]?.stringValue == "succeeded")
        #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent("sub").path))
        #expect(live.finish().status == 0)
    }

    @Test func stopKillsTheJobAndItsGrandchildren() throws {
        _ = try write(
            """
            #!/bin/sh
            sleep 60 &
            echo $! >> pids
            ( sleep 60 & echo $! >> pids; wait ) &
            echo $! >> pids
            echo $$ >> pids
            echo started
            wait

            """, to: "spawn.sh", executable: true)
        let live = try LiveCommand(exec(["--policy", try policy("allow ./spawn.sh args: NONE\n")]))
        live.send(#"{"type":"intent","action":"run","command":"./spawn.sh","confidence":0.9}"#)
        let leader = try #require(live.waitFor(type: "job_started")?["pid"]?.intValue)
        #expect(live.waitFor { $0["text"]?.stringValue == "started" } != nil)
        // The subshell writes its child's pid on its own time: wait for all four.
        var pids: [Int32] = []
        for _ in 0..<500 where pids.count < 4 {
            pids = ((try? String(contentsOfFile: workspace.appendingPathComponent("pids").path, encoding: .utf8)) ?? "")
                .split(separator: "\n").compactMap { Int32($0) }
            if pids.count < 4 { usleep(10_000) }
        }
        #expect(pids.count == 4)
        pids = hostPIDs(pids, inNamespaceOf: Int32(leader))
        #expect(pids.count == 4)
        #expect(pids.allSatisfy(isRunning))
        live.send(#"{"type":"intent","action":"status","confidence":0.9}"#)
        #expect(live.waitFor { $0["text"]?.stringValue?.hasPrefix("Running ./spawn.sh") == true } != nil)
        live.send(#"{"type":"intent","action":"stop","confidence":0.9}"#)
        let done = try #require(live.waitFor(type: "job_done"))
        #expect(done["status"]?.stringValue == "stopped")
        #expect(waitUntilDead(pids), "survivors: \(pids.filter(isRunning))")
        #expect(live.waitFor(type: "interrupt") != nil)
        #expect(live.finish().status == 0)
    }

    @Test func aJobPastItsTimeoutIsStopped() throws {
        let result = try Harness.shell(
            "\"$EXEC\" --cwd '\(workspace.path)' --history-file '\(historyFile)' --timeout 0.5 --policy '\(try policy("read sleep args: TEXT\n"))'",
            input: #"{"type":"intent","action":"run","command":"sleep 30"}"# + "\n")
        let done = try #require(result.records("job_done").first)
        #expect(done["status"]?.stringValue == "timeout")
        #expect(done["exit"]?.intValue == 124)
        #expect(result.status == 124)
    }

    @Test func outputIsRateLimitedButKeptWhole() throws {
        let result = try Harness.shell(
            "\"$EXEC\" --cwd '\(workspace.path)' --history-file '\(historyFile)' --output-rate 10 --policy '\(try policy("read seq args: TEXT\n"))'",
            input: #"{"type":"intent","action":"run","command":"seq 1 500"}"# + "\n")
        let lines = result.records("job_output")
        let shown = lines.filter { $0["skipped"] == nil }.count
        let skipped = lines.compactMap { $0["skipped"]?.intValue }.reduce(0, +)
        #expect(shown < 100)
        #expect(shown + skipped == 500)
        let saved = try JobHistory(path: historyFile).recent().first?.output
        #expect(saved == (1...500).map { "\($0)\n" }.joined())
    }

    @Test func aClosedDownstreamEndsTheJobQuietly() throws {
        let started = Date()
        let result = try Harness.shell(
            "\"$EXEC\" --cwd '\(workspace.path)' --no-history --output-rate 0 --policy '\(try policy("read seq args: TEXT\n"))' | head -n 3",
            input: #"{"type":"intent","action":"run","command":"seq 1 100000000"}"# + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 3)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func anUnansweredQuestionLapses() throws {
        let live = try LiveCommand(exec(["--confirm-timeout", "0.3"]))
        live.send(#"{"type":"intent","action":"run","command":"rm -r sub","confidence":0.9}"#)
        #expect(live.waitFor(type: "confirm") != nil)
        #expect(live.waitFor { ($0["text"]?.stringValue ?? "").hasPrefix("No answer") } != nil)
        live.send(#"{"type":"intent","action":"confirm","confidence":0.9}"#)
        #expect(live.finish().status == 0)
        #expect(!live.output.contains { $0.contains("job_started") })
    }

    @Test func historySurvivesKillDashNine() throws {
        let live = try LiveCommand(exec(["--policy", try policy("read sleep args: TEXT\n")]))
        live.send(#"{"type":"intent","action":"run","command":"sleep 30","transcript":"wait a bit"}"#)
        let started = try #require(live.waitFor(type: "job_started"))
        // mybro-exec gives its history writer a bounded moment before job_started; on a machine
        // saturated by parallel tests the new database may take longer to create. What this
        // test is about is what happens to a job the history has as running.
        #expect(
            waitUntil(timeout: 10) {
                (try? JobHistory(path: historyFile).recent())?.contains { $0.command == "sleep 30" } == true
            })
        kill(live.process.processIdentifier, SIGKILL)
        live.process.waitUntilExit()
        // Its keeper ends the job once the supervisor is gone: nothing of it is left.
        let pid = try #require(started["pid"]?.intValue)
        #expect(waitUntilDead([Int32(pid)]), "the job outlived its SIGKILLed supervisor")
        let history = try Harness.shell("\"$EXEC\" --history --history-file '\(historyFile)'")
        #expect(history.status == 0)
        #expect(history.stdout.contains("interrupted"), "\(history.stdout)")
        #expect(history.stdout.contains("sleep 30"))
        #expect(history.stderr.contains("marked interrupted"))
    }

    /// A job's TMPDIR outlives a SIGKILLed mybro-exec (nothing of it runs to clean up); the next
    /// mybro-exec of that user removes it, and leaves a live one's alone.
    @Test func theTemporaryDirectoryOfAKilledSupervisorIsRemovedByTheNext() throws {
        let temporary = try Harness.temporaryDirectory("mybro-exec-tmp")
        defer { try? FileManager.default.removeItem(at: temporary) }
        func jobDirectories() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []).filter {
                $0.hasPrefix("mybro-job-")
            }
        }
        let policy = try policy("read sleep args: TEXT\n")
        let live = try LiveCommand(exec(["--policy", policy]), environment: ["TMPDIR": temporary.path])
        live.send(#"{"type":"intent","action":"run","command":"sleep 30"}"#)
        let started = try #require(live.waitFor(type: "job_started"))
        let other = try LiveCommand(exec(["--policy", policy]), environment: ["TMPDIR": temporary.path])
        other.send(#"{"type":"intent","action":"run","command":"sleep 30"}"#)
        #expect(other.waitFor(type: "job_started") != nil)
        #expect(jobDirectories().count == 2)
        kill(live.process.processIdentifier, SIGKILL)
        live.process.waitUntilExit()
        #expect(waitUntilDead([Int32(try #require(started["pid"]?.intValue))]))
        #expect(jobDirectories().count == 2, "nothing removes it before the next mybro-exec")
        let next = try Harness.shell("\"$EXEC\" < /dev/null", environment: ["TMPDIR": temporary.path])
        #expect(next.status == 0, "\(next.stderr)")
        let left = jobDirectories()
        #expect(left.count == 1 && left[0].hasPrefix("mybro-job-p\(other.process.processIdentifier)-"), "\(left)")
        other.send(#"{"type":"intent","action":"stop","confidence":0.9}"#)
        other.closeInput()
        _ = other.finish()
    }

    @Test func malformedInputIsSkippedOrFatalWithStrict() throws {
        let input = "not json\n{\"type\":\"intent\",\"action\":\"fly\"}\n{\"type\":\"other\"}\n"
        let lenient = try Harness.shell("\"$EXEC\" --no-history --cwd '\(workspace.path)'", input: input)
        #expect(lenient.status == 0)
        #expect(lenient.stdout == "{\"type\":\"other\"}\n")
        #expect(lenient.stderr.contains("line 1"))
        #expect(lenient.stderr.contains("unknown intent action \"fly\""))
        let strict = try Harness.shell("\"$EXEC\" --no-history --strict --cwd '\(workspace.path)'", input: input)
        #expect(strict.status == 65)
        let missing = try Harness.shell("\"$EXEC\" --no-history --cwd /nonexistent/dir", input: "")
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("--cwd"))
    }
}
