import Foundation
import MybroCore
import Testing

@testable import MybroExec

/// The credential proxy's request reader, fed raw bytes through a socket pair: well-formed
/// requests in a row on one connection, and every malformed one refused with its status.
@Suite struct HTTPConnectionTests {
    /// Reads requests from `bytes` (sent and then the sending side closed).
    func requests(_ bytes: [UInt8]) -> (requests: [HTTPConnection.Request], failure: HTTPConnection.Failure?) {
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else { return ([], nil) }
        let sending = pair[1]
        let writer = Thread {
            _ = bytes.withUnsafeBytes { SystemIO.writeAll(sending, $0) }
            close(sending)
        }
        writer.start()
        let connection = HTTPConnection(fd: pair[0])
        defer { close(pair[0]) }
        var read: [HTTPConnection.Request] = []
        do {
            while let request = try connection.readRequest() { read.append(request) }
            return (read, nil)
        } catch {
            return (read, error)
        }
    }

    func requests(_ text: String) -> (requests: [HTTPConnection.Request], failure: HTTPConnection.Failure?) {
        requests(Array(text.utf8))
    }

    @Test func requestsInARowWithLengthAndChunkedBodies() {
        let text =
            "POST /v1/messages HTTP/1.1\r\nx-api-key: k\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /v1/messages?beta=true HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
            + "GET /v1/models HTTP/1.1\r\nConnection: close\r\n\r\n"
        let (read, failure) = requests(text)
        #expect(failure == nil)
        #expect(read.map(\.target) == ["/v1/messages", "/v1/messages?beta=true", "/v1/models"])
        #expect(read.map { String(decoding: $0.body, as: UTF8.self) } == ["hello", "abcde", ""])
        #expect(read.map(\.keepsAlive) == [true, true, false])
        #expect(read.first?.header("X-API-KEY") == "k")
    }

    @Test func aBodySplitAcrossManyReadsComesWhole() {
        let body = String(repeating: "x", count: 300_000)
        let (read, failure) = requests("POST / HTTP/1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(failure == nil)
        #expect(read.first?.body.count == 300_000)
    }

    @Test(arguments: [
        ("GARBAGE\r\n\r\n", 400), ("post / HTTP/1.1\r\n\r\n", 400), ("POST / HTTP/2\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\n folded: header\r\n\r\n", 400), ("POST / HTTP/1.1\r\nno colon\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 40000000\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x", 400), ("POST / HTTP/1.1\r\nX: a\nInjected: b\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nX: a\u{0}b\r\n\r\n", 400),
    ])
    func malformedRequestsAreRefused(text: String, status: Int) {
        let (_, failure) = requests(text)
        #expect(failure?.status == status, "\(text.debugDescription)")
    }

    @Test func anEndlessHeadIsCutAt64KB() {
        let (_, failure) = requests("POST / HTTP/1.1\r\nX: " + String(repeating: "a", count: 100_000))
        #expect(failure?.status == 431)
    }

    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let bytes = (0..<Int.random(in: 0..<2000, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            _ = requests(bytes + Array("\r\n\r\n".utf8))
        }
    }

    /// The real key goes to the API's host, below its base path, and nowhere else.
    @Test func requestsGoToTheAPIAlone() {
        let base = "https://gateway.example.com/anthropic"
        for target in ["/v1/messages", "/v1/messages?beta=true", "//evil.example/x", "/@evil.example/x"] {
            let url = CredentialProxy.upstreamURL(upstream: base, target: target)
            #expect(url?.host == "gateway.example.com", "\(target)")
        }
        for target in [
            "/../admin", "/v1/../../x", "/./../z", "/%2e%2e/admin", "/%2E%2E%2Fadmin", "/v1/..", "\\evil",
            "v1/messages",
            "/..\\admin",
        ] {
            #expect(CredentialProxy.upstreamURL(upstream: base, target: target) == nil, "\(target)")
        }
    }
}
