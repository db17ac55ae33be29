import Artifact
import Testing
@testable import Compiler

/// Each limit carries what it does when the shared store (Redis) is down: the
/// route's own `on-store-failure`, else the `defaults` one, else open.
@Suite("Rate limits when the shared store is down")
struct StoreFailureTests {
    func limits(_ defaults: String, _ limit: String) throws -> [LimitEntry] {
        let result = compile(header.replacingOccurrences(of: "gateway: t\n", with: "gateway: t\n" + defaults) + """
            routes:
              GET /r:
                to: s /r
                allow: authenticated
                limit: \(limit)
            """)
        return try #require(result.artifact, "\(result.diagnostics)").limits
    }

    @Test("open unless told: a route limit's own setting wins over the default, roles follow the default")
    func resolution() throws {
        let plain = try limits("", "5/s per principal")
        #expect(plain.allSatisfy { !$0.failClosed })
        let closedRoute = try limits("", "{ rate: 5/s, per: principal, on-store-failure: closed }")
        #expect(closedRoute.filter(\.failClosed).map(\.scope) == ["GET /r"])
        let closedDefault = try limits("defaults: { on-store-failure: closed }\n", "[5/s per ip, { rate: 9/s, on-store-failure: open }]")
        #expect(closedDefault.map { "\($0.scope) \($0.count) \($0.failClosed)" }.sorted()
                == ["GET /r 5 true", "GET /r 9 false", "viewer 10 true"])
    }

    @Test("anything but open or closed is an error at its place, with the choices")
    func invalid() {
        let result = compile(header + "routes:\n  GET /r:\n    to: s /r\n    allow: authenticated\n    limit: { rate: 5/s, on-store-failure: closd }\n")
        #expect(summaries(result) == ["error GW2003 18:43"])
        #expect(result.diagnostics.first?.message.contains("`open`, `closed`") == true)
        #expect(result.diagnostics.first?.hint == "did you mean `closed`?")
    }

    @Test("the flag survives the artifact's bytes and shows in the disassembly")
    func roundTrip() throws {
        let result = compile(header + "routes:\n  GET /r:\n    to: s /r\n    allow: authenticated\n    limit: { rate: 5/s, on-store-failure: closed }\n")
        let artifact = try Artifact.decode(try #require(result.bytes))
        #expect(artifact.limits.contains { $0.scope == "GET /r" && $0.failClosed })
        #expect(Disassembler(artifact).text().contains("(GET /r), closed when the store is down"))
    }
}
