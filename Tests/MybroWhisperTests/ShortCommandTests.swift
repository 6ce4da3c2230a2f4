import Foundation
import MybroCore
import Testing

@testable import MybroWhisper

/// Short spoken commands: the default encoder mode (own rows + margin + sampled padding
/// positions) against --full-window, and the pieces it is made of.
@Suite struct ShortCommandTests {
    @Test func samplesAreEveryStrideThAfterTheContiguousRowsAndTheLast() {
        #expect(PaddingInterpolation.samples(after: 10, positions: 40, stride: 8) == [17, 25, 33, 39])
        #expect(PaddingInterpolation.samples(after: 10, positions: 40, stride: 0).isEmpty)
        #expect(PaddingInterpolation.samples(after: 40, positions: 40, stride: 8).isEmpty)
        #expect(PaddingInterpolation.samples(after: 38, positions: 40, stride: 8) == [39])
    }

    @Test func gapsGetTheCachedRowsPlusTheInterpolatedChange() {
        // width 2, positions 0..<7; anchors 2 and 6; base = 10·position, change +4 at 2, +8 at 6
        let base: [Float] = (0..<7).flatMap { [Float($0) * 10, -Float($0) * 10] }
        var rows = [Float](repeating: -1, count: 14)
        rows.withUnsafeMutableBufferPointer { r in
            base.withUnsafeBufferPointer { b in
                PaddingInterpolation.copyGaps(
                    r.baseAddress!, from: b.baseAddress!, after: 3, positions: 7, samples: [6], width: 2)
                r[4] = 24
                r[5] = -16  // position 2: +4, +4
                r[12] = 68
                r[13] = -52  // position 6: +8, +8
                PaddingInterpolation.fill(r.baseAddress!, base: b.baseAddress!, anchors: [2, 6], width: 2)
            }
        }
        #expect(rows[0] == -1 && rows[2] == -1)  // before the first anchor: untouched
        #expect(rows[6] == 35 && rows[7] == -25)  // position 3: +5
        #expect(rows[8] == 46 && rows[9] == -34)  // position 4: +6
        #expect(rows[10] == 57 && rows[11] == -43)  // position 5: +7
    }

    @Test func makefileTargetsSkipVariablesSpecialTargetsAndPatterns() {
        let makefile = """
            CC := cc
            SUDO = $(shell id)
            .PHONY: all test
            all: build
            test lint: all
            %.o: %.c
            \tbuild: not a target
            bench-intent:
            """
        #expect(WorkspacePrompt.makefileTargets(makefile) == ["all", "test", "lint", "bench-intent"])
    }

    @Test func thePromptListsCodingWordsThenNewNamesWithinItsBudget() {
        let prompt = WorkspacePrompt.compose(names: ["lint", "Package.swift", "package.swift", "Sources"])
        #expect(prompt.hasPrefix("git status, git diff, commit"))
        #expect(prompt.hasSuffix(", Package.swift, Sources."))
        #expect(prompt.components(separatedBy: "lint").count == 2)  // once, from the coding words
        let long = WorkspacePrompt.compose(names: (0..<200).map { "file\($0).swift" })
        let base = WorkspacePrompt.compose(names: [])
        #expect(long.count - base.count <= WorkspacePrompt.maximumNameCharacters + 2)
    }

    @Test func theWorkspacePromptReadsTheMakefileAndTheFileNames() throws {
        let directory = try TinyModel.temporaryDirectory("workspace")
        try FileManager.default.createDirectory(
            atPath: directory + "/Sources/parser", withIntermediateDirectories: true)
        try "demo: all\n\techo\n".write(toFile: directory + "/Makefile", atomically: true, encoding: .utf8)
        try "".write(toFile: directory + "/.hidden", atomically: true, encoding: .utf8)
        let prompt = WorkspacePrompt.text(directory: directory)
        #expect(prompt.contains(", demo, Makefile") || prompt.contains(", demo,"))
        #expect(prompt.contains("parser") && prompt.contains("Sources") && !prompt.contains(".hidden"))
    }

    /// A handful of commands in several voices and speeds, generated here with espeak-ng:
    /// the default mode must give --full-window's transcripts.
    @Test(.enabled(if: TestPaths.realModel != nil, "the tiny.en model is not installed: run scripts/setup-model.sh"))
    func shortCommandsMatchTheFullWindow() throws {
        let directory = try TinyModel.temporaryDirectory("commands")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let commands: [(String, String, Int)] = [
            ("never mind", "en-us", 150), ("run the tests", "en-gb", 180), ("show me the diff", "en+f3", 130),
            ("commit the changes", "en-gb-scotland", 200), ("what is the git status", "en+m7", 160),
            ("build in release mode", "en-us", 220),
        ]
        var files: [String] = []
        for (index, (text, voice, speed)) in commands.enumerated() {
            let path = directory + "/\(index).wav"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["espeak-ng", "-v", voice, "-s", "\(speed)", "-w", path, text]
            process.standardError = FileHandle.nullDevice
            try? process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "espeak-ng is needed")
            files.append(path)
        }
        let full = try CommandRunner.run("mybro-transcribe", ["--full-window", "--format", "txt"] + files)
        let fast = try CommandRunner.run("mybro-transcribe", ["--format", "txt"] + files)
        #expect(full.status == 0 && fast.status == 0, "\(full.stderr)\(fast.stderr)")
        #expect(fast.stdout == full.stdout)
        #expect(full.stdout.lowercased().contains("never mind"), "\(full.stdout)")
    }
}
