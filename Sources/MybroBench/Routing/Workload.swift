import Foundation
import MybroCore
import MybroKernels

/// What `mybro-bench route` places: an amount of work with its floating-point operations, the
/// bytes it moves through memory, the memory it holds, and the data it must send to a rented
/// machine first.
public struct Workload: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Hours of 16 kHz audio through a Whisper model.
        case transcription(model: String, hours: Double)
        /// One `mybro-kernel` kernel over `n` elements.
        case kernel(name: String, n: Double)
        /// Anything else, described by its totals.
        case generic
    }

    public var kind: Kind
    public var flops: Double
    public var bytes: Double
    /// Peak memory (bytes) on this machine; nil when not given (assumed to fit).
    public var memoryBytes: Double?
    /// What has to travel to a rented machine before (or while) it works.
    public var uploadBytes: Double

    public init(kind: Kind, flops: Double, bytes: Double, memoryBytes: Double?, uploadBytes: Double) {
        self.kind = kind
        self.flops = flops
        self.bytes = bytes
        self.memoryBytes = memoryBytes
        self.uploadBytes = uploadBytes
    }

    /// Audio as FLAC of 16 kHz mono 16-bit speech: about half of the raw 32 kB/s.
    public static let uploadBytesPerAudioSecond = 16_000.0

    public static func transcription(model: String, hours: Double) throws(MybroError) -> Workload {
        guard let parameters = WhisperModels.parameterCount(model) else {
            throw MybroError(
                "--model \(model): not a Whisper model: give one of \(WhisperModels.names.joined(separator: ", "))",
                status: .usage)
        }
        let seconds = hours * 3600
        return Workload(
            kind: .transcription(model: WhisperModels.canonicalName(model), hours: hours),
            flops: WhisperModels.flopsPerAudioSecond(parameters: parameters) * seconds,
            bytes: WhisperModels.bytesPerAudioSecond(parameters: parameters) * seconds,
            memoryBytes: WhisperModels.localMemoryBytes(parameters: parameters),
            uploadBytes: uploadBytesPerAudioSecond * seconds)
    }

    public static func kernel(_ name: String, n: Double) throws(MybroError) -> Workload {
        guard let info = KernelCatalog.named(name) else {
            throw MybroError(
                "--kernel \(name): no such kernel: give one of \(KernelCatalog.all.map(\.name).joined(separator: ", "))",
                status: .usage)
        }
        // float32 operands: each input stream is n floats, and the output is held as well.
        let arrays = n * 4 * Double(info.arity)
        return Workload(
            kind: .kernel(name: name, n: n), flops: n * info.flopsPerElement, bytes: n * info.bytesPerElement,
            memoryBytes: arrays + n * 4, uploadBytes: arrays)
    }

    /// Anything else; what a rented machine must receive is taken to be its memory footprint.
    public static func generic(flops: Double, bytes: Double, memoryBytes: Double?) -> Workload {
        Workload(kind: .generic, flops: flops, bytes: bytes, memoryBytes: memoryBytes, uploadBytes: memoryBytes ?? 0)
    }

    /// Floating-point operations per byte moved: the roofline's x axis.
    public var intensity: Double { bytes > 0 ? flops / bytes : .infinity }

    /// Memory a GPU needs for one copy of the work (each GPU of an offer holds its own).
    public var gpuMemoryBytesPerGPU: Double? {
        if case .transcription(let model, _) = kind, let parameters = WhisperModels.parameterCount(model) {
            return WhisperModels.gpuMemoryBytes(parameters: parameters)
        }
        return memoryBytes
    }

    /// Whether the work splits over an offer's GPUs (transcription: independent files; a kernel or
    /// a generic job: assumed data-parallel, each GPU taking an equal share).
    public var divisibleMemory: Bool {
        if case .transcription = kind { return false }
        return true
    }

    /// The work in words, for reasons: "an hour of tiny.en", "sum over 1,000,000 elements".
    public var phrase: String {
        switch kind {
        case .transcription(let model, let hours):
            if hours == 1 { return "an hour of \(model)" }
            if hours < 1 { return "\(RouteFormat.duration(hours * 3600)) of \(model)" }
            return "\(RouteFormat.count(hours)) hours of \(model)"
        case .kernel(let name, let n):
            return "\(name) over \(RouteFormat.count(n)) elements"
        case .generic:
            return "\(RouteFormat.scientific(flops)) flop over \(RouteFormat.scientific(bytes)) bytes"
        }
    }

    // MARK: the workload record

    public static let recordType = "workload"

    /// A `workload` record: `{"type":"workload","transcribe_hours":H,"model":M}`,
    /// `{"type":"workload","kernel":NAME,"n":N}` or `{"type":"workload","flops":F,"bytes":B,"memory_gb":G}`.
    public init(record: Record, source: String) throws(MybroError) {
        let fix = "a workload record holds transcribe_hours and model, kernel and n, or flops and bytes (memory_gb)"
        func number(_ key: String, _ range: ClosedRange<Double>) throws(MybroError) -> Double? {
            guard let value = record[key] else { return nil }
            guard let number = value.doubleValue, number.isFinite, range.contains(number) else {
                throw MybroError(
                    "\(source): \(key) must be a number from \(RouteFormat.scientific(range.lowerBound)) to "
                        + "\(RouteFormat.scientific(range.upperBound))", status: .dataError)
            }
            return number
        }
        let hours = try number("transcribe_hours", WorkloadLimits.hours)
        let n = try number("n", WorkloadLimits.elements)
        let flops = try number("flops", WorkloadLimits.amount)
        let bytes = try number("bytes", WorkloadLimits.amount)
        let memory = try number("memory_gb", WorkloadLimits.memoryGB)
        // A record this command wrote carries flops and bytes beside transcribe_hours or kernel:
        // those two name the work, and the totals are derived again.
        guard !(hours != nil && record["kernel"] != nil),
            hours != nil || record["kernel"] != nil || flops != nil
                || bytes != nil
        else { throw MybroError("\(source): \(fix)", status: .dataError) }
        do throws(MybroError) {
            if let hours {
                guard let model = record["model"]?.stringValue else {
                    throw MybroError("\(source): transcribe_hours needs a model; \(fix)", status: .dataError)
                }
                self = try .transcription(model: model, hours: hours)
            } else if let kernel = record["kernel"] {
                guard let name = kernel.stringValue, let n else {
                    throw MybroError("\(source): kernel needs a name and n; \(fix)", status: .dataError)
                }
                self = try .kernel(name, n: n)
            } else {
                guard let flops, let bytes, flops + bytes > 0 else {
                    throw MybroError("\(source): flops and bytes both, not both 0; \(fix)", status: .dataError)
                }
                self = .generic(flops: flops, bytes: bytes, memoryBytes: memory.map { $0 * 1e9 })
            }
        } catch {
            // An unknown model or kernel in a record is bad data, not a bad command line.
            throw MybroError(error.status == .usage ? "\(source): \(error.message)" : error.message, status: .dataError)
        }
    }

    public var record: Record {
        var fields = JSONObject()
        switch kind {
        case .transcription(let model, let hours):
            fields["transcribe_hours"] = .number(hours)
            fields["model"] = .string(model)
        case .kernel(let name, let n):
            fields["kernel"] = .string(name)
            fields["n"] = .number(n)
        case .generic:
            break
        }
        fields["flops"] = .number(Measurement.rounded(flops))
        fields["bytes"] = .number(Measurement.rounded(bytes))
        fields["memory_gb"] = memoryBytes.map { .number(Measurement.rounded($0 / 1e9)) } ?? .null
        return Record(type: Self.recordType, fields: fields)
    }
}

/// The ranges every way of giving a workload shares (flags and records alike), so that no later
/// product can overflow to infinity or trap in a conversion.
public enum WorkloadLimits {
    /// Up to a hundred years of audio.
    public static let hours: ClosedRange<Double> = 1e-6...876_000
    public static let elements: ClosedRange<Double> = 1...1e15
    /// Flop or bytes: a zettascale job at most.
    public static let amount: ClosedRange<Double> = 0...1e24
    /// A petabyte.
    public static let memoryGB: ClosedRange<Double> = 0...1e6
}
