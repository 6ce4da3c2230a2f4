import ArgumentParser
import MybroCore
import MybroKernels

@main
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-kernel",
        abstract:
            "Apply mybro's float32 kernels (SIMD on the CPU, Vulkan on a GPU) to a stream, list them, or time them.",
        discussion: """
            mybro-kernel NAME reads stdin and writes stdout as the data arrives. Input is float32 \
            little-endian by default; --pcm takes mybro's 16 kHz s16 stream (a WAV header is accepted), \
            scaled to [-1, 1); --format json reads and writes JSON Lines arrays of numbers (one array \
            per line; maps keep the lines; with --pcm it sets the output format only). Maps keep the length. Reductions write one value at the end, \
            or one per --window N values (the last window may be shorter): float32 in binary, a \
            reduction record {kernel, window, start, n, value (counts for histogram), t0, t1 with --pcm} \
            in JSON. NaN and infinities are written as null in JSON.

            SECOND OPERANDS
              add, sub, mul, div   --scalar X, or --other FILE (a stream in the same format, read in step)
              masked_sum, compact  --other FILE as the mask (a value counts when it is not 0); compact \
            also takes --above X
              threshold_count      --above X (default 0)
              dot                  --other FILE and --length K: one dot product per row pair
              cosine               --query FILE: one similarity per row of stdin; with --length K the \
            file holds several queries of K values each, and each row of stdin gives one similarity per \
            query, in the queries' order (on a GPU a tiled matrix product)

            Quantized data (quantize's output, dequantize's input) is, per row, the scale as float32 \
            then the row's int8 values; in JSON a quantized record {row, scale, values}.

            DEVICES
            --device gpu runs the maps, sum, mean, l2, square_sum, min, max, dot and cosine on a Vulkan device \
            (Mesa's lavapipe included); the other kernels run on the CPU, with a warning. With no \
            Vulkan loader or device it says so once and uses the CPU. auto (the default) uses a \
            Vulkan GPU when there is one (not lavapipe), else the CPU, quietly (-v says why).

            LIST AND BENCH
              mybro-kernel list [--format json]
                the kernels, their family, arity and FLOP and byte counts per element
              mybro-kernel bench [NAME…] [--sizes 1e5,1e6,1e7,1e8] [--device …] [--format json] [--no-numpy]
                a bench record per kernel, size and device: seconds (best of repetitions), gb_per_s, \
            gflop_per_s and stream_fraction, the share of the STREAM triad measured first in the same run \
            (on a GPU, of the faster of a copy kernel and the driver's buffer copy, and seconds are the \
            device's own from GPU timestamps, with wall_seconds beside them); with python3 and numpy also numpy_seconds and \
            numpy_ratio (numpy's time over mybro's), numpy timed on the same sizes in the same run. \
            On a GPU, bench cosine also times 512 queries against the rows of 768 (a device_peak record \
            first: the device's fp32 rate from FMA chains), with peak_fraction, its share of that rate.

            EXAMPLES
              mybro-capture --input talk.wav | mybro-kernel l2 --pcm --window 480 --format json
              mybro-kernel exp < x.f32 > y.f32
              mybro-kernel mul --other weights.f32 < x.f32 | mybro-kernel sum
              echo '[1,2,3]' | mybro-kernel scan --format json
              mybro-kernel histogram --bins 20 --range -1,1 --pcm < talk.wav --format json
              mybro-kernel quantize --window 256 < x.f32 | mybro-kernel dequantize --window 256 > y.f32

            """ + ManualText.common,
        version: MybroVersion.string
    )

    /// Usage errors as one line in the toolkit's format (see `mybroMain`).
    static func main() { mybroMain() }

    @Argument(help: "The kernel (see mybro-kernel list), or list, or bench followed by kernels to time.")
    var words: [String] = []

    var name: String { words.first ?? "" }

    @Flag(help: "Read 16 kHz s16le PCM (or a WAV stream) instead of float32.")
    var pcm = false

    @Option(
        help:
            "Stream format: binary (float32 LE, the default) or json; with --pcm, the output's only. list and bench: text (default) or json."
    )
    var format: Format?

    @Option(help: "Reduce each window of N values (1 to 67108864); quantize and dequantize: the row length.")
    var window: Int?

    @Option(help: "The second operand of add, sub, mul and div as one number (|X| at most 1e18).")
    var scalar: Double?

    @Option(help: "The second operand as a stream in the same format (add…div, masked_sum, compact, dot).")
    var other: String?

    @Option(help: "cosine: the query row, a file in the same format.")
    var query: String?

    @Option(help: "compact and threshold_count: keep or count the values above this number (|X| at most 1e18).")
    var above: Double?

    @Option(help: "histogram: the number of bins (1 to 1048576).")
    var bins = 10

    @Option(help: "histogram: the range as LOW,HIGH (finite, LOW < HIGH; default -1,1).")
    var range: String?

    @Flag(help: "scan: write the sum before each value instead of including it.")
    var exclusive = false

    @Option(help: "transpose: rows of each matrix; repack: frames per block (default: the whole input).")
    var rows: Int?

    @Option(help: "transpose: columns of each matrix (rows × columns at most 67108864).")
    var columns: Int?

    @Option(help: "repack: the number of channels (1 to 65536).")
    var channels: Int?

    @Option(help: "repack: the layout to produce, planar or interleaved.")
    var to: Layout?

    @Option(help: "dot: the length of each row; cosine: of each query in --query (1 to 67108864).")
    var length: Int?

    @Option(help: "bench: the sizes to time, comma-separated (each 1000 to 268435456, e.g. 1e5,1e6).")
    var sizes: String?

    @Option(
        help:
            "Where to run: cpu; gpu (a Vulkan device, Mesa's lavapipe included); auto (a Vulkan GPU when there is one, else the CPU)."
    )
    var device: Device = .auto

    @Flag(name: .customLong("no-numpy"), help: "bench: do not time numpy.")
    var noNumpy = false

    @OptionGroup var strict: StrictOption
    @OptionGroup var log: LogOptions

    enum Format: String, ExpressibleByArgument, CaseIterable { case binary, json, text }
    enum Device: String, ExpressibleByArgument, CaseIterable { case auto, cpu, gpu }

    static let maximumBlock = 1 << 26

    var parsedRange: ClosedRange<Double>? {
        let parts = (range ?? "-1,1").split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let low = Double(parts[0]), let high = Double(parts[1]), low.isFinite, high.isFinite,
            low < high
        else { return nil }
        return low...high
    }

    func validate() throws {
        if name == "list" || name == "bench" {
            try validateReport()
            return
        }
        guard words.count <= 1 else {
            throw ValidationError("one kernel at a time: '\(words.joined(separator: " "))' (bench takes several)")
        }
        guard !name.isEmpty else { throw ValidationError("name a kernel: see 'mybro-kernel list'") }
        if format == .text { throw ValidationError("--format text is for list and bench: streams are binary or json") }
        guard let kernel = KernelCatalog.named(name) else {
            throw ValidationError("unknown kernel '\(name)': see 'mybro-kernel list' for the kernels")
        }
        if let window { try OptionRange.check(window, 1...Self.maximumBlock, option: "--window", unit: "values") }
        try OptionRange.check(bins, 1...(1 << 20), option: "--bins", unit: "bins")
        guard parsedRange != nil else {
            throw ValidationError(
                "--range \(range ?? "") is not LOW,HIGH with finite LOW < HIGH: give e.g. --range -1,1")
        }
        // The toolkit refuses integers near Int64's limits everywhere; 1e18 is far beyond any scale used here.
        if let scalar { try OptionRange.check(scalar, -1e18...1e18, option: "--scalar") }
        if let above { try OptionRange.check(above, -1e18...1e18, option: "--above") }
        if let channels { try OptionRange.check(channels, 1...65_536, option: "--channels", unit: "channels") }
        if let rows { try OptionRange.check(rows, 1...Self.maximumBlock, option: "--rows", unit: "rows") }
        if let columns { try OptionRange.check(columns, 1...Self.maximumBlock, option: "--columns", unit: "columns") }
        if let length { try OptionRange.check(length, 1...Self.maximumBlock, option: "--length", unit: "values") }
        try checkApplicable(to: kernel)
        switch kernel.name {
        case "add", "sub", "mul", "div":
            guard (scalar == nil) != (other == nil) else {
                throw ValidationError("\(name) needs a second operand: give --scalar X or --other FILE (one of them)")
            }
        case "masked_sum":
            guard other != nil else { throw ValidationError("masked_sum needs the mask: give --other FILE") }
        case "compact":
            guard !(other != nil && above != nil) else {
                throw ValidationError("compact takes --other or --above, not both")
            }
        case "dot":
            guard other != nil, length != nil else { throw ValidationError("dot needs --other FILE and --length K") }
        case "cosine":
            guard query != nil else { throw ValidationError("cosine needs the query row: give --query FILE") }
        case "transpose":
            guard let rows, let columns else { throw ValidationError("transpose needs --rows R and --columns C") }
            try OptionRange.check(rows * columns, 1...Self.maximumBlock, option: "--rows × --columns", unit: "values")
        case "repack":
            guard let channels else { throw ValidationError("repack needs --channels C") }
            if let rows {
                try OptionRange.check(
                    rows * channels, 1...Self.maximumBlock, option: "--rows × --channels", unit: "values")
            }
        case "dequantize":
            if pcm { throw ValidationError("dequantize reads quantize's output, not PCM") }
        default: break
        }
    }

    var job: KernelJob {
        var job = KernelJob(kernel: KernelCatalog.named(name)!)
        job.format = format == .json ? .json : .binary
        job.pcm = pcm
        job.strict = strict.strict
        job.window = window
        job.scalar = scalar.map(Float.init)
        job.otherPath = other
        job.queryPath = query
        job.above = above.map(Float.init)
        job.bins = bins
        job.range = parsedRange ?? -1...1
        job.exclusive = exclusive
        job.rows = rows
        job.columns = columns
        job.channels = channels
        job.layout = to ?? .planar
        job.length = length
        return job
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-kernel", log: log) {
            switch name {
            case "list": try KernelList.write(json: format == .json)
            case "bench":
                let names = words.dropFirst()
                try KernelBench(
                    kernels: names.isEmpty ? KernelCatalog.all : names.compactMap(KernelCatalog.named),
                    sizes: try parsedSizes(), json: format == .json, numpy: !noNumpy, device: device
                ).run()
            default:
                var job = job
                job.backend = backend(for: job.kernel.name)
                try KernelStream(job: job).run()
            }
        }
    }

    /// The backend for a stream: the GPU where asked and possible, else the CPU, saying why once.
    func backend(for kernel: String) -> any KernelBackend {
        if device == .cpu { return CPUBackend() }
        guard VulkanBackend.kernels.contains(kernel) else {
            if device == .gpu { Log.shared.warning("\(kernel) has no GPU shader: it runs on the CPU") }
            return CPUBackend()
        }
        do {
            let gpu = try VulkanBackend(allowCPU: device == .gpu)
            Log.shared.debug(
                "running \(kernel) on \(gpu.deviceName), "
                    + (gpu.keepsSubnormals
                        ? "subnormals, NaN and infinities kept" : "subnormals may be flushed to zero")
                    + (gpu.floatControls.isEmpty ? "" : " (\(gpu.floatControls))"))
            return gpu
        } catch {
            let message = "\(error): using the CPU"
            // Asked for a GPU: say so. auto: only with -v, so that pipelines on the many machines
            // without a GPU stay quiet.
            if device == .gpu { Log.shared.warning(message) } else { Log.shared.debug(message) }
            return CPUBackend()
        }
    }

    func parsedSizes() throws -> [Int] {
        let sizes = self.sizes ?? "1e5,1e6,1e7,1e8"
        return try sizes.split(separator: ",", omittingEmptySubsequences: false).map { text in
            guard let value = Double(text), value.isFinite, value == value.rounded(), value >= 1000,
                value <= 268_435_456
            else {
                throw ValidationError(
                    "--sizes \(sizes): '\(text)' is out of range: give whole numbers from 1000 to 268435456, e.g. 1e5,1e6"
                )
            }
            return Int(value)
        }
    }

    /// An option the kernel does not use is a mistake, not something to ignore.
    func checkApplicable(to kernel: KernelInfo) throws {
        let name = kernel.name
        let windowed = [.reduction, .fused].contains(kernel.family) || ["quantize", "dequantize"].contains(name)
        let uses: [(String, Bool, Bool)] = [
            ("--window", window != nil, windowed),
            ("--scalar", scalar != nil, ["add", "sub", "mul", "div"].contains(name)),
            ("--other", other != nil, ["add", "sub", "mul", "div", "masked_sum", "compact", "dot"].contains(name)),
            ("--query", query != nil, name == "cosine"),
            ("--above", above != nil, ["compact", "threshold_count"].contains(name)),
            ("--bins", bins != 10, name == "histogram"),
            ("--range", range != nil, name == "histogram"),
            ("--exclusive", exclusive, name == "scan"),
            ("--rows", rows != nil, ["transpose", "repack"].contains(name)),
            ("--columns", columns != nil, name == "transpose"),
            ("--channels", channels != nil, name == "repack"),
            ("--to", to != nil, name == "repack"),
            ("--length", length != nil, ["dot", "cosine"].contains(name)),
            ("--sizes", sizes != nil, false),
            ("--no-numpy", noNumpy, false),
        ]
        for (option, given, used) in uses where given && !used {
            throw ValidationError("\(option) does not apply to \(name) (the help says which kernels take it)")
        }
    }

    /// list and bench take no stream options.
    func validateReport() throws {
        let streamOptions: [(String, Bool)] = [
            ("--pcm", pcm), ("--window", window != nil), ("--scalar", scalar != nil), ("--other", other != nil),
            ("--query", query != nil), ("--above", above != nil), ("--bins", bins != 10), ("--range", range != nil),
            ("--exclusive", exclusive), ("--rows", rows != nil), ("--columns", columns != nil),
            ("--channels", channels != nil), ("--to", to != nil), ("--length", length != nil),
        ]
        for (option, given) in streamOptions where given {
            throw ValidationError("\(option) is for streams: \(name) does not take it")
        }
        if name == "list" && (sizes != nil || noNumpy || device != .auto) {
            throw ValidationError("list takes only --format")
        }
        _ = try parsedSizes()
        if format == .binary {
            throw ValidationError("--format binary is for streams: list and bench write text or json")
        }
        if name == "list" && words.count > 1 { throw ValidationError("list takes no kernel names") }
        for kernel in words.dropFirst() where KernelCatalog.named(kernel) == nil {
            throw ValidationError("unknown kernel '\(kernel)': see 'mybro-kernel list' for the kernels")
        }
    }
}

extension Layout: ExpressibleByArgument {}
