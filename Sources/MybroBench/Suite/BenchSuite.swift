import CMybroBench
import Foundation
import MybroCore
import MybroKernels

/// The whole measurement: what each part measures, how long, in which order. Progress goes to
/// stderr (Log at info level), one line per part.
public struct BenchSuite {
    public enum Part: String, CaseIterable, Sendable {
        case memory, curve, sgemm, kernels, disk, speech
    }

    public var quick: Bool
    public var parts: Set<Part> = Set(Part.allCases)
    /// Where the disk test writes its file (default $XDG_CACHE_HOME/mybro/bench).
    public var diskDirectory: String
    /// Finds mybro-transcribe and mybro-say (beside this executable, then PATH).
    public var locator = CommandLocator()
    public var sampler: Sampler
    /// The kernels at these sizes only (a re-measurement); nil: at the run's sizes.
    var kernelSizes: [Int]?

    public init(quick: Bool, diskDirectory: String? = nil, sampler: Sampler) {
        self.quick = quick
        self.diskDirectory = diskDirectory ?? (XDGDirectories.mybro(.cache) + "/bench")
        self.sampler = sampler
    }

    public static var availableCPUs: Int { Int(mybro_available_cpus()) }

    /// Measures each part asked for, in order, handing each figure to `emit` as it is ready.
    /// A stop signal (SIGINT, SIGTERM, SIGHUP) ends it after the figure under way: `stopped`
    /// is then true and the caller must not treat the figures as a whole run.
    public func run(hardware: Hardware, emit: (Measurement) throws -> Void) throws {
        do {
            try measure(hardware: hardware) { figure in
                try emit(figure)
                if Signals.stopRequested { throw Stopped() }
            }
        } catch is Stopped {
            return
        }
    }

    public static var stopped: Bool { Signals.stopRequested }

    /// Measures `figures` (from a finished run) again, the same way: only the parts they belong
    /// to and, for kernels, every kernel at their sizes only (a kernel is judged against its
    /// peers too, `PeerShift`, so they are measured again beside it). Returns every figure those
    /// parts give (a caller matches them by key). `Comparison.confirm` takes them.
    public func remeasure(_ figures: [Measurement], hardware: Hardware) throws -> [Measurement] {
        var again = self
        again.parts = Set(figures.compactMap { Self.part(of: $0.name) })
        let kernels = figures.filter { Self.part(of: $0.name) == .kernels }
        again.kernelSizes = Set(kernels.compactMap { $0.context["n"]?.doubleValue.map { Int($0) } }).sorted()
        if again.kernelSizes?.isEmpty == true { again.kernelSizes = nil }
        var result: [Measurement] = []
        try again.run(hardware: hardware) { result.append($0) }
        return result
    }

    /// The part that measures a figure of this name; nil for a name no part gives.
    static func part(of name: String) -> Part? {
        if name == "memory.curve" { return .curve }
        if name.hasPrefix("memory.") { return .memory }
        if name == "sgemm" { return .sgemm }
        if name.hasPrefix("kernel.") { return .kernels }
        if name.hasPrefix("disk.") { return .disk }
        if name.hasPrefix("vad.") || name.hasPrefix("transcribe.") { return .speech }
        return nil
    }

    struct Stopped: Error {}

