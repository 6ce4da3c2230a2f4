/// Tells an Akai MPC 2000 sample from other bytes that start with its two-byte magic.
///
/// libsndfile takes any stream starting 01 04 for an MPC 2000 sample, so one random input
/// in 65,536 would decode as audio without a word where mybro should say it has no header.
/// A real sample follows the magic with its name: 16 ASCII characters padded with spaces
/// (libsndfile's own writer does the same), which random bytes match about once in 10^7.
/// Every other format libsndfile sniffs has a magic of at least 25 bits and is left alone.
enum MPC2KHeaderCheck {
    static let magic: [UInt8] = [0x01, 0x04]
    static let nameLength = 16

    /// True when `head` (the first bytes of a stream) starts like a real MPC 2000 sample.
    static func startsLikeMPC2K(_ head: [UInt8]) -> Bool {
        guard head.starts(with: magic), head.count >= magic.count + nameLength else { return false }
        return head[magic.count..<magic.count + nameLength].allSatisfy { (0x20...0x7E).contains($0) }
    }
}
