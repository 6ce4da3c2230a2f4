import MybroCore
import Synchronization

/// What a subscriber wants: every message, or log lines at or above a level from one tool.
public struct HubFilter: Sendable {
    public var minimumLevel: LogLevel?
    public var tool: String?

    public init(minimumLevel: LogLevel? = nil, tool: String? = nil) {
        self.minimumLevel = minimumLevel
        self.tool = tool
    }

    func accepts(level: LogLevel?, tool: String?) -> Bool {
        if let minimumLevel, let level, level < minimumLevel { return false }
        if let wanted = self.tool, let tool, wanted != tool { return false }
        return true
    }
}

/// One WebSocket client's queue: at most `limit` messages wait for it. A client that falls that
/// far behind is dropped (`overflowed`), never buffered without end.
public final class HubSubscription: Sendable {
    public let id: Int
    public let messages: AsyncStream<String>
    let continuation: AsyncStream<String>.Continuation
    let filter: HubFilter
    private let overflow = Atomic<Bool>(false)

    /// True when the client was dropped for being too slow.
    public var overflowed: Bool { overflow.load(ordering: .acquiring) }

    init(id: Int, limit: Int, filter: HubFilter) {
        self.id = id
        self.filter = filter
        (messages, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(limit))
    }

    /// Queues a message; false when the client is gone or too slow (then its stream ends).
    func offer(_ message: String) -> Bool {
        switch continuation.yield(message) {
        case .enqueued: return true
        case .dropped:
            overflow.store(true, ordering: .releasing)
            continuation.finish()
            return false
        case .terminated: return false
        @unknown default: return false
        }
    }
}

/// Fans messages out to WebSocket clients, each with a bounded queue of its own.
public final class EventHub: Sendable {
    public let limit: Int
    private let subscribers = Mutex<[Int: HubSubscription]>([:])
    private let nextID = Atomic<Int>(1)
    private let dropped = Atomic<Int>(0)

    public init(limit: Int = 4096) { self.limit = limit }

    /// A new subscription whose queue starts with `first` (a snapshot), so nothing published
    /// after the snapshot was taken can be missed or come before it.
    public func subscribe(filter: HubFilter = HubFilter(), first: [String] = []) -> HubSubscription {
        let subscription = HubSubscription(
            id: nextID.add(1, ordering: .relaxed).oldValue, limit: limit + first.count, filter: filter)
        for message in first { _ = subscription.offer(message) }
        subscribers.withLock { $0[subscription.id] = subscription }
        return subscription
    }

    public func unsubscribe(_ subscription: HubSubscription) {
        subscription.continuation.finish()
        subscribers.withLock { _ = $0.removeValue(forKey: subscription.id) }
    }

    public func publish(_ message: String, level: LogLevel? = nil, tool: String? = nil) {
        subscribers.withLock { all in
            for (id, subscription) in all where subscription.filter.accepts(level: level, tool: tool) {
                if !subscription.offer(message) {
                    if subscription.overflowed { dropped.add(1, ordering: .relaxed) }
                    all.removeValue(forKey: id)
                }
            }
        }
    }

    public var clientCount: Int { subscribers.withLock { $0.count } }
    /// Clients dropped so far for falling `limit` messages behind.
    public var droppedClients: Int { dropped.load(ordering: .relaxed) }
}
