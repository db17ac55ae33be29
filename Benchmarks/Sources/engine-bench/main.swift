import Artifact
import BenchSupport
import CAllocCounter
import Compiler
import Foundation
import GatewayDSL
@_spi(Benchmarks) import Runtime

// Engine decisions for typical forex requests: normalize, route, run the policy
// program (roles, conditions, header edits), build the upstream request, and apply
// the reply transforms (envelope). Beside each, in the same run, the route lookup
// alone for the same path: the floor the rest of the decision adds to. The reply is
// handled as the server handles it: its head parsed into offsets (once, as the relay
// does before the engine sees it), header edits computed over those offsets and the
// gateway's lines written into an outgoing buffer, the body wrapped there if the route
// has an envelope (`finish`, which also rebuilds header lists, is the harness's).
// Usage: engine-bench [--specs specs] [--reps 11] [--iterations 200000] [--case NAME]

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}

let specsFolder = option("--specs") ?? "specs"
let reps = Int(option("--reps") ?? "") ?? 11
let iterations = Int(option("--iterations") ?? "") ?? 200_000
let onlyCase = option("--case")

/// Identifiers that cost nothing, so the figure is the engine's own work.
struct ConstantIdentifiers: IdentifierSource {
    func requestID() -> String { "bench-request" }
    func hex(bytes count: Int) -> String { count == 8 ? "0000000000000001" : "00000000000000000000000000000001" }
}

struct FixedAuthenticator: Runtime.Authenticator {
    let principal: Principal
    func authenticate(_ request: RequestHead, mask: UInt32, now: Int64) -> AuthenticationResult { .authenticated(principal) }
}

/// Rate limits are measured on their own (issue 5); here every token is granted.
struct Unlimited: RateLimitStore {
    func take(_ limit: LimitEntry, index: Int, key: String, now: Int64) -> RateDecision {
        RateDecision(allowed: true, remaining: Int(limit.burst), retryAfterMilliseconds: 0, resetMilliseconds: 0)
    }
}

struct Case {
    var name: String
    var principal: Principal?
    var request: RequestHead
    var reply: GatewayResponse

    /// The reply's head as an upstream sends it, with the Date and Content-Length any
    /// server adds.
    var replyHead: [UInt8] {
        var head = "HTTP/1.1 \(reply.status) OK\r\ndate: Mon, 05 Jan 2026 12:00:00 GMT\r\n"
        for header in reply.headers { head += "\(header.name): \(header.value)\r\n" }
        return Array((head + "content-length: \(reply.body.count)\r\n\r\n").utf8)
    }
}

/// The real JWT and API key checks over the golden suite's test keys; the token
/// cache is warm after the first decision, as for any client that calls twice.
func goldenCredentials(_ artifact: Artifact) -> (CredentialAuthenticator, String)? {
    let folder = "golden/forex-platform"
    let overrides = ["file:keys/sso-jwks.json": "file:keys/sso-jwks.json", "file:keys/api-keys.json": "file:keys/api-keys.json",
                     "env:FOREX_API_KEY_PEPPER": "text:golden-pepper-not-for-production"]
    guard let credentials = try? CredentialAuthenticator.load(artifact, secrets: SecretResolver(overrides: overrides, overrideDirectory: folder)),
          let tokens = FileManager.default.contents(atPath: folder + "/keys/tokens.txt"),
          let line = String(decoding: tokens, as: UTF8.self).split(separator: "\n").first(where: { $0.hasPrefix("trader: ") }) else { return nil }
    return (credentials, String(line.dropFirst("trader: ".count)))
}

func measure(_ body: () -> Void) -> (ns: Double, allocs: Double) { BenchSupport.measure(reps: reps, count: iterations, body) }

