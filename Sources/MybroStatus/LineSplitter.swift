/// Cuts a byte stream that arrives in pieces (a followed file, an HTTP body) into lines, with
/// a hard limit on a line's length so a missing newline cannot grow memory without bound.
struct LineSplitter {
    enum Piece {
        case line(ArraySlice<UInt8>)
        /// A line longer than the limit, skipped whole.
        case tooLong
    }

    let maximumLineBytes: Int
    private var partial: [UInt8] = []
    private var skipping = false

    init(maximumLineBytes: Int) { self.maximumLineBytes = maximumLineBytes }

    /// Feeds `bytes`; calls `emit` for every line completed.
    mutating func feed(_ bytes: some Collection<UInt8>, _ emit: (Piece) -> Void) {
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: 0x0A) {
            let head = rest[..<newline]
            if skipping || partial.count + head.count > maximumLineBytes {
                emit(.tooLong)
            } else if partial.isEmpty {
                emit(.line(ArraySlice(head)))
            } else {
                partial.append(contentsOf: head)
                emit(.line(partial[...]))
            }
            partial.removeAll(keepingCapacity: true)
            skipping = false
            rest = rest[rest.index(after: newline)...]
        }
        if skipping { return }
        if partial.count + rest.count > maximumLineBytes {
            skipping = true
            partial.removeAll()
        } else {
            partial.append(contentsOf: rest)
        }
    }

    /// The unterminated last line at the end of the stream, if any.
    mutating func finish(_ emit: (Piece) -> Void) {
        if skipping {
            emit(.tooLong)
        } else if !partial.isEmpty {
            emit(.line(partial[...]))
        }
        partial.removeAll()
        skipping = false
    }
}
