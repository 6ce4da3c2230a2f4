/// Splits an 8 kHz frame into six bands and measures each band's log energy — the detector's
/// features — exactly as WebRTC's vad_filterbank.c does in fixed point.
///
/// The bands come from a tree of half-band splits (all-pass pairs, decimating by two):
/// 0–4000 → 2000–4000 / 0–2000; 2000–4000 → 3000–4000 / 2000–3000; 0–2000 → 1000–2000 / 0–1000;
/// 0–1000 → 500–1000 / 0–500; 0–500 → 250–500 / 0–250; and 0–250 is high-passed at 80 Hz.
enum SubbandFilterBank {
    /// 160·log10(2) in Q9, turning log2 into 10·log10 in Q4.
    static let logConstant: Int32 = 24660
    /// log2(2^14) in Q10: a 15-bit normalised energy's integer part.
    static let log2IntegerPart: Int16 = 14336
    /// All-pass coefficients of the split filter's upper and lower branches, Q15 (0.64, 0.17).
    static let upperAllPass: Int32 = 20972
    static let lowerAllPass: Int32 = 5571
    /// Per-band offsets added to the log energies (compensating the split filters' gain), Q4.
    static let bandOffsets: (Int16, Int16, Int16, Int16, Int16, Int16) = (368, 368, 272, 176, 176, 176)

    /// Writes the six band features (10·log10 energy, Q4) and returns the frame's rough total
    /// energy, which only needs to tell "above the minimum" from "below".
    @inline(__always)
    static func computeFeatures(_ state: DetectorState, input: UnsafePointer<Int16>, count: Int) -> Int16 {
        var totalEnergy: Int16 = 0
        let features = state.features
        let half = count >> 1
        let quarter = half >> 1

        // 0–4000 Hz → 2000–4000 (highBand120) and 0–2000 (lowBand120).
        split(
            input, count: count, upper: state.splitUpperState, lower: state.splitLowerState,
            high: state.highBand120, low: state.lowBand120)
        // 2000–4000 → 3000–4000 (highBand60) and 2000–3000 (lowBand60).
        split(
            state.highBand120, count: half, upper: state.splitUpperState + 1, lower: state.splitLowerState + 1,
            high: state.highBand60, low: state.lowBand60)
        features[5] = logEnergy(state.highBand60, count: quarter, offset: bandOffsets.5, total: &totalEnergy)
        features[4] = logEnergy(state.lowBand60, count: quarter, offset: bandOffsets.4, total: &totalEnergy)

        // 0–2000 → 1000–2000 (highBand60) and 0–1000 (lowBand60).
        split(
            state.lowBand120, count: half, upper: state.splitUpperState + 2, lower: state.splitLowerState + 2,
            high: state.highBand60, low: state.lowBand60)
        features[3] = logEnergy(state.highBand60, count: quarter, offset: bandOffsets.3, total: &totalEnergy)

        // 0–1000 → 500–1000 (highBand120) and 0–500 (lowBand120).
        let eighth = quarter >> 1
        split(
            state.lowBand60, count: quarter, upper: state.splitUpperState + 3, lower: state.splitLowerState + 3,
            high: state.highBand120, low: state.lowBand120)
        features[2] = logEnergy(state.highBand120, count: eighth, offset: bandOffsets.2, total: &totalEnergy)

        // 0–500 → 250–500 (highBand60) and 0–250 (lowBand60).
        let sixteenth = eighth >> 1
        split(
            state.lowBand120, count: eighth, upper: state.splitUpperState + 4, lower: state.splitLowerState + 4,
            high: state.highBand60, low: state.lowBand60)
        features[1] = logEnergy(state.highBand60, count: sixteenth, offset: bandOffsets.1, total: &totalEnergy)

        // 80–250 Hz: high-pass the lowest band.
        highPass(state.lowBand60, count: sixteenth, state: state.highPassState, output: state.highBand120)
        features[0] = logEnergy(state.highBand120, count: sixteenth, offset: bandOffsets.0, total: &totalEnergy)
        return totalEnergy
    }

