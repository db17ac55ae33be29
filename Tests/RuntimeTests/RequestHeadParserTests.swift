import Testing
@testable import Runtime

/// The request-head parser: what it accepts, and every smuggling shape it refuses
/// (RFC 9112 and stack-notes.md's list), each with its status.
@Suite("Parsing request heads")
struct RequestHeadParserTests {
    static func parse(_ text: String, parser: RequestHeadParser = RequestHeadParser()) -> RequestHeadParser.Result {
        Array(text.utf8).withUnsafeBytes { parser.parse($0) }
    }

    static func head(_ text: String) throws -> (ParsedRequestHead, RequestHead) {
        guard case .complete(let head) = parse(text) else {
            throw ParseFailure(result: parse(text))
        }
        return (head, Array(text.utf8).withUnsafeBytes { head.requestHead($0, clientAddress: "192.0.2.1") })
    }

    struct ParseFailure: Error { var result: RequestHeadParser.Result }

    @Test("A plain request: method, target, lower-cased names, trimmed values, offsets of whole lines")
    func plain() throws {
        let text = "GET /api/v1/quotes/EURUSD?depth=5 HTTP/1.1\r\nHost: api.forex.example\r\nX-Request-Id:  abc \r\nAccept: */*\r\n\r\nBODY"
        let (parsed, head) = try Self.head(text)
        #expect(head.method == "GET" && head.target == "/api/v1/quotes/EURUSD?depth=5")
        #expect(head.headers.map(\.name) == ["host", "x-request-id", "accept"])
        #expect(head.header("x-request-id") == "abc")
        #expect(parsed.length == text.utf8.count - 4)
        #expect(parsed.keepAlive && parsed.contentLength == nil && !parsed.chunked)
        let line = parsed.fields[1].line
        #expect(String(decoding: Array(text.utf8)[line], as: UTF8.self) == "X-Request-Id:  abc \r\n")
    }

    @Test("Partial heads ask for more bytes", arguments: ["", "GET", "GET / HTTP/1.1\r", "GET / HTTP/1.1\r\nHost: a\r\n", "GET / HTTP/1.1\r\nHost: a\r\n\r"])
    func incomplete(text: String) {
        #expect(Self.parse(text) == .incomplete)
    }

    @Test("Framing and persistence: Content-Length, chunked, Connection, HTTP/1.0")
    func framing() throws {
        #expect(try Self.head("POST /o HTTP/1.1\r\nHost: a\r\nContent-Length: 42\r\n\r\n").0.contentLength == 42)
        #expect(try Self.head("POST /o HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n").0.chunked)
        #expect(try !Self.head("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n").0.keepAlive)
        #expect(try !Self.head("GET / HTTP/1.0\r\n\r\n").0.keepAlive)
        #expect(try Self.head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").0.keepAlive)
        #expect(try Self.head("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").1.method == "GET")
    }

    @Test("Smuggling and malformed shapes are refused with their status", arguments: [
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", RequestHeadError.conflictingFraming),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", .conflictingFraming),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferEncoding),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", .conflictingFraming),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .conflictingFraming),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n folded\r\n\r\n", .obsoleteLineFolding),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-A\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u{0}b\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: a\r\nX(A): 1\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\nHost: a\n\n", .bareLineBreak),
        ("GET / HTTP/1.1\r\nHost: a\rX: 1\r\n\r\n", .bareLineBreak),
        ("GET / HTTP/1.1\r\n\r\n", .missingHost),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .multipleHosts),
        ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET /a\u{7F}b HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/1.2\r\nHost: a\r\n\r\n", .unsupportedVersion),
    ])
    func refused(text: String, error: RequestHeadError) {
        #expect(Self.parse(text) == .invalid(error))
    }

    @Test("Limits: a long request line is 414, a large head 431, before the head even ends")
    func limits() {
        let parser = RequestHeadParser(maxHeadBytes: 256, maxRequestLineBytes: 64, maxHeaderCount: 4)
        #expect(Self.parse("GET /" + String(repeating: "a", count: 100), parser: parser) == .invalid(.requestLineTooLong))
        #expect(Self.parse("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 300), parser: parser) == .invalid(.headTooLarge))
        #expect(Self.parse("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\n\r\n", parser: parser) == .invalid(.headTooLarge))
        #expect(RequestHeadError.headTooLarge.status == 431 && RequestHeadError.requestLineTooLong.status == 414)
        #expect(RequestHeadError.unsupportedTransferEncoding.status == 501 && RequestHeadError.conflictingFraming.status == 400)
    }

    @Test("Random bytes never crash the parser, and anything it accepts is a consistent head")
    func randomInput() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n:\t \u{0}x".utf8)
        for _ in 0..<20_000 {
            let count = Int.random(in: 0..<120, using: &generator)
            let bytes = (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            if case .complete(let head) = bytes.withUnsafeBytes({ RequestHeadParser().parse($0) }) {
                #expect(head.length <= bytes.count && !(head.chunked && head.contentLength != nil))
            }
        }
    }
}

/// A connection parses every request into the same `ParsedRequestHead`: nothing of
/// one head may show through in the next.
@Suite("Parsing request heads into a kept value")
struct RequestHeadReuseTests {
    static func parse(_ text: String, into head: inout ParsedRequestHead) -> RequestHeadParser.Status {
        Array(text.utf8).withUnsafeBytes { RequestHeadParser().parse($0, into: &head) }
    }

    @Test("A second head keeps none of the first's fields, framing or persistence")
    func secondHeadStartsClean() {
        var head = ParsedRequestHead()
        let first = "POST /orders HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\nX-One: 1\r\nX-Two: 2\r\n\r\n"
        #expect(Self.parse(first, into: &head) == .complete)
        #expect(head.chunked && !head.keepAlive && head.fields.count == 5)
        let second = "GET /quotes HTTP/1.1\r\nHost: b\r\nContent-Length: 7\r\n\r\n"
        #expect(Self.parse(second, into: &head) == .complete)
        #expect(!head.chunked && head.keepAlive && head.contentLength == 7)
        #expect(head.fields.count == 2 && head.length == second.utf8.count)
        let request = Array(second.utf8).withUnsafeBytes { head.requestHead($0, clientAddress: "192.0.2.1") }
        #expect(request.method == "GET" && request.target == "/quotes" && request.headers.map(\.name) == ["host", "content-length"])
    }

    @Test("A kept head allocates nothing until its first request line (idle connections cost no field list), then keeps room for a typical head")
    func allocatesOnFirstUse() {
        var head = ParsedRequestHead()
        #expect(head.fields.capacity == 0)
        #expect(Self.parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n", into: &head) == .complete)
        #expect(head.fields.capacity >= 16)
    }

    @Test("An error in one head is not carried into the next")
    func errorDoesNotStick() {
        var head = ParsedRequestHead()
        #expect(Self.parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n", into: &head) == .invalid(.invalidContentLength))
        #expect(Self.parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", into: &head) == .invalid(.multipleHosts))
        #expect(Self.parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n", into: &head) == .complete)
        #expect(head.contentLength == nil && head.fields.count == 1)
    }

    @Test("The value-returning parse and the in-place one agree")
    func bothFormsAgree() {
        let text = "PUT /a HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc"
        var head = ParsedRequestHead()
        #expect(Self.parse(text, into: &head) == .complete)
        #expect(RequestHeadParserTests.parse(text) == .complete(head))
    }
}
