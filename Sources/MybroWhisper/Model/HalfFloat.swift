/// IEEE half-precision to single-precision conversion through a 65,536-entry table:
/// one load per element, so converting the 37 M weights of tiny.en costs tens of milliseconds.
enum HalfFloat {
    static let table: [Float] = (0...0xFFFF).map { decode(UInt16($0)) }

    /// The exact value of a binary16 bit pattern (subnormals, infinities and NaN included).
    static func decode(_ bits: UInt16) -> Float {
        let sign: UInt32 = UInt32(bits >> 15) << 31
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0 {
            // zero or subnormal: mantissa × 2^-24
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }

    /// Converts `count` unaligned little-endian halves at `source`.
    static func convert(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        table.withUnsafeBufferPointer { lookup in
            for index in 0..<count {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                destination[index] = lookup[Int(bits)]
            }
        }
    }
}
