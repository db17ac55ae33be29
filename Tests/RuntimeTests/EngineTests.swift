import Artifact
import Testing
@testable import Runtime

@Suite("The engine")
struct EngineTests {
    func engine() throws -> Engine {
        Engine(artifact: try #require(GoldenSuiteTests.artifact), clock: FixedClock(milliseconds: 1_767_614_400_000),
               identifiers: CountingIdentifiers(), authenticator: NoAuthenticator())
    }

    func forward(_ request: RequestHead) throws -> (UpstreamRequest, ResponsePlan) {
        guard case .forward(let upstream, let plan) = try engine().decide(request) else {
            Issue.record("expected an upstream call")
            throw CancellationError()
        }
        return (upstream, plan)
    }

    @Test("routing sees the Host without its port, lower-cased; IPv6 literals keep their brackets",
          arguments: [("api.forex.example", "api.forex.example"), ("API.Forex.Example:8443", "api.forex.example"), ("127.0.0.1:8090", "127.0.0.1"),
                      ("[::1]:8080", "[::1]"), ("[FE80::1]", "[fe80::1]"), ("[::1", "[::1]"), ("", "")])
    func host(header: String, expected: String) {
        #expect(Engine.host(RequestHead(method: "GET", target: "/", headers: [("host", header)])) == expected)
    }

    @Test("a valid traceparent continues the trace with a new span; an invalid one starts a trace")
    func traceContext() throws {
        let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let (upstream, _) = try forward(RequestHead(method: "GET", target: "/api/v1/market-data/instruments", headers: [("traceparent", incoming)]))
        let trace = try #require(upstream.headers.first { $0.name == "traceparent" }?.value)
        #expect(trace.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
        #expect(!trace.contains("00f067aa0ba902b7"))
        #expect(trace.hasSuffix("-01"))
        for bad in ["00-00000000000000000000000000000000-00f067aa0ba902b7-01", "01-zz-00-01", "garbage"] {
            let (fresh, _) = try forward(RequestHead(method: "GET", target: "/api/v1/market-data/instruments", headers: [("traceparent", bad)]))
            let value = try #require(fresh.headers.first { $0.name == "traceparent" }?.value)
            #expect(Engine.validTraceparent(value) && !value.contains(bad), "\(bad) -> \(value)")
        }
    }

    @Test("the upstream reply loses hop-by-hop headers and gets security headers, but no CSP")
    func replyTransforms() throws {
        let engine = try engine()
        guard case .forward(_, let plan) = engine.decide(RequestHead(method: "GET", target: "/api/v1/market-data/instruments")) else {
            Issue.record("expected an upstream call")
            return
        }
        let reply = GatewayResponse(status: 200, headers: [Header("Connection", "close"), Header("Transfer-Encoding", "chunked"),
                                                           Header("X-Request-Id", "upstream-made-this-up"), Header("Content-Type", "text/plain")])
        let response = engine.finish(plan, upstream: reply)
        #expect(response.header("connection") == nil && response.header("transfer-encoding") == nil)
        #expect(response.headers.filter { $0.name == "x-request-id" }.map(\.value) == [plan.requestID])
        #expect(response.header("x-frame-options") == "DENY")
        #expect(response.header("content-security-policy") == nil)
        #expect(response.header("content-type") == "text/plain")
    }

    @Test("the query reaches the upstream as sent, after the rewritten path")
    func query() throws {
        let (upstream, _) = try forward(RequestHead(method: "GET", target: "/api/v1/market-data/instruments?kind=spot&q=%2F"))
        #expect(upstream.target == "/instruments?kind=spot&q=%2F")
    }

    @Test("methods no route can name get 405 on known paths and 404 elsewhere")
    func unknownMethods() throws {
        guard case .respond(let known, _) = try engine().decide(RequestHead(method: "TRACE", target: "/healthz")) else { return }
        #expect(known.status == 405)
        #expect(known.header("allow") == "GET, HEAD")
        guard case .respond(let unknown, _) = try engine().decide(RequestHead(method: "PROPFIND", target: "/nowhere")) else { return }
        #expect(unknown.status == 404)
    }

    @Test("every gateway error is problem+json with the request id")
    func problems() throws {
        for (target, status) in [("/nowhere", 404), ("/a/../..", 400), ("/" + String(repeating: "a", count: 9_000), 414)] {
            guard case .respond(let response, _) = try engine().decide(RequestHead(method: "GET", target: target)) else { continue }
            #expect(response.status == status)
            #expect(response.header("content-type") == "application/problem+json")
            #expect(response.bodyText.contains("\"status\":\(status)"))
            #expect(response.bodyText.contains("\"request_id\":\"req-1\""))
        }
    }

    @Test("upstream failures become 502, 503 and 504 problems with the request id")
    func upstreamFailures() throws {
        let engine = try engine()
        let request = RequestHead(method: "GET", target: "/api/v1/market-data/instruments?x=1", headers: [("origin", "https://trade.forex.example")])
        guard case .forward(_, let plan) = engine.decide(request) else {
            Issue.record("expected an upstream call")
            return
        }
        for (failure, status) in [(Engine.UpstreamFailure.badGateway, 502), (.unavailable, 503), (.timeout, 504)] {
            let response = engine.failure(failure, plan: plan, request: request)
            #expect(response.status == status)
            #expect(response.header("content-type") == "application/problem+json")
            #expect(response.header("x-request-id") == plan.requestID)
            #expect(response.header("access-control-allow-origin") == "https://trade.forex.example")
            #expect(response.bodyText.contains("\"instance\":\"/api/v1/market-data/instruments\""))
        }
    }

    @Test("the weekday and calendar day follow the UTC clock")
    func calendar() {
        let date = CivilDate(daysSinceEpoch: 1_767_614_400_000 / 86_400_000)
        #expect((date.year, date.month, date.day) == (2026, 1, 5))
        #expect(PolicyVM.weekdays[Int(((1_767_614_400_000 / 86_400_000) + 3) % 7)] == "mon")
    }

    @Test("GCRA allows the burst, refuses the next, and refills at the steady rate")
    func gcra() {
        let limiter = InMemoryRateLimiter()
        let limit = LimitEntry(count: 2, periodMilliseconds: 1_000, burst: 2, key: .ip, scope: "t")
        #expect(limiter.take(limit, index: 0, key: "k", now: 0).allowed)
        #expect(limiter.take(limit, index: 0, key: "k", now: 0).allowed)
        let refused = limiter.take(limit, index: 0, key: "k", now: 0)
        #expect(!refused.allowed && refused.retryAfterMilliseconds == 500)
        #expect(limiter.take(limit, index: 0, key: "k", now: 500).allowed)
        #expect(!limiter.take(limit, index: 0, key: "k", now: 500).allowed)
        #expect(limiter.take(limit, index: 0, key: "other", now: 500).allowed)
    }
}
