import Foundation
import MybroKernels
import MybroTestSupport
import Testing

/// The Vulkan path, run on Mesa's lavapipe (mesa-vulkan-drivers, installed by `make setup`), so
/// the GPU code is tested on every machine; against float64 references and the CPU kernels.
@Suite("Vulkan backend on lavapipe")
struct GPUTests {
    static func open() throws -> VulkanBackend {
        do {
            return try VulkanBackend(allowCPU: true)
        } catch {
            Issue.record("no Vulkan device (\(error)); `make setup` installs mesa-vulkan-drivers")
            throw error
        }
    }

    /// The shaders use the CPU kernels' polynomials: measured 1.3–2.6 ULP on lavapipe; 4 leaves room for
    /// other drivers' division and denormal handling.
    @Test("maps match float64 within 4 ULP, special values as numpy")
    func maps() throws {
        let gpu = try Self.open()
        let subnormals: [Float] = [.leastNonzeroMagnitude, -.leastNonzeroMagnitude, 1e-40, -1e-40]
        let x = TestData.uniform(100_003, -20...20, seed: 81) + [.nan, .infinity, -.infinity, 0, -0.0] + subnormals
        let positive =
            TestData.wide(100_000, exponents: -37...38, seed: 82).map(\.magnitude) + [0, -1, .infinity, .nan]
            + subnormals.filter { $0 > 0 }
        let references: [(UnaryOperation, [Float], (Double) -> Double, Double)] = [
            (.exp, x, { Foundation.exp($0) }, 4), (.log, positive, { $0 < 0 ? .nan : Foundation.log($0) }, 4),
            (.sigmoid, x, { 1 / (1 + Foundation.exp(-$0)) }, 4), (.tanh, x, { Foundation.tanh($0) }, 4),
        ]
        for (operation, input, reference, bound) in references {
            var y = input
            try gpu.map(operation, &y)
            let worst = zip(input, y).map { TestData.ulps($1, reference(Double($0))) }.max() ?? 0
            #expect(worst <= bound, "\(operation) on \(gpu.deviceName): \(worst) ULP")
        }
        for operation in [UnaryOperation.relu, .abs, .neg] {
            var y = x
            try gpu.map(operation, &y)
            #expect(y.map(\.bitPattern) == Kernels.map(operation, x).map(\.bitPattern), "\(operation)")
        }
        let b = TestData.uniform(x.count, 0.5...4, seed: 83)
        for operation in BinaryOperation.allCases {
            var y = x
            try gpu.map(operation, &y, b)
            let cpu = Kernels.map(operation, x, b)
            let worst = zip(cpu, y).map { TestData.ulps($1, Double($0)) }.max() ?? 0
            // Vulkan lets division be 2.5 ULP off; the shader corrects it to the rounded quotient.
            #expect(worst == 0, "\(operation): \(worst) ULP from the CPU")
            var z = x
            try gpu.map(operation, &z, scalar: 3)
            let scalar = Kernels.map(operation, x, scalar: 3)
            let same = zip(scalar, z).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
            #expect(same, "\(operation) by a scalar")
        }
    }

    @Test("reductions: sums within 2^-20 of Σ|x|, min and max exact, NaN spreads", arguments: [1, 255, 257, 1_000_003])
    func reductions(count: Int) throws {
        let gpu = try Self.open()
        let x = TestData.uniform(count, -3...5, seed: UInt64(count) + 84)
        let magnitude = x.reduce(0.0) { $0 + Double(abs($1)) }
        try x.withUnsafeBufferPointer { xs in
            let sum = try gpu.sum(xs)
            #expect(abs(sum - x.reduce(0.0) { $0 + Double($1) }) <= magnitude * 0x1p-20)
            var squares = 0.0
            for value in x { squares += Double(value) * Double(value) }
            let squareSum = try gpu.squareSum(xs)
            let minimum = try gpu.min(xs)
            let maximum = try gpu.max(xs)
            #expect(abs(squareSum - squares) <= squares * 0x1p-20)
            #expect(minimum == x.min())
            #expect(maximum == x.max())
        }
        // The first and last values fall in the shader's four-way trips and in its tail.
        for position in Set([0, count / 2, count - 1]) {
            var withNaN = x
            withNaN[position] = .nan
            try withNaN.withUnsafeBufferPointer { xs in
                let sum = try gpu.sum(xs)
                let minimum = try gpu.min(xs)
                let maximum = try gpu.max(xs)
                #expect(sum.isNaN && minimum.isNaN && maximum.isNaN, "NaN at \(position) of \(count)")
            }
        }
        try [Float]().withUnsafeBufferPointer { empty in
            let sum = try gpu.sum(empty)
            let maximum = try gpu.max(empty)
            #expect(sum == 0 && maximum.isNaN)
        }
    }

