import Foundation
import MybroCore
import MybroTestSupport
import Testing

@testable import MybroBench

@Suite struct HistoryTests {
    static func run(date: String, triad: Double, quick: Bool = false) -> BenchRun {
        BenchRun(
            date: date, quick: quick, hardware: nil,
            measurements: [
                MybroBench.Measurement(
                    name: "memory.triad", unit: "GB/s", better: .higher, samples: [triad, triad * 1.01],
                    context: JSONObject(["threads": 2]), identity: ["threads"])
            ])
    }

    @Test func fullRunsAppendOneLineEachAndQuickRunsNone() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/state/mybro/bench/history.jsonl"
            try BenchHistory.append(Self.run(date: "2026-11-20T10:00:00Z", triad: 12), to: path)
            try BenchHistory.append(Self.run(date: "2026-11-21T10:00:00Z", triad: 13, quick: true), to: path)
            try BenchHistory.append(Self.run(date: "2026-11-22T10:00:00Z", triad: 14), to: path)
            let contents = BenchHistory.read(path)
            #expect(contents.warnings.isEmpty)
            #expect(contents.entries.map(\.date) == ["2026-11-20T10:00:00Z", "2026-11-22T10:00:00Z"])
            #expect(contents.entries.last?.figures == ["memory.triad threads=2": 14.07])
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.split(separator: "\n").count == 2)
        }
    }

    @Test func aLineCutByAKillIsSkippedAndTheNextAppendStaysWhole() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/history.jsonl"
            for day in 10...14 {
                try BenchHistory.append(Self.run(date: "2026-11-\(day)T10:00:00Z", triad: Double(day)), to: path)
            }
            // What a kill -9 in the middle of a write can leave: a prefix of the last line.
            let whole = try Data(contentsOf: URL(fileURLWithPath: path))
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.truncate(atOffset: UInt64(whole.count - 40))
            try handle.close()
            try BenchHistory.append(Self.run(date: "2026-11-15T10:00:00Z", triad: 15), to: path)
            let contents = BenchHistory.read(path)
            #expect(contents.entries.map(\.date).last == "2026-11-15T10:00:00Z")
            #expect(contents.entries.count == 5)
            #expect(contents.warnings.count == 1)
            #expect(contents.warnings.first?.contains(":5: not a history entry") == true)
        }
    }

    @Test func garbageAndHugeLinesAreSkippedWithAWarning() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/history.jsonl"
            var random = SeededRandom(seed: 3)
            let garbage = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) })
            var data = Data(garbage)
            data.append(contentsOf: Array("\n{\"type\":\"bench_history\",\"date\":1}\n".utf8))
            data.append(Data(repeating: UInt8(ascii: "x"), count: 2 << 20))
            try data.write(to: URL(fileURLWithPath: path))
            try BenchHistory.append(Self.run(date: "2026-11-22T10:00:00Z", triad: 14), to: path)
            let contents = BenchHistory.read(path)
            #expect(contents.entries.map(\.date) == ["2026-11-22T10:00:00Z"])
            #expect(contents.warnings.count >= 3)
        }
    }

    @Test func theFileIsBoundedKeepingTheNewestHalf() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/history.jsonl"
            let line = BenchHistory.Entry(run: Self.run(date: "2026-01-01T00:00:00Z", triad: 1)).line + "\n"
            try String(repeating: line, count: BenchHistory.maximumEntries).write(
                toFile: path, atomically: true, encoding: .utf8)
            try BenchHistory.append(Self.run(date: "2026-11-22T10:00:00Z", triad: 14), to: path)
            let contents = BenchHistory.read(path)
            #expect(contents.entries.count == BenchHistory.maximumEntries / 2)
            #expect(contents.entries.last?.date == "2026-11-22T10:00:00Z")
        }
    }

    @Test func concurrentAppendsNeverInterleave() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/history.jsonl"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        for index in 0..<25 {
                            try BenchHistory.append(
                                Self.run(date: "2026-11-\(10 + writer)T10:\(10 + index):00Z", triad: 10), to: path)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let contents = BenchHistory.read(path)
            #expect(contents.warnings.isEmpty)
            #expect(contents.entries.count == 100)
        }
    }
}
