/// The model updates after each analysed frame (second half of WebRTC's `GmmProbability`):
/// on noise frames the noise means and deviations move toward the frame, on speech frames the
/// speech ones do; the noise means are also pulled toward the tracked noise floor; the two
/// models are pushed apart when too close and both are kept below ceilings.
enum ModelAdaptation {
    typealias Tables = GaussianModelTables

    @inline(__always)
    static func update(_ state: DetectorState, frameIsSpeech: Bool) {
        let bands = Tables.bandCount
        let features = state.features
        var speechCeiling: Int32 = 12800

        for band in 0..<bands {
            let feature = features[band]
            let floor = MinimumTracker.update(state, feature: feature, band: band)
            let noiseGlobalMean = weightedAverage(
                state.noiseMeans + band, offset: 0, weights: state.noiseWeights + band)
            let noiseGlobalQ8 = FixedPoint.int16(noiseGlobalMean >> 6)

            for gaussian in 0..<Tables.gaussianCount {
                let index = band + gaussian * bands
                let noiseMean = state.noiseMeans[index]
                let speechMean = state.speechMeans[index]

                // Noise mean: follow the frame on noise frames...
                var newNoiseMean = noiseMean
                if !frameIsSpeech {
                    let step = FixedPoint.int16(
                        (Int32(state.noiseResponsibility[index]) &* Int32(state.noiseDelta[index])) >> 11)
                    newNoiseMean = FixedPoint.int16(
                        Int32(noiseMean) &+ Int32(FixedPoint.int16((Int32(step) &* Tables.noiseUpdateRate) >> 22)))
                }
                // ...and drift toward the long-term floor, within fixed limits.
                let floorDistance = FixedPoint.int16((Int32(floor) << 4) &- Int32(noiseGlobalQ8))
                var corrected = FixedPoint.int16(
                    Int32(newNoiseMean) &+ Int32(FixedPoint.int16((Int32(floorDistance) &* Tables.backgroundEta) >> 9)))
                let lowest = FixedPoint.int16(Int32(gaussian + 5) << 7)
                if corrected < lowest { corrected = lowest }
                let highest = FixedPoint.int16(Int32(72 + gaussian - band) << 7)
                if corrected > highest { corrected = highest }
                state.noiseMeans[index] = corrected

                if frameIsSpeech {
                    updateSpeech(
                        state, index: index, gaussian: gaussian, feature: feature, speechMean: speechMean,
                        ceiling: speechCeiling)
                } else {
                    updateNoiseStd(state, index: index, feature: feature, noiseMean: noiseMean)
                }
            }

            separateModels(state, band: band)
            speechCeiling = Int32(Tables.maximumSpeech[band])
        }
    }

    /// Speech mean and deviation update on a speech frame.
    @inline(__always)
    static func updateSpeech(
        _ state: DetectorState, index: Int, gaussian: Int, feature: Int16, speechMean: Int16,
        ceiling: Int32
    ) {
        let responsibility = Int32(state.speechResponsibility[index])
        let delta = Int32(state.speechDelta[index])
        let step = FixedPoint.int16((responsibility &* delta) >> 11)  // Q14
        let stepQ8 = FixedPoint.int16((Int32(step) &* Tables.speechUpdateRate) >> 21)
        var newMean = FixedPoint.int16(Int32(speechMean) &+ ((Int32(stepQ8) &+ 1) >> 1))
        let minimum = Tables.minimumSpeechMean[gaussian]
        if newMean < minimum { newMean = minimum }
        let maximum = FixedPoint.int16(ceiling &+ 640)
        if newMean > maximum { newMean = maximum }
        state.speechMeans[index] = newMean

        // Deviation: (delta·(x-m) - 1) scaled by the responsibility, divided by 10·s, rate 0.025.
        let distance = FixedPoint.int16(Int32(feature) &- Int32(FixedPoint.int16((Int32(speechMean) &+ 4) >> 3)))
        let product = ((delta &* Int32(distance)) >> 3) &- 4096  // Q12
        let weighted = (Int32(FixedPoint.int16(responsibility >> 2)) &* product) >> 4  // Q20
        var std = state.speechStds[index]
        let divisor = FixedPoint.int16(Int32(std) &* 10)
        var change: Int16
        if weighted > 0 {
            change = FixedPoint.int16(FixedPoint.divide(weighted, by: divisor))
        } else {
            change = FixedPoint.int16(FixedPoint.divide(0 &- weighted, by: divisor))
            change = FixedPoint.int16(0 &- Int32(change))
        }
        change = FixedPoint.int16(Int32(change) &+ 128)
        std = FixedPoint.int16(Int32(std) &+ Int32(change >> 8))
        if std < Tables.minimumStd { std = Tables.minimumStd }
        state.speechStds[index] = std
    }

