import Artifact
import Testing
@testable import Runtime

/// The engine's requests and replies are edits of the message that came in: which of
/// its header lines pass, and the gateway's lines after them, serialized once.
@Suite("Header edits")
struct HeaderEditsTests {
    struct Fixed: Authenticator {
        let principal: Principal
        func authenticate(_ request: RequestHead, mask: UInt32, now: Int64) -> AuthenticationResult { .authenticated(principal) }
    }

    func engine(_ principal: Principal) throws -> Engine {
        // 2026-01-05 12:00 UTC, a Monday: the market is open.
        Engine(artifact: try #require(GoldenSuiteTests.artifact), clock: FixedClock(milliseconds: 1_767_614_400_000),
               identifiers: CountingIdentifiers(), authenticator: Fixed(principal: principal))
    }

    static let trader = Principal(id: "u-200", roles: ["trader"], method: .jwt)

    @Test("client lines keep their order; replaced, hop-by-hop, Connection-named and route-set ones are dropped; the route's set comes last")
    func upstreamLines() throws {
        let request = RequestHead(method: "POST", target: "/api/v1/orders/eu", headers: [
            ("x-venue", "us"), ("x-desk-region", "eu"), ("connection", "x-hop"), ("x-hop", "1"), ("x-user-id", "spoofed"),
            ("content-type", "application/json"), ("host", "api.forex.example"),
        ])
        guard case .forward(let upstream, _) = try engine(Self.trader).decide(request) else {
            Issue.record("expected an upstream call")
            return
        }
        #expect((0..<7).filter { upstream.dropped.contains($0) } == [0, 2, 3, 4, 6])
        #expect(upstream.headers.map(\.name) == ["x-desk-region", "content-type", "x-request-id", "traceparent", "x-forwarded-for",
                                                 "x-forwarded-host", "x-forwarded-proto", "x-user-id", "x-roles", "x-auth-method", "x-venue"])
        #expect(upstream.headers.first { $0.name == "x-venue" }?.value == "eu")
        #expect(upstream.headers.first { $0.name == "x-user-id" }?.value == "u-200")
        #expect(String(decoding: upstream.added.bytes, as: UTF8.self).hasSuffix("x-venue: eu\r\n"))
    }

    @Test("a principal's id cannot start a header line of its own: control characters become spaces")
    func noInjection() throws {
        let principal = Principal(id: "u-1\r\nx-admin: true\0", roles: ["viewer"], method: .jwt)
        guard case .forward(let upstream, _) = try engine(principal).decide(RequestHead(method: "GET", target: "/api/v1/quotes/EURUSD")) else {
            Issue.record("expected an upstream call")
            return
        }
        #expect(!upstream.headers.contains { $0.name == "x-admin" })
        #expect(upstream.headers.first { $0.name == "x-user-id" }?.value == "u-1  x-admin: true ")
        let block = HeaderBlock([Header("x-roles", "a\nb"), Header("x-note", "tab\tkept\u{7F}")])
        #expect(block.headers == [Header("x-roles", "a b"), Header("x-note", "tab\tkept ")])
    }

    @Test("a principal's identity lines follow its fields, and a copy changed later does not change the original")
    func identityLines() {
        let original = Principal(id: "u-1", roles: ["viewer", "trader"], method: .apiKey)
        var changed = original
        changed.roles = ["admin"]
        changed.id = "u-2"
        #expect(String(decoding: original.identityLines, as: UTF8.self) == "x-user-id: u-1\r\nx-roles: viewer,trader\r\nx-auth-method: api-key\r\n")
        #expect(String(decoding: changed.identityLines, as: UTF8.self) == "x-user-id: u-2\r\nx-roles: admin\r\nx-auth-method: api-key\r\n")
        #expect(original.roles == ["viewer", "trader"] && original != changed)
    }

    /// The trader's engine and the plan for a forwarded `GET /api/v1/positions` (an enveloped route).
    func positionsPlan() throws -> (Engine, ResponsePlan) {
        let engine = try engine(Self.trader)
        guard case .forward(_, let plan) = engine.decide(RequestHead(method: "GET", target: "/api/v1/positions")) else {
            throw PlanMissing()
        }
        return (engine, plan)
    }

    struct PlanMissing: Error, CustomStringConvertible {
        var description: String { "expected an upstream call" }
    }

    @Test("a reply's hop-by-hop lines are not passed on: the fixed ones, and any its Connection header names (RFC 9110 7.6.1)")
    func replyHopByHop() throws {
        let (engine, plan) = try positionsPlan()
        let reply = [Header("Content-Type", "text/plain"), Header("Connection", "keep-alive, X-Hop-Secret ,,"), Header("X-Hop-Secret", "1"),
                     Header("Keep-Alive", "timeout=5"), Header("X-Request-Id", "made-upstream"), Header("X-Kept", "2"), Header("Upgrade", "h2c")]
        let edits = engine.responseHead(plan, status: 200, headers: reply)
        #expect((0..<reply.count).filter { edits.dropped.contains($0) } == [1, 2, 3, 4, 6])
        let plain = engine.responseHead(plan, status: 200, headers: [Header("content-type", "text/plain"), Header("x-kept", "2")])
        #expect(!plain.dropped.contains(0) && !plain.dropped.contains(1))
    }

    @Test("an enveloped reply drops its Content-Length (the body changes); any other keeps it")
    func envelopeFraming() throws {
        let (engine, plan) = try positionsPlan()
        let json = [Header("content-type", "application/json"), Header("content-length", "2"), Header("connection", "keep-alive")]
        let wrapped = engine.responseHead(plan, status: 200, headers: json)
        #expect(wrapped.envelope && wrapped.dropped.contains(1) && wrapped.dropped.contains(2) && !wrapped.dropped.contains(0))
        let text = engine.responseHead(plan, status: 200, headers: [Header("content-type", "text/plain"), Header("content-length", "2")])
        #expect(!text.envelope && !text.dropped.contains(1))
        let failed = engine.responseHead(plan, status: 500, headers: json)
        #expect(!failed.envelope && !failed.dropped.contains(1))
        let body = String(decoding: engine.envelope(Array("[]".utf8), plan), as: UTF8.self)
        #expect(body.hasPrefix("{\"data\":[],\"meta\":{") && body.contains("\"request_id\":\"\(plan.requestID)\""))
    }

    @Test("positions past 128 are remembered too")
    func indexSet() {
        var set = HeaderIndexSet()
        for index in [0, 63, 64, 127, 128, 500] { set.insert(index) }
        #expect([0, 63, 64, 127, 128, 500].allSatisfy(set.contains))
        #expect(![1, 62, 65, 126, 129, 499].contains(where: set.contains))
    }

    @Test("a union holds both sets' positions, past 128 too, and equal sets compare equal")
    func indexSetUnion() {
        var left = HeaderIndexSet(), right = HeaderIndexSet()
        for index in [1, 70, 300] { left.insert(index) }
        for index in [2, 70, 128, 301] { right.insert(index) }
        left.formUnion(right)
        #expect([1, 2, 70, 128, 300, 301].allSatisfy(left.contains))
        #expect(![0, 3, 129, 302].contains(where: left.contains))
        var same = HeaderIndexSet()
        for index in [301, 300, 128, 70, 2, 1] { same.insert(index) }
        #expect(left == same)
        same.insert(5)
        #expect(left != same && HeaderIndexSet() == HeaderIndexSet())
    }

    @Test("case-insensitive comparison: equal up to ASCII case at any length, past eight bytes too")
    func caseInsensitive() {
        func equal(_ a: String, _ b: String) -> Bool { ASCIICase.equal(Array(a.utf8), Array(b.utf8)) }
        #expect(equal("content-length", "Content-Length") && equal("x-forwarded-proto", "X-FORWARDED-PROTO"))
        #expect(equal("", "") && equal("a", "A") && equal("12345678", "12345678"))
        #expect(!equal("content-length", "content-lengtx") && !equal("content-lengthX", "content-length"))
        #expect(!equal("abcdefghij", "abcdefghik") && !equal("abcdefgh", "abcdefgi"))
        // Only letters fold: `@` (0x40) and `` ` `` (0x60) are not one letter in two cases.
        #expect(!equal("abcdefgh@", "abcdefgh`"))
        #expect(!equal("@@@@@@@@", "````````") && !equal("[[[[[[[[", "{{{{{{{{") && equal("ZZZZZZZZz", "zzzzzzzzZ"))
    }

    @Test("folding eight bytes at a time agrees with folding each byte, for every byte value")
    func caseInsensitiveWords() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let word = UInt64.random(in: 0...UInt64.max, using: &generator)
            let bytes = withUnsafeBytes(of: word) { Array($0) }
            let folded = withUnsafeBytes(of: ASCIICase.lower(word: word)) { Array($0) }
            #expect(folded == bytes.map(ASCIICase.lower))
            // And two names that differ in case only, or in one byte, past the first word.
            let name = (0..<Int.random(in: 8...24, using: &generator)).map { _ in UInt8.random(in: 0x21...0x7E, using: &generator) }
            let flipped = name.map { $0 >= 0x61 && $0 <= 0x7A && Bool.random(using: &generator) ? $0 - 32 : $0 }
            #expect(ASCIICase.equal(name, flipped))
            var changed = name
            let index = Int.random(in: 0..<changed.count, using: &generator)
            changed[index] = changed[index] == 0x7E ? 0x21 : changed[index] + 1
            #expect(ASCIICase.equal(name, changed) == (ASCIICase.lower(name[index]) == ASCIICase.lower(changed[index])))
        }
        // Every byte value against every other, one word of each.
        for x in 0...255 {
            for y in 0...255 {
                let a = [UInt8](repeating: UInt8(x), count: 8), b = [UInt8](repeating: UInt8(y), count: 8)
                #expect(ASCIICase.equal(a, b) == (ASCIICase.lower(UInt8(x)) == ASCIICase.lower(UInt8(y))))
            }
        }
    }
}
