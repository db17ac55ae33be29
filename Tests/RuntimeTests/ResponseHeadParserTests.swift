import Testing
@testable import Runtime

/// The upstream reply's head: status, framing and persistence read from its bytes,
/// its fields left as offsets (names as they came) for the relay to copy or drop.
@Suite("Parsing upstream reply heads")
struct ResponseHeadParserTests {
    static func parse(_ text: String, headRequest: Bool = false) -> (ResponseHeadParser.Result, [Header]) {
        var fields: [ParsedRequestHead.Field] = []
        return Array(text.utf8).withUnsafeBytes { bytes in
            let result = ResponseHeadParser().parse(bytes, headRequest: headRequest, fields: &fields)
            return (result, ParsedHeaderFields(bytes: bytes, fields: fields).headers)
        }
    }

    static func head(_ text: String, headRequest: Bool = false) -> ResponseHeadParser.Head? {
        if case .complete(let head) = parse(text, headRequest: headRequest).0 { return head }
        return nil
    }

    @Test("Status, fields with trimmed values, and the whole lines as they came")
    func plain() {
        let text = "HTTP/1.1 201 Created\r\nContent-Type:  application/json \r\nX-Trace: a b\r\nContent-Length: 2\r\n\r\n{}"
        let (result, headers) = Self.parse(text)
        #expect(result == .complete(.init(status: 201, framing: .length(2), keepAlive: true, length: text.utf8.count - 2)))
        #expect(headers == [Header("content-type", "application/json"), Header("x-trace", "a b"), Header("content-length", "2")])
        var fields: [ParsedRequestHead.Field] = []
        let lines = Array(text.utf8).withUnsafeBytes { bytes in
            _ = ResponseHeadParser().parse(bytes, headRequest: false, fields: &fields)
            let parsed = ParsedHeaderFields(bytes: bytes, fields: fields)
            return (0..<parsed.fieldCount).map { String(decoding: parsed.line($0), as: UTF8.self) }
        }
        #expect(lines == ["Content-Type:  application/json \r\n", "X-Trace: a b\r\n", "Content-Length: 2\r\n"])
    }

    @Test("A head with no fields, and a status line without a reason phrase")
    func noFields() {
        #expect(Self.head("HTTP/1.1 204 No Content\r\n\r\n") == .init(status: 204, framing: .none, keepAlive: true, length: 27))
        #expect(Self.head("HTTP/1.1 204\r\n\r\n")?.status == 204)
        #expect(Self.head("HTTP/1.1 204 \r\n\r\n")?.status == 204)
    }

    @Test("Framing: length, chunked, until close; none for HEAD, 1xx, 204 and 304")
    func framing() {
        #expect(Self.head("HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n")?.framing == .chunked)
        let untilClose = Self.head("HTTP/1.1 200 OK\r\nServer: x\r\n\r\n")
        #expect(untilClose?.framing == .untilClose && untilClose?.keepAlive == false)
        #expect(Self.head("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", headRequest: true)?.framing == ResponseHeadParser.Framing.none)
        #expect(Self.head("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n")?.framing == ResponseHeadParser.Framing.none)
        #expect(Self.head("HTTP/1.1 100 Continue\r\n\r\n")?.status == 100)
    }

    @Test("Persistence: Connection options in any case and spacing, and HTTP/1.0")
    func persistence() {
        #expect(Self.head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: Keep-Alive ,  CLOSE\r\n\r\n")?.keepAlive == false)
        #expect(Self.head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n")?.keepAlive == true)
        #expect(Self.head("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")?.keepAlive == false)
        #expect(Self.head("HTTP/1.0 200 OK\r\nContent-Length: 0\r\nconnection: keep-alive\r\n\r\n")?.keepAlive == true)
        #expect(Self.head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: closed\r\n\r\n")?.keepAlive == true)
    }

    @Test("Partial heads ask for more", arguments: ["", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nA: b\r\n\r"])
    func incomplete(text: String) {
        #expect(Self.parse(text).0 == .incomplete)
    }

    @Test("Malformed or ambiguous heads are refused (the client gets 502)", arguments: [
        "HTTP/2.0 200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1  200 OK\r\n\r\n", "HTTP/1.1 20\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "http/1.1 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "HTTP/1.1 200 OK\r\n: x\r\n\r\n", "HTTP/1.1 200 OK\r\n x: folded\r\n\r\n",
        "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", "HTTP/1.1 200 OK\nA: b\r\n\r\n", "HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
    ])
    func invalid(text: String) {
        #expect(Self.parse(text).0 == .invalid)
    }

    @Test("A head larger than the limit is refused rather than buffered without end")
    func oversized() {
        let parser = ResponseHeadParser(maxHeadBytes: 64)
        var fields: [ParsedRequestHead.Field] = []
        let text = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Pad: 0123456789\r\n", count: 8)
        #expect(Array(text.utf8).withUnsafeBytes { parser.parse($0, headRequest: false, fields: &fields) } == .invalid)
    }

    @Test("The fields array is emptied and reused from one reply to the next")
    func reuse() {
        var fields: [ParsedRequestHead.Field] = []
        let parser = ResponseHeadParser()
        _ = Array("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nContent-Length: 0\r\n\r\n".utf8).withUnsafeBytes { parser.parse($0, headRequest: false, fields: &fields) }
        _ = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8).withUnsafeBytes { parser.parse($0, headRequest: false, fields: &fields) }
        #expect(fields.count == 1)
    }

    @Test("Mutated heads never crash the parser, and any head it accepts has its fields inside it")
    func mutatedInput() {
        var generator = SystemRandomNumberGenerator()
        let valid = Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\nConnection: keep-alive, X-A\r\nX-A: 1\r\n\r\n".utf8)
        let alphabet = Array("\r\n:\t ,0123456789HTTP/1.xX\u{0}\u{7F}".utf8)
        var fields: [ParsedRequestHead.Field] = []
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                case 1: bytes.insert(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)], at: index)
                default: if bytes.count > 1 { bytes.remove(at: index) }
                }
            }
            guard case .complete(let head) = bytes.withUnsafeBytes({ ResponseHeadParser().parse($0, headRequest: false, fields: &fields) }) else { continue }
            accepted += 1
            #expect(head.length <= bytes.count)
            #expect(fields.allSatisfy { $0.line.upperBound <= head.length && $0.name.lowerBound == $0.line.lowerBound && $0.value.upperBound <= $0.line.upperBound })
        }
        #expect(accepted > 1_000)
    }
}
