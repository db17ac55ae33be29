import Foundation
import Testing
@testable import GatewayDSL

/// The docs are part of the product: these tests fail when a code or a key is added
/// without being documented.
@Suite("Documentation stays complete")
struct DocumentationTests {
    func read(_ path: String) throws -> String {
        let url = repositoryRoot.appendingPathComponent(path)
        return try #require(String(data: try Data(contentsOf: url), encoding: .utf8))
    }

    @Test("docs/diagnostics.md lists every diagnostic code with its title")
    func diagnostics() throws {
        let text = try read("docs/diagnostics.md")
        for code in DiagnosticCode.allCases {
            #expect(text.contains("## \(code.rawValue)"), "\(code.rawValue) is not documented")
            #expect(text.contains(code.title), "the title of \(code.rawValue) is not in the docs")
        }
    }

    @Test("docs/spec-reference.md documents every key")
    func specReference() throws {
        let text = try read("docs/spec-reference.md")
        for key in SpecSchema.allKeys.sorted() {
            #expect(text.contains("`\(key)`"), "key `\(key)` is not documented")
        }
    }

    @Test("every YAML example in the spec reference validates or is marked as a fragment")
    func referenceExamples() throws {
        let text = try read("docs/spec-reference.md")
        let blocks = text.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 8)
        for block in blocks where !block.hasPrefix("# fragment") {
            let result = load(block, file: "example.yaml")
            #expect(!result.hasErrors, "example does not validate:\n\(block)\n\(DiagnosticRenderer(format: .text, sources: result.sources).render(result.diagnostics))")
        }
    }
}
