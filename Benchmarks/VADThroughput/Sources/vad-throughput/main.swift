// vad-throughput AUDIO [SECONDS]
//
// AUDIO is a 16 kHz s16le raw file or a directory of 16 kHz WAVs (the evalset); the samples are
// looped to SECONDS (default 600, as bench_webrtc.py does). For modes 0 and 3 and 10/20/30 ms
// frames, the Swift detector and the C library each classify the whole signal five times,
// alternately; the best CPU time of each is kept. Prints real-time factors and the ratio
// (C time / Swift time: above 1 means Swift is faster) and checks the decisions agree.
import CWebRTCVAD
import Foundation
import MybroVAD

func readSignal(_ path: String) throws -> [Int16] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw BenchError("no such file or directory: \(path)")
    }
    if !isDirectory.boolValue {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }
    var all: [Int16] = []
    let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".wav") }.sorted()
    for name in names {
        let data = try Data(contentsOf: URL(fileURLWithPath: path).appendingPathComponent(name))
        // Find the data chunk of a 16-bit mono WAV.
        var offset = 12
        while offset + 8 <= data.count {
            let id = String(decoding: data[offset..<offset + 4], as: UTF8.self)
            let size = data[offset + 4..<offset + 8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            if id == "data" {
                let body = data[(offset + 8)..<min(data.count, offset + 8 + size)]
                all += body.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
                break
            }
            offset += 8 + size + (size & 1)
        }
    }
    return all
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

@inline(never)
func runSwift(_ samples: UnsafeBufferPointer<Int16>, length: Int, mode: VADMode, rate: Int = 16000) throws -> Int {
    let detector = try VoiceActivityDetector(sampleRate: rate, mode: mode)
    var voiced = 0
    var start = 0
    while start + length <= samples.count {
        if try detector.isSpeech(UnsafeBufferPointer(rebasing: samples[start..<(start + length)])) { voiced += 1 }
        start += length
    }
    return voiced
}

@inline(never)
func runC(_ samples: UnsafeBufferPointer<Int16>, length: Int, mode: Int32, rate: Int32 = 16000) -> Int {
    let handle = WebRtcVad_Create()
    defer { WebRtcVad_Free(handle) }
    _ = WebRtcVad_Init(handle)
    _ = WebRtcVad_set_mode(handle, mode)
    var voiced = 0
    var start = 0
    while start + length <= samples.count {
        voiced += Int(WebRtcVad_Process(handle, rate, samples.baseAddress! + start, length))
        start += length
    }
    return voiced
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: vad-throughput AUDIO(.raw or WAV directory) [SECONDS]\n".utf8))
    exit(64)
}
let seconds = arguments.count >= 3 ? Int(arguments[2]) ?? 600 : 600
var signal = try readSignal(arguments[1])
guard !signal.isEmpty else { FileHandle.standardError.write(Data("no audio\n".utf8)); exit(66) }
let wanted = seconds * 16000
var looped: [Int16] = []
looped.reserveCapacity(wanted)
while looped.count < wanted { looped += signal.prefix(wanted - looped.count) }
signal = looped
let audioSeconds = Double(signal.count) / 16000

print("audio: \(Int(audioSeconds)) s at 16 kHz; best CPU time of 5 alternating runs each")
print("mode frame    C xRT  Swift xRT  ratio(C time/Swift time)  decisions")
var ratios: [Double] = []
for mode in [VADMode.quality, .veryAggressive] {
    for milliseconds in [10, 20, 30] {
        let length = 16 * milliseconds
        var bestC = Double.infinity, bestSwift = Double.infinity
        var voicedC = 0, voicedSwift = 0
        try signal.withUnsafeBufferPointer { samples in
            for _ in 0..<5 {
                var start = cpuSeconds()
                voicedC = runC(samples, length: length, mode: Int32(mode.rawValue))
                bestC = min(bestC, cpuSeconds() - start)
                start = cpuSeconds()
                voicedSwift = try runSwift(samples, length: length, mode: mode)
                bestSwift = min(bestSwift, cpuSeconds() - start)
            }
        }
        let ratio = bestC / bestSwift
        ratios.append(ratio)
        let agree = voicedC == voicedSwift ? "same (\(voicedC) voiced)" : "DIFFER: C \(voicedC), Swift \(voicedSwift)"
        print(
            String(
                format: "%4d %3d ms %8.0f %10.0f %10.2f                 ", mode.rawValue, milliseconds,
                audioSeconds / bestC, audioSeconds / bestSwift, ratio) + agree)
    }
}
let geometricMean = exp(ratios.map { log($0) }.reduce(0, +) / Double(ratios.count))
print(String(format: "geometric mean ratio: %.2f (above 1: Swift faster than C)", geometricMean))

// The other rates take other paths (no downsampling at 8 kHz, two half-band stages at 32 kHz,
// the 48→8 kHz resampler). The signal is brought to each rate crudely (decimation or sample
// repetition): fine for timing, and both detectors see the same samples.
print("other rates, mode 3, 30 ms frames (signal decimated or repeated to the rate, for timing):")
print("rate     C xRT  Swift xRT  ratio")
for rate in [8000, 32000, 48000] {
    let converted: [Int16] =
        rate == 8000
        ? stride(from: 0, to: signal.count, by: 2).map { signal[$0] }
        : signal.flatMap { repeatElement($0, count: rate / 16000) }
    let length = rate / 1000 * 30
    var bestC = Double.infinity
    var bestSwift = Double.infinity
    var voicedC = 0
    var voicedSwift = 0
    try converted.withUnsafeBufferPointer { samples in
        for _ in 0..<5 {
            var start = cpuSeconds()
            voicedC = runC(samples, length: length, mode: 3, rate: Int32(rate))
            bestC = min(bestC, cpuSeconds() - start)
            start = cpuSeconds()
            voicedSwift = try runSwift(samples, length: length, mode: .veryAggressive, rate: rate)
            bestSwift = min(bestSwift, cpuSeconds() - start)
        }
    }
    let agree = voicedC == voicedSwift ? "same (\(voicedC) voiced)" : "DIFFER: C \(voicedC), Swift \(voicedSwift)"
    print(
        String(
            format: "%5d %8.0f %10.0f %6.2f  ", rate, audioSeconds / bestC, audioSeconds / bestSwift, bestC / bestSwift)
            + agree)
}