    /// Noise deviation update on a noise frame (uses the mean before this frame's update).
    @inline(__always)
    static func updateNoiseStd(_ state: DetectorState, index: Int, feature: Int16, noiseMean: Int16) {
        let distance = FixedPoint.int16(Int32(feature) &- Int32(noiseMean >> 3))
        let product = ((Int32(state.noiseDelta[index]) &* Int32(distance)) >> 3) &- 4096  // Q12
        let responsibility = FixedPoint.int16((Int32(state.noiseResponsibility[index]) &+ 2) >> 2)
        let weighted = (Int32(responsibility) &* product) >> 14  // Q20 · 2^-10
        var std = state.noiseStds[index]
        var change: Int16
        if weighted > 0 {
            change = FixedPoint.int16(FixedPoint.divide(weighted, by: std))
        } else {
            change = FixedPoint.int16(FixedPoint.divide(0 &- weighted, by: std))
            change = FixedPoint.int16(0 &- Int32(change))
        }
        change = FixedPoint.int16(Int32(change) &+ 32)
        std = FixedPoint.int16(Int32(std) &+ Int32(change >> 6))
        if std < Tables.minimumStd { std = Tables.minimumStd }
        state.noiseStds[index] = std
    }

    /// Keeps the speech model at least a minimum distance above the noise model, and both
    /// global means below their ceilings.
    @inline(__always)
    static func separateModels(_ state: DetectorState, band: Int) {
        let bands = Tables.bandCount
        let noiseMeans = state.noiseMeans + band
        let speechMeans = state.speechMeans + band
        let noiseWeights = state.noiseWeights + band
        let speechWeights = state.speechWeights + band
        var noiseGlobal = weightedAverage(noiseMeans, offset: 0, weights: noiseWeights)  // Q14
        var speechGlobal = weightedAverage(speechMeans, offset: 0, weights: speechWeights)
        let difference = FixedPoint.int16(
            Int32(FixedPoint.int16(speechGlobal >> 9)) &- Int32(FixedPoint.int16(noiseGlobal >> 9)))  // Q5
        let minimum = Tables.minimumDifference[band]
        if difference < minimum {
            let gap = Int32(FixedPoint.int16(Int32(minimum) &- Int32(difference)))
            // About 0.8 of the gap moves the speech model up, 0.2 the noise model down (Q7).
            let speechShift = FixedPoint.int16((13 &* gap) >> 2)
            let noiseShift = FixedPoint.int16((3 &* gap) >> 2)
            speechGlobal = weightedAverage(speechMeans, offset: speechShift, weights: speechWeights)
            noiseGlobal = weightedAverage(
                noiseMeans, offset: FixedPoint.int16(0 &- Int32(noiseShift)),
                weights: noiseWeights)
        }

        let speechExcess = FixedPoint.int16(speechGlobal >> 7)
        let speechMaximum = Tables.maximumSpeech[band]
        if speechExcess > speechMaximum {
            let excess = Int32(speechExcess) &- Int32(speechMaximum)
            for gaussian in 0..<Tables.gaussianCount {
                let index = gaussian * bands
                speechMeans[index] = FixedPoint.int16(Int32(speechMeans[index]) &- excess)
            }
        }
        let noiseExcess = FixedPoint.int16(noiseGlobal >> 7)
        let noiseMaximum = Tables.maximumNoise[band]
        if noiseExcess > noiseMaximum {
            let excess = Int32(noiseExcess) &- Int32(noiseMaximum)
            for gaussian in 0..<Tables.gaussianCount {
                let index = gaussian * bands
                noiseMeans[index] = FixedPoint.int16(Int32(noiseMeans[index]) &- excess)
            }
        }
    }

    /// Adds `offset` to both Gaussians' means of a band and returns their weighted sum.
    @inline(__always)
    static func weightedAverage(
        _ means: UnsafeMutablePointer<Int16>, offset: Int16,
        weights: UnsafeMutablePointer<Int16>
    ) -> Int32 {
        var sum: Int32 = 0
        for gaussian in 0..<Tables.gaussianCount {
            let index = gaussian * Tables.bandCount
            means[index] = FixedPoint.int16(Int32(means[index]) &+ Int32(offset))
            sum = sum &+ Int32(means[index]) &* Int32(weights[index])
        }
        return sum
    }
}
