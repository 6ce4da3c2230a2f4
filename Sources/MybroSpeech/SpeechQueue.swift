import Foundation

/// Texts waiting to be spoken, shared by the thread that reads input and the one that speaks.
final class SpeechQueue: @unchecked Sendable {
    struct Item {
        var text: String
        /// The interruption count when it was queued: an interruption since then drops it.
        var generation: Int
    }

    private let condition = NSCondition()
    private var items: [Item] = []
    private var closed = false

    func push(_ item: Item) {
        condition.lock()
        items.append(item)
        condition.signal()
        condition.unlock()
    }

    func removeAll() {
        condition.lock()
        items.removeAll()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next text, waiting for one; nil once the queue is closed and empty, or when
    /// `stop` turns true (checked every 50 ms: a signal cannot wake a condition variable).
    func pop(stop: () -> Bool) -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed {
            if stop() { return nil }
            condition.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
        return items.isEmpty ? nil : items.removeFirst()
    }
}
