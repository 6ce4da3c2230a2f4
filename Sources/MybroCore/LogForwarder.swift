import Foundation

/// Sends a command's JSON Lines diagnostics to the log service named by `MYBRO_LOG_URL`
/// (`http://127.0.0.1:7778/v1/logs`, served by mybro-status).
///
/// The wire protocol is one long HTTP/1.1 `POST` whose body is chunked: each diagnostic is one
/// chunk holding one JSON line, sent as it happens, and the empty chunk ends the request when
/// the process exits. Any HTTP client can send the same body in one piece (`curl --data-binary
/// @file`).
///
/// A command must never wait for its logs: the socket is non-blocking, lines that the kernel
/// cannot take at once wait in a buffer of at most `bufferLimit` bytes, and a line that does not
/// fit, or that is lost with a broken connection, is dropped and counted. The count travels on
/// the next line that gets through (`log_dropped`). While the service is down, a new connection
/// is tried at most once a second. Used under `Log`'s lock only.
final class LogForwarder {
    static let bufferLimit = 256 << 10
    static let retryInterval: Double = 1

    let host: String
    let port: UInt16
    let path: String
    private let token: String?
    private var fd: Int32 = -1
    private var connected = false
    private var pending: [UInt8] = []
    /// Lines in `pending` (lost if the connection breaks).
    private var pendingLines = 0
    private(set) var dropped = 0
    private var nextAttempt: Double = 0

    /// Parses `http://HOST:PORT/PATH`; nil (with the reason) for anything else.
    static func parse(url: String) -> Result<(host: String, port: UInt16, path: String), LogForwarderError> {
        guard url.hasPrefix("http://") else { return .failure(LogForwarderError("only http:// URLs are supported")) }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = Substring(authority)
        var port: UInt16 = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return .failure(LogForwarderError("bad IPv6 host")) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = UInt16(after.dropFirst()) else { return .failure(LogForwarderError("bad port")) }
                port = value
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let value = UInt16(authority[authority.index(after: colon)...]), value > 0 else {
                return .failure(LogForwarderError("bad port"))
            }
            port = value
        }
        guard !host.isEmpty else { return .failure(LogForwarderError("no host")) }
        return .success((String(host), port, path.isEmpty ? "/v1/logs" : String(path)))
    }

    init(host: String, port: UInt16, path: String, token: String?) {
        self.host = host
        self.port = port
        self.path = path
        self.token = token
    }

    /// Queues one JSON line (with its newline), made by `makeLine` from the count of lines
    /// dropped since the last one that got through, and sends what the socket takes now.
    func send(_ makeLine: (_ dropped: Int) -> String) {
        if fd < 0 { connect() }
        guard fd >= 0 else {
            dropped += 1
            return
        }
        let bytes = Array(makeLine(dropped).utf8)
        let head = Array((String(bytes.count, radix: 16) + "\r\n").utf8)
        guard pending.count + head.count + bytes.count + 2 <= Self.bufferLimit else {
            dropped += 1
            return
        }
        dropped = 0
        pending += head
        pending += bytes
        pending += [0x0D, 0x0A]
        pendingLines += 1
        flush()
    }

    /// Sends what the socket takes without waiting; on a broken connection drops the rest.
    func flush() {
        guard fd >= 0, !pending.isEmpty else { return }
        if !connected {
            var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&ready, 1, 0) == 1 else { return }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            guard error == 0 else { return disconnect() }
            connected = true
        }
        var sent = 0
        while sent < pending.count {
            let result = pending.withUnsafeBytes { buffer in
                Foundation.send(fd, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if result > 0 {
                sent += result
                continue
            }
            if result < 0 && errno == EINTR { continue }
            if result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { break }
            pending.removeFirst(sent)
            return disconnect()
        }
        pending.removeFirst(sent)
        if pending.isEmpty { pendingLines = 0 }
    }

    /// At exit: waits up to `timeout` seconds for queued lines, then ends the request.
    func finish(timeout: Double) {
        guard fd >= 0 else { return }
        pending += Array("0\r\n\r\n".utf8)
        let deadline = Self.now() + timeout
        while !pending.isEmpty && fd >= 0 && Self.now() < deadline {
            flush()
            if pending.isEmpty || fd < 0 { break }
            var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&ready, 1, 10)
        }
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    private func connect() {
        let now = Self.now()
        guard now >= nextAttempt else { return }
        nextAttempt = now + Self.retryInterval
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return }
        defer { freeaddrinfo(list) }
        let socketFD = socket(
            first.pointee.ai_family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketFD >= 0 else { return }
        let result = Foundation.connect(socketFD, first.pointee.ai_addr, first.pointee.ai_addrlen)
        if result != 0 && errno != EINPROGRESS {
            close(socketFD)
            return
        }
        fd = socketFD
        connected = result == 0
        var head = "POST \(path) HTTP/1.1\r\nHost: \(host.contains(":") ? "[\(host)]" : host):\(port)\r\n"
        head += "Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        pending = Array((head + "\r\n").utf8)
        pendingLines = 0
    }

    private func disconnect() {
        close(fd)
        fd = -1
        connected = false
        dropped += pendingLines
        pending.removeAll()
        pendingLines = 0
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

public struct LogForwarderError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
