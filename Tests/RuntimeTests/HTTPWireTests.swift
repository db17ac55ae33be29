import NIOCore
import Testing
@testable import Runtime

/// Heads go onto the wire in one pass through a `ByteWriter` over the buffer's own
/// memory; the room is an estimate, and a head that outgrows it is written again
/// into more, never cut.
@Suite("HTTP wire")
struct HTTPWireTests {
    static func upstream() throws -> UpstreamRequest {
        let request = RequestHead(method: "GET", target: "/api/v1/quotes/EURUSD",
                                  headers: [("host", "api.forex.example"), ("x-venue", "us"), ("accept", "application/json")])
        let engine = try HeaderEditsTests().engine(HeaderEditsTests.trader)
        guard case .forward(let upstream, _) = engine.decide(request) else { throw Refused() }
        return upstream
    }

    struct Refused: Error {}

    @Test("an upstream request's head: request line, the upstream's Host, kept client lines, the gateway's block, CRLF")
    func requestHead() throws {
        let upstream = try Self.upstream()
        let write: (inout ByteWriter) -> Void = { HTTPWire.writeRequestHead(upstream, host: "10.0.0.5:8080", chunked: false, to: &$0) }
        var estimated = ByteBuffer()
        estimated.writeWithByteWriter(capacity: HTTPWire.requestHeadCapacity(upstream, host: "10.0.0.5:8080"), write)
        var cramped = ByteBuffer()
        cramped.writeWithByteWriter(capacity: 1, write)
        #expect(cramped == estimated, "too little room: written again into more, the same bytes")
        let text = String(buffer: estimated)
        #expect(text.hasPrefix("GET \(upstream.target) HTTP/1.1\r\nhost: 10.0.0.5:8080\r\n"))
        #expect(text.contains("\r\nx-venue: us\r\naccept: application/json\r\n"))
        #expect(!text.contains("\r\nhost: api.forex.example"), "the client's Host is replaced by the upstream's")
        #expect(text.contains("\r\nx-forwarded-host: api.forex.example\r\n"), "and passed on as the forwarded host")
        #expect(text.hasSuffix(String(decoding: upstream.addedBytes, as: UTF8.self) + "\r\n"))
        #expect(estimated.readableBytes <= HTTPWire.requestHeadCapacity(upstream, host: "10.0.0.5:8080"), "the estimate is an upper bound")
    }

    @Test("a chunked body's framing is announced to the upstream")
    func chunkedRequestHead() throws {
        let upstream = try Self.upstream()
        var out = ByteBuffer()
        out.writeWithByteWriter(capacity: 64) { HTTPWire.writeRequestHead(upstream, host: "pricing", chunked: true, to: &$0) }
        #expect(String(buffer: out).hasSuffix("transfer-encoding: chunked\r\n\r\n"))
    }

    @Test("status lines carry the reason phrase", arguments: [(200, "HTTP/1.1 200 OK\r\n"), (429, "HTTP/1.1 429 Too Many Requests\r\n"),
                                                             (599, "HTTP/1.1 599 Status\r\n")])
    func statusLine(status: Int, line: String) {
        var out = ByteBuffer()
        HTTPWire.writeStatusLine(status, into: &out)
        #expect(String(buffer: out) == line)
    }
}
