import Foundation
import MybroTestSupport
import Testing

/// "Run the training on an H100" through mybro-intent and mybro-exec (sandboxed) against the
/// fake Shadeform and a local sshd: a spoken price first, nothing rented before the yes.
@Suite struct VoiceLoopTests {
    @Test func aSpokenRentalNamesThePriceAndWaitsForTheYes() throws {
        // Billed in real time: the generated command polls every 15 s, as in real use.
        let world = try GPUHarness(ssh: true, config: ["billing_speed": 1])
        let workspace = world.directory.path("local")
        // The generated command's remote folder is relative to the sshd user's home: here, our
        // own home. Remove it afterwards, but only when this test made it.
        let remote = NSHomeDirectory() + "/mybro-work"
        let remoteExisted = FileManager.default.fileExists(atPath: remote)
        defer { if !remoteExisted { try? FileManager.default.removeItem(atPath: remote) } }
        try "train:\n\techo trained on the GPU\n".write(
            toFile: workspace + "/Makefile", atomically: true, encoding: .utf8)
        let output = world.directory.path("exec.jsonl")
        let before = world.directory.path("before.txt")
        let requests = world.fake.baseURL.replacingOccurrences(of: "/v1", with: "") + "/_fake/requests"
        let script = """
            { echo "run the training on an H100"
              i=0; while ! grep -q '"type":"confirm"' \(shellQuoted(output)) 2>/dev/null && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done
              python3 -c 'import sys,urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' \(shellQuoted(requests)) > \(shellQuoted(before))
              echo yes; } | mybro-intent --backend rules --cwd \(shellQuoted(workspace)) \
              | mybro-exec --cwd \(shellQuoted(workspace)) --no-history > \(shellQuoted(output))
            """
        let result = try GPUHarness.run(script, environment: world.environment, timeout: 180)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let confirm = try #require(lines.first { $0["type"] as? String == "confirm" }, "\(result.stderr)")
        #expect(
            confirm["text"] as? String
                == "This rents one H100 at 2 dollars 39 an hour, 10 dollars at most. Say yes to go ahead.")
        #expect(confirm["hourly_cents"] as? Int == 239)
        // Nothing was created before the yes.
        let early = try String(contentsOfFile: before, encoding: .utf8)
        #expect(early.contains("/instances/types"))
        #expect(!early.contains("/instances/create"))
        // After it, the run went through: created, ran over SSH, torn down.
        let done = try #require(lines.first { $0["type"] as? String == "job_done" }, "\(result.stderr)")
        #expect(done["status"] as? String == "succeeded", "\(lines)")
        #expect(lines.contains { ($0["text"] as? String)?.contains("trained on the GPU") == true })
        #expect(try world.fake.instances().count == 1)
        #expect(try world.fake.liveInstances().isEmpty)
        #expect(
            !String(decoding: try Data(contentsOf: URL(fileURLWithPath: output)), as: UTF8.self).contains(world.key))
        #expect(!result.stderr.contains(world.key))
    }
}
