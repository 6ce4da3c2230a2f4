import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import MybroCore
import NIOCore
import Synchronization

/// Runs the dashboard and the log service side by side until a stop signal.
public enum StatusServer {
    /// Serves until SIGINT/SIGTERM; `announce` gets each service's name and bound port (port 0
    /// asks the system for a free one).
    public static func run(_ service: StatusService) async throws {
        let settings = service.settings
        var logger = Logger(label: "mybro-status")
        logger.logLevel = .critical  // mybro's own diagnostics say what matters
        let webSocket = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: .init(idleTimeout: .seconds(300)),
            ws: .init(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .seconds(20)), closeTimeout: .seconds(2)))
        let started = Mutex(0)
        let host = settings.listenHost
        @Sendable func announce(_ what: String, _ path: String, _ channel: any Channel) {
            let port = channel.localAddress?.port ?? 0
            service.access.allow(port: port)
            let shown = host.contains(":") ? "[\(host)]" : host
            Log.shared.info("\(what) on http://\(shown):\(port)\(path)")
            if what == "dashboard", service.access.requiresToken {
                Log.shared.info("log in once at http://\(shown):\(port)/login?code=\(service.access.newLoginCode())")
            }
            started.withLock { $0 += 1 }
        }
        let dashboardRouter = DashboardRoutes.router(service)
        let dashboard = Application(
            router: dashboardRouter,
            server: .http1WebSocketUpgrade(webSocketRouter: dashboardRouter, configuration: webSocket),
            configuration: .init(address: .hostname(host, port: settings.port), serverName: nil),
            onServerRunning: { announce("dashboard", "/", $0) }, logger: logger)
        let logRouter = LogRoutes.router(service)
        let logService = Application(
            router: logRouter, server: .http1WebSocketUpgrade(webSocketRouter: logRouter, configuration: webSocket),
            configuration: .init(address: .hostname(host, port: settings.logPort), serverName: nil),
            onServerRunning: { announce("log service", "/v1/logs", $0) }, logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await dashboard.runService() }
            group.addTask { try await logService.runService() }
            group.addTask { await service.watchHistory() }
            group.addTask {
                // The toolkit's signal policy sets a flag; serve until it is set.
                while !Signals.stopRequested { try await Task.sleep(for: .milliseconds(50)) }
                throw CancellationError()
            }
            do {
                try await group.next()
            } catch is CancellationError {
            } catch {
                throw MybroError(
                    "cannot serve on \(host): \(error) (is the port taken? try --port 0)", status: .unavailable)
            }
            group.cancelAll()
        }
    }
}