    /// Second-order high-pass at 80 Hz for a 500 Hz signal; coefficients Q14.
    @inline(__always)
    static func highPass(
        _ input: UnsafePointer<Int16>, count: Int, state: UnsafeMutablePointer<Int16>,
        output: UnsafeMutablePointer<Int16>
    ) {
        for index in 0..<count {
            let sample = input[index]
            var accumulator = 6631 &* Int32(sample) &- 13262 &* Int32(state[0]) &+ 6631 &* Int32(state[1])
            state[1] = state[0]
            state[0] = sample
            accumulator = accumulator &+ 7756 &* Int32(state[2]) &- 5620 &* Int32(state[3])
            state[3] = state[2]
            state[2] = FixedPoint.int16(accumulator >> 14)
            output[index] = state[2]
        }
    }

    /// First-order all-pass over every other input sample (the input is read with stride 2).
    /// The state is kept in Q(-1), as in the reference.
    @inline(__always)
    static func allPass(
        _ input: UnsafePointer<Int16>, count: Int, coefficient: Int32,
        state: UnsafeMutablePointer<Int16>, output: UnsafeMutablePointer<Int16>
    ) {
        var state32 = Int32(state.pointee) << 16
        for index in 0..<count {
            let sample = Int32(input[index << 1])
            let filtered = FixedPoint.int16((state32 &+ coefficient &* sample) >> 16)
            output[index] = filtered
            state32 = ((sample << 14) &- coefficient &* Int32(filtered)) << 1
        }
        state.pointee = FixedPoint.int16(state32 >> 16)
    }

    /// Splits `count` samples into a high and a low half band of `count / 2` samples each.
    @inline(__always)
    static func split(
        _ input: UnsafePointer<Int16>, count: Int, upper: UnsafeMutablePointer<Int16>,
        lower: UnsafeMutablePointer<Int16>, high: UnsafeMutablePointer<Int16>,
        low: UnsafeMutablePointer<Int16>
    ) {
        let half = count >> 1
        allPass(input, count: half, coefficient: upperAllPass, state: upper, output: high)
        allPass(input + 1, count: half, coefficient: lowerAllPass, state: lower, output: low)
        for index in 0..<half {
            let upperBranch = Int32(high[index])
            let lowerBranch = Int32(low[index])
            high[index] = FixedPoint.int16(upperBranch &- lowerBranch)
            low[index] = FixedPoint.int16(lowerBranch &+ upperBranch)
        }
    }

    /// 10·log10 of the energy of `count` samples in Q4, plus `offset`; also raises `total`
    /// (a rough frame energy) while it is still at or below the analysis minimum.
    @inline(__always)
    static func logEnergy(_ input: UnsafePointer<Int16>, count: Int, offset: Int16, total: inout Int16) -> Int16 {
        let (rawEnergy, initialShift) = FixedPoint.energy(input, count: count)
        var energy = UInt32(bitPattern: rawEnergy)
        if energy == 0 { return offset }

        // Normalise to 15 bits; log2 is then 14 plus a linear approximation of the fraction.
        let normalisingShift = 17 - FixedPoint.normU32(energy)
        let totalShift = initialShift + normalisingShift
        if normalisingShift < 0 {
            energy <<= UInt32(-normalisingShift)
        } else {
            energy >>= UInt32(normalisingShift)
        }
        let log2Energy = Int32(log2IntegerPart) + Int32((energy & 0x3FFF) >> 4)
        var result = FixedPoint.int16(((logConstant &* log2Energy) >> 19) &+ ((totalShift &* logConstant) >> 9))
        if result < 0 { result = 0 }
        result = FixedPoint.int16(Int32(result) &+ Int32(offset))

        if total <= GaussianModelTables.minimumEnergy {
            if totalShift >= 0 {
                // The energy is certainly above the minimum: any value past it will do.
                total = FixedPoint.int16(Int32(total) &+ Int32(GaussianModelTables.minimumEnergy) &+ 1)
            } else {
                total = FixedPoint.int16(
                    Int32(total) &+ Int32(FixedPoint.int16(Int32(bitPattern: energy >> UInt32(-totalShift)))))
            }
        }
        return result
    }
}
