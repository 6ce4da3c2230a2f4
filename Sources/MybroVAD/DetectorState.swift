/// Every number the detector keeps between frames, plus its per-frame scratch space, in two
/// blocks allocated once, so processing a frame allocates nothing. Field names follow the
/// roles in WebRTC's `VadInstT`.
final class DetectorState {
    typealias Tables = GaussianModelTables

    // Gaussian mixture parameters (Q7), adapted as the stream goes.
    let noiseMeans: UnsafeMutablePointer<Int16>
    let speechMeans: UnsafeMutablePointer<Int16>
    let noiseStds: UnsafeMutablePointer<Int16>
    let speechStds: UnsafeMutablePointer<Int16>
    // Constant mixture weights, copied here so the hot loops index plain memory.
    let noiseWeights: UnsafeMutablePointer<Int16>
    let speechWeights: UnsafeMutablePointer<Int16>
    // Per band: the 16 smallest recent feature values, their ages, and the smoothed median.
    let minimumAges: UnsafeMutablePointer<Int16>
    let minimumValues: UnsafeMutablePointer<Int16>
    let smoothedMinimum: UnsafeMutablePointer<Int16>
    // Filter bank states: split filters (upper and lower branches) and the 80 Hz high-pass.
    let splitUpperState: UnsafeMutablePointer<Int16>
    let splitLowerState: UnsafeMutablePointer<Int16>
    let highPassState: UnsafeMutablePointer<Int16>
    // Scratch: band signals, the 8 kHz frame, features and per-Gaussian intermediates.
    let highBand120: UnsafeMutablePointer<Int16>
    let lowBand120: UnsafeMutablePointer<Int16>
    let highBand60: UnsafeMutablePointer<Int16>
    let lowBand60: UnsafeMutablePointer<Int16>
    let narrowband: UnsafeMutablePointer<Int16>
    let wideband: UnsafeMutablePointer<Int16>
    let features: UnsafeMutablePointer<Int16>
    let noiseDelta: UnsafeMutablePointer<Int16>
    let speechDelta: UnsafeMutablePointer<Int16>
    let noiseResponsibility: UnsafeMutablePointer<Int16>
    let speechResponsibility: UnsafeMutablePointer<Int16>

    // Half-band downsampler states: [0...1] 16→8 kHz, [2...3] 32→16 kHz.
    let downsamplerStates: UnsafeMutablePointer<Int32>
    // 48→8 kHz resampler stages and its work area.
    let resample48To24: UnsafeMutablePointer<Int32>
    let resample24LowPass: UnsafeMutablePointer<Int32>
    let resample24To16: UnsafeMutablePointer<Int32>
    let resample16To8: UnsafeMutablePointer<Int32>
    let resampleWork: UnsafeMutablePointer<Int32>

    /// Frames with enough energy to be analysed so far.
    var analysedFrames: Int32 = 0
    /// Hangover frames left, and the current run of speech frames.
    var hangover: Int16 = 0
    var speechRun: Int16 = 0

    private let shorts: UnsafeMutablePointer<Int16>
    private let longs: UnsafeMutablePointer<Int32>

    static let resampleWorkCount = 480 + 256

    init() {
        let t = Tables.tableSize, b = Tables.bandCount
        shorts = .allocate(capacity: 10 * t + 32 * b + 2 * b + 14 + 360 + 720)
        longs = .allocate(capacity: 44 + DetectorState.resampleWorkCount)
        var short = Carver(base: shorts)
        noiseMeans = short.take(t)
        speechMeans = short.take(t)
        noiseStds = short.take(t)
        speechStds = short.take(t)
        noiseWeights = short.take(t)
        speechWeights = short.take(t)
        minimumAges = short.take(16 * b)
        minimumValues = short.take(16 * b)
        smoothedMinimum = short.take(b)
        splitUpperState = short.take(5)
        splitLowerState = short.take(5)
        highPassState = short.take(4)
        highBand120 = short.take(120)
        lowBand120 = short.take(120)
        highBand60 = short.take(60)
        lowBand60 = short.take(60)
        narrowband = short.take(240)
        wideband = short.take(480)
        features = short.take(b)
        noiseDelta = short.take(t)
        speechDelta = short.take(t)
        noiseResponsibility = short.take(t)
        speechResponsibility = short.take(t)
        shorts.initialize(repeating: 0, count: short.used)

        var long = Carver(base: longs)
        downsamplerStates = long.take(4)
        resample48To24 = long.take(8)
        resample24LowPass = long.take(16)
        resample24To16 = long.take(8)
        resample16To8 = long.take(8)
        resampleWork = long.take(DetectorState.resampleWorkCount)
        longs.initialize(repeating: 0, count: long.used)
        reset()
    }

    /// Hands out consecutive pieces of one allocation.
    private struct Carver<Element> {
        let base: UnsafeMutablePointer<Element>
        var used = 0
        mutating func take(_ count: Int) -> UnsafeMutablePointer<Element> {
            defer { used += count }
            return base + used
        }
    }

    deinit {
        shorts.deallocate()
        longs.deallocate()
    }

    /// The state WebRTC's `WebRtcVad_InitCore` sets up.
    func reset() {
        analysedFrames = 0
        hangover = 0
        speechRun = 0
        for index in 0..<Tables.tableSize {
            noiseMeans[index] = Tables.noiseMeans[index]
            speechMeans[index] = Tables.speechMeans[index]
            noiseStds[index] = Tables.noiseStds[index]
            speechStds[index] = Tables.speechStds[index]
            noiseWeights[index] = Tables.noiseWeights[index]
            speechWeights[index] = Tables.speechWeights[index]
        }
        for index in 0..<(16 * Tables.bandCount) {
            minimumValues[index] = 10000
            minimumAges[index] = 0
        }
        for band in 0..<Tables.bandCount { smoothedMinimum[band] = 1600 }
        splitUpperState.update(repeating: 0, count: 5)
        splitLowerState.update(repeating: 0, count: 5)
        highPassState.update(repeating: 0, count: 4)
        downsamplerStates.update(repeating: 0, count: 4)
        resample48To24.update(repeating: 0, count: 8)
        resample24LowPass.update(repeating: 0, count: 16)
        resample24To16.update(repeating: 0, count: 8)
        resample16To8.update(repeating: 0, count: 8)
    }
}
