import Foundation

/// Finds every provider anchor in one pass over a file, instead of one memmem pass per anchor:
/// the first two bytes of each anchor index a table, so most positions cost one lookup.
struct AnchorIndex: Sendable {
    /// For each two-byte pair, the first anchor starting with it (-1: none).
    private let heads: [Int16]
    /// The next anchor with the same first two bytes (-1: none).
    private let next: [Int16]
    private let anchors: [[UInt8]]

    init(_ literals: [StaticString]) {
        var heads = [Int16](repeating: -1, count: 65536)
        var next = [Int16](repeating: -1, count: literals.count)
        var anchors: [[UInt8]] = []
        for (index, literal) in literals.enumerated() {
            let bytes = Array(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
            precondition(bytes.count >= 2, "anchors need two bytes")
            anchors.append(bytes)
            let key = Int(bytes[0]) | Int(bytes[1]) << 8
            next[index] = heads[key]
            heads[key] = Int16(index)
        }
        self.heads = heads
        self.next = next
        self.anchors = anchors
    }

    /// Calls `found(anchor index, offset)` for every occurrence, in order of offset.
    func forEachMatch(in text: ByteText, _ found: (Int, Int) -> Void) {
        let bytes = text.bytes
        guard bytes.count >= 2, let base = bytes.baseAddress else { return }
        heads.withUnsafeBufferPointer { heads in
            next.withUnsafeBufferPointer { next in
                let last = bytes.count - 1
                var position = 0
                while position < last {
                    var candidate = Int(heads[Int(base[position]) | Int(base[position + 1]) << 8])
                    while candidate >= 0 {
                        let anchor = anchors[candidate]
                        if position + anchor.count <= bytes.count
                            && anchor.withUnsafeBufferPointer({
                                memcmp(base + position, $0.baseAddress!, $0.count) == 0
                            })
                        {
                            found(candidate, position)
                        }
                        candidate = Int(next[candidate])
                    }
                    position += 1
                }
            }
        }
    }
}
