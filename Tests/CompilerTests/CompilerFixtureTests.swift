import Foundation
import GatewayDSL
import Testing
@testable import Compiler

/// Fixtures/bad holds one bad spec per compiler diagnostic code, in the same
/// `# expect:` form as the DSL's fixtures: the compiler must report exactly those.
@Suite("Every compiler diagnostic code, from a bad spec")
struct CompilerFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bad")
    static var fixtures: [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? [] }
    /// Signing failures are tested with real keys (ArtifactTests); an internal error cannot be provoked on purpose.
    static let testedElsewhere: Set<DiagnosticCode> = [.signingFailed, .internalError]

    @Test("fixture reports exactly its expected diagnostics", arguments: fixtures)
    func fixture(_ name: String) throws {
        let path = Self.folder.appendingPathComponent(name).path
        let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        let expected = text.split(separator: "\n").filter { $0.hasPrefix("# expect: ") }.map { String($0.dropFirst(10)) }
        let (load, compiled) = try Compiler().compile(paths: [path])
        let diagnostics = (load.diagnostics + (compiled?.diagnostics ?? [])).sorted()
        let got = diagnostics.map { "\($0.severity.rawValue) \($0.code.rawValue) \($0.location.line):\($0.location.column)" }
        #expect(!expected.isEmpty)
        #expect(got.sorted() == expected.sorted(), "\(name):\n\(DiagnosticRenderer(format: .text, sources: load.sources).render(diagnostics))")
    }

    @Test("every compiler code has a fixture named after it")
    func everyCodeCovered() {
        let covered = Set(Self.fixtures.compactMap { DiagnosticCode(rawValue: String($0.prefix(6))) })
        let compilerCodes = DiagnosticCode.allCases.filter { $0.rawValue.hasPrefix("GW4") }
        let missing = Set(compilerCodes).subtracting(covered).subtracting(Self.testedElsewhere)
        #expect(missing.isEmpty, "no fixture for \(missing.map(\.rawValue).sorted())")
    }
}