    func measure(hardware: Hardware, emit: (Measurement) throws -> Void) throws {
        let threads = Self.availableCPUs
        let repetitions = 10  // STREAM's NTIMES, --quick included: the figures the anchor is compared with
        var triadAll: Double?
        if parts.contains(.memory) || parts.contains(.curve) {
            let elements = MemoryBandwidth.elements(
                lastLevelCacheBytes: hardware.lastLevelCacheBytes, memoryBytes: hardware.memoryBytes)
            progress("memory: STREAM kernels on \(elements) doubles per array (\((elements * 24) >> 20) MiB)")
            let memory = try MemoryBandwidth(elements: elements, threads: threads)
            defer { memory.release() }
            if parts.contains(.memory) {
                for count in Set([1, threads]).sorted() {
                    for figure in try memory.stream(threads: count, repetitions: repetitions) {
                        if figure.name == "memory.triad" && count == threads { triadAll = figure.value }
                        try emit(figure)
                    }
                }
            }
            if parts.contains(.curve) {
                progress("memory: read bandwidth over working-set sizes (1 thread)")
                let sizes = memory.curveSizes(step: quick ? 4 : 2)
                for figure in try memory.curve(sizes: sizes, repetitions: quick ? 3 : 5) { try emit(figure) }
            }
        }
        if parts.contains(.sgemm) {
            let size = quick ? 1024 : 2048
            progress("sgemm: OpenBLAS, \(size)×\(size), 1 and \(threads) threads")
            for count in Set([1, threads]).sorted() {
                try emit(
                    MatrixThroughput.sgemm(size: size, threads: count, repetitions: quick ? 3 : 5, sampler: sampler))
            }
        }
        if parts.contains(.kernels) {
            let sizes = kernelSizes ?? (quick ? [1_000_000] : [100_000, 10_000_000])
            let kernels = KernelCatalog.all
            for n in sizes {
                progress("kernels: \(kernels.count) mybro kernels at n = \(n) (\(Kernels.path) path)")
                for figure in KernelSuite.measure(
                    n: n, repetitions: quick ? 3 : 5, triad: triadAll, sampler: sampler, kernels: kernels,
                    sampleSeconds: quick ? 0.002 : 0.005)
                {
                    try emit(figure)
                }
            }
        }
        if parts.contains(.disk) {
            let bytes = quick ? 64 << 20 : 512 << 20
            progress("disk: sequential read of \(bytes >> 20) MiB in \(diskDirectory)")
            // One part that cannot run (a read-only or full disk) costs its figure, not the run.
            do {
                try emit(DiskRead.measure(directory: diskDirectory, bytes: bytes, repetitions: 3))
            } catch let error as MybroError {
                Log.shared.warning("disk: \(error.message): no disk figure (--disk-dir DIR picks another folder)")
            }
        }
        if parts.contains(.speech) {
            progress("speech: VAD throughput")
            try emit(SpeechThroughput.vad(audioSeconds: quick ? 30 : 120, repetitions: quick ? 3 : 5, sampler: sampler))
            try transcription(emit: emit)
        }
    }

    /// Each installed model's real-time factor on speech made by mybro-say (the first model only
    /// with --quick). Without the commands or a model it says why and measures nothing.
    func transcription(emit: (Measurement) throws -> Void) throws {
        var models = SpeechThroughput.installedModels()
        guard !models.isEmpty else {
            Log.shared.info("speech: no Whisper model installed (make setup installs one): no transcription figure")
            return
        }
        guard let transcriber = locator.locate("transcribe"), let say = locator.locate("say") else {
            Log.shared.info("speech: mybro-transcribe or mybro-say is not installed: no transcription figure")
            return
        }
        if quick { models = Array(models.prefix(1)) }
        let directory = FileManager.default.temporaryDirectory.path + "/mybro-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let audio = directory + "/speech.wav"
        let text =
            quick
            ? "please run the tests, then build the project in release mode"
            : "please run the tests in the sources folder, then build the project in release mode "
                + "and tell me how long the last build took"
        let made = try ChildProcess.capture(arguments: [say, text, "--output", audio, "--wav"], timeout: 60)
        guard made.status == 0, let attributes = try? FileManager.default.attributesOfItem(atPath: audio),
            let size = attributes[.size] as? Int, size > 44
        else {
            Log.shared.warning("speech: mybro-say could not make test speech: no transcription figure")
            return
        }
        let audioSeconds = Double(size - 44) / 32_000
        for model in models {
            progress("speech: mybro-transcribe with \((model as NSString).lastPathComponent)")
            let figure: Measurement
            do {
                figure = try SpeechThroughput.transcribe(
                    transcriber: transcriber, model: model, audio: audio, audioSeconds: audioSeconds, spoken: text,
                    repetitions: quick ? 2 : 3, copies: quick ? 2 : 3)
            } catch {
                // A broken model costs its own figure only.
                Log.shared.warning("speech: \(error.message): no figure for this model")
                continue
            }
            try emit(figure)
        }
    }

    func progress(_ message: String) { Log.shared.info(message) }
}