func run() {
    guard let files = try? SpecLoader.discover([specsFolder]) else {
        print("error: no specs at \(specsFolder) (run from the repository root, or pass --specs)")
        exit(2)
    }
    let load = SpecLoader().load(sources: files.map { ($0, [UInt8](FileManager.default.contents(atPath: $0) ?? Data())) })
    guard let spec = load.spec, let artifact = Compiler().compile(spec).artifact else {
        print("error: the specs do not compile")
        exit(1)
    }
    let json = [Header("content-type", "application/json")]
    let cases = [
        Case(name: "quote", principal: Principal(id: "u-100", roles: ["viewer"], method: .jwt),
             request: RequestHead(method: "GET", target: "/api/v1/quotes/EURUSD", headers: [("host", "api.forex.example"), ("accept", "application/json")]),
             reply: GatewayResponse(status: 200, headers: json, body: Array("{\"bid\":1.0841}".utf8))),
        Case(name: "order-eu", principal: Principal(id: "u-200", roles: ["trader"], method: .jwt),
             request: RequestHead(method: "POST", target: "/api/v1/orders/eu",
                                  headers: [("host", "api.forex.example"), ("x-desk-region", "eu"), ("content-type", "application/json"), ("content-length", "64")]),
             reply: GatewayResponse(status: 201, headers: json, body: Array("{\"id\":\"o-1\"}".utf8))),
        Case(name: "balance-envelope", principal: Principal(id: "u-200", roles: ["trader"], method: .jwt, claims: ["account_id": "ACC42"]),
             request: RequestHead(method: "GET", target: "/api/v1/accounts/ACC42/balance", headers: [("host", "api.forex.example")]),
             reply: GatewayResponse(status: 200, headers: json, body: Array("{\"usd\":1000}".utf8))),
    ]
    guard let (credentials, traderToken) = goldenCredentials(artifact) else {
        print("error: cannot load golden/forex-platform's test keys and tokens (run from the repository root)")
        exit(2)
    }
    let authenticated = Case(name: "authenticated", principal: nil,
                             request: RequestHead(method: "GET", target: "/api/v1/orders",
                                                  headers: [("host", "api.forex.example"), ("authorization", "Bearer " + traderToken)]),
                             reply: GatewayResponse(status: 200, headers: json, body: Array("[]".utf8)))
    print("# \(reps) repetitions of \(iterations) decisions; ns and allocs per decision (median)")
    for benchCase in cases + [authenticated] where onlyCase == nil || benchCase.name == onlyCase {
        let authenticator: any Runtime.Authenticator = benchCase.principal.map { FixedAuthenticator(principal: $0) } ?? credentials
        let engine = Engine(artifact: artifact, clock: FixedClock(milliseconds: 1_767_614_400_000), identifiers: ConstantIdentifiers(),
                            authenticator: authenticator, limiter: Unlimited())
        guard case .forward = engine.decide(benchCase.request) else {
            print("error: case \(benchCase.name) did not reach its upstream")
            exit(1)
        }
        // What the server does per request: decide, then edit the reply's head, the
        // gateway's lines written into its outgoing buffer (and the body wrapped there
        // when the route has an envelope).
        let reply = benchCase.reply
        guard let replyHead = ParsedReplyHead(benchCase.replyHead) else {
            print("error: case \(benchCase.name)'s reply head does not parse")
            exit(1)
        }
        let outgoing = UnsafeMutableRawBufferPointer.allocate(byteCount: 16_384, alignment: 8)
        func respond(_ plan: ResponsePlan) {
            let edits = engine.responseHead(plan, reply: replyHead)
            precondition(edits.writeAdded(plan, into: outgoing) != nil)
            if edits.envelope { precondition(reply.body.withUnsafeBytes { engine.envelope($0, plan, into: outgoing) } != nil) }
        }
        let decision = measure {
            if case .forward(_, let plan) = engine.decide(benchCase.request) { respond(plan) }
        }
        let decideOnly = measure { _ = engine.decide(benchCase.request) }
        guard case .forward(_, let plan) = engine.decide(benchCase.request) else { exit(1) }
        let finishOnly = measure { respond(plan) }
        let path = Array(benchCase.request.target.utf8)
        let host = Array("api.forex.example".utf8)
        let method = MethodSet(method: benchCase.request.method)?.rawValue ?? 0
        let captures = UnsafeMutableBufferPointer<PathCapture>.allocate(capacity: 16)
        let lookup = measure {
            path.withUnsafeBufferPointer { p in host.withUnsafeBufferPointer { h in _ = engine.router.lookup(host: h, method: method, path: p, captures: captures) } }
        }
        guard case .matched(let route, let count) = path.withUnsafeBufferPointer({ p in host.withUnsafeBufferPointer { h in engine.router.lookup(host: h, method: method, path: p, captures: captures) } }) else {
            print("error: case \(benchCase.name) does not route")
            exit(1)
        }
        let routeCaptures = UnsafeMutableBufferPointer(rebasing: captures[0..<count])
        let vm = measure { precondition(engine.evaluatePolicy(benchCase.request, path: path, route: route, captures: routeCaptures) == 0) }
        captures.deallocate()
        print("engine-decision case=\(benchCase.name) ns=\(Int(decision.ns.rounded())) allocs=\(String(format: "%.1f", decision.allocs)) vm-ns=\(Int(vm.ns.rounded())) vm-allocs=\(String(format: "%.1f", vm.allocs))")
        print("engine-decision-part case=\(benchCase.name) decide-ns=\(Int(decideOnly.ns.rounded())) decide-allocs=\(String(format: "%.1f", decideOnly.allocs)) finish-ns=\(Int(finishOnly.ns.rounded())) finish-allocs=\(String(format: "%.1f", finishOnly.allocs))")
        print("engine-decision-peer case=\(benchCase.name) name=route-lookup-only ns=\(Int(lookup.ns.rounded())) allocs=\(String(format: "%.1f", lookup.allocs))")
    }
}

run()
