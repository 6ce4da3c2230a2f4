import Foundation
import MybroCore
import MybroTestSupport
import Testing

/// Undo through the built mybro-exec (and mybro-intent): snapshots before jobs, the undo
/// intent, and `--undo` / `--undo-list` from the shell.
@Suite(.serialized) final class UndoEndToEndTests {
    let directory: TemporaryDirectory
    var workspace: String { directory.path("ws") }
    var historyFile: String { directory.path("state/history.sqlite") }
    var policy: String { directory.path("allow-all.policy") }

    init() throws {
        directory = try TemporaryDirectory(label: "mybro-undo-e2e")
        try FileManager.default.createDirectory(atPath: directory.path("ws"), withIntermediateDirectories: true)
        // What these tests run at once; `sh SCRIPT` always asks (a script can do anything).
        try "read sleep args: ANY\nallow cp args: PATH\nallow touch args: PATH\n".write(
            toFile: directory.path("allow-all.policy"), atomically: true, encoding: .utf8)
    }

    deinit { directory.remove() }

    func write(_ name: String, _ text: String) throws {
        let path = workspace + "/" + name
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func read(_ name: String) -> String? { try? String(contentsOfFile: workspace + "/" + name, encoding: .utf8) }

    /// A script outside the workspace, so the job's command needs no redirection (and no yes).
    func script(_ name: String, _ body: String) throws -> String {
        let path = directory.path(name)
        try ("#!/bin/sh\nset -e\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    var exec: String {
        "\"$EXEC\" --cwd \(shellQuoted(workspace)) --history-file \(shellQuoted(historyFile)) --policy \(shellQuoted(policy))"
    }

    func intent(_ action: String, _ fields: [String: String] = [:]) -> String {
        var record = JSONObject()
        record["type"] = .string("intent")
        record["action"] = .string(action)
        for (key, value) in fields { record[key] = .string(value) }
        record["confidence"] = .number(1)
        return record.serialized() + "\n"
    }

    func gitState() throws -> String {
        let result = try shell(
            "cd \(shellQuoted(workspace)) && git rev-parse HEAD && git status --porcelain --untracked-files=all"
                + " && git stash list && git for-each-ref && git ls-files -s | git hash-object --stdin")
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdoutText
    }

    @Test func aShellJobIsUndoneFromTheShellAndTheUsersRepositoryIsLeftAlone() throws {
        try write("notes.txt", "notes\n")
        try write("src/main.c", "int main(void) { return 0; }\n")
        try write("run.sh", "echo hi\n")
        let setup = try shell(
            "cd \(shellQuoted(workspace)) && git init -q -b main && git add -A"
                + " && git -c user.name=T -c user.email=t@x commit -qm one && echo wip >> notes.txt"
                + " && git -c user.name=T -c user.email=t@x stash -q && echo untracked > scratch.txt")
        #expect(setup.status == 0, "\(setup.stderr)")
        let before = try gitState()
        let job = try script(
            "job.sh",
            "printf 'changed\\n' > notes.txt\nrm src/main.c\nmkdir -p gen && echo x > gen/out\nchmod +x run.sh\n")

        // The script lies outside the workspace: the policy asks, and the test says yes.
        let run = try Harness.shell(exec, input: intent("run", ["command": "sh " + job]) + intent("confirm"))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(read("notes.txt") == "changed\n")
        let list = try Harness.shell(exec + " --undo-list")
        #expect(list.stdout.hasPrefix("1\t"), "\(list.stdout)")
        #expect(list.stdout.contains("\tundoable\tsh "))

        let undo = try Harness.shell(exec + " --undo")
        #expect(undo.status == 0, "\(undo.stderr)")
        let record = try #require(undo.records("undo").first)
        #expect(record["job"]?.intValue == 1)
        #expect(record["status"]?.stringValue == "undone")
        #expect(record["restored"]?.arrayValue?.compactMap(\.stringValue) == ["notes.txt", "run.sh", "src/main.c"])
        #expect(record["removed"]?.arrayValue?.compactMap(\.stringValue) == ["gen/out"])
        let sentence = undo.records("say").first?["text"]?.stringValue ?? ""
        #expect(sentence.hasPrefix("Undid job 1, sh "), "\(sentence)")
        #expect(sentence.hasSuffix(": restored 3 files and removed 1."), "\(sentence)")
        #expect(read("notes.txt") == "notes\n")
        #expect(read("src/main.c") == "int main(void) { return 0; }\n")
        #expect(!FileManager.default.isExecutableFile(atPath: workspace + "/run.sh"))
        #expect(!FileManager.default.fileExists(atPath: workspace + "/gen"))
        #expect(try gitState() == before)
        // The snapshots live beside the history, not in the workspace.
        #expect(FileManager.default.fileExists(atPath: directory.path("state/undo")))

        let again = try Harness.shell(exec + " --undo")
        #expect(again.status == 1)
        #expect(again.records("say").first?["text"]?.stringValue == "There is nothing to undo.")
        #expect(try Harness.shell(exec + " --undo-list").stdout.contains("\tundone\t"))
    }

    @Test func nothingToUndoInAFreshWorkspace() throws {
        let undo = try Harness.shell(exec + " --undo")
        #expect(undo.status == 1)
        #expect(undo.records("undo").first?["status"]?.stringValue == "nothing")
        #expect(undo.records("say").first?["text"]?.stringValue == "There is nothing to undo.")
        let named = try Harness.shell(exec + " --undo 5")
        #expect(named.status == 1)
        #expect(named.records("say").first?["text"]?.stringValue == "I have nothing to undo for job 5.")
        let usage = try Harness.shell(exec + " 5")
        #expect(usage.status == 64)
    }

    @Test func anUndoIntentWaitsForTheRunningJobAndTwoUndosGoBackTwoJobs() throws {
        try write("a.txt", "0\n")
        try write("one", "1\n")
        try write("two", "2\n")
        try write("new", "new\n")
        let input =
            intent("run", ["command": "sleep 0.3 && cp one a.txt"])
            + intent("run", ["command": "cp two a.txt && cp new b.txt"])
            + intent("undo") + intent("undo")
        let result = try Harness.shell(exec, input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let types = result.records.compactMap { record -> String? in
            let type = record["type"]?.stringValue ?? ""
            return ["job_done", "undo"].contains(type) ? type : nil
        }
        #expect(types == ["job_done", "job_done", "undo", "undo"])
        let undos = result.records("undo")
        #expect(undos.map { $0["job"]?.intValue } == [2, 1])
        #expect(undos.first?["removed"]?.arrayValue?.compactMap(\.stringValue) == ["b.txt"])
        #expect(read("a.txt") == "0\n")
        #expect(!FileManager.default.fileExists(atPath: workspace + "/b.txt"))
    }

    @Test func aClaudeCodeJobIsUndone() throws {
        try write("main.py", "print('hello')\n")
        // Where the job may read it: jobs get /tmp as a private folder (the fake's folder is kept).
        try FileManager.default.createDirectory(atPath: directory.path("fake"), withIntermediateDirectories: true)
        let claudeScript = directory.path("fake/claude-edit.jsonl")
        try """
        {"type":"system","subtype":"init","session_id":"s-edit","model":"claude-sonnet-4-6"}
        {"fake":"spawn","command":"printf 'print(1)\\\\n' > main.py && echo added > added.py"}
        {"fake":"sleep","seconds":0.3}
        {"type":"assistant","message":{"content":[{"type":"tool_use","id":"t1","name":"Edit","input":{"file_path":"main.py"}}]},"session_id":"s-edit"}
        {"type":"result","subtype":"success","is_error":false,"result":"done","session_id":"s-edit","num_turns":1}

        """.write(toFile: claudeScript, atomically: true, encoding: .utf8)
        let command =
            "\"$EXEC\" --no-history --undo-dir \(shellQuoted(directory.path("undo"))) --cwd \(shellQuoted(workspace))"
            + " --claude \(shellQuoted(Harness.fixture("fake-claude")))"
            + " --allow-write \(shellQuoted(directory.path("fake")))"
        let input = intent("code", ["prompt": "print one instead"]) + intent("undo")
        let result = try Harness.shell(
            command, input: input,
            environment: ["FAKE_CLAUDE_SCRIPT": claudeScript, "FAKE_CLAUDE_RECORD": directory.path("fake/record.json")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.records("job_done").first?["status"]?.stringValue == "succeeded")
        let undo = try #require(result.records("undo").first)
        #expect(undo["restored"]?.arrayValue?.compactMap(\.stringValue) == ["main.py"])
        #expect(undo["removed"]?.arrayValue?.compactMap(\.stringValue) == ["added.py"])
        #expect(result.records("say").last?["text"]?.stringValue?.hasPrefix("Undid job 1, Claude's task") == true)
        #expect(read("main.py") == "print('hello')\n")
        #expect(!FileManager.default.fileExists(atPath: workspace + "/added.py"))
    }

    @Test func undoThatThroughTheRulesGrammar() throws {
        try write("keep.txt", "keep\n")
        let input = """
            {"type":"transcript","text":"run touch new.txt"}
            {"type":"transcript","text":"undo that"}

            """
        let result = try Harness.shell("\"$INTENT\" --backend rules | " + exec, input: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.records("job_started").first?["command"]?.stringValue == "touch new.txt")
        let undo = try #require(result.records("undo").first)
        #expect(undo["removed"]?.arrayValue?.compactMap(\.stringValue) == ["new.txt"])
        #expect(result.records("say").last?["text"]?.stringValue == "Undid job 1, touch new.txt: removed 1 file.")
        #expect(!FileManager.default.fileExists(atPath: workspace + "/new.txt"))
        #expect(read("keep.txt") == "keep\n")
    }
}
