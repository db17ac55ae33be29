import Artifact
import Testing
@testable import Runtime

/// The rate-limit store's side of RESP2 and of its script: replies read as they
/// arrive, anything malformed refused, decisions read back exactly.
@Suite("Redis protocol and limit script")
struct RedisProtocolTests {
    func parse(_ text: String) -> RESPParser.Result {
        Array(text.utf8).withUnsafeBytes { RESPParser().parse($0) }
    }

    @Test("every reply type, nulls included, with how many bytes it took")
    func replies() {
        #expect(parse("+OK\r\n") == .value(.simple("OK"), consumed: 5))
        #expect(parse("-NOSCRIPT No matching script\r\n") == .value(.error("NOSCRIPT No matching script"), consumed: 30))
        #expect(parse(":-42\r\n") == .value(.integer(-42), consumed: 6))
        #expect(parse("$5\r\nab\r\nc\r\n") == .value(.bulk(Array("ab\r\nc".utf8)), consumed: 11))
        #expect(parse("$-1\r\n") == .value(.bulk(nil), consumed: 5))
        #expect(parse("*-1\r\n") == .value(.array(nil), consumed: 5))
        #expect(parse("*2\r\n*1\r\n:1\r\n$0\r\n\r\n+next\r\n") == .value(.array([.array([.integer(1)]), .bulk([])]), consumed: 18), "the next reply is left for later")
    }

    @Test("a reply cut anywhere is incomplete, never wrong")
    func splits() {
        let whole = "*2\r\n*4\r\n:1\r\n:4\r\n:0\r\n:200000\r\n$3\r\nabc\r\n"
        for cut in 0..<whole.utf8.count {
            #expect(parse(String(decoding: Array(whole.utf8).prefix(cut), as: UTF8.self)) == .incomplete, "cut at \(cut)")
        }
        guard case .value = parse(whole) else {
            Issue.record("the whole reply should parse")
            return
        }
    }

    @Test("malformed, oversized and too deeply nested replies are refused")
    func malformed() {
        for text in ["?x\r\n", ":12a\r\n", "$3\r\nabcd\r\n", "$99999999\r\n", "*99999\r\n", "+a\rb\r\n", "$-2\r\n",
                     String(repeating: "*1\r\n", count: 12) + ":1\r\n"] {
            guard case .invalid = parse(text) else {
                Issue.record("\(text.debugDescription) should be refused")
                continue
            }
        }
    }

    @Test("commands are arrays of bulk strings, binary-safe")
    func commands() {
        #expect(RESPValue.command(["GET", "a b\r\n"]) == Array("*2\r\n$3\r\nGET\r\n$5\r\na b\r\n\r\n".utf8))
    }

    static let limit = LimitEntry(count: 5, periodMilliseconds: 60_000, burst: 5, key: .ip, scope: "GET /r")

    @Test("the script is called with each bucket's key, interval and tolerance in microseconds")
    func scriptCall() {
        let takes = [LimitTake(limit: Self.limit, index: 3, key: "10.0.0.1"),
                     LimitTake(limit: LimitEntry(count: 1_000, periodMilliseconds: 60_000, burst: 20, key: .route, scope: "GET /r"), index: 4, key: "")]
        #expect(RedisLimitScript.command(sha: "abc", takes: takes, prefix: "gwrl|") == [
            "EVALSHA", "abc", "2", "gwrl|5/60000ms/5|ip|GET /r|10.0.0.1", "gwrl|1000/60000ms/20|route|GET /r|",
            "12000000", "60000000", "60000", "1200000",
        ])
    }

    @Test("the script's answers become decisions, rounded up to milliseconds; any other shape is refused")
    func scriptReply() {
        let reply = RESPValue.array([.array([.integer(1), .integer(3), .integer(0), .integer(24_000_001)]),
                                     .array([.integer(0), .integer(0), .integer(1_500), .integer(2_000)])])
        #expect(RedisLimitScript.decisions(reply, count: 2) == [
            RateDecision(allowed: true, remaining: 3, retryAfterMilliseconds: 0, resetMilliseconds: 24_001),
            RateDecision(allowed: false, remaining: 0, retryAfterMilliseconds: 2, resetMilliseconds: 2),
        ])
        #expect(RedisLimitScript.decisions(reply, count: 1) == nil)
        #expect(RedisLimitScript.decisions(.error("ERR"), count: 2) == nil)
        #expect(RedisLimitScript.decisions(.array([.array([.integer(1)]), .array([])]), count: 2) == nil)
    }

    @Test("the store address is redis://host:port or host:port, nothing else")
    func addresses() {
        #expect(RedisRateLimitStore.Configuration(url: "redis://10.0.0.5:6379")?.host == "10.0.0.5")
        #expect(RedisRateLimitStore.Configuration(url: "redis.default.svc:6380")?.port == 6380)
        #expect(RedisRateLimitStore.Configuration(url: "redis://[::1]:6379")?.host == "::1")
        for bad in ["redis://host", "redis://user:pw@host:6379", "host:0", "host:70000", ":6379", "redis://host:6379/0"] {
            #expect(RedisRateLimitStore.Configuration(url: bad) == nil, "\(bad)")
        }
    }

    @Test("without its store a closed limit refuses for a second; an open one counts in this instance")
    func fallback() {
        let closed = LimitEntry(count: 1, periodMilliseconds: 60_000, burst: 1, key: .ip, scope: "GET /c", failClosed: true)
        let store = RedisRateLimitStore(configuration: .init(host: "127.0.0.1", port: 1), eventLoops: [])
        #expect(store.fallbackDecision(LimitTake(limit: closed, index: 0, key: "a"), now: 0)
                == RateDecision(allowed: false, remaining: 0, retryAfterMilliseconds: 1_000, resetMilliseconds: 1_000))
        let open = LimitTake(limit: LimitEntry(count: 1, periodMilliseconds: 60_000, burst: 1, key: .ip, scope: "GET /o"), index: 1, key: "a")
        #expect(store.fallbackDecision(open, now: 0).allowed)
        #expect(!store.fallbackDecision(open, now: 1).allowed)
    }

    @Test("the two passes: the probe records every take and grants it; the answers come back by limit and key")
    func passes() {
        let probe = LimitProbe()
        #expect(probe.take(Self.limit, index: 2, key: "a", now: 0).allowed)
        #expect(probe.take(Self.limit, index: 3, key: "a", now: 0).allowed)
        #expect(probe.takes.map(\.index) == [2, 3])
        let refused = RateDecision(allowed: false, remaining: 0, retryAfterMilliseconds: 5, resetMilliseconds: 5)
        let granted = RateDecision(allowed: true, remaining: 1, retryAfterMilliseconds: 0, resetMilliseconds: 5)
        let answers = LimitAnswers([(probe.takes[1], refused), (probe.takes[0], granted)]) { _, _ in refused }
        #expect(answers.take(Self.limit, index: 2, key: "a", now: 0) == granted)
        #expect(answers.take(Self.limit, index: 3, key: "a", now: 0) == refused)
        #expect(answers.take(Self.limit, index: 2, key: "b", now: 0) == refused, "an unseen take gets the fallback")
    }
}
