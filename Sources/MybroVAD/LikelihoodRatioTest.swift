/// The detector's hypothesis test (first half of WebRTC's `GmmProbability`): for each band, the
/// features are scored against the noise and the speech mixtures; a band whose log-likelihood
/// ratio passes the band threshold, or a spectrally weighted sum passing the global threshold,
/// makes the frame speech. Along the way it stores what the model updates need: each Gaussian's
/// `delta` and its share ("responsibility", Q14) of its mixture's probability.
enum LikelihoodRatioTest {
    typealias Tables = GaussianModelTables

    @inline(__always)
    static func isSpeech(_ state: DetectorState, bandThreshold: Int16, totalThreshold: Int16) -> Bool {
        let bands = Tables.bandCount
        let features = state.features
        var speech = false
        var weightedSum: Int32 = 0

        for band in 0..<bands {
            let feature = features[band]
            let noise0 =
                Int32(state.noiseWeights[band])
                &* GaussianProbability.density(
                    of: feature, mean: state.noiseMeans[band], std: state.noiseStds[band],
                    delta: state.noiseDelta + band)
            let noise1 =
                Int32(state.noiseWeights[band + bands])
                &* GaussianProbability.density(
                    of: feature, mean: state.noiseMeans[band + bands], std: state.noiseStds[band + bands],
                    delta: state.noiseDelta + band + bands)
            let speech0 =
                Int32(state.speechWeights[band])
                &* GaussianProbability.density(
                    of: feature, mean: state.speechMeans[band], std: state.speechStds[band],
                    delta: state.speechDelta + band)
            let speech1 =
                Int32(state.speechWeights[band + bands])
                &* GaussianProbability.density(
                    of: feature, mean: state.speechMeans[band + bands], std: state.speechStds[band + bands],
                    delta: state.speechDelta + band + bands)
            let noiseTotal = noise0 &+ noise1  // Q27
            let speechTotal = speech0 &+ speech1

            // log2 of the ratio, approximated by the difference of the normalising shifts.
            let noiseShifts = noiseTotal == 0 ? 31 : FixedPoint.normW32(noiseTotal)
            let speechShifts = speechTotal == 0 ? 31 : FixedPoint.normW32(speechTotal)
            let ratio = FixedPoint.int16(noiseShifts &- speechShifts)
            weightedSum = weightedSum &+ Int32(ratio) &* Int32(Tables.spectrumWeight[band])
            if (Int32(ratio) << 2) > Int32(bandThreshold) { speech = true }

            // Responsibilities of the first Gaussian in each mixture (the second gets the rest).
            let noiseQ15 = FixedPoint.int16(noiseTotal >> 12)
            if noiseQ15 > 0 {
                let share = responsibility(of: noise0, total: noiseQ15)
                state.noiseResponsibility[band] = share
                state.noiseResponsibility[band + bands] = FixedPoint.int16(16384 &- Int32(share))
            } else {
                state.noiseResponsibility[band] = 16384
                state.noiseResponsibility[band + bands] = 0
            }
            let speechQ15 = FixedPoint.int16(speechTotal >> 12)
            if speechQ15 > 0 {
                let share = responsibility(of: speech0, total: speechQ15)
                state.speechResponsibility[band] = share
                state.speechResponsibility[band + bands] = FixedPoint.int16(16384 &- Int32(share))
            } else {
                state.speechResponsibility[band] = 0
                state.speechResponsibility[band + bands] = 0
            }
        }
        return speech || weightedSum >= Int32(totalThreshold)
    }

    /// probability / total in Q14, from the probability's top bits in Q29.
    @inline(__always)
    static func responsibility(of probability: Int32, total: Int16) -> Int16 {
        let masked = Int32(bitPattern: (UInt32(bitPattern: probability) & 0xFFFF_F000) << 2)
        return FixedPoint.int16(FixedPoint.divide(masked, by: total))
    }
}
