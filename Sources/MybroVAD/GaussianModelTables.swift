/// The fixed-point constants of WebRTC's VAD model (vad_core.c). Tables with two Gaussians
/// per band are laid out band-major per Gaussian: index `band + gaussian * bandCount`.
enum GaussianModelTables {
    static let bandCount = 6
    static let gaussianCount = 2
    static let tableSize = bandCount * gaussianCount

    /// Weight of each band's log-likelihood ratio in the global decision.
    static let spectrumWeight: [Int16] = [6, 8, 10, 12, 14, 16]
    /// Adaptation rates of the noise and speech means, Q15.
    static let noiseUpdateRate: Int32 = 655
    static let speechUpdateRate: Int32 = 6554
    /// Rate of the long-term correction of the noise mean toward the tracked minimum, Q8.
    static let backgroundEta: Int32 = 154
    /// Smallest allowed distance between the speech and noise global means, Q5.
    static let minimumDifference: [Int16] = [544, 544, 576, 576, 576, 576]
    /// Upper limits of the speech and noise global means, Q7.
    static let maximumSpeech: [Int16] = [11392, 11392, 11520, 11520, 11520, 11520]
    static let maximumNoise: [Int16] = [9216, 9088, 8960, 8832, 8704, 8576]
    /// Lower limit of each speech Gaussian's mean, Q7.
    static let minimumSpeechMean: [Int16] = [640, 768]
    /// Lower limit of every standard deviation, Q7.
    static let minimumStd: Int16 = 384
    /// Frame energy (a rough sum) at or below which a frame is not analysed at all.
    static let minimumEnergy: Int16 = 10
    /// Speech frames in a row after which the long hangover applies.
    static let maxSpeechFrames: Int16 = 6

    /// Mixture weights, Q7.
    static let noiseWeights: [Int16] = [34, 62, 72, 66, 53, 25, 94, 66, 56, 62, 75, 103]
    static let speechWeights: [Int16] = [48, 82, 45, 87, 50, 47, 80, 46, 83, 41, 78, 81]
    /// Initial means, Q7.
    static let noiseMeans: [Int16] = [6738, 4892, 7065, 6715, 6771, 3369, 7646, 3863, 7820, 7266, 5020, 4362]
    static let speechMeans: [Int16] = [8306, 10085, 10078, 11823, 11843, 6309, 9473, 9571, 10879, 7581, 8180, 7483]
    /// Initial standard deviations, Q7.
    static let noiseStds: [Int16] = [378, 1064, 493, 582, 688, 593, 474, 697, 475, 688, 421, 455]
    static let speechStds: [Int16] = [555, 505, 567, 524, 585, 1231, 509, 828, 492, 1540, 1079, 850]
}
