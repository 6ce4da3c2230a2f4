/// WebRTC's 48→8 kHz resampler for 10 ms blocks (signal_processing `Resample48khzTo8khz`):
/// 48→24 kHz by a polyphase all-pass half-band decimator, a 24 kHz all-pass low-pass,
/// 24→16 kHz by an 8-tap fractional interpolator, and 16→8 kHz by another decimator.
/// Intermediate signals are 32-bit, shifted left 15 with an offset, as in the reference.
enum Resampler48kTo8k {
    /// All-pass coefficients of the half-band filters' two branches (Q14-ish, as in the reference).
    static let upperBranch: (Int32, Int32, Int32) = (821, 6110, 12382)
    static let lowerBranch: (Int32, Int32, Int32) = (3050, 9368, 15063)
    /// The 3→2 interpolator's two phases.
    static let phase0: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) =
        (778, -2050, 1087, 23285, 12903, -3783, 441, 222)
    static let phase1: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) =
        (222, 441, -3783, 12903, 23285, 1087, -2050, 778)

    /// Resamples 480 input samples to 80 output samples.
    @inline(__always)
    static func resample(_ input: UnsafePointer<Int16>, output: UnsafeMutablePointer<Int16>, state: DetectorState) {
        let work = state.resampleWork
        // 48 → 24 kHz: 240 samples at work[256...].
        decimate(input, count: 480, output: work + 256, state: state.resample48To24)
        // 24 kHz low-pass: 240 samples at work[16...].
        lowPass(work + 256, count: 240, output: work + 16, state: state.resample24LowPass)
        // 24 → 16 kHz: the interpolator needs the previous block's last 8 samples in front.
        for index in 0..<8 {
            work[8 + index] = state.resample24To16[index]
            state.resample24To16[index] = work[248 + index]
        }
        interpolateThreeToTwo(work + 8, output: work, blocks: 80)
        // 16 → 8 kHz: 80 output samples.
        decimate(work, count: 160, output: output, state: state.resample16To8)
    }

    /// One all-pass section chain step: three cascaded first-order sections of one branch.
    @inline(__always)
    static func branch(_ input: Int32, _ state: UnsafeMutablePointer<Int32>, _ coefficients: (Int32, Int32, Int32))
        -> Int32
    {
        var difference = (input &- state[1] &+ (1 << 13)) >> 14  // scale down and round
        let first = state[0] &+ difference &* coefficients.0
        state[0] = input
        difference = (first &- state[2]) >> 14  // scale down and truncate toward zero
        if difference < 0 { difference &+= 1 }
        let second = state[1] &+ difference &* coefficients.1
        state[1] = first
        difference = (second &- state[3]) >> 14
        if difference < 0 { difference &+= 1 }
        state[3] = state[2] &+ difference &* coefficients.2
        state[2] = second
        return state[3]
    }

    /// Half-band decimator from 16-bit input to 32-bit output (`DownBy2ShortToInt`).
    @inline(__always)
    static func decimate(
        _ input: UnsafePointer<Int16>, count: Int, output: UnsafeMutablePointer<Int32>,
        state: UnsafeMutablePointer<Int32>
    ) {
        let half = count >> 1
        for index in 0..<half {
            let sample = (Int32(input[index << 1]) << 15) &+ (1 << 14)
            output[index] = branch(sample, state, lowerBranch) >> 1
        }
        for index in 0..<half {
            let sample = (Int32(input[(index << 1) + 1]) << 15) &+ (1 << 14)
            output[index] = output[index] &+ (branch(sample, state + 4, upperBranch) >> 1)
        }
    }

    /// Half-band decimator from 32-bit input to saturated 16-bit output (`DownBy2IntToShort`);
    /// overwrites its input, as the reference does.
    @inline(__always)
    static func decimate(
        _ input: UnsafeMutablePointer<Int32>, count: Int, output: UnsafeMutablePointer<Int16>,
        state: UnsafeMutablePointer<Int32>
    ) {
        let half = count >> 1
        for index in 0..<half {
            input[index << 1] = branch(input[index << 1], state, lowerBranch) >> 1
        }
        for index in 0..<half {
            let position = (index << 1) + 1
            input[position] = branch(input[position], state + 4, upperBranch) >> 1
        }
        for index in 0..<half {
            let sum = (input[index << 1] &+ input[(index << 1) + 1]) >> 15
            output[index] = Int16(clamping: sum)
        }
    }

    /// All-pass low-pass at the same rate (`LPBy2IntToInt`): even outputs from one polyphase
    /// pair, odd outputs from another.
    @inline(__always)
    static func lowPass(
        _ input: UnsafePointer<Int32>, count: Int, output: UnsafeMutablePointer<Int32>,
        state: UnsafeMutablePointer<Int32>
    ) {
        let half = count >> 1
        // Lower branch, odd inputs delayed by one → even outputs.
        var delayed = state[12]
        for index in 0..<half {
            output[index << 1] = branch(delayed, state, lowerBranch) >> 1
            delayed = input[(index << 1) + 1]
        }
        // Upper branch, even inputs → even outputs, averaged.
        for index in 0..<half {
            let upper = branch(input[index << 1], state + 4, upperBranch)
            output[index << 1] = (output[index << 1] &+ (upper >> 1)) >> 15
        }
        // Lower branch, even inputs → odd outputs.
        for index in 0..<half {
            output[(index << 1) + 1] = branch(input[index << 1], state + 8, lowerBranch) >> 1
        }
        // Upper branch, odd inputs → odd outputs, averaged.
        for index in 0..<half {
            let upper = branch(input[(index << 1) + 1], state + 12, upperBranch)
            output[(index << 1) + 1] = (output[(index << 1) + 1] &+ (upper >> 1)) >> 15
        }
    }

    /// 3 input samples → 2 output samples per block with two 8-tap phases (`Resample48khzTo32khz`).
    /// Output may trail input in the same buffer: each block reads ahead of what it writes.
    @inline(__always)
    static func interpolateThreeToTwo(
        _ input: UnsafePointer<Int32>, output: UnsafeMutablePointer<Int32>,
        blocks: Int
    ) {
        var source = input
        var destination = output
        for _ in 0..<blocks {
            var sum: Int32 = 1 << 14
            sum = sum &+ phase0.0 &* source[0] &+ phase0.1 &* source[1] &+ phase0.2 &* source[2]
            sum = sum &+ phase0.3 &* source[3] &+ phase0.4 &* source[4] &+ phase0.5 &* source[5]
            sum = sum &+ phase0.6 &* source[6] &+ phase0.7 &* source[7]
            destination[0] = sum
            sum = 1 << 14
            sum = sum &+ phase1.0 &* source[1] &+ phase1.1 &* source[2] &+ phase1.2 &* source[3]
            sum = sum &+ phase1.3 &* source[4] &+ phase1.4 &* source[5] &+ phase1.5 &* source[6]
            sum = sum &+ phase1.6 &* source[7] &+ phase1.7 &* source[8]
            destination[1] = sum
            source += 3
            destination += 2
        }
    }
}
