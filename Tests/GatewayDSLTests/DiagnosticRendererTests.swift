import Foundation
import Testing
@testable import GatewayDSL

@Suite("Printing diagnostics")
struct DiagnosticRendererTests {
    let result = load("gateway: t\nservices:\n  pricing:\n    endpoints: [http://p:1]\n    timout: 2s\n")

    @Test("text: location, code, message, source line, caret and hint")
    func text() {
        let text = DiagnosticRenderer(format: .text, sources: result.sources).render(result.diagnostics)
        #expect(text == """
            spec.yaml:5:5: error[GW2001]: unknown key `timout` in service `pricing`
             5 |     timout: 2s
               |     ^
              hint: did you mean `timeout`?

            1 error

            """)
    }

    @Test("json: one object per diagnostic, with counts")
    func json() throws {
        let text = DiagnosticRenderer(format: .json).render(result.diagnostics)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["errors"] as? Int == 1)
        let first = try #require((object["diagnostics"] as? [[String: Any]])?.first)
        #expect(first["code"] as? String == "GW2001")
        #expect(first["line"] as? Int == 5)
        #expect(first["column"] as? Int == 5)
        #expect(first["hint"] as? String == "did you mean `timeout`?")
    }

    @Test("github: workflow commands with escaped data and properties")
    func github() {
        let diagnostic = Diagnostic.error(.unknownKey, "50% wrong\nreally", at: SourceLocation(file: "a,b:c.yaml", line: 2, column: 3), hint: "fix")
        let text = DiagnosticRenderer(format: .github).render([diagnostic])
        #expect(text == "::error file=a%2Cb%3Ac.yaml,line=2,col=3,title=GW2001 unknown key::50%25 wrong%0Areally%0Ahint: fix\n")
    }

    @Test("a clean run prints the summary only")
    func clean() {
        #expect(DiagnosticRenderer(format: .text).render([], summary: "ok") == "ok\n")
    }
}
