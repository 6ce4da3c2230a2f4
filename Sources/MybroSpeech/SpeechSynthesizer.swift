import CEspeakNG
import Foundation
import MybroAudio
import MybroCore

/// How the synthesizer should sound.
public struct VoiceSettings: Sendable {
    public var voice: String
    /// Words per minute (espeak-ng accepts 80–450).
    public var rate: Int
    /// Base pitch, 0–100 (50 is normal).
    public var pitch: Int

    public init(voice: String = "en-us", rate: Int = 175, pitch: Int = 50) {
        self.voice = voice
        self.rate = rate
        self.pitch = pitch
    }
}

/// A voice espeak-ng offers.
public struct VoiceDescription: Sendable {
    public var name: String
    public var identifier: String
    public var languages: [String]
}

/// Text to canonical 16 kHz speech with libespeak-ng, in blocks of a few milliseconds, so
/// the first sample is out long before the sentence is synthesized and an interruption
/// stops synthesis within one block (the callback's abort return; `espeak_Cancel` would
/// not stop a sentence in progress).
public final class SpeechSynthesizer {
    /// espeak-ng keeps global state: one synthesizer per process.
    nonisolated(unsafe) private static var initializedRate: Int32 = 0

    public let settings: VoiceSettings
    private let nativeRate: Int32

    public init(settings: VoiceSettings) throws {
        nativeRate = try SpeechSynthesizer.initializeEngine()
        guard SpeechSynthesizer.selectVoice(settings.voice) else {
            throw MybroError("espeak-ng has no voice \"\(settings.voice)\"; see --list-voices", status: .usage)
        }
        espeak_SetParameter(espeakRATE, Int32(settings.rate), 0)
        espeak_SetParameter(espeakPITCH, Int32(settings.pitch), 0)
        espeak_SetSynthCallback(synthCallback)
        self.settings = settings
    }

    /// Selects a voice by its file name ("en-us", "en-gb-x-rp") or, failing that, by a language
    /// that --list-voices shows ("en-gb"), which espeak-ng resolves to its best voice.
    private static func selectVoice(_ voice: String) -> Bool {
        if espeak_SetVoiceByName(voice) == EE_OK { return true }
        // Only a language the list names exactly: espeak-ng's own matching is loose ("no-such"
        // would pick Norwegian).
        guard let voices = try? voices(), voices.contains(where: { $0.languages.contains(voice) }) else {
            return false
        }
        return voice.withCString { language in
            var properties = espeak_VOICE()
            properties.languages = language
            return espeak_SetVoiceByProperties(&properties) == EE_OK
        }
    }

    /// Starts espeak-ng once and returns its native sample rate.
    private static func initializeEngine() throws -> Int32 {
        if initializedRate <= 0 {
            // 20 ms blocks: small enough for a quick first sample and a quick stop.
            let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 20, nil, 0)
            guard rate > 0 else {
                throw MybroError(
                    "espeak-ng could not start (its data files are missing?); install espeak-ng-data",
                    status: .unavailable)
            }
            initializedRate = rate
        }
        return initializedRate
    }

    /// Every installed voice.
    public static func voices() throws -> [VoiceDescription] {
        _ = try initializeEngine()
        guard let list = espeak_ListVoices(nil) else { return [] }
        var result: [VoiceDescription] = []
        var index = 0
        while let voice = list[index] {
            index += 1
            result.append(
                VoiceDescription(
                    name: String(cString: voice.pointee.name),
                    identifier: voice.pointee.identifier.map { String(cString: $0) } ?? "",
                    languages: languages(voice.pointee.languages)))
        }
        return result
    }

    /// The `languages` field: pairs of a priority byte and a NUL-terminated name, ending with a 0 byte.
    private static func languages(_ field: UnsafePointer<CChar>?) -> [String] {
        guard var cursor = field else { return [] }
        var names: [String] = []
        while cursor.pointee != 0 {
            cursor += 1  // the priority byte
            let name = String(cString: cursor)
            names.append(name)
            cursor += name.utf8.count + 1
        }
        return names
    }

    /// Speaks `text`, handing 16 kHz blocks to `deliver` as they are made. `shouldStop` is
    /// asked before each block; returns false when it stopped the speech early.
    public func speak(
        _ text: String, shouldStop: @escaping () -> Bool,
        deliver: @escaping (UnsafeBufferPointer<Int16>) throws -> Void
    ) throws -> Bool {
        let resampler = SpeechResampler(
            try SoxrFloatResampler(inputRate: Double(nativeRate), outputRate: Double(CanonicalAudio.sampleRate)))
        let context = SynthesisContext(resampler: resampler, shouldStop: shouldStop, deliver: deliver)
        let pointer = Unmanaged.passRetained(context).toOpaque()
        defer { Unmanaged<SynthesisContext>.fromOpaque(pointer).release() }
        var bytes = Array(text.utf8CString)
        let status = bytes.withUnsafeMutableBytes { buffer in
            espeak_Synth(
                buffer.baseAddress, buffer.count, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8), nil, pointer)
        }
        if let error = context.error { throw error }
        if context.stopped { return false }
        guard status == EE_OK else {
            throw MybroError("espeak-ng failed to synthesize the text (error \(status.rawValue))", status: .software)
        }
        try resampler.finish { try deliver($0) }
        return true
    }
}

/// What the C callback needs, reached through espeak's `user_data` pointer.
private final class SynthesisContext {
    let resampler: SpeechResampler
    let shouldStop: () -> Bool
    let deliver: (UnsafeBufferPointer<Int16>) throws -> Void
    var error: Error?
    var stopped = false

    init(
        resampler: SpeechResampler, shouldStop: @escaping () -> Bool,
        deliver: @escaping (UnsafeBufferPointer<Int16>) throws -> Void
    ) {
        self.resampler = resampler
        self.shouldStop = shouldStop
        self.deliver = deliver
    }
}

/// espeak-ng's synthesis callback: 0 continues, 1 aborts the sentence in progress.
private func synthCallback(
    _ samples: UnsafeMutablePointer<Int16>?, _ count: Int32, _ events: UnsafeMutablePointer<espeak_EVENT>?
) -> Int32 {
    guard let userData = events?.pointee.user_data else { return 0 }
    let context = Unmanaged<SynthesisContext>.fromOpaque(userData).takeUnretainedValue()
    if context.stopped || context.error != nil { return 1 }
    if context.shouldStop() {
        context.stopped = true
        return 1
    }
    guard let samples, count > 0 else { return 0 }
    do {
        try context.resampler.process(UnsafeBufferPointer(start: samples, count: Int(count))) {
            try context.deliver($0)
        }
    } catch {
        context.error = error
        return 1
    }
    return 0
}
