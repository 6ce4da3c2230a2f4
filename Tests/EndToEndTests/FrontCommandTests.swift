import Foundation
import MybroTestSupport
import Testing

@Suite struct FrontCommandTests {
    @Test func runsSubcommandsLikeGit() throws {
        let result = try shell("mybro say --version")
        #expect(result.status == 0)
        #expect(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let audio = try shell("mybro say hi --output - | wc -c")
        #expect((Int(audio.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 1_000)
    }

    @Test func passesTheExitStatusThrough() throws {
        let result = try shell("mybro say --rate 1 hi")
        #expect(result.status == 64)
    }

    @Test func findsCommandsBesideItselfBeforePATH() throws {
        let directory = try temporaryDirectory()
        // A decoy on PATH must lose against the mybro-say beside mybro.
        try "#!/bin/sh\necho decoy\n".write(toFile: directory + "/mybro-say", atomically: true, encoding: .utf8)
        chmod(directory + "/mybro-say", 0o755)
        try "#!/bin/sh\necho \"extra $*\"\n".write(
            toFile: directory + "/mybro-extra", atomically: true, encoding: .utf8)
        chmod(directory + "/mybro-extra", 0o755)
        let say = try shell("PATH=\(directory):$PATH mybro say --version")
        #expect(say.stdoutText.contains("0.1.0"))
        let extra = try shell("PATH=\(directory):$PATH mybro extra a b")
        #expect(extra.stdoutText == "extra a b\n")
    }

    @Test func listsInstalledCommandsWithSummaries() throws {
        let result = try shell("mybro --list")
        #expect(result.status == 0)
        let say = result.stdoutLines.first { $0.hasPrefix("say ") }
        #expect(say?.hasSuffix("Speak text aloud with espeak-ng, or write the speech as audio.") == true)
        // Summaries that wrap in --help come out whole, on one line.
        let transcribe = result.stdoutLines.first { $0.hasPrefix("transcribe ") }
        #expect(transcribe?.hasSuffix(".") == true, "\(transcribe ?? "")")
        #expect(!result.stdoutText.contains(".product"))
    }

    @Test func unknownCommandsAreUsageErrors() throws {
        let result = try shell("mybro no-such-thing")
        #expect(result.status == 64)
        #expect(result.stderr == "mybro: error: 'no-such-thing' is not a mybro command; see `mybro --list`\n")
        let none = try shell("mybro")
        #expect(none.status == 64)
    }

    @Test func helpShowsTheManualPage() throws {
        let result = try shell("MANPAGER=cat MANWIDTH=80 mybro help say")
        #expect(result.status == 0)
        #expect(result.stdoutText.contains("mybro-say"))
        #expect(result.stdoutText.uppercased().contains("EXIT STATUS"))
    }
}
