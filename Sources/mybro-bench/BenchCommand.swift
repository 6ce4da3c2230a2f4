import ArgumentParser
import Foundation
import MybroBench
import MybroCore

@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mybro-bench",
        abstract: "Measure what this machine can do, picture it, catch regressions, and route workloads.",
        discussion: """
            With no subcommand, mybro-bench detects the hardware and measures it, printing a table \
            on a terminal or JSON Lines otherwise (--format): a bench_run record, a hardware \
            record, then one measure record per figure, each with every repetition in samples, \
            the best as value, the median, and spread = (largest - smallest) / median. Progress \
            goes to stderr. --quick takes under 10 s, the full run under 60 s (2 cores here).

            DETECTED
            The CPU model, cores and threads (this process's affinity), SIMD features, caches and \
            NUMA nodes (/proc/cpuinfo, /sys/devices/system), the memory size, the Vulkan devices \
            (name, vendor, type, device-local memory, subgroup size; plus nvidia-smi's driver, \
            clocks and power limit on an NVIDIA card), the disks (/sys/block), the OS and kernel, \
            and the Landlock ABI.

            MEASURED
              memory.copy, .scale, .add, .triad  STREAM's kernels, run in STREAM's order each \
            repetition on arrays of max(10^7, 4 x last-level cache / 8) doubles, bytes counted as \
            STREAM counts them (16, 16, 24, 24 per element), on 1 thread and on all available \
            CPUs; the loops are built for the widest vectors the CPU runs, as -march=native builds \
            stream.c (vector_bits: 512, 256 or 128)
              memory.sum, memory.triad_nt  a read-only sum (8 bytes) and the triad with \
            non-temporal stores (no write-allocate traffic)
              memory.curve       read bandwidth on 1 thread per working-set size, 4 KiB to the \
            STREAM array size, doubling (x4 with --quick): the cache levels show as steps
              sgemm              OpenBLAS cblas_sgemm, square 2048 (1024 with --quick), 1 and all threads
              kernel.NAME        each mybro-kernel kernel at n = 10^5 and 10^7 (10^6 with --quick): \
            GB/s by its byte count, with gflop_per_s, intensity (flop/byte) and stream_fraction \
            (of memory.triad on all threads)
              disk.read          a file written and synced under --disk-dir, dropped from the page \
            cache (posix_fadvise) before each sequential read; from_memory says when that was not \
            possible (tmpfs)
              vad.throughput     seconds of audio the VAD classifies per second
              transcribe.rtf     mybro-transcribe's processing time per second of speech made by \
            mybro-say, for each model under $XDG_DATA_HOME/mybro/models (the first only with \
            --quick); the model load is excluded (one file against several in one run)

            A stop signal ends the run after the figure under way, prints and saves nothing, and \
            exits 128 + the signal.

            REGRESSIONS
            --compare FILE reads a run kept with --save and matches figures by name and identity \
            fields (measure records' identity). A figure changed only when the two runs' sample \
            ranges do not overlap AND its median moved by more than the noise floor: the largest \
            of the two runs' spreads and of the spread of its medians over this machine's last 10 \
            earlier full runs (the history, once it holds 3), at least 1 % (5 % when either run \
            has fewer than 3 samples). Repetitions inside a run are back to back and miss what \
            changes between runs (other processes, the cache they thrash): the history measures \
            that, so let a machine gather a few full runs before gating on it. The kernels of one \
            size are measured interleaved, so a busy or quiet machine moves them together: each \
            is also judged against its peers, and regressed when its change over the group's \
            median change is a loss past the group's scatter (4 x 1.4826 x its median absolute \
            deviation, at least 5 %, and past both runs' spreads) and its samples, scaled by the \
            group's change, clear the baseline's; drift between runs then hides no slower \
            kernel. Each such change is improved or regressed by the figure's direction, and \
            printed (a change record in JSON: key, baseline and now medians, change_percent, \
            noise_percent, verdict, beyond_threshold; for a kernel also peer_change_percent, \
            peer_noise_percent and by_peers) with the figures found in one run only (added, \
            missing: never a regression), then a comparison record with the counts. A figure that \
            regressed by more than --threshold percent (default 10) is measured again at once, \
            the same way (only its part; for a kernel, every kernel at that size, its peers), and \
            judged again by the same rule against the same baseline: among ~90 figures a burst of load now and \
            then pushes one past the rule, and a burst does not last where a slower build does. \
            While a recheck still confirms it, it is measured again after --recheck-pause seconds \
            (default 5), up to --rechecks times in all (default 3): a spell of load on a shared \
            host (other machines' work on the same cores) can last seconds. The change record \
            then carries recheck_median and recheck_change_percent (the last recheck's), \
            rechecks and confirmed (by every recheck). \
            The status is 1 when a regression past the threshold is confirmed, after the output \
            and the report are written. A baseline from another CPU model or thread count, or a quick run \
            against a full one, is warned about on stderr and in the comparison record. A missing \
            baseline exits 66, a corrupt one 65, before measuring.

            HISTORY AND REPORT
            Every full run (not --quick, not --only) appends one line of medians (a bench_history record) to \
            $XDG_STATE_HOME/mybro/bench/history.jsonl, under a lock, never rewriting earlier \
            lines; past 1000 runs the newest 500 are kept. A line cut by a kill is skipped with a \
            warning. --report FILE.html writes one self-contained page (inline CSS and SVG, no \
            script, nothing fetched): the hardware, the comparison when --compare is given, \
            bandwidth against working-set size with the caches marked, a roofline (memory roof \
            from memory.triad and compute roof from sgemm, both on all threads, the kernels placed \
            by intensity and GFLOP/s), kernel throughput as a share of STREAM triad, the history \
            of the key figures, and a table of every figure with its spread. A plot without data \
            says so.

            ROUTING
            mybro-bench route decides where a workload runs (see mybro-bench route --help). This \
            machine is estimated from its profile, kept by the last --save: bytes / memory.triad \
            GB/s and flop / sgemm GFLOP/s (the slower), a kernel's own kernel.NAME GB/s at the \
            nearest n, a Whisper model's transcribe.rtf (else the nearest measured model's, scaled \
            by parameter count); medians throughout. Cloud offers (mybro-gpu offers --format json \
            on stdin) are estimated from published datasheets: 70 % of the fp32 peak, 80 % of the \
            memory bandwidth, 4 % of the fp16 tensor peak for Whisper (calibrated on the Open ASR \
            Leaderboard's large-v3 on an A100), the work split evenly over the GPUs; plus the \
            offer's worst boot time and the upload at --uplink (audio as FLAC, 16 kB/s, streamed \
            while the GPUs work; other data before). Cost: whole minutes from boot's end at the \
            instance's hourly price. An option is out when the work does not fit its memory, it \
            misses --deadline or breaks --budget; the cheapest of the rest wins, this machine on a \
            tie (it costs nothing). Classification: memory-bound below the ridge point (sgemm / \
            triad), compute-bound above; small when it takes under a minute, large otherwise. \
            Nothing fits: the reason, and exit status 1.

            EXAMPLES
              mybro-bench --quick
              mybro-bench --format json --save base.jsonl
              mybro-bench --compare base.jsonl --threshold 5 --report report.html
              MYBRO_BENCH_SLOWDOWN=kernel.exp=20 mybro-bench --format json --compare base.jsonl | jq -c 'select(.type=="change")'
              mybro-bench --only memory,curve --format json | jq -c 'select(.name=="memory.triad")'
              mybro-bench route --transcribe 1 --model tiny.en
              mybro-gpu offers --gpu H100 | mybro-bench route --transcribe 500 --model large-v3 --deadline 24h

            ENVIRONMENT (mybro-bench)
              MYBRO_BENCH_SLOWDOWN  test aid: NAME=PCT[,NAME=PCT] makes each repetition of those \
            figures (kernel.NAME, sgemm, vad.throughput) really take PCT % longer, to show that \
            --compare catches a slowdown
              MYBRO_KERNELS_THREADS, MYBRO_KERNELS_PATH  as for mybro-kernel

            """ + ManualText.common,
        version: MybroVersion.string,
        subcommands: [RouteCommand.self]
    )

    static func main() { mybroMain() }

    @Flag(help: "A short run (under 10 s): fewer repetitions, smaller sizes, the first model only.")
    var quick = false

    @Option(help: "Output: text (a table, the default on a terminal) or json (JSON Lines, the default otherwise).")
    var format: OutputFormat?

    @Option(
        help: ArgumentHelp(
            "Measure only these parts, comma-separated: memory, curve, sgemm, kernels, disk, speech.",
            valueName: "parts"))
    var only: String?

    @Option(help: "Where the disk test writes its file (default: $XDG_CACHE_HOME/mybro/bench).")
    var diskDir: String?

    @OptionGroup var results: ResultOptions
    @OptionGroup var log: LogOptions

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        _ = try parsedParts()
        if let diskDir, diskDir.isEmpty { throw ValidationError("--disk-dir needs a folder") }
    }

    func parsedParts() throws -> Set<BenchSuite.Part> {
        guard let only else { return Set(BenchSuite.Part.allCases) }
        var parts = Set<BenchSuite.Part>()
        for name in only.split(separator: ",", omittingEmptySubsequences: false) {
            guard let part = BenchSuite.Part(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError(
                    "--only: unknown part '\(name)'; the parts are "
                        + BenchSuite.Part.allCases.map(\.rawValue).joined(separator: ", "))
            }
            parts.insert(part)
        }
        return parts
    }

    func run() throws {
        ToolRunner.run(tool: "mybro-bench", log: log) {
            let json = (format ?? (isatty(1) == 1 ? .text : .json)) == .json
            let baseline = try results.readBaseline()
            let date = BenchClock.isoDate()
            let hardware = HardwareDetection.detect()
            var suite = BenchSuite(quick: quick, diskDirectory: diskDir, sampler: try Sampler())
            suite.parts = try parsedParts()
            var measurements: [MybroBench.Measurement] = []
            try suite.run(hardware: hardware) { measurements.append($0) }
            // Stopped part-way: print and save nothing (a partial run is no baseline); 128 + signal.
            if BenchSuite.stopped { return }
            let run = BenchRun(date: date, quick: quick, hardware: hardware, measurements: measurements)
            var comparison = results.compare(run, baseline: baseline)
            if var regressed = comparison {
                // Each recheck measures again the figures every earlier one confirmed; after the
                // first, a pause lets a spell of load on a shared host pass (a slower build stays).
                for recheck in 1...results.rechecks where !regressed.toRecheck.isEmpty {
                    let keys = Set(regressed.toRecheck)
                    if recheck > 1 && !Pause.sleep(seconds: results.recheckPause) { return }
                    Log.shared.info(
                        "\(keys.count) figure(s) regressed past the threshold: measuring them again "
                            + "(\(recheck) of \(results.rechecks)), to tell a slower build from a spell of load")
                    let again = try suite.remeasure(measurements.filter { keys.contains($0.key) }, hardware: hardware)
                    if BenchSuite.stopped { return }
                    regressed.confirm(with: again)
                }
                comparison = regressed
            }
            try results.finish(run, comparison: comparison, json: json, partial: only != nil)
        }
    }
}
