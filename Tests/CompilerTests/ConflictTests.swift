import Testing
@testable import Compiler

@Suite("Route conflicts and shadowing")
struct ConflictTests {
    func routes(_ yaml: String) -> Compiler.Result { compile(header + "routes:\n" + yaml) }

    func route(_ key: String, _ extra: String = "") -> String {
        "  \(key):\n    public: true\n    respond: { status: 204 }\n" + extra
    }

    @Test("two parameters in one position tie, and the error shows a request both take")
    func parameterTie() {
        let result = routes(route("GET /a/{x}") + route("GET /a/{y}"))
        #expect(summaries(result) == ["error GW4003 18:3"])
        #expect(result.diagnostics.first?.message.contains("both match `GET /a/a`") == true)
        #expect(result.diagnostics.first?.notes.first?.location.line == 15)
    }

    @Test("overlapping constraints tie; the witness satisfies both")
    func constraintTie() {
        let result = routes(route("GET /n/{id:int}") + route("GET /n/{code:[0-9a-f]+}"))
        #expect(summaries(result) == ["error GW4003 18:3"])
        #expect(result.diagnostics.first?.message.contains("`GET /n/0`") == true)
    }

    @Test("disjoint constraints do not tie")
    func disjointConstraints() {
        let result = routes(route("GET /n/{id:int}") + route("GET /n/{name:alpha}"))
        #expect(result.diagnostics.isEmpty, "\(summaries(result))")
    }

    @Test("methods, hosts and exclusive guards keep routes apart")
    func keptApart() {
        let result = routes(
            route("GET /m/{x}") + route("POST /m/{y}")
                + route("GET /h/{x}", "    host: a.example\n") + route("GET /h/{y}", "    host: b.example\n")
                + route("GET /g/{x}", "    match: { headers: { x-v: [\"1\"] } }\n") + route("GET /g/{y}", "    match: { headers: { x-v: [\"2\"] } }\n"))
        #expect(result.diagnostics.isEmpty, "\(summaries(result))")
    }

    @Test("guards that can hold together tie")
    func overlappingGuards() {
        let result = routes(route("GET /g/{x}", "    match: { headers: { x-a: true } }\n") + route("GET /g/{y}", "    match: { headers: { x-b: true } }\n"))
        #expect(summaries(result) == ["error GW4003 19:3"])
        #expect(result.diagnostics.first?.message.contains("x-a") == true || result.diagnostics.first?.message.contains("GET /g/a") == true)
    }

    @Test("wildcards at the same position tie; different kinds do not")
    func wildcards() {
        #expect(summaries(routes(route("GET /w/{a...}") + route("ANY /w/{b...}"))) == ["error GW4003 18:3"])
        #expect(routes(route("GET /w/{a...}") + route("GET /w/{b}") + route("GET /w/x")).diagnostics.isEmpty)
    }

    @Test("a parameter under a constraint that accepts every segment can never match")
    func shadowedByConstraint() {
        let result = routes(route("GET /s/{any:.+}") + route("GET /s/{name}"))
        #expect(summaries(result) == ["error GW4004 18:3"])
        #expect(result.diagnostics.first?.notes.map(\.location.line) == [15])
    }

    @Test("static routes can cover every value a constraint allows")
    func shadowedByStatics() {
        let result = routes(route("GET /side/buy") + route("GET /side/sell") + route("GET /side/{side:buy|sell}"))
        #expect(summaries(result) == ["error GW4004 21:3"])
    }

    @Test("a constraint that still has values left is not shadowed")
    func partlyCovered() {
        let result = routes(route("GET /side/buy") + route("GET /side/{side:buy|sell}") + route("GET /side/{other}"))
        #expect(result.diagnostics.isEmpty, "\(summaries(result))")
    }

    @Test("shadowing is per method: a route is dead only if every method is taken")
    func shadowPerMethod() {
        let result = routes(route("GET /p/{all:.+}") + route("GET,POST /p/{x}"))
        #expect(result.diagnostics.isEmpty, "\(summaries(result))")
    }
}