    @Test("batched dot products and cosine similarity match the CPU's", arguments: [1, 7, 256, 300, 768])
    func batched(rowLength: Int) throws {
        let gpu = try Self.open()
        let a = TestData.uniform(40 * rowLength, -1...1, seed: UInt64(rowLength) + 86)
        let b = TestData.uniform(40 * rowLength, -1...1, seed: UInt64(rowLength) + 87)
        let dots = try gpu.dotPairs(a, b, rowLength: rowLength)
        let cpuDots = Kernels.dotPairs(a, b, rowLength: rowLength)
        #expect(zip(dots, cpuDots).allSatisfy { abs($0 - $1) <= 1e-5 * Float(rowLength) })
        let query = Array(b[0..<rowLength])
        let cosines = try gpu.cosine(query: query, matrix: a)
        #expect(zip(cosines, Kernels.cosine(query: query, matrix: a)).allSatisfy { abs($0 - $1) <= 1e-5 })
        #expect(try gpu.cosine(query: [0, 0], matrix: [1, 2])[0].isNaN)
    }

    /// cosines.comp's 128 × 128 tiles and 8-value steps: shapes that end inside a tile and a step.
    @Test("many-query cosines match the CPU's, whole and in pieces", arguments: [1, 9, 768])
    func manyQueries(rowLength: Int) throws {
        let gpu = try Self.open()
        let rows = 300, count = 130
        let m = TestData.uniform(rows * rowLength, -1...1, seed: UInt64(rowLength) + 90)
        var queries = TestData.uniform(count * rowLength, -1...1, seed: UInt64(rowLength) + 91)
        for k in 0..<rowLength { queries[129 * rowLength + k] = 0 }
        let cpu = Kernels.cosines(queries: queries, rowLength: rowLength, matrix: m)
        let whole = try gpu.cosines(queries: queries, rowLength: rowLength, matrix: m)
        #expect(whole.count == cpu.count)
        for (index, (g, c)) in zip(whole, cpu).enumerated() {
            if index % count == 129 {
                #expect(g.isNaN && c.isNaN)
            } else {
                #expect(abs(g - c) <= 2e-6, "row \(index / count) query \(index % count)")
            }
        }
        // Pieces of fewer rows than a tile: the same values.
        let limited = try VulkanBackend(allowCPU: true, pieceLimit: Swift.max(count * rowLength, 130 * 40))
        let pieces = try limited.cosines(queries: queries, rowLength: rowLength, matrix: m)
        #expect(pieces.map(\.bitPattern) == whole.map(\.bitPattern))
        #expect(throws: (any Error).self) {
            _ = try VulkanBackend(allowCPU: true, pieceLimit: 100).cosines(
                queries: queries, rowLength: rowLength, matrix: m)
        }
    }

    @Test("inputs longer than one dispatch run in pieces with the same results")
    func pieces() throws {
        let whole = try Self.open()
        let limited = try VulkanBackend(allowCPU: true, pieceLimit: 1000)
        #expect(limited.maxElements == 1000 && whole.maxElements > 1000)
        var x = TestData.uniform(4_321, -3...3, seed: 88)
        for operation in [UnaryOperation.exp, .tanh, .neg] {
            var a = x
            var b = x
            try whole.map(operation, &a)
            try limited.map(operation, &b)
            #expect(a == b, "\(operation)")
        }
        var a = x
        var b = x
        try whole.map(.div, &a, x.reversed())
        try limited.map(.div, &b, x.reversed())
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        let (sums, extremes) = try x.withUnsafeBufferPointer { xs in
            ((try limited.sum(xs), try whole.sum(xs)), (try limited.min(xs), try limited.max(xs)))
        }
        // Each piece's workgroups sum in float, so the two orders differ within the reduction test's bound.
        #expect(abs(sums.0 - sums.1) <= x.reduce(0.0) { $0 + Double(abs($1)) } * 0x1p-20)
        #expect(extremes.0 == x.min() && extremes.1 == x.max())
        x[3_500] = .nan  // in the fourth piece only
        let withNaN = try x.withUnsafeBufferPointer { xs in
            [Double(try limited.min(xs)), Double(try limited.max(xs)), try limited.sum(xs)]
        }
        #expect(withNaN.allSatisfy { $0.isNaN })
        // Rows of 300: three to a piece; the last piece shorter.
        let m = TestData.uniform(300 * 17, -1...1, seed: 89)
        let query = Array(m[0..<300])
        let cosines = (try limited.cosine(query: query, matrix: m), try whole.cosine(query: query, matrix: m))
        #expect(cosines.0 == cosines.1)
        let dots = (
            try limited.dotPairs(m, m.reversed(), rowLength: 300), try whole.dotPairs(m, m.reversed(), rowLength: 300)
        )
        #expect(dots.0 == dots.1)
        #expect(throws: (any Error).self) { _ = try limited.dotPairs(m, m, rowLength: 1700) }
    }

    @Test("mybro-kernel --device gpu gives the CPU's results; with no driver it says so once and uses the CPU")
    func command() throws {
        let x = TestData.uniform(50_000, -4...4, seed: 85)
        let input = CommandTests.floats(x)
        let gpu = try shell("mybro-kernel neg --device gpu | mybro-kernel max --device gpu", input: input)
        #expect(gpu.status == 0, "\(gpu.stderr)")
        #expect(CommandTests.floats(gpu.stdout) == [-x.min()!])
        let noDriver = try shell(
            "mybro-kernel neg --device gpu", input: input, environment: ["VK_ICD_FILENAMES": "/nonexistent.json"])
        #expect(noDriver.status == 0)
        #expect(noDriver.stderrLines.count == 1 && noDriver.stderr.contains("using the CPU"), "\(noDriver.stderr)")
        #expect(CommandTests.floats(noDriver.stdout) == x.map { -$0 })
        // Batched streams run on the device too: many queries give a row of similarities per row.
        try withTemporaryDirectory("mybro-gpu-cosines") { directory in
            let queries = TestData.uniform(3 * 8, -1...1, seed: 92)
            try CommandTests.floats(queries).write(to: URL(fileURLWithPath: directory + "/q.f32"))
            let rows = TestData.uniform(5 * 8, -1...1, seed: 93)
            let many = try shell(
                "mybro-kernel cosine --device gpu --length 8 --query \(shellQuoted(directory + "/q.f32"))",
                input: CommandTests.floats(rows))
            #expect(many.status == 0, "\(many.stderr)")
            let expected = Kernels.cosines(queries: queries, rowLength: 8, matrix: rows)
            let got = CommandTests.floats(many.stdout)
            #expect(got.count == 15 && zip(got, expected).allSatisfy { abs($0 - $1) <= 1e-6 })
        }
        let auto = try shell("mybro-kernel neg --device auto -q", input: input)
        #expect(auto.status == 0 && CommandTests.floats(auto.stdout) == x.map { -$0 })
        let bench = try shell("mybro-kernel bench sum cosine --device gpu --sizes 1e4 --format json")
        #expect(bench.status == 0, "\(bench.stderr)")
        let records = bench.stdoutLines.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(
            records.compactMap { $0["type"] as? String } == [
                "device_copy", "device_copy", "device_peak", "bench", "bench", "bench",
            ])
        #expect(
            records.compactMap { $0["kernel"] as? String } == [
                "copy", "copy_buffer", "fma_peak", "sum", "cosine", "cosine",
            ])
        // The many-query record: 13 rows of 768 and as many queries, its share of the FMA rate.
        #expect(records[5]["rows"] as? Int == 13 && records[5]["queries"] as? Int == 13, "\(records[5])")
        #expect((records[5]["peak_fraction"] as? Double ?? 0) > 0 && (records[2]["gflop_per_s"] as? Double ?? 0) > 0)
        // lavapipe writes timestamps: each time is the device's own, within the host's wall time.
        for record in records {
            let seconds = record["seconds"] as? Double ?? 0
            let wall = record["wall_seconds"] as? Double ?? 0
            #expect(record["timer"] as? String == "device" && seconds > 0 && seconds <= wall, "\(record)")
        }
    }
}

/// The committed SPIR-V header must be what glslc makes of the committed GLSL.
@Suite("Shaders")
struct ShaderDriftTests {
    @Test("Sources/CMybroVulkan/shaders_spirv.h is regenerated from the GLSL without a difference")
    func noDrift() throws {
        try withTemporaryDirectory("mybro-shaders") { directory in
            let root = BuiltCommands.packageRoot
            let result = try shell(
                "\(shellQuoted(root + "/scripts/generate-shaders.sh")) \(shellQuoted(directory + "/header.h"))")
            #expect(result.status == 0, "glslc (Debian's glslc, installed by make setup): \(result.stderr)")
            let committed = try Data(contentsOf: URL(fileURLWithPath: root + "/Sources/CMybroVulkan/shaders_spirv.h"))
            let fresh = try Data(contentsOf: URL(fileURLWithPath: directory + "/header.h"))
            #expect(committed == fresh, "run `make shaders` and commit the header")
        }
    }
}
