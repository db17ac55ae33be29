import Testing
@testable import Runtime

/// The engine's request head keeps its header lines as bytes (names lower-cased,
/// values as sent) beside a table of where each line is; these are the ways it is read.
@Suite("Request heads as bytes")
struct RequestHeadTests {
    let head = RequestHead(method: "GET", target: "/quotes", headers: [
        ("Host", "API.Example:8443"), ("X-Api-Key", "gw_1_abcdefghijklmnopqrstuvwxyz0123456789"), ("accept", ""),
        ("X-Trace", "one"), ("x-trace", "two"),
    ])

    @Test("names are lower-cased, values kept as sent, lines in order, repeated names kept")
    func lines() {
        #expect(head.headers.map(\.name) == ["host", "x-api-key", "accept", "x-trace", "x-trace"])
        #expect(head.headers.map(\.value) == ["API.Example:8443", "gw_1_abcdefghijklmnopqrstuvwxyz0123456789", "", "one", "two"])
    }

    @Test("a header by name is its first line's value; an empty value is present, an absent name is nil")
    func byName() {
        #expect(head.header("x-trace") == "one")
        #expect(head.header("accept") == "")
        #expect(head.header("x-missing") == nil && head.header("x-trac") == nil && head.header("x-traces") == nil)
        #expect(head.withValue(of: "x-api-key") { $0.count } == 41)
        #expect(head.withValue(.host) { Array($0) } == Array("API.Example:8443".utf8))
        #expect(head.withValue(.cookie) { _ in true } == nil)
    }

    @Test("bytes that are not UTF-8 are kept as sent, and read as text with replacement characters")
    func obsText() {
        var bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf".utf8) + [0xE9] + Array("\r\n\r\n".utf8)
        let request = bytes.withUnsafeMutableBytes { raw -> RequestHead? in
            guard case .complete(let parsed) = RequestHeadParser().parse(UnsafeRawBufferPointer(raw)) else { return nil }
            return parsed.requestHead(UnsafeRawBufferPointer(raw), clientAddress: "192.0.2.1")
        }
        #expect(request?.withValue(of: "x-name") { Array($0) } == Array("caf".utf8) + [0xE9])
        #expect(request?.header("x-name") == "caf\u{FFFD}")
    }

    @Test("Host for routing: without its port, lower-cased; one String made from the bytes")
    func host() {
        #expect(Engine.host(head) == "api.example")
        #expect(Engine.host(RequestHead(method: "GET", target: "/")) == "")
    }

    @Test("replacing the headers repacks them and finds the known ones again; copies made before keep theirs")
    func replaced() {
        var changed = head
        changed.headers = (0..<40).map { ("X-Line-\($0)", String(repeating: "v", count: $0)) } + [("Content-Length", "12")]
        #expect(changed.headers.count == 41 && changed.header("x-line-39") == String(repeating: "v", count: 39))
        #expect(changed.contentLength == 12 && changed.header(.host) == nil)
        #expect(head.header(.host) == "API.Example:8443" && head.contentLength == nil)
    }

    @Test("a head without headers reads as empty")
    func empty() {
        let bare = RequestHead(method: "GET", target: "/")
        #expect(bare.headers.isEmpty && bare.header("host") == nil && bare.contentLength == nil && !bare.hasBody)
        bare.withLines { bytes, lines in #expect(bytes.isEmpty && lines.count == 0) }
    }

    @Test("a cookie by name: pairs split by `;`, blanks trimmed, the first match over every Cookie line; a pair without a value is skipped")
    func cookies() {
        let request = RequestHead(method: "POST", target: "/", headers: [
            ("Cookie", "theme=dark; empty=; session = abc123 ;csrf=t0k"), ("cookie", "late=1; session=second"),
        ])
        #expect(request.cookie("session") == "abc123")
        #expect(request.cookie("csrf") == "t0k" && request.cookie("theme") == "dark" && request.cookie("late") == "1")
        #expect(request.cookie("empty") == nil && request.cookie("missing") == nil && request.cookie("sess") == nil)
        #expect(RequestHead(method: "GET", target: "/").cookie("session") == nil)
    }

    @Test("a header compared with a policy's constant: as bytes for ASCII, as Strings (canonical equivalence) otherwise, false when absent")
    func headerEquals() {
        let request = RequestHead(method: "GET", target: "/", headers: [("x-venue", "us"), ("x-name", "cafe\u{301}")])
        #expect(PolicyVM.header("x-venue", of: request, equals: .string("us")))
        #expect(!PolicyVM.header("x-venue", of: request, equals: .string("eu")) && !PolicyVM.header("x-venue", of: request, equals: .string("u")))
        #expect(PolicyVM.header("x-name", of: request, equals: .string("caf\u{E9}")))
        #expect(!PolicyVM.header("x-missing", of: request, equals: .string("us")))
    }
}
