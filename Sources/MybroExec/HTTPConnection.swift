import Foundation
import MybroCore
import Synchronization

/// One client connection of the credential proxy, on the server side: HTTP/1.1 requests in
/// (a body by content-length or chunked), answers out (chunked, or an error with a length).
/// Only the loopback Claude Code job talks to it, but it is bounded like any server: a head
/// of 64 KB, a body of 32 MB, an idle limit, and a malformed request ends the connection.
final class HTTPConnection: Sendable {
    struct Request: Sendable {
        var method: String
        var target: String
        var headers: [(String, String)]
        var body: Data
        var keepsAlive: Bool

        func header(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        }
    }

    struct Failure: Error {
        var status: Int
        var reason: String
    }

    let fd: Int32
    /// Bytes read past the last request (the start of the next one).
    private let pending = Mutex<[UInt8]>([])
    /// Answers are written from the serving thread and from URLSession's delegate thread.
    private let writing = Mutex<Void>(())

    init(fd: Int32) { self.fd = fd }

    /// Headers that belong to one connection, never passed on.
    static func isHopByHop(_ name: String) -> Bool {
        [
            "connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer",
            "transfer-encoding", "upgrade",
        ].contains(name.lowercased())
    }

    /// The next request; nil when the client closed the connection or stayed idle too long
    /// before sending one. Throws a Failure (with the status to answer) on a malformed one.
    func readRequest() throws(Failure) -> Request? {
        var buffer = pending.withLock { $0 }
        var headEnd: Int? = nil
        var searched = 0
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer, from: max(0, searched - 3)) {
                headEnd = end
                break
            }
            searched = buffer.count
            guard buffer.count <= CredentialProxy.maximumHeadBytes else {
                throw Failure(status: 431, reason: "the request head is over 64 KB")
            }
            guard readMore(into: &buffer) else {
                if buffer.isEmpty { return nil }
                throw Failure(status: 400, reason: "the connection ended inside a request head")
            }
        }
        guard let headEnd else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        var rest = Array(buffer[(headEnd + 4)...])
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1."), !requestLine[0].isEmpty,
            requestLine[0].allSatisfy({ $0.isUppercase })
        else { throw Failure(status: 400, reason: "a malformed request line") }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex, !line.hasPrefix(" "),
                !line.hasPrefix("\t")
            else { throw Failure(status: 400, reason: "a malformed header line") }
            let name = String(line[..<colon])
            guard !name.contains(where: { $0 == " " || $0 == "\t" }) else {
                throw Failure(status: 400, reason: "a header name with a space")
            }
            // A lone LF or NUL would split the header where it is sent on.
            guard !line.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else {
                throw Failure(status: 400, reason: "a control character in a header")
            }
            headers.append((name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var request = Request(
            method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: Data(),
            keepsAlive: true)
        let connectionHeader = request.header("connection")?.lowercased() ?? ""
        request.keepsAlive =
            requestLine[2] == "HTTP/1.1" ? !connectionHeader.contains("close") : connectionHeader.contains("keep-alive")
        if let encoding = request.header("transfer-encoding") {
            guard encoding.lowercased() == "chunked", request.header("content-length") == nil else {
                throw Failure(status: 400, reason: "a transfer encoding other than chunked")
            }
            request.body = try readChunkedBody(&rest)
        } else if let lengthText = request.header("content-length") {
            guard lengthText.allSatisfy(\.isASCII), lengthText.allSatisfy(\.isNumber), lengthText.count <= 12,
                let length = Int(lengthText)
            else { throw Failure(status: 400, reason: "a malformed content-length") }
            guard length <= CredentialProxy.maximumBodyBytes else {
                throw Failure(status: 413, reason: "the request body is over 32 MB")
            }
            while rest.count < length {
                guard readMore(into: &rest) else { throw Failure(status: 400, reason: "the body ended early") }
            }
            request.body = Data(rest[..<length])
            rest.removeFirst(length)
        }
        pending.withLock { $0 = rest }
        return request
    }

    private func readChunkedBody(_ buffer: inout [UInt8]) throws(Failure) -> Data {
        var body = Data()
        while true {
            var lineEnd = Self.find([13, 10], in: buffer, from: 0)
            while lineEnd == nil {
                guard buffer.count < 1024, readMore(into: &buffer) else {
                    throw Failure(status: 400, reason: "a malformed chunk size")
                }
                lineEnd = Self.find([13, 10], in: buffer, from: 0)
            }
            let sizeText =
                String(decoding: buffer[..<lineEnd!], as: UTF8.self)
                .split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard !sizeText.isEmpty, sizeText.count <= 8, let size = Int(sizeText, radix: 16) else {
                throw Failure(status: 400, reason: "a malformed chunk size")
            }
            buffer.removeFirst(lineEnd! + 2)
            guard body.count + size <= CredentialProxy.maximumBodyBytes else {
                throw Failure(status: 413, reason: "the request body is over 32 MB")
            }
            if size == 0 {
                // Trailers (none expected) end with an empty line.
                while Self.find([13, 10], in: buffer, from: 0) == nil {
                    guard buffer.count < 8192, readMore(into: &buffer) else {
                        throw Failure(status: 400, reason: "a chunked body without its end")
                    }
                }
                while let end = Self.find([13, 10], in: buffer, from: 0) {
                    buffer.removeFirst(end + 2)
                    if end == 0 { return body }
                }
                throw Failure(status: 400, reason: "a chunked body without its end")
            }
            while buffer.count < size + 2 {
                guard readMore(into: &buffer) else { throw Failure(status: 400, reason: "a chunk ended early") }
            }
            guard buffer[size] == 13, buffer[size + 1] == 10 else {
                throw Failure(status: 400, reason: "a chunk longer than its size")
            }
            body.append(contentsOf: buffer[..<size])
            buffer.removeFirst(size + 2)
        }
    }

    /// Appends what the client sent next; false at its end, on an error, or after the idle limit.
    private func readMore(into buffer: inout [UInt8]) -> Bool {
        guard SystemIO.waitReadable(fd, milliseconds: Int32(CredentialProxy.idleSeconds * 1000)) else { return false }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let result = chunk.withUnsafeMutableBytes { SystemIO.read(fd, into: $0) }
        guard case .bytes(let count) = result else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count)
        where haystack[index] == needle[0] && haystack[index..<index + needle.count].elementsEqual(needle) {
            return index
        }
        return nil
    }

    // MARK: answers

    func sendHead(status: Int, headers: [(String, String)], chunked: Bool) -> Bool {
        var text = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        for (name, value) in headers where !name.contains("\r") && !value.contains("\r") && !value.contains("\n") {
            text += "\(name): \(value)\r\n"
        }
        if chunked { text += "transfer-encoding: chunked\r\n" }
        return send(Data((text + "\r\n").utf8))
    }

    /// One chunk of a chunked body; an empty one is skipped (the last chunk is `sendLastChunk`).
    func sendChunk(_ data: Data) -> Bool {
        guard !data.isEmpty else { return true }
        var framed = Data(String(data.count, radix: 16).utf8)
        framed.append(contentsOf: [13, 10])
        framed.append(data)
        framed.append(contentsOf: [13, 10])
        return send(framed)
    }

    func sendLastChunk() -> Bool { send(Data("0\r\n\r\n".utf8)) }

    /// An error in the API's own shape, after which the connection is closed.
    func sendError(status: Int, type: String, message: String) {
        let body = JSONObject([
            "type": "error", "error": .object(JSONObject(["type": .string(type), "message": .string(message)])),
        ]).serialized()
        _ =
            sendHead(
                status: status,
                headers: [
                    ("content-type", "application/json"), ("content-length", "\(body.utf8.count)"),
                    ("connection", "close"),
                ], chunked: false) && send(Data(body.utf8))
    }

    private func send(_ data: Data) -> Bool {
        writing.withLock { _ in
            data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let sent = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                    if sent < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += sent
                }
                return true
            }
        }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 529: "Overloaded"
        default: "Status"
        }
    }
}
