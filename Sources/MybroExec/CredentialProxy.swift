import Foundation
import MybroCore
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Keeps the Anthropic credential out of a Claude Code job.
///
/// Whatever a process holds in its initial environment, its children can read in
/// /proc/PID/environ (same user, same sandbox): Claude Code's own tool calls could print the key.
/// So Claude Code gets a stand-in key for this job and `ANTHROPIC_BASE_URL` pointing here, a
/// loopback HTTP/1.1 listener in mybro-exec; each request that carries the stand-in is sent on
/// to the real API with the real key, and the answer (streamed server-sent events included) is
/// relayed as it arrives. A process in the job can still spend through the proxy while the job
/// runs, but no process in it ever holds the key, and the stand-in dies with the job.
final class CredentialProxy: Sendable {
    /// The variable Claude Code reads its credential from, and the value mybro-exec withdrew.
    struct Credential: Sendable {
        let variable: String
        let value: String
    }

    let port: UInt16
    /// The key the job gets instead of the real one (random, this job's only).
    let standIn: String
    private let listener: Int32
    private let upstream: String
    private let credential: Credential
    private let closed = Atomic<Bool>(false)
    private let openConnections = Mutex<Set<Int32>>([])

    static let maximumConnections = 32
    static let maximumHeadBytes = 64 << 10
    static let maximumBodyBytes = 32 << 20
    /// How long a connection may sit idle between requests, and the API between bytes.
    static let idleSeconds: Double = 300

    /// A proxy for a job whose environment holds an Anthropic credential; nil when it holds none
    /// (Claude Code then uses its own stored login).
    static func forClaude(environment: [String: String]) throws -> CredentialProxy? {
        let found = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"].lazy.compactMap { name in
            environment[name].flatMap { $0.isEmpty ? nil : Credential(variable: name, value: $0) }
        }.first
        guard let found else { return nil }
        let base = environment["ANTHROPIC_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://api.anthropic.com"
        return try CredentialProxy(upstream: base, credential: found)
    }

