import Artifact
import Testing
@testable import Compiler

@Suite("Conditions: types, folding and lowering")
struct ConditionTests {
    func condition(_ text: String, path: String = "/c/{id}") -> Compiler.Result {
        compile(header + """
            routes:
              GET \(path):
                to: s
                allow: authenticated
                when: '\(text)'
            """)
    }

    @Test("well-typed conditions compile", arguments: [
        #"request.header["x-region"] == "eu""#,
        #""trader" in principal.roles"#,
        #"time.weekday != "sat" && time.hour >= 8"#,
        #"request.params["id"].startsWith("A")"#,
        #"principal.claims["desk"] == null || request.query["v"] in ["1", "2"]"#,
        #"!(request.method == "DELETE") && principal.authenticated"#,
    ])
    func wellTyped(text: String) {
        let result = condition(text)
        #expect(!result.hasErrors, "\(summaries(result))")
    }

    @Test("type errors point at the offending part", arguments: [
        (#"time.hour == "eight""#, "GW4001", 22, "compares a int with a string"),
        (#"time.weekday == "saturday""#, "GW4001", 28, "never `saturday`"),
        (#"time.hour < 25"#, "GW4001", 24, "0 to 23"),
        (#"request.header"#, "GW4001", 12, "is a map"),
        (#"request.headers["x"] == "y""#, "GW4002", 12, "cannot be indexed"),
        (#"request.pth == "/""#, "GW4002", 12, "did you mean `request.path`?"),
        (#"time.hour"#, "GW4001", 12, "must be true or false"),
        (#""eu" in request.header["x"]"#, "GW4001", 20, "must be a list"),
        (#"request.path.lower() == "x""#, "GW4002", 12, "is not a function"),
        (#"request.params["nope"] == "x""#, "GW4007", 27, "not a parameter of route"),
    ])
    func typeErrors(text: String, code: String, column: Int, message: String) {
        let result = condition(text)
        let diagnostic = result.diagnostics.first { $0.severity == .error }
        #expect(diagnostic?.code.rawValue == code, "\(result.diagnostics.map(\.message))")
        #expect(diagnostic?.location.line == 18)
        #expect(diagnostic?.location.column == column, "\(diagnostic?.message ?? "")")
        #expect(diagnostic?.message.contains(message) == true || diagnostic?.hint?.contains(message) == true, "\(diagnostic?.message ?? "") / \(diagnostic?.hint ?? "")")
    }

    @Test("literal comparisons fold: always true disappears, always false denies")
    func folding() throws {
        let alwaysTrue = condition(#"1 == 1 || request.path == "/x""#)
        #expect(summaries(alwaysTrue) == ["warning GW4005 18:12"])
        let program = try #require(alwaysTrue.artifact).code.map(\.opcode)
        #expect(!program.contains(.assert))
        let alwaysFalse = condition(#""a" == "b""#)
        #expect(summaries(alwaysFalse) == ["warning GW4005 18:12"])
        #expect(try #require(alwaysFalse.artifact).code.last?.opcode == .deny)
    }

    @Test("a public route without authentication cannot read the principal")
    func principalOnPublic() {
        let result = compile(header + "routes:\n  GET /p:\n    public: true\n    respond: { status: 204 }\n    when: 'principal.id == \"x\"'\n")
        #expect(summaries(result) == ["error GW4009 18:12"])
        let withAuth = compile(header + "routes:\n  GET /p:\n    public: true\n    auth: [sso]\n    respond: { status: 204 }\n    when: 'principal.id == \"x\"'\n")
        #expect(!withAuth.hasErrors)
    }

    @Test("&& and || short-circuit with forward jumps")
    func shortCircuit() throws {
        let artifact = try #require(condition(#"request.method == "GET" && request.path == "/x""#).artifact)
        let ops = artifact.code.map(\.opcode)
        let jump = try #require(ops.firstIndex(of: .jumpIfFalse))
        #expect(Int(artifact.code[jump].a) == ops.firstIndex(of: .assert))
    }
}
