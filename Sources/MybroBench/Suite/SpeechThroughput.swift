import Foundation
import MybroCore
import MybroKernels
import MybroVAD

/// The voice loop's two CPU stages: the VAD in this process, and mybro-transcribe (the installed
/// command, each installed model) as a child process.
public enum SpeechThroughput {
    /// Seconds of audio the VAD classifies per second (30 ms frames at 16 kHz, quality mode).
    public static func vad(audioSeconds: Double, repetitions: Int, sampler: Sampler) throws -> Measurement {
        let samples = syntheticSpeechLike(seconds: audioSeconds)
        let detector = try VoiceActivityDetector(sampleRate: 16_000)
        let frame = 480
        var voiced = 0
        let seconds = sampler.seconds(of: "vad.throughput", repetitions: repetitions) {
            detector.reset()
            samples.withUnsafeBufferPointer { buffer in
                var start = 0
                while start + frame <= buffer.count {
                    if (try? detector.isSpeech(UnsafeBufferPointer(rebasing: buffer[start..<start + frame]))) == true {
                        voiced += 1
                    }
                    start += frame
                }
            }
        }
        return Measurement(
            name: "vad.throughput", unit: "x realtime", better: .higher,
            samples: seconds.map { audioSeconds / $0 },
            context: JSONObject(["audio_seconds": .number(audioSeconds), "voiced_frames": .number(Double(voiced))]))
    }

    /// Noise with syllable-rate bursts of a few harmonics: enough to exercise every VAD path.
    static func syntheticSpeechLike(seconds: Double) -> [Int16] {
        let count = Int(seconds * 16_000)
        var generator = BenchGenerator(state: 12345)
        return (0..<count).map { index in
            let t = Double(index) / 16_000
            let noise = Double(Int64(bitPattern: generator.next()) >> 52) / 4096
            let envelope = max(0, sin(2 * .pi * 3 * t)) * (sin(2 * .pi * 0.25 * t) > -0.3 ? 1 : 0)
            let voice = (sin(2 * .pi * 140 * t) + 0.5 * sin(2 * .pi * 280 * t) + 0.3 * sin(2 * .pi * 420 * t))
            return Int16(clamping: Int((noise * 300 + envelope * voice * 6000).rounded()))
        }
    }

    /// The Whisper models installed where mybro-transcribe looks for them (each a folder with model.bin).
    public static func installedModels(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> [String]
    {
        let directory = XDGDirectories.mybro(.data, environment: environment) + "/models"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.sorted().map { directory + "/" + $0 }.filter {
            FileManager.default.fileExists(atPath: $0 + "/model.bin")
        }
    }

    /// Real-time factor (processing seconds per audio second) of `mybro-transcribe` on `audio`:
    /// one run with the file once and one with it `copies` times; the difference over the extra
    /// copies is the time per file without the model load.
    /// `spoken` is the text of the speech: a transcript far from it (a model stuck repeating
    /// itself) takes longer than real use would, so the figure then says so.
    public static func transcribe(
        transcriber: String, model: String, audio: String, audioSeconds: Double, spoken: String, repetitions: Int,
        copies: Int = 3
    ) throws(MybroError) -> Measurement {
        var samples: [Double] = []
        var heard = ""
        let base = [transcriber, "--model", model, "--format", "txt"]
        // A pair whose difference is not positive measured only noise (another process took
        // the CPU during the single run): it is tried again, a few times at most, not kept.
        var attempts = 0
        while samples.count < repetitions && attempts < 3 * repetitions {
            attempts += 1
            let once = try timedRun(base + [audio])
            heard = once.output
            let many = try timedRun(base + Array(repeating: audio, count: copies))
            let perFile = (many.seconds - once.seconds) / Double(copies - 1)
            if perFile > 0 { samples.append(perFile / audioSeconds) }
        }
        guard !samples.isEmpty else {
            throw MybroError(
                "\((model as NSString).lastPathComponent): every timing was lost in noise from other processes",
                status: .temporaryFailure)
        }
        let match = wordRecall(spoken: spoken, heard: heard)
        if match < 0.6 {
            Log.shared.warning(
                "speech: \((model as NSString).lastPathComponent) heard only \(Int(match * 100)) % of the test "
                    + "speech's words: its real-time factor may not be representative")
        }
        return Measurement(
            name: "transcribe.rtf", unit: "x", better: .lower, samples: samples,
            context: JSONObject([
                "model": .string((model as NSString).lastPathComponent), "audio_seconds": .number(audioSeconds),
                "words_heard": .number(Measurement.rounded(match)),
            ]),
            identity: ["model"])
    }

    /// The share of the spoken words (lowercased, letters and digits only) found in the transcript.
    static func wordRecall(spoken: String, heard: String) -> Double {
        func words(_ text: String) -> [String] {
            text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        }
        let expected = words(spoken)
        guard !expected.isEmpty else { return 1 }
        var available = words(heard).reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        var found = 0
        for word in expected where (available[word] ?? 0) > 0 {
            available[word]! -= 1
            found += 1
        }
        return Double(found) / Double(expected.count)
    }

    static func timedRun(_ arguments: [String]) throws(MybroError) -> (seconds: Double, output: String) {
        let start = Signals.monotonicSeconds()
        let captured: ChildProcess.Captured
        do { captured = try ChildProcess.capture(arguments: arguments, timeout: 300) } catch {
            throw MybroError("cannot run \(arguments[0]): \(error)", status: .unavailable)
        }
        let elapsed = Signals.monotonicSeconds() - start
        guard captured.status == 0, !captured.timedOut else {
            let message = String(decoding: captured.stderr, as: UTF8.self).split(separator: "\n").last ?? ""
            throw MybroError(
                "\((arguments[0] as NSString).lastPathComponent) failed on \(arguments[2]) (status "
                    + "\(captured.status)): \(message)", status: .unavailable)
        }
        return (elapsed, String(decoding: captured.stdout, as: UTF8.self))
    }
}
