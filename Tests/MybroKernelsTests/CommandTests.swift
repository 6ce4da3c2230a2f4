import Foundation
import MybroCore
import MybroKernels
import MybroTestSupport
import Testing

/// `mybro-kernel` end to end: the built binary in shell pipelines, hostile input included.
@Suite("mybro-kernel command")
struct CommandTests {
    static func floats(_ values: [Float]) -> Data {
        var data = Data(capacity: values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func floats(_ data: Data) -> [Float] {
        stride(from: 0, to: data.count - data.count % 4, by: 4).map { offset in
            Float(
                bitPattern: data[data.startIndex + offset..<data.startIndex + offset + 4].enumerated()
                    .reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) })
        }
    }

    static func records(_ result: CommandResult) throws -> [[String: Any]] {
        try result.stdoutLines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// A 16 kHz mono 16-bit WAV with a streaming header (sizes unknown), as mybro-capture writes.
    static func wav(_ samples: [Int16]) -> Data {
        var data = Data("RIFF".utf8)
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func append16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append32(UInt32(36 + samples.count * 2))
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append32(16)
        append16(1)
        append16(1)
        append32(16000)
        append32(32000)
        append16(2)
        append16(16)
        data.append(contentsOf: Array("data".utf8))
        append32(UInt32(samples.count * 2))
        for sample in samples { append16(UInt16(bitPattern: sample)) }
        return data
    }

    @Test("mybro-capture | mybro-kernel l2 --pcm --window 480 --format json: the energy of each 30 ms frame")
    func capturePipeline() throws {
        try withTemporaryDirectory("mybro-kernel") { directory in
            var generator = SeededGenerator(seed: 71)
            let samples = (0..<16_000).map { index -> Int16 in
                let phase = Double(index) * 2 * Double.pi * 440 / 16000
                let level: Double = index < 8000 ? 8000 : 800
                return Int16(level * sin(phase) + Double.random(in: -100...100, using: &generator))
            }
            try Self.wav(samples).write(to: URL(fileURLWithPath: directory + "/talk.wav"))
            let result = try shell(
                "mybro-capture --input \(shellQuoted(directory + "/talk.wav")) | mybro-kernel l2 --pcm --window 480 --format json"
            )
            #expect(result.status == 0, "\(result.stderr)")
            let records = try Self.records(result)
            #expect(records.count == (16_000 + 479) / 480)
            for (index, record) in records.enumerated() {
                let start = index * 480
                let frame = samples[start..<min(samples.count, start + 480)]
                var squares = 0.0
                for sample in frame { squares += Double(sample) * Double(sample) }
                let reference = (squares / (32768.0 * 32768)).squareRoot()
                #expect(record["type"] as? String == "reduction")
                #expect(record["n"] as? Int == frame.count)
                #expect(abs((record["t0"] as? Double ?? -1) - Double(start) / 16000) < 1e-9)
                #expect(abs((record["value"] as? Double ?? -1) - reference) <= 1e-6 * reference + 1e-9)
            }
        }
    }

    @Test("binary maps give the library's results bit for bit, and reductions one value")
    func binaryStreams() throws {
        let x = TestData.uniform(100_001, -50...50, seed: 72)
        let exp = try shell("mybro-kernel exp", input: Self.floats(x))
        #expect(exp.status == 0)
        let library = kernelPathLock.withLock { _ in Kernels.map(.exp, x) }  // on the process's own path
        #expect(Self.floats(exp.stdout).map(\.bitPattern) == library.map(\.bitPattern))
        let sum = try shell("mybro-kernel sum", input: Self.floats(x))
        #expect(Self.floats(sum.stdout) == [kernelPathLock.withLock { _ in Kernels.sum(x) }])
        let windows = try shell("mybro-kernel max --window 30000", input: Self.floats(x))
        #expect(Self.floats(windows.stdout).count == 4)
        #expect(Self.floats(windows.stdout)[3] == x[90_000...].max())
    }

    @Test("a second operand from --other or --scalar; a short --other is an error")
    func operands() throws {
        try withTemporaryDirectory("mybro-kernel") { directory in
            let a = TestData.uniform(70_000, -5...5, seed: 73)
            let b = TestData.uniform(70_000, 1...5, seed: 74)
            try Self.floats(b).write(to: URL(fileURLWithPath: directory + "/b.f32"))
            let other = shellQuoted(directory + "/b.f32")
            let divided = try shell("mybro-kernel div --other \(other)", input: Self.floats(a))
            #expect(Self.floats(divided.stdout) == zip(a, b).map { $0 / $1 })
            let scaled = try shell("mybro-kernel mul --scalar 2.5", input: Self.floats(a))
            #expect(Self.floats(scaled.stdout) == a.map { $0 * 2.5 })
            let masked = try shell("mybro-kernel masked_sum --other \(other) --format binary", input: Self.floats(a))
            #expect(masked.status == 0)
            let short = try shell("mybro-kernel add --other \(other)", input: Self.floats(a + a))
            #expect(short.status == 65)
            #expect(short.stderrLines.count == 1 && short.stderr.contains("ended before stdin"))
            let missing = try shell("mybro-kernel add --other \(shellQuoted(directory + "/none"))", input: Data())
            #expect(missing.status == 66)
        }
    }

    @Test("JSON Lines: maps keep the lines, bad lines are skipped with one warning (65 with --strict)")
    func jsonLines() throws {
        let input = "[1,2,3]\n[0.5]\n[1,NaN]\n{\"a\":1}\n[\"x\"]\n[1e39]\n\n[-1,4]\n"
        let result = try shell("mybro-kernel neg --format json", input: Data(input.utf8))
        #expect(result.status == 0)
        #expect(result.stdoutLines == ["[-1,-2,-3]", "[-0.5]", "[1,-4]"])
        #expect(result.stderrLines.count == 4, "\(result.stderr)")
        let strict = try shell("mybro-kernel neg --format json --strict", input: Data(input.utf8))
        #expect(strict.status == 65)
        #expect(strict.stdoutLines == ["[-1,-2,-3]", "[-0.5]"])
        let logs = try shell("mybro-kernel log --format json", input: Data("[-1,0,1]\n".utf8))
        #expect(logs.stdoutLines == ["[null,null,0]"])
        let scan = try shell("mybro-kernel scan --format json --exclusive", input: Data("[1,2]\n[3]\n".utf8))
        #expect(scan.stdoutLines == ["[0,1]", "[3]"])
    }

    @Test("odd byte counts, random bytes and empty input get one-line messages and documented statuses")
    func hostileInput() throws {
        let odd = try shell("mybro-kernel sum", input: Self.floats([1, 2, 3]) + Data([7, 7]))
        #expect(odd.status == 0 && Self.floats(odd.stdout) == [6])
        #expect(odd.stderrLines.count == 1 && odd.stderr.contains("2 stray bytes"))
        let strict = try shell("mybro-kernel sum --strict", input: Self.floats([1, 2, 3]) + Data([7]))
        #expect(strict.status == 65)
        var generator = SeededGenerator(seed: 75)
        let noise = Data((0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let json = try shell("mybro-kernel sum --format json", input: noise)
        #expect(json.status == 0)
        #expect(try Self.records(json).count == 1)
        let binary = try shell("mybro-kernel tanh | mybro-kernel abs | mybro-kernel max", input: noise)
        #expect(binary.status == 0)
        let empty = try shell("mybro-kernel mean --format json", input: Data())
        #expect(try Self.records(empty).first?["value"] is NSNull)
        let pcmOdd = try shell("mybro-kernel sum --pcm", input: Data([1, 0, 2]))
        #expect(pcmOdd.status == 0 && pcmOdd.stderrLines.count == 1)
        let huge = try shell("mybro-kernel sum --window 100000000")
        #expect(huge.status == 64 && huge.stderrLines.count == 1 && huge.stderr.contains("--window"))
        for misuse in ["exp --bins 5", "sum --scalar 2", "neg --window 4", "bench --pcm", "list --sizes 1e5"] {
            let refused = try shell("mybro-kernel \(misuse)")
            #expect(refused.status == 64 && refused.stderrLines.count == 1, "\(misuse): \(refused.stderr)")
        }
        let blocks = try shell("mybro-kernel transpose --rows 2 --columns 3", input: Self.floats([1, 2, 3, 4]))
        #expect(blocks.status == 65 && blocks.stderrLines.count == 1)
    }

    @Test("a closed downstream pipe ends the command quietly with status 0")
    func brokenPipe() throws {
        // The producer's own complaint about the pipe mybro-kernel closed is not mybro-kernel's.
        let script = """
            { head -c 40000000 /dev/zero 2>/dev/null; } | mybro-kernel exp | head -c 100 > /dev/null
            echo "${PIPESTATUS[1]}"
            """
        let result = try shell("bash -c \(shellQuoted(script))")
        #expect(result.stdoutText == "0\n", "mybro-kernel's status: \(result.stdoutText)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test("transforms, quantization and batched products through the command")
    func otherKernels() throws {
        try withTemporaryDirectory("mybro-kernel") { directory in
            let x = TestData.uniform(6 * 1000, -3...3, seed: 76)
            let transposed = try shell("mybro-kernel transpose --rows 2 --columns 3", input: Self.floats(x))
            var expected: [Float] = []
            for block in 0..<1000 {
                expected += Kernels.transpose(Array(x[block * 6..<block * 6 + 6]), rows: 2, columns: 3)
            }
            #expect(Self.floats(transposed.stdout) == expected)
            let planar = try shell("mybro-kernel repack --channels 2 --to planar", input: Self.floats(x))
            #expect(Self.floats(planar.stdout) == Kernels.repack(x, channels: 2, to: .planar))
            let roundTrip = try shell(
                "mybro-kernel quantize --window 600 | mybro-kernel dequantize --window 600", input: Self.floats(x))
            let restored = Self.floats(roundTrip.stdout)
            #expect(restored.count == x.count)
            let halfStep: Float = 3.0 / 127 / 2 * 1.001
            #expect(zip(x, restored).allSatisfy { abs($0 - $1) <= halfStep })
            let quantizedJSON = try shell(
                "mybro-kernel quantize --format json | mybro-kernel dequantize --format json",
                input: Data("[1,-2,0.5]\n".utf8))
            #expect(quantizedJSON.stdoutLines.count == 1)
            let query = Array(x[0..<6])
            try Self.floats(query).write(to: URL(fileURLWithPath: directory + "/q.f32"))
            let cosine = try shell(
                "mybro-kernel cosine --query \(shellQuoted(directory + "/q.f32"))", input: Self.floats(x))
            let cosines = kernelPathLock.withLock { _ in Kernels.cosine(query: query, matrix: x) }
            #expect(Self.floats(cosine.stdout) == cosines)
            // Two queries of 3: per row of stdin, one similarity per query (a JSON line per row).
            let twoQueries = Array(x[6..<12])
            try Self.floats(twoQueries).write(to: URL(fileURLWithPath: directory + "/q2.f32"))
            let many = try shell(
                "mybro-kernel cosine --length 3 --query \(shellQuoted(directory + "/q2.f32"))", input: Self.floats(x))
            let manyExpected = kernelPathLock.withLock { _ in
                Kernels.cosines(queries: twoQueries, rowLength: 3, matrix: x)
            }
            #expect(many.status == 0 && Self.floats(many.stdout) == manyExpected, "\(many.stderr)")
            try Data("[1,0,0]\n[0,2,0]\n".utf8).write(to: URL(fileURLWithPath: directory + "/q2.json"))
            let json = try shell(
                "mybro-kernel cosine --format json --length 3 --query \(shellQuoted(directory + "/q2.json"))",
                input: Data("[3,4,0,0,0,5]\n".utf8))
            #expect(json.stdoutLines == ["[0.6,0.8]", "[0,0]"], "\(json.stderr)")
            let ragged = try shell(
                "mybro-kernel cosine --length 4 --query \(shellQuoted(directory + "/q2.f32"))", input: Self.floats(x))
            #expect(
                ragged.status == 65 && ragged.stderr.contains("not whole queries of --length 4"), "\(ragged.stderr)")
            let compact = try shell("mybro-kernel compact --above 2", input: Self.floats(x))
            #expect(Self.floats(compact.stdout) == x.filter { $0 > 2 })
            let counted = try shell(
                "mybro-kernel threshold_count --above 2 --format json", input: Data("[1,2,3,4]\n".utf8))
            #expect(try Self.records(counted).first?["value"] as? Int == 2)
        }
    }

    @Test("list names every kernel with its arity and costs")
    func list() throws {
        let result = try shell("mybro-kernel list --format json")
        let names = try Self.records(result).compactMap { $0["name"] as? String }
        #expect(names == KernelCatalog.all.map(\.name))
        #expect(names.count == 30)
    }
}