    init(upstream: String, credential: Credential) throws {
        guard let url = URL(string: upstream), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw MybroError(
                "ANTHROPIC_BASE_URL is not an http(s) URL: set it to the API's address or unset it", status: .usage)
        }
        self.upstream = upstream.hasSuffix("/") ? String(upstream.dropLast()) : upstream
        self.credential = credential
        // SystemRandomNumberGenerator draws from the kernel's getrandom: fit for a secret.
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }
        standIn = "sk-ant-mybro-job-" + bytes.map { String(format: "%02x", $0) }.joined()
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else {
            throw MybroError("cannot open the credential proxy: \(SystemIO.describe(errno))", status: .ioError)
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && listen(socket, 16) == 0
                    && getsockname(socket, generic, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            Glibc.close(socket)
            throw MybroError(
                "cannot listen on 127.0.0.1 for the credential proxy: \(SystemIO.describe(code))",
                status: .ioError)
        }
        listener = socket
        port = UInt16(bigEndian: address.sin_port)
        let acceptor = Thread { [self] in acceptConnections() }
        acceptor.name = "mybro-exec credential proxy"
        acceptor.start()
    }

    /// What the job's environment gets in place of the credential.
    var environment: [String: String] {
        [credential.variable: standIn, "ANTHROPIC_BASE_URL": "http://127.0.0.1:\(port)"]
    }

    /// Stops listening and ends every open connection (the job is over).
    func close() {
        guard !closed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in openConnections.withLock({ $0 }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    deinit {
        close()
        Glibc.close(listener)
    }

    private func acceptConnections() {
        while !closed.load(ordering: .sequentiallyConsistent) {
            let fd = accept(listener, nil, nil)
            if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }  // jobs are spawned with closefrom anyway
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if closed.load(ordering: .sequentiallyConsistent) { return }
                usleep(10_000)  // EMFILE and the like: do not spin
                continue
            }
            // A job has no business holding more connections than this; past it, new ones are
            // closed at once (one thread each).
            let admitted = openConnections.withLock { open -> Bool in
                guard open.count < Self.maximumConnections else { return false }
                open.insert(fd)
                return true
            }
            guard admitted else {
                Glibc.close(fd)
                continue
            }
            let worker = Thread { [self] in
                serve(HTTPConnection(fd: fd))
                openConnections.withLock { _ = $0.remove(fd) }
                Glibc.close(fd)
            }
            worker.name = "mybro-exec credential proxy connection"
            worker.start()
        }
    }

    /// Requests one after another on a kept-alive connection, until either side ends it.
    private func serve(_ connection: HTTPConnection) {
        while !closed.load(ordering: .sequentiallyConsistent) {
            let request: HTTPConnection.Request
            do {
                guard let next = try connection.readRequest() else { return }
                request = next
            } catch {
                connection.sendError(status: error.status, type: "invalid_request_error", message: error.reason)
                return
            }
            guard isAuthorized(request) else {
                connection.sendError(
                    status: 401, type: "authentication_error",
                    message: "this credential proxy takes only the key of the job it was started for")
                return
            }
            guard relay(request, to: connection), request.keepsAlive else { return }
        }
    }

    /// Where a request goes: the API's own scheme, host and port, below its base path (no `.`
    /// or `..` segment, however spelled, climbs out of it); nil for anything else.
    static func upstreamURL(upstream: String, target: String) -> URL? {
        guard target.hasPrefix("/"), let url = URL(string: upstream + target), let base = URL(string: upstream),
            url.scheme == base.scheme, url.host == base.host, url.port == base.port, url.user == nil,
            url.password == nil
        else { return nil }
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
        let decoded = (path.removingPercentEncoding ?? path).replacingOccurrences(of: "\\", with: "/")
        guard
            !decoded.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." }
            )
        else { return nil }
        return url
    }

    private func isAuthorized(_ request: HTTPConnection.Request) -> Bool {
        let presented: String?
        if credential.variable == "ANTHROPIC_API_KEY" {
            presented = request.header("x-api-key")
        } else {
            presented = request.header("authorization").flatMap { value in
                value.lowercased().hasPrefix("bearer ") ? String(value.dropFirst(7)) : nil
            }
        }
        guard let presented else { return false }
        // Compared in time that does not depend on where the first difference lies.
        let given = Array(presented.utf8), expected = Array(standIn.utf8)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Sends the request on with the real credential and relays the answer; false when the
    /// connection cannot be used again.
    private func relay(_ request: HTTPConnection.Request, to connection: HTTPConnection) -> Bool {
        guard let url = Self.upstreamURL(upstream: upstream, target: request.target) else {
            connection.sendError(
                status: 400, type: "invalid_request_error", message: "the request target is not a path")
            return false
        }
        var forwarded = URLRequest(url: url)
        forwarded.httpMethod = request.method
        forwarded.timeoutInterval = Self.idleSeconds
        for (name, value) in request.headers where !HTTPConnection.isHopByHop(name) {
            let lower = name.lowercased()
            if lower == "x-api-key" || lower == "authorization" || lower == "host" || lower == "accept-encoding" {
                continue
            }
            forwarded.addValue(value, forHTTPHeaderField: name)
        }
        if credential.variable == "ANTHROPIC_API_KEY" {
            forwarded.setValue(credential.value, forHTTPHeaderField: "x-api-key")
        } else {
            forwarded.setValue("Bearer " + credential.value, forHTTPHeaderField: "authorization")
        }
        if !request.body.isEmpty { forwarded.httpBody = request.body }
        let relay = ResponseRelay(connection: connection)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = Self.idleSeconds
        let session = URLSession(configuration: configuration, delegate: relay, delegateQueue: nil)
        session.dataTask(with: forwarded).resume()
        relay.finished.wait()
        session.finishTasksAndInvalidate()
        return relay.reusable
    }
}

/// Writes an upstream answer back to the job's connection as it arrives, chunked.
private final class ResponseRelay: NSObject, URLSessionDataDelegate, Sendable {
    let connection: HTTPConnection
    let finished = DispatchSemaphore(value: 0)
    private let state = Mutex<(headSent: Bool, failed: Bool)>((false, false))

    init(connection: HTTPConnection) { self.connection = connection }

    var reusable: Bool { state.withLock { $0.headSent && !$0.failed } }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let http = response as? HTTPURLResponse
        var headers: [(String, String)] = []
        for (key, value) in http?.allHeaderFields ?? [:] {
            guard let name = key as? String, !HTTPConnection.isHopByHop(name) else { continue }
            // URLSession has already taken the body apart (length, compression): it is re-chunked.
            let lower = name.lowercased()
            if lower == "content-length" || lower == "content-encoding" { continue }
            headers.append((name, "\(value)"))
        }
        let sent = connection.sendHead(status: http?.statusCode ?? 502, headers: headers, chunked: true)
        state.withLock { $0 = (true, !sent) }
        completionHandler(sent ? .allow : .cancel)
    }

    /// A redirect is passed back as it is, never followed: following it would send the real key
    /// to wherever the Location points.
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        if !connection.sendChunk(data) {
            state.withLock { $0.failed = true }
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let (headSent, failed) = state.withLock { $0 }
        if !headSent {
            connection.sendError(
                status: 502, type: "api_error",
                message:
                    "mybro-exec could not reach the API: \(error.map { "\($0.localizedDescription)" } ?? "no answer")")
            state.withLock { $0 = (false, true) }
        } else if error != nil || failed {
            state.withLock { $0.failed = true }  // a cut stream: the client sees the connection end
        } else if !connection.sendLastChunk() {
            state.withLock { $0.failed = true }
        }
        finished.signal()
    }
}
