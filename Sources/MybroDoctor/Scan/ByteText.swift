import CMybroScan
import Foundation

/// A file's bytes with the few operations the checks need, all without copying: literal search
/// (memmem), line boundaries and line numbers (an index built only once something is found).
struct ByteText {
    let bytes: UnsafeBufferPointer<UInt8>
    private var newlines: [Int]? = nil

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var count: Int { bytes.count }

    subscript(index: Int) -> UInt8 { bytes[index] }

    /// The offset of the first `needle` at or after `start`.
    func find(_ needle: StaticString, from start: Int = 0) -> Int? {
        find(UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount), from: start)
    }

    func find(_ needle: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        guard start < bytes.count, needle.count > 0, let base = bytes.baseAddress else { return nil }
        guard let hit = mybro_memmem(base + start, bytes.count - start, needle.baseAddress, needle.count) else {
            return nil
        }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    func contains(_ needle: StaticString) -> Bool { find(needle) != nil }

    /// Whether `literal` occurs at `offset`.
    func hasLiteral(_ literal: StaticString, at offset: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset >= 0, offset + count <= bytes.count else { return false }
        return memcmp(bytes.baseAddress! + offset, literal.utf8Start, count) == 0
    }

    func lineStart(at offset: Int) -> Int {
        var index = min(offset, bytes.count)
        while index > 0 && bytes[index - 1] != 0x0A { index -= 1 }
        return index
    }

    func lineEnd(at offset: Int) -> Int {
        guard offset < bytes.count, let base = bytes.baseAddress else { return bytes.count }
        guard let hit = memchr(base + offset, 0x0A, bytes.count - offset) else { return bytes.count }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The 1-based line of `offset`.
    mutating func lineNumber(at offset: Int) -> Int {
        if newlines == nil {
            var found: [Int] = []
            var position = 0
            while position < bytes.count, let base = bytes.baseAddress,
                let hit = memchr(base + position, 0x0A, bytes.count - position)
            {
                let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                found.append(index)
                position = index + 1
            }
            newlines = found
        }
        var low = 0
        var high = newlines!.count
        while low < high {
            let middle = (low + high) / 2
            if newlines![middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low + 1
    }

    /// The line holding `offset`, without its newline (and carriage return), as text.
    func lineText(at offset: Int) -> String {
        var end = lineEnd(at: offset)
        let start = lineStart(at: offset)
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return string(start..<end)
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }

    /// Every line's range, for line-oriented checks on small files.
    func forEachLine(_ body: (Range<Int>, Int) -> Void) {
        var start = 0
        var number = 1
        while start < bytes.count {
            let end = lineEnd(at: start)
            var contentEnd = end
            if contentEnd > start && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            body(start..<contentEnd, number)
            start = end + 1
            number += 1
        }
    }
}

/// Byte classes for token boundaries and shapes.
enum ByteClass {
    static func isAlnum(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
    static func isUpperAlnum(_ byte: UInt8) -> Bool { (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) }
    static func isHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }
    static func isLowerHex(_ byte: UInt8) -> Bool { (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isWord(_ byte: UInt8) -> Bool { isAlnum(byte) || byte == 0x5F }
    /// Base64url and the dash/underscore alphabets most tokens use.
    static func isToken(_ byte: UInt8) -> Bool { isAlnum(byte) || byte == 0x5F || byte == 0x2D }
    static func isBase64(_ byte: UInt8) -> Bool { isAlnum(byte) || byte == 0x2B || byte == 0x2F }
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte }
}

/// Shannon entropy in bits per character, for telling random values from words.
enum Entropy {
    static func bitsPerCharacter(_ bytes: some Collection<UInt8>) -> Double {
        guard !bytes.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for byte in bytes { counts[Int(byte)] += 1 }
        let total = Double(bytes.count)
        var entropy = 0.0
        for count in counts where count > 0 {
            let p = Double(count) / total
            entropy -= p * log2(p)
        }
        return entropy
    }
}
