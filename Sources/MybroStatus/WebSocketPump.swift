import Foundation
import HummingbirdWebSocket
import MybroCore

/// Feeds one WebSocket client from its hub subscription until either side goes away. A client
/// that falls `limit` messages behind is closed with 1008 ("too slow"): its queue is bounded, and
/// a write stuck on a client that does not read is cancelled, so it cannot hold memory.
enum WebSocketPump {
    static func run(
        _ subscription: HubSubscription, hub: EventHub, inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter
    ) async {
        defer { hub.unsubscribe(subscription) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Clients have nothing to say here; reading notices their close.
                do { for try await _ in inbound {} } catch {}
            }
            group.addTask {
                do {
                    for await message in subscription.messages {
                        try await outbound.write(.text(message))
                    }
                } catch {}
            }
            group.addTask {
                while !Task.isCancelled && !subscription.overflowed {
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            await group.next()
            group.cancelAll()
        }
        if subscription.overflowed {
            Log.shared.warning("a WebSocket client fell \(hub.limit) messages behind; dropped it")
            try? await outbound.close(.policyViolation, reason: "too slow: fell \(hub.limit) messages behind")
        }
    }
}
